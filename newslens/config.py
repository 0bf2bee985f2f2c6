"""The project's paths, in one place (as cookiecutter-data-science's ``config.py``).

Everything is relative to the checkout: the package sits in ``ROOT/newslens``. The shared
evaluation data lies beside the checkout (``../shared/data``); only benches, training and
tests read it.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
DATA = ROOT / "data"
CACHE = DATA / "cache"
RUNS = DATA / "runs"  # one run's work files, removed when it ends
GAZETTEER = DATA / "gazetteer.csv"
NOTEBOOKS = ROOT / "notebooks"
REPORT = ROOT / "report"
SEEDS = ROOT / "seeds"
MODELS = PACKAGE / "models"
TEMPLATES = PACKAGE / "templates"
SHARED_DATA = ROOT.parent / "shared" / "data"
