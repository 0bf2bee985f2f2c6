"""Tallies per actor, per type, and who appears with whom."""

from __future__ import annotations

from itertools import combinations

import pandas as pd

from newslens.entities import FORMS, NAMED_FORMS
from newslens.gazetteer import Gazetteer
from newslens.gazetteer import load as load_gazetteer

ACTOR_COLUMNS = [
    "actor",
    "type",
    "mentions",
    "named_mentions",
    "documents",
    "first_date",
    "last_date",
    *FORMS,
    "latin",
]


def actors(
    mentions: pd.DataFrame, articles: pd.DataFrame, gazetteer: Gazetteer | None = None
) -> pd.DataFrame:
    """One row per actor: mentions by form, named mentions, articles, first and last date.

    Sorted by mentions, then named mentions, then name, so ties are stable.
    """
    gazetteer = gazetteer or load_gazetteer()
    if mentions.empty:
        return pd.DataFrame(columns=ACTOR_COLUMNS)
    dates = articles.set_index("doc_id")["date"]
    frame = mentions.assign(date=mentions["doc_id"].map(dates))
    by_form = (
        frame.pivot_table(index="actor", columns="form", values="start", aggfunc="count")
        .reindex(columns=FORMS)
        .fillna(0)
        .astype(int)
    )
    grouped = frame.groupby("actor")
    table = pd.DataFrame(
        {
            "type": grouped["type"].agg(lambda t: t.mode().iloc[0]),
            "mentions": grouped.size(),
            "named_mentions": by_form[NAMED_FORMS].sum(axis=1),
            "documents": grouped["doc_id"].nunique(),
            "first_date": grouped["date"].min().dt.strftime("%Y-%m-%d"),
            "last_date": grouped["date"].max().dt.strftime("%Y-%m-%d"),
        }
    ).join(by_form)
    table["latin"] = [gazetteer.latin(name) for name in table.index]
    table = table.reset_index().rename(columns={"index": "actor"})
    table = table.sort_values(
        ["mentions", "named_mentions", "actor"], ascending=[False, False, True], kind="stable"
    )
    return table[ACTOR_COLUMNS].reset_index(drop=True)


def by_type(actor_table: pd.DataFrame) -> pd.DataFrame:
    """Actors and mentions per entity type."""
    return (
        actor_table.groupby("type")
        .agg(actors=("actor", "size"), mentions=("mentions", "sum"))
        .reindex(["PER", "ORG", "LOC"])
        .fillna(0)
        .astype(int)
        .reset_index()
    )


def cooccurrence(mentions: pd.DataFrame, level: str = "sentence") -> pd.DataFrame:
    """Pairs of distinct actors named in the same sentence (or article), with counts."""
    keys = ["doc_id", "sentence_id"] if level == "sentence" else ["doc_id"]
    pairs: dict[tuple[str, str], int] = {}
    for _, group in mentions.groupby(keys):
        for a, b in combinations(sorted(set(group["actor"])), 2):
            pairs[(a, b)] = pairs.get((a, b), 0) + 1
    frame = pd.DataFrame(
        [(a, b, n) for (a, b), n in pairs.items()], columns=["actor_a", "actor_b", "count"]
    )
    return frame.sort_values(
        ["count", "actor_a", "actor_b"], ascending=[False, True, True], kind="stable"
    ).reset_index(drop=True)
