"""Key sentences: LexRank over lemmatised words, with near-repeats removed.

Words come from razdel's tokenizer and pymorphy2's lemmas, minus a Russian stop list, so
«встреча», «встречи» and «встрече» count as one. Sentences are linked by TF-IDF cosine
similarity; PageRank ranks them; a sentence too close to one already chosen is skipped.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

import pandas as pd
from razdel import tokenize

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


@lru_cache(maxsize=50_000)
def _lemma(word: str) -> str:
    return nlp.lemma(word)


def words(sentence: str) -> list[str]:
    """Content lemmas of a sentence."""
    out = []
    for token in tokenize(sentence.lower()):
        if WORD.fullmatch(token.text):
            lemma = _lemma(token.text)
            if lemma not in STOP and len(lemma) > 2:
                out.append(lemma)
    return out


def _vectors(sentences: list[str]) -> list[dict[str, float]]:
    bags = [Counter(words(s)) for s in sentences]
    df = Counter(w for bag in bags for w in bag)
    n = len(bags)
    vectors = []
    for bag in bags:
        vec = {w: (1 + math.log(c)) * math.log((1 + n) / (1 + df[w])) for w, c in bag.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({w: v / norm for w, v in vec.items()})
    return vectors


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())


def rank(sentences: list[str], top: int = 3, redundancy: float = 0.5) -> list[int]:
    """Indices of the ``top`` key sentences, best first, no two closer than ``redundancy``."""
    import networkx as nx

    candidates = [i for i, s in enumerate(sentences) if len(words(s)) >= 4]
    if not candidates:
        return []
    vectors = _vectors([sentences[i] for i in candidates])
    graph = nx.Graph()
    graph.add_nodes_from(range(len(candidates)))
    for i in range(len(candidates)):
        for j in range(i + 1, len(candidates)):
            weight = _cosine(vectors[i], vectors[j])
            if weight > 0.05:
                graph.add_edge(i, j, weight=weight)
    scores = nx.pagerank(graph, weight="weight") if graph.number_of_edges() else {}
    order = sorted(range(len(candidates)), key=lambda i: (-scores.get(i, 0.0), i))
    chosen: list[int] = []
    for i in order:
        if all(_cosine(vectors[i], vectors[j]) < redundancy for j in chosen):
            chosen.append(i)
        if len(chosen) == top:
            break
    return [candidates[i] for i in chosen]


def key_sentences(sentences: pd.DataFrame, top: int = 3) -> pd.DataFrame:
    """Per article, its ``top`` key sentences of the body, in reading order."""
    rows = []
    body = sentences[sentences.section == "text"]
    for doc_id, group in body.groupby("doc_id", sort=False):
        texts = group.text.tolist()
        for rank_, index in enumerate(rank(texts, top), start=1):
            rows.append((doc_id, rank_, int(group.sentence_id.iloc[index]), texts[index]))
    frame = pd.DataFrame(rows, columns=["doc_id", "rank", "sentence_id", "sentence"])
    return frame.sort_values(["doc_id", "sentence_id"]).reset_index(drop=True)


def corpus_key_sentences(sentences: pd.DataFrame, top: int = 5) -> pd.DataFrame:
    """The corpus's key sentences, ranked over every article's body together."""
    body = sentences[sentences.section == "text"].reset_index(drop=True)
    chosen = rank(body.text.tolist(), top)
    frame = body.loc[chosen, ["doc_id", "sentence_id", "text"]].rename(columns={"text": "sentence"})
    return frame.reset_index(drop=True)
