"""Actor tallies for a corpus larger than memory: two passes in chunks, tallies kept as counts.

Pass 1 reads the corpus a chunk at a time, runs the per-article stage (cached on disk) and
feeds the :class:`~newslens.resolver.Resolver`. Pass 2 reads it again, takes every article
from the cache, resolves its mentions, scores their sentiment and adds them to running
counts. In sentiment mode accurate, a pass comes between: it ranks the actors, since the
dense view reads only the mentions of the leading ones (``sentiment.DENSE_ACTORS``).
Memory holds one chunk, the resolver's name tables and the counts, never the corpus.
The result equals ``pipeline.analyse(...).actors`` on the same corpus.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import pandas as pd

from newslens import engine as engines
from newslens import sentiment, tally
from newslens.gazetteer import DEFAULT_PATH
from newslens.gazetteer import load as load_gazetteer
from newslens.load import REJECTED_COLUMNS, CorpusError, iter_corpus, no_article
from newslens.resolver import Resolver, entities_table


@dataclass
class StreamResult:
    actors: pd.DataFrame
    articles: int
    rejected: pd.DataFrame


def _chunks(paths: list, size: int, rejected: list | None) -> Iterator[list]:
    def articles():
        for kind, item in iter_corpus(paths):
            if kind == "article":
                yield item
            elif kind == "rejected" and rejected is not None:
                rejected.append(item)

    stream = articles()
    while chunk := list(islice(stream, size)):
        yield chunk


def stream_actors(
    paths,
    *,
    chunk: int = 256,
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    cache: engines.Cache | None = None,
    gazetteer: str | Path = DEFAULT_PATH,
    with_sentiment: bool = True,
    sentiment_mode: str = "accurate",
    progress: bool = False,
) -> StreamResult:
    """The actors table (with sentiment, unless told not) of ``paths``, in bounded memory."""
    from tqdm import tqdm

    paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
    cache = cache or engines.Cache()
    gaz = load_gazetteer(str(gazetteer))
    resolver = Resolver(gaz)
    rejected: list = []
    dense = with_sentiment and sentiment.embeds(sentiment_mode)
    run = dict(workers=workers, engine=engine, scheduler=scheduler, cache=cache)
    bar = tqdm(desc="pass 1: analyse", unit="article", disable=not progress, delay=3)
    count = 0
    for records in _chunks(paths, chunk, rejected):
        rows = [(r.doc_id, r.title, r.text) for r in records]
        for result in engines.run(rows, gazetteer=gazetteer, **run):
            resolver.add(result.entities)
        count += len(records)
        bar.update(len(records))
    bar.close()
    if not count:
        raise CorpusError(no_article(paths, pd.DataFrame(rejected, columns=REJECTED_COLUMNS)))
    resolver.finish()

    def tallied(desc: str, score: bool, dense_actors: list[str] | None = None) -> pd.DataFrame:
        """The actor counts of the corpus, read again from the cache; with ``score``, with
        sentiment (the dense view reads ``dense_actors``' mentions)."""
        counts = None
        bar = tqdm(total=count, desc=desc, unit="article", disable=not progress, delay=3)
        for records in _chunks(paths, chunk, None):
            dates = pd.to_datetime([r.date for r in records])
            articles = pd.DataFrame({"doc_id": [r.doc_id for r in records], "date": dates})
            rows = [(r.doc_id, r.title, r.text) for r in records]
            results = list(engines.run(rows, gazetteer=gazetteer, **run))
            found = entities_table([result.entities for result in results], resolver)
            mentions = found.mentions
            if score:
                vectors = {}
                if dense:
                    wanted = sentiment.dense_texts(mentions, found.sentences, dense_actors)
                    vectors = engines.add_vectors(results, wanted, **run)
                mentions = sentiment.mention_sentiment(mentions, found.sentences, sentiment_mode,
                                                       vectors, dense_actors)  # fmt: skip
            part = tally.actor_counts(mentions, articles)
            counts = part if counts is None else tally.combine([counts, part])
            bar.update(len(records))
        bar.close()
        return counts

    dense_actors = None
    if dense:  # the dense view reads the leading actors' mentions: rank them first
        ranked = tally.actor_table(tallied("pass 2: rank", score=False), gaz, sentiment=False)
        dense_actors = sentiment.dense_scope(ranked)
    counts = tallied("pass 3: tally" if dense else "pass 2: tally", with_sentiment, dense_actors)
    table = tally.actor_table(counts, gaz, sentiment=with_sentiment)
    return StreamResult(table, count, pd.DataFrame(rejected, columns=REJECTED_COLUMNS))
