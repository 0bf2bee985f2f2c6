"""Actor tallies for a corpus larger than memory: two passes in chunks, tallies kept as counts.

Pass 1 reads the corpus a chunk at a time, runs the per-article stage (cached on disk) and
feeds the :class:`~newslens.resolver.Resolver`. Pass 2 reads it again, takes every article
from the cache, resolves its mentions, scores their sentiment and adds them to running
counts. Memory holds one chunk, the resolver's name tables and the counts, never the corpus.
The result equals ``pipeline.analyse(...).actors`` on the same corpus.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import pandas as pd

from newslens import engine as engines
from newslens import sentiment
from newslens.entities import FORMS
from newslens.gazetteer import DEFAULT_PATH
from newslens.gazetteer import load as load_gazetteer
from newslens.load import REJECTED_COLUMNS, CorpusError, iter_corpus
from newslens.pipeline import SENTIMENT_COLUMNS
from newslens.resolver import Resolver, entities_table
from newslens.tally import ACTOR_COLUMNS


@dataclass
class _Tally:
    types: Counter = field(default_factory=Counter)
    forms: Counter = field(default_factory=Counter)
    polarity: Counter = field(default_factory=Counter)
    documents: int = 0
    first: pd.Timestamp | None = None
    last: pd.Timestamp | None = None


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
    embed = sentiment.embeds(sentiment_mode) and with_sentiment
    run = dict(workers=workers, engine=engine, scheduler=scheduler, cache=cache,
               gazetteer=gazetteer, embed=embed)  # fmt: skip
    bar = tqdm(desc="pass 1: analyse", unit="article", disable=not progress, delay=3)
    count = 0
    for records in _chunks(paths, chunk, rejected):
        rows = [(r.doc_id, r.title, r.text) for r in records]
        for result in engines.run(rows, **run):
            resolver.add(result.entities)
        count += len(records)
        bar.update(len(records))
    bar.close()
    if not count:
        raise CorpusError(f"no valid article in {', '.join(map(str, paths))}")
    resolver.finish()

    tallies: dict[str, _Tally] = defaultdict(_Tally)
    bar = tqdm(total=count, desc="pass 2: tally", unit="article", disable=not progress, delay=3)
    for records in _chunks(paths, chunk, None):
        dates = {r.doc_id: r.date for r in records}
        results = list(engines.run([(r.doc_id, r.title, r.text) for r in records], **run))
        found = entities_table([result.entities for result in results], resolver)
        if with_sentiment:
            vectors = {text: v for result in results for text, v in result.vectors.items()}
            scored = sentiment.mention_sentiment(
                found.mentions, found.sentences, sentiment_mode, vectors
            )
        else:
            scored = found.mentions.assign(polarity=0)
        _add(tallies, scored, dates)
        bar.update(len(records))
    bar.close()
    table = _table(tallies, gaz)
    if not with_sentiment:
        table = table.drop(columns=SENTIMENT_COLUMNS)
    return StreamResult(table, count, pd.DataFrame(rejected, columns=REJECTED_COLUMNS))


def _add(tallies: dict[str, _Tally], scored: pd.DataFrame, dates: dict) -> None:
    for (doc_id, actor), group in scored.groupby(["doc_id", "actor"], sort=False):
        tally = tallies[actor]
        tally.types.update(group["type"])
        tally.forms.update(group["form"])
        tally.polarity.update(group["polarity"])
        tally.documents += 1
        when = dates.get(doc_id)
        if when is not None and pd.notna(when):
            tally.first = when if tally.first is None else min(tally.first, when)
            tally.last = when if tally.last is None else max(tally.last, when)


def _table(tallies: dict[str, _Tally], gazetteer) -> pd.DataFrame:
    rows = []
    for actor, t in tallies.items():
        mentions = sum(t.forms.values())
        kind = sorted(t.types.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        positive, negative, neutral = t.polarity[1], t.polarity[-1], t.polarity[0]
        net, low, high = sentiment.net_interval(positive, negative, neutral)
        rows.append(
            {
                "actor": actor, "type": kind, "mentions": mentions,
                "named_mentions": t.forms["name"] + t.forms["surname"] + t.forms["abbreviation"],
                "documents": t.documents,
                "first_date": t.first.strftime("%Y-%m-%d") if t.first is not None else None,
                "last_date": t.last.strftime("%Y-%m-%d") if t.last is not None else None,
                **{form: t.forms[form] for form in FORMS},
                "latin": gazetteer.latin(actor),
                "positive": positive, "negative": negative, "neutral": neutral,
                "net_sentiment": round(net, 3), "net_low": round(low, 3),
                "net_high": round(high, 3),
            }
        )  # fmt: skip
    table = pd.DataFrame(rows, columns=ACTOR_COLUMNS + SENTIMENT_COLUMNS)
    return table.sort_values(
        ["mentions", "named_mentions", "actor"], ascending=[False, False, True], kind="stable"
    ).reset_index(drop=True)
