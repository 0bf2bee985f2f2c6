"""Stories measured: pair precision, recall and F1 on hand-labelled pairs of real posts.

    .venv/bin/python bench/story_pairs.py [--data ../shared/data] [--variants]

The pairs (``bench/story_pairs.csv``, drawn by ``bench/sample_story_pairs.py``) are 560 pairs
of posts of the shared Telegram feed, from 2024-12-01 … 04 and 2024-10, labelled same story or
not by reading them (five labellers, 100 pairs labelled twice: they agreed on all 100). The
feed is read as ``report`` reads it (``load``: hygiene included), the posts of those dates
are clustered by ``newslens.stories``, and a pair counts as predicted same when both posts
fall in one story: the measure of the Dialogue-2021 Russian news clustering task. Half of
the pairs chose the join threshold, so the two halves are also scored apart. ``--variants``
prints the methods that were tried: other text views (lemmas, lemmas and actors from the
parse), linkages (single, complete, average) and time windows.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newslens import copies, keysentences, stories  # noqa: E402
from newslens.load import load  # noqa: E402

STRETCHES = [("2024-10-01", "2024-10-31"), ("2024-12-01", "2024-12-04")]


def feed(data: Path) -> pd.DataFrame:
    articles = load(data / "telegram2024").articles
    dates = articles["date"].dt.strftime("%Y-%m-%d")
    inside = np.zeros(len(articles), dtype=bool)
    for first, last in STRETCHES:
        inside |= ((dates >= first) & (dates <= last)).to_numpy()
    return articles[inside].reset_index(drop=True)


def pairs(articles: pd.DataFrame) -> list[tuple[int, int, int, str]]:
    row = {doc: i for i, doc in enumerate(articles["doc_id"])}
    out = []
    with (ROOT / "bench" / "story_pairs.csv").open(encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            a = f"{r['a_file'].removesuffix('.json')}#{r['a_message_id']}"
            b = f"{r['b_file'].removesuffix('.json')}#{r['b_message_id']}"
            if a in row and b in row:  # a post that repeats another is rejected by load
                out.append((row[a], row[b], int(r["label"]), r["band"]))
    return out


def measure(labels: np.ndarray, labelled: list, which: set | None = None) -> tuple:
    tp = fp = fn = 0
    for k, (a, b, same, _) in enumerate(labelled):
        if which is not None and k not in which:
            continue
        together = labels[a] == labels[b]
        tp, fp, fn = tp + (together and same), fp + (together and not same), fn + (
            not together and same)  # fmt: skip
    p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return p, r, 2 * p * r / max(1e-9, p + r)


def clusterings(articles, matrix, window: int, linkage: str):
    """A function of the join threshold that gives the clusters of one linkage and window
    (the linkage computed once)."""
    i, j, s = copies.near_pairs(matrix, stories.LINK)
    keep = copies.within(articles["date"], i, j, window)
    i, j, s = i[keep], j[keep], s[keep]
    if linkage == "average":
        return lambda join: stories.average_linkage(len(articles), i, j, s, join)
    from scipy.cluster.hierarchy import fcluster
    from scipy.cluster.hierarchy import linkage as scipy_linkage

    similarity = np.zeros((len(articles), len(articles)), dtype=np.float32)
    similarity[i, j] = s
    similarity = np.maximum(similarity, similarity.T)
    np.fill_diagonal(similarity, 1.0)
    condensed = 1.0 - similarity[np.triu_indices(len(articles), 1)].astype(np.float64)
    del similarity
    tree = scipy_linkage(condensed, linkage)
    return lambda join: fcluster(tree, 1.0 - join, criterion="distance")


def views(articles: pd.DataFrame) -> dict:
    """The text views tried: words (the method), lemmas, lemmas with the actors named."""
    from newslens import pipeline

    found = pipeline.extract(articles)
    lemmas = {doc: [] for doc in articles.doc_id}
    for doc, text, tokens in zip(found.sentences.doc_id, found.sentences.text,
                                 found.sentences.tokens, strict=True):  # fmt: skip
        lemmas[doc].extend(keysentences.token_words(text, tokens))
    named = found.mentions.groupby("doc_id")["actor"].agg(list).to_dict()
    bags = [lemmas[d] for d in articles.doc_id]
    with_actors = [lemmas[d] + [f"@{a}" for a in named.get(d, [])] for d in articles.doc_id]
    return {"words": stories.word_vectors(articles), "lemmas": keysentences._matrix(bags),
            "lemmas + actors": keysentences._matrix(with_actors)}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--variants", action="store_true")
    args = parser.parse_args()
    articles = feed(args.data)
    labelled = pairs(articles)
    same = sum(p[2] for p in labelled)
    print(f"{len(articles)} posts (2024-10, 2024-12-01…04); {len(labelled)} labelled pairs "
          f"({same} same story, {len(labelled) - same} not)")  # fmt: skip
    start = time.perf_counter()
    story = stories.story_of(articles, stories.word_vectors(articles))
    seconds = time.perf_counter() - start
    labels = story["story_id"].to_numpy()
    p, r, f = measure(labels, labelled)
    sizes = story["story_id"].value_counts()
    print(f"newslens.stories (words, average linkage, join {stories.JOIN}, window "
          f"{stories.WINDOW_DAYS} day): precision {p:.3f}, recall {r:.3f}, F1 {f:.3f} "
          f"({len(sizes)} stories, {int((sizes > 1).sum())} of two articles or more; "
          f"{seconds:.1f} s)")  # fmt: skip
    order = list(range(len(labelled)))
    random.Random(5).shuffle(order)
    for name, half in (("half A", set(order[::2])), ("half B", set(order[1::2]))):
        p, r, f = measure(labels, labelled, half)
        print(f"  {name}: precision {p:.3f}, recall {r:.3f}, F1 {f:.3f}")
    by_band: dict[str, list] = {}
    for k, pair in enumerate(labelled):
        by_band.setdefault(pair[3], []).append(k)
    for band, ks in by_band.items():
        right = sum((labels[labelled[k][0]] == labels[labelled[k][1]]) == bool(labelled[k][2])
                    for k in ks)  # fmt: skip
        print(f"  pairs drawn by {band:<16}: {right}/{len(ks)} right")
    if args.variants:
        print("\nvariants (best join on all pairs; F1 at that join):")
        for view, matrix in views(articles).items():
            for linkage in ("average", "single", "complete"):
                for window in (1, 2, 3):
                    labels_at = clusterings(articles, matrix, window, linkage)
                    joins = np.round(np.arange(0.04, 0.2, 0.01) if linkage == "average"
                                     else np.arange(0.06, 0.6, 0.03), 2)  # fmt: skip
                    best = max(
                        ((measure(labels_at(join), labelled), join) for join in joins),
                        key=lambda scored: scored[0][2],
                    )  # the best F1
                    (p, r, f), join = best
                    print(f"  {view:<16} {linkage:<9} window {window}: join {join:.2f} "
                          f"precision {p:.3f} recall {r:.3f} F1 {f:.3f}", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
