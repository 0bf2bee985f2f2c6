"""Tallies per actor, per type, and who appears with whom.

The actor table is built in one place for every path: :func:`actor_counts` turns mentions
into per-actor counts that add up (forms, types, polarities, articles, first and last date),
:func:`combine` adds the counts of several chunks (streaming), and :func:`actor_table` turns
counts into the table the reader sees.
"""

from __future__ import annotations

from itertools import combinations

import pandas as pd

from newslens.entities import FORMS, NAMED_FORMS
from newslens.gazetteer import Gazetteer

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
SENTIMENT_COLUMNS = ["positive", "negative", "neutral", "net_sentiment", "net_low", "net_high"]
TYPES = ["LOC", "ORG", "PER"]  # alphabetical: a tie in an actor's type goes to the first
POLARITIES = {"positive": 1, "negative": -1, "neutral": 0}
_SUMMED = [*FORMS, *(f"type_{t}" for t in TYPES), *POLARITIES, "documents"]


def actor_counts(mentions: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Per actor, counts that add up across chunks of a corpus (one row per actor).

    Polarity counts are filled when the mentions carry a ``polarity`` (scored mentions), over
    the mentions that are not a ``repeat`` (a sentence another article published first).
    """
    index = pd.Index(sorted(set(mentions["actor"])), name="actor")
    if mentions.empty:
        return pd.DataFrame(0, index=index, columns=_SUMMED).assign(first=pd.NaT, last=pd.NaT)

    def count(column: str, values: list) -> pd.DataFrame:
        return pd.crosstab(mentions["actor"], mentions[column]).reindex(
            index=index, columns=values, fill_value=0
        )

    forms = count("form", FORMS)
    types = count("type", TYPES).add_prefix("type_")
    if "polarity" in mentions:
        polar = _once(mentions)
        polarity = pd.crosstab(polar["actor"], polar["polarity"]).reindex(
            index=index, columns=list(POLARITIES.values()), fill_value=0
        )
        polarity.columns = list(POLARITIES)
    else:
        polarity = pd.DataFrame(0, index=index, columns=list(POLARITIES))
    dates = mentions["doc_id"].map(articles.set_index("doc_id")["date"])
    grouped = mentions.assign(date=dates).groupby("actor")
    counts = pd.concat([forms, types, polarity], axis=1)
    counts["documents"] = grouped["doc_id"].nunique()
    counts["first"], counts["last"] = grouped["date"].min(), grouped["date"].max()
    return counts


def _once(mentions: pd.DataFrame) -> pd.DataFrame:
    """The mentions whose sentence is counted here: all but the repeats of other articles'."""
    return mentions[~mentions["repeat"].astype(bool)] if "repeat" in mentions else mentions


def with_stories(table: pd.DataFrame, mentions: pd.DataFrame, story_of: pd.DataFrame):
    """The actor table with ``stories``, after ``documents``: the distinct stories (see
    ``newslens.stories``) the actor is mentioned in, where copies and retellings are one."""
    stories = mentions.merge(story_of, on="doc_id").groupby("actor")["story_id"].nunique()
    at = list(table.columns).index("documents") + 1
    column = table["actor"].map(stories).fillna(0).astype(int)
    return pd.concat([table.iloc[:, :at], column.rename("stories"), table.iloc[:, at:]], axis=1)


def combine(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The counts of several chunks as one (an article lies in one chunk only)."""
    stacked = pd.concat(parts)
    grouped = stacked.groupby(level="actor")
    combined = grouped[_SUMMED].sum()
    combined["first"], combined["last"] = grouped["first"].min(), grouped["last"].max()
    return combined


def actor_table(counts: pd.DataFrame, gazetteer: Gazetteer, sentiment: bool = True) -> pd.DataFrame:
    """One row per actor: type, mentions by form, named mentions, articles, first and last
    date, Latin name and (with ``sentiment``) polarity counts, net sentiment and its interval.

    Sorted by mentions, then named mentions, then name, so ties are stable.
    """
    from newslens.sentiment import net_interval

    columns = ACTOR_COLUMNS + (SENTIMENT_COLUMNS if sentiment else [])
    if counts.empty:
        return pd.DataFrame(columns=columns)
    table = counts[FORMS].astype(int).copy()
    type_counts = counts[[f"type_{t}" for t in TYPES]].to_numpy()
    table["type"] = [TYPES[i] for i in type_counts.argmax(axis=1)]
    table["mentions"] = table[FORMS].sum(axis=1)
    table["named_mentions"] = table[NAMED_FORMS].sum(axis=1)
    table["documents"] = counts["documents"].astype(int)
    table["first_date"] = pd.to_datetime(counts["first"]).dt.strftime("%Y-%m-%d")
    table["last_date"] = pd.to_datetime(counts["last"]).dt.strftime("%Y-%m-%d")
    table["latin"] = [gazetteer.latin(name) for name in table.index]
    if sentiment:
        for name in POLARITIES:
            table[name] = counts[name].astype(int)
        nets = [net_interval(p, n, u) for p, n, u in counts[list(POLARITIES)].to_numpy()]
        for i, name in enumerate(["net_sentiment", "net_low", "net_high"]):
            table[name] = [round(r[i], 3) for r in nets]
    table = table.reset_index()
    table = table.sort_values(
        ["mentions", "named_mentions", "actor"], ascending=[False, False, True], kind="stable"
    )
    return table[columns].reset_index(drop=True)


def actors(mentions: pd.DataFrame, articles: pd.DataFrame, gazetteer: Gazetteer) -> pd.DataFrame:
    """The actor table of a corpus in memory; with sentiment when ``mentions`` are scored."""
    scored = "polarity" in mentions
    return actor_table(actor_counts(mentions, articles), gazetteer, sentiment=scored)


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


def polarity_table(mentions: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Mentions and, for scored mentions, polarity counts and net sentiment with its interval,
    per group of ``by`` (e.g. period and actor, source and actor)."""
    from newslens.sentiment import net_interval

    columns = [*by, "mentions", *POLARITIES, "net_sentiment", "net_low", "net_high"]
    if mentions.empty:
        return pd.DataFrame(columns=columns)
    polarity = mentions["polarity"] if "polarity" in mentions else 0
    flags = pd.DataFrame({"positive": polarity > 0, "negative": polarity < 0}, index=mentions.index)
    flags = flags.astype(int) if "polarity" in mentions else flags.assign(positive=0, negative=0)
    once = ~mentions["repeat"].astype(bool) if "repeat" in mentions else True
    flags = flags.mul(once, axis=0).assign(counted=once).astype(int)
    grouped = pd.concat([mentions[by], flags], axis=1).groupby(by, sort=True)
    table = grouped.agg(mentions=("positive", "size"), positive=("positive", "sum"),
                        negative=("negative", "sum"),
                        counted=("counted", "sum")).reset_index()  # fmt: skip
    table["neutral"] = table["counted"] - table["positive"] - table["negative"]
    nets = [net_interval(p, n, u) for p, n, u in table[list(POLARITIES)].to_numpy()]
    for i, name in enumerate(["net_sentiment", "net_low", "net_high"]):
        table[name] = [round(r[i], 3) for r in nets]
    return table[columns]


def attitude_pairs(attitude_table: pd.DataFrame) -> pd.DataFrame:
    """Attitudes held by actors (not the author), added up per holder → target pair: how
    many, how many negative and positive; the most frequent pairs first."""
    columns = ["holder", "target", "attitudes", "negative", "positive"]
    held = attitude_table[attitude_table["holder"] != "author"]
    if held.empty:
        return pd.DataFrame(columns=columns)
    table = held.assign(negative=held.polarity < 0, positive=held.polarity > 0).groupby(
        ["holder", "target"]
    ).agg(attitudes=("polarity", "size"), negative=("negative", "sum"),
          positive=("positive", "sum")).reset_index()  # fmt: skip
    table = table.sort_values(["attitudes", "holder", "target"], ascending=[False, True, True],
                              kind="stable")  # fmt: skip
    return table[columns].reset_index(drop=True)


def central_articles(mentions: pd.DataFrame, top: int = 3) -> list[str]:
    """The articles whose actors best match the corpus as a whole: cosine similarity between
    an article's mentions per actor and the corpus's, highest first."""
    if mentions.empty:
        return []
    counts = pd.crosstab(mentions["doc_id"], mentions["actor"]).astype(float)
    corpus = counts.sum(axis=0)
    norms = (counts.pow(2).sum(axis=1) ** 0.5) * float((corpus**2).sum() ** 0.5)
    similarity = counts.dot(corpus) / norms
    order = similarity.sort_values(ascending=False, kind="stable")
    return list(order.index[:top])
