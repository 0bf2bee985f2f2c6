"""Stories (сюжеты): the articles about one real-world event, its follow-ups included.

Articles are clustered by average linkage over the cosine of their word TF-IDF vectors (the
vectors ``copies`` compares): two groups join while the mean similarity of their articles
reaches :data:`JOIN`, and only articles at most :data:`WINDOW_DAYS` apart are compared, so
two road accidents of different days, or a story and its anniversary, stay apart while a
story that runs for a week is linked day to day. Chosen by measurement on 558 hand-labelled
pairs of the shared Telegram feed (``bench/story_pairs.py``: pair precision 0.94, recall
0.93 on it; lemmas, lemmas with actors, single and complete linkage and wider windows were
tried and are printed there).

Each story is described from the tables of its articles: a headline (the title of the
article closest to the story's centroid), first and last publication, articles, outlets,
leading actors, net tone and the quote that stands for what was said.
"""

from __future__ import annotations

import heapq

import numpy as np
import pandas as pd
from scipy import sparse

from newslens import copies, keysentences

JOIN = 0.08  # mean cosine from which two groups of articles are one story
WINDOW_DAYS = 1  # articles further apart in days are not compared (the story links them)
LINK = 0.01  # pairs less similar than this count as unlinked (0), keeping the graph sparse
COLUMNS = ["story_id", "headline", "first", "last", "articles", "outlets", "actors",
           "net_sentiment", "quote", "speaker"]  # fmt: skip
LEADING = 3  # actors named per story


def word_vectors(articles: pd.DataFrame) -> sparse.csr_matrix:
    """The articles' word TF-IDF rows (title and text), in the order of the table."""
    return copies.vectors(
        [f"{title}\n{text}" for title, text in zip(articles.title, articles.text, strict=True)]
    )


def average_linkage(n: int, i: np.ndarray, j: np.ndarray, similarity: np.ndarray,
                    join: float) -> np.ndarray:  # fmt: skip
    """Cluster labels of ``n`` items from sparse pair similarities (an absent pair is 0): the
    two clusters of highest mean similarity merge while that mean is at least ``join``. The
    same result as scipy's average linkage cut at 1 − ``join``, in memory of the pairs only."""
    parent = np.arange(n)
    size = np.ones(n, dtype=int)
    links: list[dict[int, float]] = [{} for _ in range(n)]  # cluster → cluster → summed sim
    for a, b, s in zip(i.tolist(), j.tolist(), similarity.tolist(), strict=True):
        links[a][b] = links[a].get(b, 0.0) + s
        links[b][a] = links[a][b]
    heap = [(-s, a, b) for a in range(n) for b, s in links[a].items() if a < b]
    heapq.heapify(heap)
    while heap:
        negative, a, b = heapq.heappop(heap)
        total = links[a].get(b)
        if total is None or abs(total / (size[a] * size[b]) + negative) > 1e-12:
            continue  # merged away, or an older mean
        if -negative < join:
            break
        parent[b] = a
        for c, s in links[b].items():
            if c != a:
                del links[c][b]
                links[a][c] = links[c][a] = links[a].get(c, 0.0) + s
        links[a].pop(b, None)
        links[b] = {}
        size[a] += size[b]
        for c, s in links[a].items():
            heapq.heappush(heap, (-s / (size[a] * size[c]), min(a, c), max(a, c)))
    roots = parent.copy()
    while (moved := roots[roots] != roots).any():
        roots[moved] = roots[roots[moved]]
    return roots


def story_of(articles: pd.DataFrame, vectors: sparse.csr_matrix) -> pd.DataFrame:
    """Each article's story (``doc_id``, ``story_id``): stories numbered from 1 by size,
    the largest first (ties: the earliest first)."""
    if articles.empty:
        return pd.DataFrame({"doc_id": [], "story_id": []}).astype({"story_id": int})
    i, j, s = copies.near_pairs(vectors, LINK)
    keep = copies.within(articles["date"], i, j, WINDOW_DAYS)
    labels = average_linkage(len(articles), i[keep], j[keep], s[keep], JOIN)
    frame = pd.DataFrame({"doc_id": articles["doc_id"].to_numpy(), "label": labels,
                          "date": pd.to_datetime(articles["date"]).to_numpy()})  # fmt: skip
    ranked = frame.groupby("label").agg(size=("doc_id", "size"), first=("date", "min"))
    ranked = ranked.sort_values(["size", "first"], ascending=[False, True], kind="stable")
    number = dict(zip(ranked.index, range(1, len(ranked) + 1), strict=True))
    return pd.DataFrame({"doc_id": frame["doc_id"], "story_id": frame["label"].map(number)})


def describe(articles: pd.DataFrame, vectors: sparse.csr_matrix, story: pd.DataFrame,
             scored: pd.DataFrame, quotes: pd.DataFrame) -> pd.DataFrame:  # fmt: skip
    """One row per story (see :data:`COLUMNS`), in story order."""
    from newslens.sentiment import net_interval
    from newslens.sources import outlet

    if story.empty:
        return pd.DataFrame(columns=COLUMNS)
    position = {doc: k for k, doc in enumerate(articles["doc_id"])}
    members = story.groupby("story_id")["doc_id"].agg(list)
    by_doc = articles.set_index("doc_id")
    mentions = scored.merge(story, on="doc_id")
    said = quotes[quotes.speaker != ""].merge(story, on="doc_id")
    rows = []
    for story_id, docs in members.items():
        rows_of = [position[d] for d in docs]
        part = by_doc.loc[docs]
        named = mentions[mentions.story_id == story_id]
        polar = named[~named["repeat"]] if "repeat" in named else named
        tone = np.nan
        if "polarity" in polar and len(polar):
            positive, negative = int((polar.polarity > 0).sum()), int((polar.polarity < 0).sum())
            tone = round(net_interval(positive, negative, len(polar) - positive - negative)[0], 3)
        actors = named["actor"].value_counts().head(LEADING).index.tolist()
        quote, speaker = _quote(said[said.story_id == story_id])
        dates = part["date"].dropna()
        rows.append((int(story_id), _headline(part, vectors[rows_of]),
                     dates.min() if len(dates) else pd.NaT, dates.max() if len(dates) else pd.NaT,
                     len(docs), part["source"].fillna("").map(outlet).replace("", None).nunique(),
                     ", ".join(actors), tone, quote, speaker))  # fmt: skip
    return pd.DataFrame(rows, columns=COLUMNS)


def _headline(part: pd.DataFrame, rows: sparse.csr_matrix) -> str:
    """The title of the article closest to the story's centroid; a title of fewer than four
    words (a channel's «Зеленский:») gives way to the opening of its text."""
    centroid = np.asarray(rows.mean(axis=0)).ravel()
    best = part.iloc[int(np.argmax(rows @ centroid))] if rows.shape[1] else part.iloc[0]
    title = " ".join(str(best.title or "").split())
    if len(title.split()) >= 4:
        return title
    return " ".join(best.text.split())[:160]


def _quote(said: pd.DataFrame) -> tuple[str, str]:
    """The quote that stands for what the story's speakers said, and who said it."""
    if said.empty:
        return "", ""
    texts = said["quote"].tolist()
    chosen = said.iloc[keysentences.representative(texts)]
    return chosen.quote, chosen.speaker
