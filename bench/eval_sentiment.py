"""Cross-validated F1 of the targeted-sentiment model on RuSentNE-2023, and its throughput.

    .venv/bin/python bench/eval_sentiment.py [--data ../shared/data] [--folds 5]

Prints F1_pn (macro F1 over −1 and +1, the shared task's metric) and F1_pn0 (over all three)
for the model alone and with the verb-frame rules on top, 5-fold CV grouped by sentence; then
mentions per second of the whole pipeline (natasha + resolution + sentiment) on real news
texts (factRuEval-2016 devset), 2 cores.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newslens import sentiment  # noqa: E402
from newslens.train_sentiment import (  # noqa: E402
    DEFAULT_DATA,
    LABELS,
    SEED,
    cached_features,
    f1_scores,
    fit,
    read_labelled,
)


def cross_validated(data: Path, folds: int) -> None:
    from sklearn.model_selection import StratifiedGroupKFold

    path = data / "rusentne2023" / "train_data.csv"
    targets, y = read_labelled(path)
    x = cached_features(path, targets)
    groups = np.unique([t.sentence for t in targets], return_inverse=True)[1]
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=SEED)
    scores = {"model": [], "model + verb frames": []}
    for train, test in splitter.split(x, y, groups):
        proba = fit(x[train], y[train]).predict_proba(x[test])
        scores["model"].append(f1_scores(y[test], LABELS[proba.argmax(axis=1)]))
        framed = sentiment.apply_frames([targets[i] for i in test], proba)
        scores["model + verb frames"].append(f1_scores(y[test], framed))
    print(f"RuSentNE-2023 train, {len(y)} mentions, {folds}-fold CV grouped by sentence")
    print(f"{'method':<22} {'F1_pn':>14} {'F1_pn0':>14}")
    for name, values in scores.items():
        pn, pn0 = np.array(values).T
        print(f"{name:<22} {pn.mean():.3f} ± {pn.std():.3f} {pn0.mean():.3f} ± {pn0.std():.3f}")


def throughput(data: Path, limit: int) -> None:
    """Real, distinct news texts (factRuEval-2016 devset), so no sentence is embedded twice."""
    import pandas as pd

    from newslens import entities

    files = sorted((data / "factrueval2016" / "devset").glob("*.txt"))[:limit]
    articles = pd.DataFrame(
        {
            "doc_id": [f.stem for f in files],
            "title": "",
            "text": [f.read_text("utf-8") for f in files],
        }
    )
    entities.extract(articles.head(1))  # load the models outside the clock
    sentiment.predict([sentiment.Target("Путин.", 0, 5, "PERSON")])
    sentiment.default_embedder().cache.clear()
    start = time.perf_counter()
    found = entities.extract(articles.iloc[1:])
    middle = time.perf_counter()
    scored = sentiment.mention_sentiment(found.mentions, found.sentences)
    end = time.perf_counter()
    print(
        f"throughput on {len(articles) - 1} factRuEval texts, {len(scored)} mentions: "
        f"{len(scored) / (end - start):.0f} mentions/s end to end "
        f"(entities {middle - start:.1f}s, sentiment {end - middle:.1f}s)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--texts", type=int, default=60, help="texts for throughput")
    args = parser.parse_args()
    cross_validated(args.data, args.folds)
    throughput(args.data, args.texts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
