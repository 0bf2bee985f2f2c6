"""The analysis in one call, as the notebooks and the CLI use it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from newslens import attitudes, entities, sentiment, tally
from newslens.gazetteer import DEFAULT_PATH
from newslens.gazetteer import load as load_gazetteer
from newslens.load import Corpus, load

SENTIMENT_COLUMNS = ["positive", "negative", "neutral", "net_sentiment", "net_low", "net_high"]


@dataclass
class Analysis:
    corpus: Corpus
    entities: entities.Entities
    actors: pd.DataFrame
    scored: pd.DataFrame | None = None  # mentions with polarity, when sentiment ran

    @property
    def mentions(self) -> pd.DataFrame:
        return self.entities.mentions

    def attitudes(self) -> pd.DataFrame:
        return attitudes.attitudes(self.scored) if self.scored is not None else pd.DataFrame()


def analyse(
    paths,
    *,
    progress: bool = False,
    gazetteer: str | Path = DEFAULT_PATH,
    with_sentiment: bool = True,
) -> Analysis:
    """Load the corpus, find mentions, resolve actors, tally them, score sentiment."""
    corpus = paths if isinstance(paths, Corpus) else load(paths)
    gaz = load_gazetteer(str(gazetteer))
    found = entities.extract(corpus.articles, progress=progress, gazetteer=gaz)
    actors = tally.actors(found.mentions, corpus.articles, gaz)
    scored = None
    if with_sentiment:
        scored = sentiment.mention_sentiment(found.mentions, found.sentences)
        per_actor = sentiment.actor_sentiment(scored)
        actors = actors.merge(per_actor, on="actor", how="left")
        actors[SENTIMENT_COLUMNS[:3]] = actors[SENTIMENT_COLUMNS[:3]].fillna(0).astype(int)
    return Analysis(corpus, found, actors, scored)
