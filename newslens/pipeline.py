"""The analysis in one call, as the notebooks and the CLI use it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from newslens import entities, tally
from newslens.gazetteer import DEFAULT_PATH
from newslens.gazetteer import load as load_gazetteer
from newslens.load import Corpus, load


@dataclass
class Analysis:
    corpus: Corpus
    entities: entities.Entities
    actors: pd.DataFrame

    @property
    def mentions(self) -> pd.DataFrame:
        return self.entities.mentions


def analyse(paths, *, progress: bool = False, gazetteer: str | Path = DEFAULT_PATH) -> Analysis:
    """Load the corpus, find mentions, resolve actors, tally them."""
    corpus = paths if isinstance(paths, Corpus) else load(paths)
    gaz = load_gazetteer(str(gazetteer))
    found = entities.extract(corpus.articles, progress=progress, gazetteer=gaz)
    return Analysis(corpus, found, tally.actors(found.mentions, corpus.articles, gaz))
