"""Train the targeted-sentiment models on RuSentNE-2023 and write them to ``models/``.

    .venv/bin/python -m newslens.train_sentiment [--data ../shared/data] [--cv-only]

Two models, one per view of a mention (``sentiment.dense_features``, ``lexical_features``);
the cross-validation prints each alone and their average (the ``accurate`` mode).

Reproducible: fixed seeds, folds grouped by sentence (all mentions of a sentence fall in the
same fold, so the sentence embedding never leaks from training into test). Embeddings are
cached in ``data/cache/`` keyed by the file's content hash. Scikit-learn is used for training
only; the saved model is plain arrays run by numpy.
"""

from __future__ import annotations

import argparse
import hashlib
import time
from pathlib import Path

import numpy as np

from newslens import config
from newslens.modes import MODES, lexical
from newslens.sentiment import (
    LABELS,
    MODEL_DIR,
    MODEL_PATHS,
    Embedder,
    Model,
    Target,
    dense_features,
    ensemble,
    lexical_features,
    read_rusentne,
)

DEFAULT_DATA = config.SHARED_DATA
CACHE = config.CACHE
HIDDEN = (256,)
ALPHA = 10.0  # strong L2: chosen by CV over 1e-3…10 (bench/eval_sentiment.py)
SEED = 13


def read_labelled(path: Path) -> tuple[list[Target], np.ndarray]:
    """RuSentNE training rows: every row must be scorable and labelled."""
    rows, targets, problems = read_rusentne(path)
    if problems:
        raise ValueError(problems[0])
    return targets, np.array([int(row["label"]) for row in rows])


def cached_features(path: Path, targets: list[Target]) -> np.ndarray:
    """The dense features (the sentence embeddings take minutes), cached by file hash."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    cache = CACHE / f"sentiment-features-{digest}.npy"
    if cache.exists():
        x = np.load(cache)
        if len(x) == len(targets):
            return x
    start = time.perf_counter()
    x = dense_features(targets, encoder=Embedder())
    print(f"embedded {len(targets)} mentions in {time.perf_counter() - start:.0f}s")
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(cache, x)
    return x


def about(data_digest: str) -> dict:
    """What a model file says of its making (``sentiment.Model.save``)."""
    return {"data": f"RuSentNE-2023 train_data.csv (sha256 {data_digest})",
            "trainer": "newslens.train_sentiment", "hidden": list(HIDDEN), "alpha": ALPHA,
            "seed": SEED, "classes_balanced": True}  # fmt: skip


def balanced_weights(y: np.ndarray) -> np.ndarray:
    counts = {label: (y == label).sum() for label in LABELS}
    return np.array([len(y) / (len(LABELS) * counts[label]) for label in y])


def fit(x: np.ndarray, y: np.ndarray, seed: int = SEED) -> Model:
    from sklearn.neural_network import MLPClassifier

    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    mlp = MLPClassifier(
        hidden_layer_sizes=HIDDEN,
        alpha=ALPHA,
        max_iter=100,
        random_state=seed,
    )
    mlp.fit((x - mean) / scale, y, sample_weight=balanced_weights(y))
    assert list(mlp.classes_) == list(LABELS)
    return Model(
        mean.astype(np.float32),
        scale.astype(np.float32),
        [w.astype(np.float32) for w in mlp.coefs_],
        [b.astype(np.float32) for b in mlp.intercepts_],
        np.zeros(3, dtype=np.float32),
    )


def f1_scores(y: np.ndarray, predicted: np.ndarray) -> tuple[float, float]:
    """F1_pn (macro over −1 and +1: the shared task's metric) and F1_pn0 (all three)."""
    from sklearn.metrics import f1_score

    return (
        f1_score(y, predicted, labels=[-1, 1], average="macro"),
        f1_score(y, predicted, labels=[-1, 0, 1], average="macro"),
    )


def views(path: Path, targets: list[Target]) -> dict[str, np.ndarray]:
    return {"dense": cached_features(path, targets), "lexical": lexical_features(targets)}


def folds(y: np.ndarray, targets: list[Target], n: int = 5) -> list:
    """Stratified folds grouped by sentence, the same for every view."""
    from sklearn.model_selection import StratifiedGroupKFold

    groups = np.unique([t.sentence for t in targets], return_inverse=True)[1]
    splitter = StratifiedGroupKFold(n_splits=n, shuffle=True, random_state=SEED)
    return list(splitter.split(np.zeros(len(y)), y, groups))


def out_of_fold(x: np.ndarray, y: np.ndarray, splits: list) -> np.ndarray:
    """Each mention's probabilities from the model trained without its sentence."""
    proba = np.zeros((len(y), len(LABELS)))
    for train, test in splits:
        proba[test] = fit(x[train], y[train]).predict_proba(x[test])
    return proba


def scores(y: np.ndarray, labels: np.ndarray, splits: list) -> dict:
    """Mean and SD over the folds of F1_pn and F1_pn0 of out-of-fold ``labels``."""
    per_fold = [f1_scores(y[test], labels[test]) for _, test in splits]
    pn, pn0 = np.array(per_fold).T
    return {"f1_pn": pn.mean(), "f1_pn_sd": pn.std(), "f1_pn0": pn0.mean(), "f1_pn0_sd": pn0.std()}


def cross_validate(x: dict[str, np.ndarray], y: np.ndarray, splits: list) -> dict[str, np.ndarray]:
    """Out-of-fold probabilities of each view's model, then of each mode that reads both
    (``modes.MODES``: the two averaged)."""
    proba = {view: out_of_fold(features, y, splits) for view, features in x.items()}
    for mode in MODES.values():
        if len(mode.views) > 1:
            proba[mode.name] = ensemble(proba["dense"], proba["lexical"])
    return proba


def main() -> int:
    parser = argparse.ArgumentParser(description="Train the targeted-sentiment models.")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cv-only", action="store_true", help="report CV, do not save")
    parser.add_argument("--output-dir", type=Path, default=MODEL_DIR)
    args = parser.parse_args()
    path = args.data / "rusentne2023" / "train_data.csv"
    targets, y = read_labelled(path)
    x = views(path, targets)
    print(f"5-fold CV (grouped by sentence), {len(y)} mentions:")
    splits = folds(y, targets)
    names = {"dense": "dense", "lexical": f"lexical (mode {lexical().name})",
             **{m.name: f"{' + '.join(m.views)} (mode {m.name})" for m in MODES.values()
                if len(m.views) > 1}}  # fmt: skip
    for view, proba in cross_validate(x, y, splits).items():
        r = scores(y, LABELS[proba.argmax(axis=1)], splits)
        name = names[view]
        print(f"  {name:32} F1_pn {r['f1_pn']:.3f} ± {r['f1_pn_sd']:.3f}, "
              f"F1_pn0 {r['f1_pn0']:.3f} ± {r['f1_pn0_sd']:.3f}")  # fmt: skip
    if not args.cv_only:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        for view, features in x.items():
            output = args.output_dir / MODEL_PATHS[view].name
            fit(features, y).save(output, view, **about(digest))
            print(f"wrote {output} ({output.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
