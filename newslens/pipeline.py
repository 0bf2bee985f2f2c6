"""The analysis in one call, and its tables persisted once for every chapter to read.

:func:`analyse` runs the per-article stage (workers, Dask, cache: ``newslens.engine``), then
the corpus-wide steps (actors, the embeddings of mode accurate, sentiment). The tables
derived from it (attitudes, quotes, dates, key sentences …) are computed on first use and
kept. :meth:`Analysis.save` writes every table as Parquet to a folder; :func:`open_analysis`
reads it back, so the report analyses a corpus once and each chapter notebook only reads
(cookiecutter-data-science: cache long-running steps).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from newslens import (
    attitudes,
    entities,
    narrative,
    quotes,
    sentiment,
    sources,
    summary,
    tally,
    timeline,
)  # fmt: skip
from newslens import engine as engines
from newslens.gazetteer import DEFAULT_PATH, Gazetteer
from newslens.gazetteer import load as load_gazetteer
from newslens.load import Corpus, load
from newslens.resolver import resolve

LEADERS = 5  # actors followed over time and across sources


@dataclass
class Analysis:
    """A corpus analysed: the base tables and, once computed, the tables derived from them."""

    corpus: Corpus
    entities: entities.Entities
    actors: pd.DataFrame
    scored: pd.DataFrame | None = None  # mentions with polarity, when sentiment ran
    gazetteer: Gazetteer | None = None
    sentiment: str | None = None  # the sentiment mode, None when sentiment did not run
    derived: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    workers: int = 1  # processes for the corpus-wide steps that read each article apart

    @property
    def mentions(self) -> pd.DataFrame:
        return self.entities.mentions

    def _table(self, name: str, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        if name not in self.derived:
            self.derived[name] = compute()
        return self.derived[name]

    def attitudes(self) -> pd.DataFrame:
        if self.scored is None:
            return pd.DataFrame(columns=attitudes.COLUMNS)
        return self._table(
            "attitudes", lambda: attitudes.attitudes(self.scored, self.entities.sentences)
        )

    def quotes(self) -> pd.DataFrame:
        return self._table(
            "quotes",
            lambda: engines.by_article(
                quotes.extract,
                [self.corpus.articles, self.mentions, self.entities.sentences],
                self.workers,
            ),
        )

    def timeline(self) -> pd.DataFrame:
        return self._table("timeline", lambda: timeline.timeline(self.corpus.articles))

    def leaders(self, top: int = LEADERS) -> list[str]:
        """The most mentioned people and organisations: the actors followed in time."""
        return list(self.actors[self.actors.type.isin(["PER", "ORG"])].head(top)["actor"])

    @property
    def unit(self) -> str:
        """The period the corpus is shown by: day, week, month or year (D, W, M, Y)."""
        return timeline.period_unit(self.corpus.articles["date"])

    def per_period(self) -> pd.DataFrame:
        """Mentions and net sentiment of the leading actors per period."""
        mentions = self.scored if self.scored is not None else self.mentions
        return self._table("per_period", lambda: timeline.actors_per_period(
            mentions, self.corpus.articles, self.leaders(), self.unit))  # fmt: skip

    def by_source(self) -> pd.DataFrame:
        """Net sentiment of the leading actors per outlet (empty without sources)."""
        mentions = self.scored if self.scored is not None else self.mentions
        return self._table("by_source", lambda: sources.sentiment_by_source(
            mentions, self.corpus.articles, self.leaders()))  # fmt: skip

    def speakers(self) -> pd.DataFrame:
        """The most quoted speakers with their most representative quote."""
        return self._table("speakers", lambda: summary.speakers(self.quotes()))

    def speakers_by_source(self) -> pd.DataFrame:
        return self._table("speakers_by_source", lambda: sources.speakers_by_source(
            self.quotes(), self.corpus.articles))  # fmt: skip

    def attitude_pairs(self) -> pd.DataFrame:
        return self._table("attitude_pairs", lambda: tally.attitude_pairs(self.attitudes()))

    def central_articles(self, top: int = 3) -> list[str]:
        return tally.central_articles(self.mentions, top)

    def key_sentences(self, top: int = 5) -> pd.DataFrame:
        return self._table(
            "key_sentences", lambda: summary.corpus_key_sentences(self.entities.sentences, top)
        )

    def cooccurrence(self) -> pd.DataFrame:
        return self._table("cooccurrence", lambda: tally.cooccurrence(self.mentions))

    def narrative(self, lang: str = "en") -> list[str]:
        facts = narrative.Facts(
            self.corpus.articles, self.actors, self.attitudes(), self.quotes(),
            self.timeline(), self.key_sentences(), self.per_period(), self.unit,
        )  # fmt: skip
        return narrative.write(facts, lang, self.gazetteer)

    def compute_all(self) -> Analysis:
        """Every derived table, so that a saved analysis holds them all."""
        for method in DERIVED:
            getattr(self, method)()
        return self

    def save(self, folder: str | Path) -> Path:
        """Write every table (base and derived) as Parquet, and what produced them as JSON."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.compute_all()
        tables = {
            "articles": self.corpus.articles,
            "rejected": self.corpus.rejected,
            "warnings": self.corpus.warnings,
            "mentions": self.scored if self.scored is not None else self.mentions,
            "sentences": self.entities.sentences,
            "actors": self.actors,
            **self.derived,
        }
        for name, frame in tables.items():
            frame.to_parquet(folder / f"{name}.parquet", index=False)
        meta = {
            "sentiment": self.sentiment,
            "gazetteer": self.gazetteer.path if self.gazetteer else "",
            "tables": sorted(tables),
        }
        (folder / "analysis.json").write_text(json.dumps(meta, indent=1), "utf-8")
        return folder


