"""Key sentences, and the text that stands for many (a speaker's representative quote):
LexRank and TF-IDF closeness over lemmatised words.

Words are lemmas minus a Russian stop list, so «встреча», «встречи» and «встрече» count as one:
an article's sentences carry natasha's lemmas already; a loose text is read with razdel's
tokenizer and pymorphy2. Sentences are linked by TF-IDF cosine similarity; PageRank ranks
them; a sentence too close to one already chosen is skipped. A large corpus first keeps the
sentences closest to its centroid (:data:`CANDIDATES` of them), so the ranking stays
quadratic in a bounded number.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import numpy as np
import pandas as pd
from razdel import tokenize
from scipy import sparse

from newslens import nlp

STOP = set(
    """а без более бы был была были было быть в вам вас весь во вот все всего всех вы где да даже
    для до его ее её если есть еще ещё же за здесь и из или им их к как какой когда который кто
    ли либо между меня мне много может мы на над надо наш не него нее неё нет ни них но ну о об
    однако он она они оно от очень по под после потом при про раз ранее с сам себя со так также
    такой там те тем то того тоже только том тот ту ты у уже хотя чего чей чем что чтобы эта эти
    это этот я свой который весь заявить сказать год также время""".split()
)
WORD = re.compile(r"[а-яёa-z][а-яёa-z-]+", re.I)
CANDIDATES = 1500  # sentences ranked pairwise at most; more are pre-selected by the centroid
MIN_WORDS = 4  # shorter sentences (datelines, captions) are never key sentences


@lru_cache(maxsize=50_000)
def _lemma(word: str) -> str:
    return nlp.lemma(word)


def _keep(lemma: str) -> bool:
    return lemma not in STOP and len(lemma) > 2 and WORD.fullmatch(lemma) is not None


def words(sentence: str) -> list[str]:
    """Content lemmas of a loose sentence (razdel + pymorphy2)."""
    out = []
    for token in tokenize(sentence.lower()):
        if WORD.fullmatch(token.text):
            lemma = _lemma(token.text)
            if _keep(lemma):
                out.append(lemma)
    return out


def token_words(text: str, encoded: str) -> list[str]:
    """Content lemmas of an article's sentence, from the tokens of its own parse."""
    return [t.lemma.lower() for t in nlp.decode(text, encoded) if _keep(t.lemma.lower())]


def _matrix(bags: list[list[str]]) -> sparse.csr_matrix:
    """Rows: L2-normalised TF-IDF, (1 + log tf) · log((1 + n) / (1 + df))."""
    vocabulary: dict[str, int] = {}
    rows, cols, counts = [], [], []
    for i, bag in enumerate(bags):
        for word, count in Counter(bag).items():
            rows.append(i)
            cols.append(vocabulary.setdefault(word, len(vocabulary)))
            counts.append(count)
    shape = (len(bags), len(vocabulary))
    tf = sparse.csr_matrix((np.asarray(counts, dtype=float), (rows, cols)), shape=shape)
    df = np.bincount(np.asarray(cols, dtype=int), minlength=len(vocabulary))
    idf = np.log((1 + len(bags)) / (1 + df))
    tf.data = 1 + np.log(tf.data)
    weighted = tf @ sparse.diags(idf)
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1 / norms) @ weighted)


def _pagerank(similarity: np.ndarray, damping: float = 0.85, steps: int = 100) -> np.ndarray:
    """PageRank of a weighted undirected graph given as a dense matrix (no self-links)."""
    n = len(similarity)
    out = similarity.sum(axis=1)
    dangling = out == 0
    transition = np.divide(similarity, out[:, None], out=np.zeros_like(similarity),
                           where=~dangling[:, None])  # fmt: skip
    score = np.full(n, 1 / n)
    for _ in range(steps):
        new = damping * (score @ transition + score[dangling].sum() / n) + (1 - damping) / n
        if np.abs(new - score).sum() < 1e-10:
            return new
        score = new
    return score


def rank(
    sentences: list[str],
    top: int = 3,
    redundancy: float = 0.5,
    bags: list[list[str]] | None = None,
) -> list[int]:
    """Indices of the ``top`` key sentences, best first, no two closer than ``redundancy``.

    ``bags`` are the sentences' content lemmas when known (an article's parse).
    """
    bags = bags if bags is not None else [words(s) for s in sentences]
    candidates = [i for i, bag in enumerate(bags) if len(bag) >= MIN_WORDS]
    if not candidates:
        return []
    matrix = _matrix([bags[i] for i in candidates])
    if len(candidates) > CANDIDATES:
        centroid = np.asarray(matrix.sum(axis=0)).ravel()
        closeness = matrix @ centroid
        keep = np.sort(np.argsort(-closeness, kind="stable")[:CANDIDATES])
        candidates = [candidates[i] for i in keep]
        matrix = matrix[keep]
    similarity = (matrix @ matrix.T).toarray()
    np.fill_diagonal(similarity, 0.0)
    graph = np.where(similarity > 0.05, similarity, 0.0)
    scores = _pagerank(graph) if graph.any() else np.zeros(len(candidates))
    order = sorted(range(len(candidates)), key=lambda i: (-round(scores[i], 12), i))
    chosen: list[int] = []
    for i in order:
        if all(similarity[i, j] < redundancy for j in chosen):
            chosen.append(i)
        if len(chosen) == top:
            break
    return [candidates[i] for i in chosen]


def corpus_key_sentences(sentences: pd.DataFrame, top: int = 5) -> pd.DataFrame:
    """The corpus's key sentences, ranked over every article's body together."""
    body = sentences[sentences.section == "text"].reset_index(drop=True)
    bags = [token_words(text, encoded) for text, encoded in zip(body.text, body.tokens,
                                                                  strict=True)]  # fmt: skip
    chosen = rank(body.text.tolist(), top, bags=bags)
    frame = body.loc[chosen, ["doc_id", "sentence_id", "text"]].rename(columns={"text": "sentence"})
    return frame.reset_index(drop=True)


def representative(texts: list[str]) -> int:
    """The index of the text closest to all the others (the first of equals): the quote that
    stands for what a speaker said most often."""
    if len(texts) <= 2:
        return 0
    matrix = _matrix([words(t) for t in texts])
    closeness = np.asarray((matrix @ matrix.T).sum(axis=1)).ravel()
    return int(np.argmax(closeness))
