"""Per source: how each outlet portrays the leading actors, and whom it quotes.

Articles carry a ``source`` when their JSONL or CSV record names one (``source`` or ``url``
field). A URL counts by its host («https://ria.ru/…» → ria.ru).
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import numpy as np
import pandas as pd

from newslens.gazetteer import fold
from newslens.tally import polarity_table


def outlet(source: str) -> str:
    """The outlet a source names: a URL's host without «www.», else the text itself."""
    source = (source or "").strip()
    if "://" in source:
        host = urlparse(source).hostname or source
        return host.removeprefix("www.")
    return source


def own_mentions(mentions: pd.DataFrame, articles: pd.DataFrame, gazetteer) -> np.ndarray:
    """Which mentions name the outlet of their own article: an organisation called as the
    source is (its name, or the part before « | », « - », « • », «.»: «BBC News | Русская
    служба»), directly, through the gazetteer (BBC → Би-би-си), or by the first words of that
    part («Библиотека» in the posts of «Библиотека питониста»)."""
    if "source" not in articles or mentions.empty:
        return np.zeros(len(mentions), dtype=bool)
    names: dict[str, set[str]] = {}
    for source in articles["source"].fillna("").unique():
        head = re.split(r"\s+[|•\-–—]\s+|\.\s", outlet(source), maxsplit=1)[0]
        found = {fold(part) for part in (source, outlet(source), head) if part}
        entries = [gazetteer.find(part) for part in (source, head) if part]
        names[source] = found | {fold(e.name) for e in entries if e is not None}
    source_of = mentions["doc_id"].map(articles.set_index("doc_id")["source"].fillna(""))
    own = [m_type == "ORG" and _names_outlet(fold(actor), names.get(src, ()))
           for m_type, actor, src in zip(mentions["type"], mentions["actor"], source_of,
                                         strict=True)]  # fmt: skip
    return np.asarray(own, dtype=bool)


def _names_outlet(actor: str, names: set[str]) -> bool:
    return bool(actor) and any(name == actor or name.startswith(actor + " ") for name in names)


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
