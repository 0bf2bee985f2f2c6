"""The analysis in one call, as the notebooks and the CLI use it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from newslens import attitudes, entities, narrative, quotes, sentiment, summary, tally, timeline
from newslens import engine as engines
from newslens.gazetteer import DEFAULT_PATH, Gazetteer
from newslens.gazetteer import load as load_gazetteer
from newslens.load import Corpus, load
from newslens.resolver import resolve

SENTIMENT_COLUMNS = ["positive", "negative", "neutral", "net_sentiment", "net_low", "net_high"]


@dataclass
class Analysis:
    corpus: Corpus
    entities: entities.Entities
    actors: pd.DataFrame
    scored: pd.DataFrame | None = None  # mentions with polarity, when sentiment ran
    gazetteer: Gazetteer | None = None

    @property
    def mentions(self) -> pd.DataFrame:
        return self.entities.mentions

    def attitudes(self) -> pd.DataFrame:
        if self.scored is None:
            return pd.DataFrame(columns=attitudes.COLUMNS)
        return attitudes.attitudes(self.scored, self.entities.sentences)

    def quotes(self) -> pd.DataFrame:
        return quotes.extract(self.corpus.articles, self.mentions, self.entities.sentences)

    def timeline(self) -> pd.DataFrame:
        return timeline.timeline(self.corpus.articles)

    def per_day(self, top: int = 5) -> pd.DataFrame:
        leaders = self.actors[self.actors.type.isin(["PER", "ORG"])].head(top)["actor"]
        return timeline.actors_per_day(self.mentions, self.corpus.articles, list(leaders))

    def key_sentences(self, top: int = 5) -> pd.DataFrame:
        return summary.corpus_key_sentences(self.entities.sentences, top)

    def narrative(self, lang: str = "en") -> list[str]:
        facts = narrative.Facts(
            self.corpus.articles, self.actors, self.attitudes(), self.quotes(),
            self.timeline(), self.key_sentences(), self.per_day(),
        )  # fmt: skip
        return narrative.write(facts, lang, self.gazetteer)


def analyse(
    paths,
    *,
    progress: bool = False,
    gazetteer: str | Path = DEFAULT_PATH,
    with_sentiment: bool = True,
    sentiment_mode: str = "accurate",
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    cache: engines.Cache | bool = False,
) -> Analysis:
    """Load the corpus, find mentions, resolve actors, tally them, score sentiment.

    The per-article stage runs on ``workers`` processes (or a Dask scheduler) and, with
    ``cache``, reuses earlier results; the corpus-wide steps then run here.
    ``sentiment_mode`` is ``accurate`` or ``fast`` (see ``newslens.sentiment``).
    """
    embed = sentiment.embeds(sentiment_mode) and with_sentiment
    corpus = paths if isinstance(paths, Corpus) else load(paths)
    gaz = load_gazetteer(str(gazetteer))
    store = engines.Cache() if cache is True else (cache or None)
    rows = corpus.articles[["doc_id", "title", "text"]].itertuples(index=False, name=None)
    results = list(
        engines.run(
            rows, workers=workers, engine=engine, scheduler=scheduler, cache=store,
            gazetteer=gazetteer, embed=embed, progress=progress,
            total=len(corpus.articles),
        )
    )  # fmt: skip
    found = resolve([r.entities for r in results], gaz)
    actors = tally.actors(found.mentions, corpus.articles, gaz)
    scored = None
    if with_sentiment:
        vectors = {text: v for result in results for text, v in result.vectors.items()}
        scored = sentiment.mention_sentiment(
            found.mentions, found.sentences, sentiment_mode, vectors
        )
        per_actor = sentiment.actor_sentiment(scored)
        actors = actors.merge(per_actor, on="actor", how="left")
        actors[SENTIMENT_COLUMNS[:3]] = actors[SENTIMENT_COLUMNS[:3]].fillna(0).astype(int)
    return Analysis(corpus, found, actors, scored, gaz)


def extract(
    articles: pd.DataFrame, *, progress: bool = False, gazetteer: Gazetteer | None = None
) -> entities.Entities:
    """Mentions of every article in the table, resolved to actors across the corpus: the
    entity half of :func:`analyse`, in this process, without cache or sentiment."""
    path = gazetteer.path if gazetteer is not None and gazetteer.path else DEFAULT_PATH
    rows = articles[["doc_id", "title", "text"]].itertuples(index=False, name=None)
    results = engines.run(rows, gazetteer=path, embed=False, progress=progress,
                          total=len(articles))  # fmt: skip
    return resolve([r.entities for r in results], gazetteer or load_gazetteer(str(path)))
