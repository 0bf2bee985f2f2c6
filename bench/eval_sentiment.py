"""Cross-validated F1 of the targeted-sentiment model on RuSentNE-2023, and its throughput.

    .venv/bin/python bench/eval_sentiment.py [--data ../shared/data] [--folds 5]

Prints F1_pn (macro F1 over −1 and +1, the shared task's metric) and F1_pn0 (over all three)
for each model, the two averaged (mode ``accurate``) and with the rules on top (places, verb
frames, attribution sources, routine events), 5-fold CV grouped by sentence; then mentions per
second of the whole pipeline (natasha + resolution + sentiment) in each mode on real news texts
(factRuEval-2016 devset), one process.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newslens import sentiment  # noqa: E402
from newslens.modes import MODES, lexical  # noqa: E402
from newslens.train_sentiment import (  # noqa: E402
    DEFAULT_DATA,
    LABELS,
    cross_validate,
    folds,
    read_labelled,
    scores,
    views,
)


def cross_validated(data: Path, n: int) -> None:
    path = data / "rusentne2023" / "train_data.csv"
    targets, y = read_labelled(path)
    splits = folds(y, targets, n)
    proba = cross_validate(views(path, targets), y, splits)
    print(f"RuSentNE-2023 train, {len(y)} mentions, {n}-fold CV grouped by sentence")
    print(f"{'method':<40} {'F1_pn':>13} {'F1_pn0':>13}")
    fast = lexical().name
    rows = [("dense model alone", "dense", False),
            (f"{fast}: lexical model", "lexical", False),
            (f"{fast}: lexical model + rules", "lexical", True)]  # fmt: skip
    for mode in (m for m in MODES.values() if len(m.views) > 1):
        rows += [(f"{mode.name}: dense + lexical, averaged", mode.name, False),
                 (f"{mode.name}: dense + lexical + rules", mode.name, True)]  # fmt: skip
    for name, view, rules in rows:
        p = proba[view]
        labels = sentiment.apply_rules(targets, p) if rules else LABELS[p.argmax(axis=1)]
        r = scores(y, labels, splits)
        print(f"{name:<40} {r['f1_pn']:.3f} ± {r['f1_pn_sd']:.3f} "
              f"{r['f1_pn0']:.3f} ± {r['f1_pn0_sd']:.3f}")  # fmt: skip


def throughput(data: Path, limit: int) -> None:
    """Real, distinct news texts (factRuEval-2016 devset), so no sentence is embedded twice."""
    import pandas as pd

    from newslens import context, pipeline
    from newslens.modes import MODES

    files = sorted((data / "factrueval2016" / "devset").glob("*.txt"))[:limit]
    articles = pd.DataFrame(
        {
            "doc_id": [f.stem for f in files],
            "title": "",
            "text": [f.read_text("utf-8") for f in files],
        }
    )
    pipeline.extract(articles.head(1))  # load the models outside the clock
    for mode in MODES:
        ctx = context.make(sentiment=mode)
        sentiment.predict([sentiment.Target("Путин.", 0, 5, "PERSON")], ctx)
        start = time.perf_counter()
        found = pipeline.extract(articles.iloc[1:])
        middle = time.perf_counter()
        scored = sentiment.mention_sentiment(found.mentions, found.sentences, ctx)
        end = time.perf_counter()
        print(
            f"throughput, mode {mode}, {len(articles) - 1} factRuEval texts, {len(scored)} "
            f"mentions: {len(scored) / (end - start):.0f} mentions/s end to end "
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
