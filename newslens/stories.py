"""Stories (сюжеты): the articles about one real-world event, its follow-ups included.

Articles are clustered by average linkage over the cosine of their word TF-IDF vectors (the
vectors ``copies`` compares): two groups join while the mean similarity of their articles
reaches :data:`JOIN`, and only articles at most :data:`WINDOW_DAYS` apart are compared, so
two road accidents of different days, or a story and its anniversary, stay apart while a
story that runs for a week is linked day to day. An undated article has no window: it links
only where the texts are close (:data:`UNDATED_LINK`), since at less a topic (British news
of the pandemic) would pass for a story. Chosen by measurement on 558 hand-labelled
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
UNDATED_LINK = 0.25  # a pair with an undated article (no window to bound it) needs this much
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
    dated = pd.to_datetime(articles["date"]).notna().to_numpy()
    keep = copies.within(articles["date"], i, j, WINDOW_DAYS)
    keep &= (dated[i] & dated[j]) | (s >= UNDATED_LINK)  # topics, not stories, link at less
    labels = average_linkage(len(articles), i[keep], j[keep], s[keep], JOIN)
    when = articles["published"] if "published" in articles else articles["date"]
    frame = pd.DataFrame({"doc_id": articles["doc_id"].to_numpy(), "label": labels,
                          "date": pd.to_datetime(when).to_numpy()})  # fmt: skip
    ranked = frame.groupby("label").agg(size=("doc_id", "size"), first=("date", "min"))
    ranked = ranked.sort_values(["size", "first"], ascending=[False, True], kind="stable")
    number = dict(zip(ranked.index, range(1, len(ranked) + 1), strict=True))
    return pd.DataFrame({"doc_id": frame["doc_id"], "story_id": frame["label"].map(number)})


def describe(articles: pd.DataFrame, vectors: sparse.csr_matrix, story: pd.DataFrame,
             scored: pd.DataFrame, quotes: pd.DataFrame) -> pd.DataFrame:  # fmt: skip
    """One row per story (see :data:`COLUMNS`), in story order: counted by group, so that a
    month of posts (two thousand stories, most of one article) takes a second or two."""
    from newslens.sentiment import net_interval
    from newslens.sources import outlet

    if story.empty:
        return pd.DataFrame(columns=COLUMNS)
    framed = articles.assign(row=np.arange(len(articles))).merge(story, on="doc_id")
    framed["outlet"] = framed["source"].fillna("").map(outlet).replace("", None)
    when = "published" if "published" in framed else "date"
    table = framed.groupby("story_id").agg(first=(when, "min"), last=(when, "max"),
                                           articles=("doc_id", "size"),
                                           outlets=("outlet", "nunique"))  # fmt: skip
    named = scored.merge(story, on="doc_id")
    top = named.groupby(["story_id", "actor"]).size().rename("n").reset_index()
    top = top.sort_values(["story_id", "n", "actor"], ascending=[True, False, True])
    table["actors"] = top.groupby("story_id").head(LEADING).groupby("story_id")["actor"].agg(
        ", ".join)  # fmt: skip
    table["net_sentiment"] = np.nan
    if "polarity" in named:
        counted = named[~named["repeat"].astype(bool)] if "repeat" in named else named
        tones = counted.assign(pos=counted.polarity > 0, neg=counted.polarity < 0).groupby(
            "story_id").agg(pos=("pos", "sum"), neg=("neg", "sum"), n=("pos", "size"))  # fmt: skip
        table["net_sentiment"] = pd.Series({k: round(net_interval(int(r.pos), int(r.neg),
                                            int(r.n - r.pos - r.neg))[0], 3)
                                            for k, r in tones.iterrows()})  # fmt: skip
    said = quotes[quotes.speaker != ""].merge(story, on="doc_id")
    chosen = {k: _quote(group) for k, group in said.groupby("story_id")}
    table["quote"] = [chosen.get(k, ("", ""))[0] for k in table.index]
    table["speaker"] = [chosen.get(k, ("", ""))[1] for k in table.index]
    several = framed[framed.story_id.map(table["articles"]) > 1]
    headline = {k: _headline(part, vectors[part["row"].to_numpy()])
                for k, part in several.groupby("story_id", sort=True)}  # fmt: skip
    single = framed[~framed.story_id.isin(headline)]
    headline.update(zip(single.story_id, (_title(r.title, r.text) for r in single.itertuples()),
                        strict=True))  # fmt: skip
    table["headline"] = table.index.map(headline)
    table["actors"] = table["actors"].fillna("")
    return table.reset_index()[COLUMNS]


HEADLINE = 160  # characters of a headline at most, cut at a word


def _headline(part: pd.DataFrame, rows: sparse.csr_matrix) -> str:
    """The title of the article closest to the story's centroid. A title that is the text's
    own first line (a post has no other) is that line, cut at a word, not at 120
    characters; a channel's «Зеленский:» runs on into the line it introduces."""
    best = part.iloc[0]
    if len(part) > 1 and rows.shape[1]:
        centroid = np.asarray(rows.mean(axis=0)).ravel()
        best = part.iloc[int(np.argmax(rows @ centroid))]
    return _title(best.title, best.text)


def _title(title: str, text: str) -> str:
    """An article's title as a headline (see :func:`_headline`): a first line that only
    introduces («Зеленский:») or has a single word runs on into the next."""
    title = " ".join(str(title or "").split())
    lines = [" ".join(line.split()) for line in text.split("\n") if line.strip()]
    if title and lines and lines[0].startswith(title):  # the title is the first line, cut
        title, lines = lines[0], lines[1:]
    if (title.endswith(":") or len(title.split()) < 2) and lines:
        title = f"{title} {lines[0]}".strip()
    return title if len(title) <= HEADLINE else title[:HEADLINE].rsplit(" ", 1)[0] + " …"


def _quote(said: pd.DataFrame | None) -> tuple[str, str]:
    """The quote that stands for what the story's speakers said, and who said it."""
    if said is None or said.empty:
        return "", ""
    if len(said) <= 2:
        return said["quote"].iloc[0], said["speaker"].iloc[0]
    texts = said["quote"].tolist()
    chosen = said.iloc[keysentences.representative(texts)]
    return chosen.quote, chosen.speaker
