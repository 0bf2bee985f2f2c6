"""Per source: how each outlet portrays the leading actors, and whom it quotes.

Articles carry a ``source`` when their JSONL or CSV record names one (``source`` or ``url``
field). A URL counts by its host («https://ria.ru/…» → ria.ru).
"""

from __future__ import annotations

from urllib.parse import urlparse

import pandas as pd

from newslens.tally import polarity_table


def outlet(source: str) -> str:
    """The outlet a source names: a URL's host without «www.», else the text itself."""
    source = (source or "").strip()
    if "://" in source:
        host = urlparse(source).hostname or source
        return host.removeprefix("www.")
    return source


def outlets(articles: pd.DataFrame) -> pd.Series:
    """doc_id → outlet, for the articles that name one."""
    named = articles.set_index("doc_id")["source"].fillna("").map(outlet)
    return named[named != ""]


def sentiment_by_source(
    scored: pd.DataFrame, articles: pd.DataFrame, actors: list[str], sources: int = 6
) -> pd.DataFrame:
    """Net sentiment of ``actors`` in each of the ``sources`` largest outlets (long format)."""
    named = outlets(articles)
    biggest = list(named.value_counts().head(sources).index)
    frame = scored[scored.actor.isin(actors)].assign(source=lambda m: m.doc_id.map(named))
    frame = frame[frame.source.isin(biggest)]
    table = polarity_table(frame, ["source", "actor"])
    order = {a: i for i, a in enumerate(actors)}
    return table.sort_values(["actor", "source"], key=lambda c: c.map(order) if c.name ==
                             "actor" else c, kind="stable").reset_index(drop=True)  # fmt: skip


def speakers_by_source(
    quotes: pd.DataFrame, articles: pd.DataFrame, top: int = 3, sources: int = 6
) -> pd.DataFrame:
    """Whom each of the ``sources`` largest outlets quotes most: its ``top`` speakers."""
    named = outlets(articles)
    biggest = list(named.value_counts().head(sources).index)
    said = quotes[quotes.speaker != ""].assign(source=lambda q: q.doc_id.map(named))
    said = said[said.source.isin(biggest)]
    counts = said.groupby(["source", "speaker"]).size().rename("quotes").reset_index()
    counts = counts.sort_values(["source", "quotes", "speaker"], ascending=[True, False, True])
    return counts.groupby("source").head(top).reset_index(drop=True)
