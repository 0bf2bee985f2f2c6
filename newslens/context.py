"""One run's context, made where the run starts and handed to every step.

It carries what the steps read besides the tables: the gazetteer (read when the context is
made, so an edited file is seen by the next run), the sentiment mode and its models, where
the per-article work runs (processes, a Dask scheduler), the article cache, and whether to
show progress. Nothing a step needs is looked up in a module-level default.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from newslens import config, modes
from newslens.gazetteer import Gazetteer
from newslens.gazetteer import load as load_gazetteer


@dataclass(frozen=True)
class Context:
    gazetteer: Gazetteer
    mode: modes.Mode | None = field(default_factory=modes.mode)  # None: no sentiment
    workers: int = 1  # processes for the per-article work (1: this process)
    engine: str = "local"  # or "dask", with ``scheduler``
    scheduler: str | None = None
    cache: object | None = None  # an ``engine.Cache``, or None: no article cache
    progress: bool = False
    max_chars: int = config.MAX_ARTICLE_CHARS
    models: dict = field(default_factory=dict, compare=False, repr=False)  # view → Model

    def model(self, view: str):
        """The sentiment model of ``view``, loaded (and its metadata checked) once a run."""
        if view not in self.models:
            from newslens.sentiment import load_model

            self.models[view] = load_model(view)
        return self.models[view]

    def but(self, **changes) -> Context:
        """This context with some settings changed (the models already loaded are kept)."""
        return replace(self, **changes)


def make(
    gazetteer: str | Path | Gazetteer = config.GAZETTEER,
    sentiment: str | modes.Mode | None = modes.DEFAULT,
    *,
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    cache: object | bool = False,
    progress: bool = False,
    max_chars: int | None = None,
) -> Context:
    """The context of a run: the gazetteer read now, an unknown mode or engine refused now
    (before the corpus is read). ``cache`` True: the default cache folder."""
    from newslens.engine import Cache

    if engine not in ("local", "dask"):
        raise ValueError(f"unknown engine {engine!r}: use 'local' or 'dask'")
    if not isinstance(gazetteer, Gazetteer):
        gazetteer = load_gazetteer(gazetteer)
    mode = modes.mode(sentiment) if sentiment is not None else None
    store = Cache() if cache is True else (cache or None)
    limit = max_chars or config.max_article_chars()
    return Context(gazetteer, mode, workers, engine, scheduler, store, progress, limit)
