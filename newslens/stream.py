"""Actor tallies for a corpus larger than memory: the steps walked a chunk at a time.

Each chunk of articles is an analysis of its own (``pipeline.Analysis``, the same steps),
given what only the whole corpus can say: a first reading learns the sources' boilerplate
(``hygiene``, as ``load`` does), pass 1 feeds every chunk's per-article results
(cached on disk) to one :class:`~newslens.resolver.Resolver`; in sentiment mode accurate a
pass ranks the actors, since the dense view reads only the leading ones' mentions; the last
pass asks each chunk for its ``actor_counts`` and adds them up. Memory holds one chunk, the
resolver's name tables and the counts, never the corpus. The result equals the in-memory
analysis's ``actors`` on the same corpus.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import pandas as pd

from newslens import engine, hygiene, resolver, sentiment, tally
from newslens.context import Context
from newslens.load import REJECTED_COLUMNS, CorpusError, cleaned, iter_corpus, no_article
from newslens.pipeline import Analysis


@dataclass
class StreamResult:
    actors: pd.DataFrame
    articles: int
    rejected: pd.DataFrame


def _articles(paths: list, ctx: Context, rejected: list | None = None) -> Iterator:
    for kind, item in iter_corpus(paths, max_chars=ctx.max_chars):
        if kind == "article":
            yield item
        elif kind == "rejected" and rejected is not None:
            rejected.append(item)


def _chunks(paths: list, size: int, ctx: Context, learned: hygiene.Boilerplate,
            rejected: list | None) -> Iterator[dict]:  # fmt: skip
    """The corpus a chunk at a time, cleaned as ``load`` cleans it, as the tables an
    analysis starts from."""
    stream = (cleaned(a, learned) for a in _articles(paths, ctx, rejected))
    while chunk := list(islice(stream, size)):
        frame = pd.DataFrame({"doc_id": [a.doc_id for a in chunk],
                              "date": pd.to_datetime([a.date for a in chunk]),
                              "title": [a.title for a in chunk], "text": [a.text for a in chunk],
                              "source": [a.source for a in chunk],
                              "published": pd.to_datetime([a.published or a.date
                                                           for a in chunk])})  # fmt: skip
        yield {"articles": frame}


def stream_actors(paths, ctx: Context, chunk: int = 256) -> StreamResult:
    """The actors table of ``paths`` (with the context's sentiment), in bounded memory. The
    passes read the per-article results back from the cache; without one (``--no-cache``)
    they use a temporary cache, removed at the end."""
    paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
    learned = hygiene.learn((a.source, a.text) for a in _articles(paths, ctx))
    with _cache_for(ctx) as ctx:
        names, count, rejected, first_seen = _resolve(paths, ctx, chunk, learned)
        corpus_wide = {"resolver": names, "leading": None, "first_seen": first_seen,
                       "story_of": None, "copies": None}  # fmt: skip
        if ctx.mode is not None and ctx.mode.embeds:  # the dense view reads the leading actors
            ranked = _added(paths, ctx, chunk, learned, count, "pass 2: rank", "mention_counts",
                            corpus_wide)  # fmt: skip
            corpus_wide["leading"] = sentiment.dense_scope(
                tally.actor_table(ranked, ctx.gazetteer, False)
            )
        desc = "pass 3: tally" if corpus_wide["leading"] is not None else "pass 2: tally"
        counts = _added(paths, ctx, chunk, learned, count, desc, "actor_counts", corpus_wide)
    table = tally.actor_table(counts, ctx.gazetteer, sentiment=ctx.mode is not None)
    return StreamResult(
        table, count, pd.DataFrame([n[:3] for n in rejected], columns=REJECTED_COLUMNS)
    )


@contextlib.contextmanager
def _cache_for(ctx: Context) -> Iterator[Context]:
    if ctx.cache is not None:
        yield ctx
        return
    folder = tempfile.mkdtemp(prefix="newslens-stream-")
    try:
        yield ctx.but(cache=engine.Cache(folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _resolve(paths: list, ctx: Context, size: int, learned: hygiene.Boilerplate
             ) -> tuple[resolver.Resolver, int, list, dict]:  # fmt: skip
    """Pass 1: every chunk's per-article results into one resolver, and each sentence's
    first article (a copy's sentences are counted once, ``steps._scored``)."""
    from tqdm import tqdm

    names, count, rejected = resolver.Resolver(ctx.gazetteer), 0, []
    first_seen: dict[str, str] = {}
    bar = tqdm(desc="pass 1: analyse", unit="article", disable=not ctx.progress, delay=3)
    for given in _chunks(paths, size, ctx, learned, rejected):
        for result in Analysis(ctx.but(progress=False), given)["results"]:
            names.add(result.entities)
            for sentence in result.entities.sentences:
                first_seen.setdefault(sentiment.sentence_key(sentence.text), result.doc_id)
        count += len(given["articles"])
        bar.update(len(given["articles"]))
    bar.close()
    if not count:
        raise CorpusError(
            no_article(paths, pd.DataFrame([n[:3] for n in rejected], columns=REJECTED_COLUMNS))
        )
    return names.finish(), count, rejected, first_seen


def _added(paths, ctx, size, learned, total, desc, table, corpus_wide) -> pd.DataFrame:
    """``table`` (actor counts) of every chunk, the corpus-wide tables given, added up."""
    from tqdm import tqdm

    counts = None
    bar = tqdm(total=total, desc=desc, unit="article", disable=not ctx.progress, delay=3)
    for given in _chunks(paths, size, ctx, learned, None):
        part = Analysis(ctx.but(progress=False), {**given, **corpus_wide})[table]
        counts = part if counts is None else tally.combine([counts, part])
        bar.update(len(given["articles"]))
    bar.close()
    return counts
