"""Copies: an article published again by another outlet (a repost, a wire copy, a light
rewrite), found by the words two texts share.

Texts are compared as TF-IDF vectors of their words (lower case, markup already blanked by
``hygiene``), between articles of different outlets at most :data:`WINDOW_DAYS` apart. An
article whose cosine with an earlier one reaches :data:`COPY` is a copy of it: ``copy_of``
names the earliest article of the chain (a copy of a copy is a copy of the original) and
``similarity`` is the cosine with the article it was found to copy. Copies stay
publications: they are counted as articles of their outlet, and the tallies say how many
distinct stories an actor is in (``stories``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

COPY = 0.6  # cosine of word TF-IDF from which a text is a copy (see bench/story_pairs.py)
WINDOW_DAYS = 3  # a copy follows its original within this many days
COLUMNS = ["doc_id", "copy_of", "similarity"]
BLOCK = 2_000  # rows of the similarity matrix computed at a time


def vectors(texts: list[str]) -> sparse.csr_matrix:
    """L2-normalised TF-IDF rows (sublinear tf) of the texts' words of two letters or more."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    if not texts:
        return sparse.csr_matrix((0, 0))
    vectorizer = TfidfVectorizer(sublinear_tf=True, token_pattern=r"(?u)\b[^\W\d_]{2,}\b")
    try:
        return vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # no word at all (texts of digits or blanks)
        return sparse.csr_matrix((len(texts), 1))


def near_pairs(matrix: sparse.csr_matrix, threshold: float) -> tuple[np.ndarray, ...]:
    """(i, j, cosine) of every pair i < j whose cosine reaches ``threshold``, computed a
    block of rows at a time so that a large corpus never holds its full similarity matrix."""
    rows, cols, values = [], [], []
    for start in range(0, matrix.shape[0], BLOCK):
        block = (matrix[start : start + BLOCK] @ matrix.T).tocoo()
        i = block.row + start
        keep = (block.data >= threshold) & (i < block.col)
        rows.append(i[keep])
        cols.append(block.col[keep])
        values.append(block.data[keep])
    if not rows:
        return np.zeros(0, int), np.zeros(0, int), np.zeros(0)
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(values)


def within(dates: pd.Series, i: np.ndarray, j: np.ndarray, days: float) -> np.ndarray:
    """Which pairs are at most ``days`` apart (a pair with an undated article: always)."""
    stamps = pd.to_datetime(dates).to_numpy(dtype="datetime64[s]").astype("int64")
    known = ~pd.isna(pd.to_datetime(dates)).to_numpy()
    apart = np.abs(stamps[i] - stamps[j]) <= days * 86_400
    return apart | ~known[i] | ~known[j]


def find(articles: pd.DataFrame, matrix: sparse.csr_matrix) -> pd.DataFrame:
    """One row per copy: its ``doc_id``, the original it copies and their cosine
    (``matrix``: the articles' word vectors, ``stories.word_vectors``)."""
    if articles.empty:
        return pd.DataFrame(columns=COLUMNS)
    i, j, cosine = near_pairs(matrix, COPY)
    sources = articles["source"].fillna("").to_numpy()
    keep = within(articles["date"], i, j, WINDOW_DAYS) & (sources[i] != sources[j])
    i, j, cosine = i[keep], j[keep], cosine[keep]
    order = _chronological(articles)
    original: dict[int, tuple[int, float]] = {}  # later article → (earlier one, cosine)
    for a, b, c in sorted(zip(i, j, cosine, strict=True), key=lambda p: -p[2]):
        early, late = (a, b) if order[a] < order[b] else (b, a)
        if late not in original:
            original[late] = (early, float(c))
    rows = []
    for late in sorted(original, key=lambda k: order[k]):
        root, similarity = original[late]
        while root in original:  # a copy of a copy is a copy of the original
            root = original[root][0]
        rows.append((articles.doc_id.iat[late], articles.doc_id.iat[root], round(similarity, 3)))
    return pd.DataFrame(rows, columns=COLUMNS)


def _chronological(articles: pd.DataFrame) -> np.ndarray:
    """Each article's rank in time (by ``published``, which has the time when the input gave
    one; undated last, then by id): the earlier is the original."""
    when = articles["published"] if "published" in articles else articles["date"]
    frame = pd.DataFrame({"date": pd.to_datetime(when).to_numpy(),
                          "doc_id": articles["doc_id"].to_numpy()})  # fmt: skip
    ranked = frame.sort_values(["date", "doc_id"], na_position="last", kind="stable").index
    order = np.empty(len(frame), dtype=int)
    order[ranked.to_numpy()] = np.arange(len(frame))
    return order
