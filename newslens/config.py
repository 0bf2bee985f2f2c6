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

# An article longer than this (in characters) is rejected, named, before natasha sees it: a
# 1,000,000-character article is some 500 pages; news rarely pass 20,000.
MAX_ARTICLE_CHARS = 1_000_000
MAX_CHARS_VARIABLE = (
    "NEWSLENS_MAX_CHARS"  # set by ``--max-chars``; the report's notebooks inherit it
)


def max_article_chars() -> int:
    """The article size limit now: ``$NEWSLENS_MAX_CHARS`` if set, else the default."""
    import os

    value = os.environ.get(MAX_CHARS_VARIABLE, "")
    return int(value) if value.isdigit() and int(value) > 0 else MAX_ARTICLE_CHARS