DERIVED = [
    "attitudes", "quotes", "timeline", "key_sentences", "cooccurrence", "per_period",
    "by_source", "speakers", "speakers_by_source", "attitude_pairs",
]  # fmt: skip


def open_analysis(folder: str | Path) -> Analysis:
    """An analysis saved by :meth:`Analysis.save`: every table read back, nothing recomputed."""
    folder = Path(folder)
    meta_path = folder / "analysis.json"
    if not meta_path.exists():
        raise FileNotFoundError(f"{folder}: not a saved analysis (no analysis.json)")
    meta = json.loads(meta_path.read_text("utf-8"))
    tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in meta["tables"]}
    corpus = Corpus(tables.pop("articles"), tables.pop("rejected"), tables.pop("warnings"))
    mentions = tables.pop("mentions")
    scored = mentions if "polarity" in mentions else None
    found = entities.Entities(mentions[entities.MENTION_COLUMNS], tables.pop("sentences"))
    gazetteer = load_gazetteer(meta["gazetteer"] or str(DEFAULT_PATH))
    actors = tables.pop("actors")
    return Analysis(corpus, found, actors, scored, gazetteer, meta["sentiment"], tables)


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

    The per-article stage and the embeddings run on ``workers`` processes (or a Dask
    scheduler) and, with ``cache``, reuse earlier results; resolution and the tallies run
    here, the sentiment models on the local workers, an article at a time.
    ``sentiment_mode`` is ``accurate`` or ``fast`` (see ``newslens.sentiment``).
    """
    sentiment.embeds(sentiment_mode)  # an unknown mode fails before the corpus is read
    corpus = paths if isinstance(paths, Corpus) else load(paths)
    gaz = load_gazetteer(str(gazetteer))
    store = engines.Cache() if cache is True else (cache or None)
    run = dict(workers=workers, engine=engine, scheduler=scheduler, cache=store)
    rows = corpus.articles[["doc_id", "title", "text"]].itertuples(index=False, name=None)
    results = list(engines.run(rows, gazetteer=gazetteer, progress=progress,
                               total=len(corpus.articles), **run))  # fmt: skip
    found = resolve([r.entities for r in results], gaz)
    if not with_sentiment:
        actors = tally.actors(found.mentions, corpus.articles, gaz)
        return Analysis(corpus, found, actors, None, gaz, None, workers=workers)
    dense_actors, vectors = None, {}
    if sentiment.embeds(sentiment_mode):
        ranked = tally.actors(found.mentions, corpus.articles, gaz)
        dense_actors = sentiment.dense_scope(ranked)
        wanted = engines.by_article(sentiment.dense_texts, [found.mentions, found.sentences],
                                    workers, dense_actors)  # fmt: skip
        vectors = engines.add_vectors(results, wanted, progress=progress, **run)
    scored = engines.by_article(sentiment.mention_sentiment,
                                [found.mentions, found.sentences], workers,
                                sentiment_mode, vectors, dense_actors)  # fmt: skip
    actors = tally.actors(scored, corpus.articles, gaz)
    return Analysis(corpus, found, actors, scored, gaz, sentiment_mode, workers=workers)


def open_or_analyse(tables: str | Path | None, corpus, **options) -> Analysis:
    """What a chapter notebook calls: the report's saved tables when it hands them over
    (``tables``), else the analysis of ``corpus`` run here (a notebook opened on its own)."""
    if tables:
        return open_analysis(tables)
    return analyse(corpus, **options)


def extract(
    articles: pd.DataFrame, *, progress: bool = False, gazetteer: Gazetteer | None = None
) -> entities.Entities:
    """Mentions of every article in the table, resolved to actors across the corpus: the
    entity half of :func:`analyse`, in this process, without cache or sentiment."""
    path = gazetteer.path if gazetteer is not None and gazetteer.path else DEFAULT_PATH
    rows = articles[["doc_id", "title", "text"]].itertuples(index=False, name=None)
    results = engines.run(rows, gazetteer=path, progress=progress, total=len(articles))
    return resolve([r.entities for r in results], gazetteer or load_gazetteer(str(path)))
