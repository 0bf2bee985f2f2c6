"""Draw the pairs of Telegram posts that were labelled by hand (same story or not).

    .venv/bin/python bench/sample_story_pairs.py [--data ../shared/data] [--out pairs.jsonl]

How the labelled set of ``bench/story_pairs.csv`` was drawn, kept so that it can be drawn
again or grown. The posts are the shared Telegram feed (``telegram2024``), its two busiest
stretches: 2024-12-01 … 04 (23 channels) and 2024-10-01 … 31 (16 channels). Pairs are posts of
different channels at most three days apart. Random pairs are almost all different stories,
so pairs are drawn in bands of a plain word TF-IDF cosine (markup and links removed; nothing
of newslens is used, so the set does not favour its method), the same number from each band,
plus pairs that share a rare capitalised word but little else, plus random pairs. Each pair
is written with both texts for the labeller; only the ids and the label are committed.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from datetime import datetime
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

ROOT = Path(__file__).resolve().parents[1]
BANDS = [(0.6, 1.01), (0.4, 0.6), (0.28, 0.4), (0.18, 0.28), (0.1, 0.18)]
STRETCHES = [("2024-12-01", "2024-12-04"), ("2024-10-01", "2024-10-31")]
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
URL = re.compile(r"(https?://|www\.|t\.me/|bit\.ly/)\S+")


def plain(text: str) -> str:
    text = LINK.sub(r"\1", text)
    text = URL.sub(" ", text)
    return re.sub(r"\*\*|__|~~|`", "", text)


def posts(data: Path, first: str, last: str) -> list[dict]:
    out = []
    for path in sorted((data / "telegram2024").glob("*.json")):
        for post in json.loads(path.read_text("utf-8")):
            if first <= post["date"][:10] <= last and len(plain(post["text"]).split()) >= 8:
                out.append({"file": path.name, "message_id": post["message_id"],
                            "channel": post["channel"], "date": post["date"],
                            "text": plain(post["text"]).strip()})  # fmt: skip
    return out


def draw(items: list[dict], per_band: int, rng: random.Random) -> list[tuple[int, int, str]]:
    matrix = TfidfVectorizer(min_df=2, sublinear_tf=True).fit_transform(
        [p["text"].lower() for p in items]
    )
    when = np.array([datetime.fromisoformat(p["date"]).timestamp() for p in items])
    channel = np.array([p["channel"] for p in items])
    similarity = (matrix @ matrix.T).toarray()
    near = np.abs(when[:, None] - when[None, :]) <= 3 * 86400
    other = channel[:, None] != channel[None, :]
    upper = np.triu(np.ones_like(near), 1).astype(bool)
    allowed = near & other & upper
    chosen: list[tuple[int, int, str]] = []
    for low, high in BANDS:
        i, j = np.nonzero(allowed & (similarity >= low) & (similarity < high))
        picks = rng.sample(range(len(i)), min(per_band, len(i)))
        chosen += [(int(i[k]), int(j[k]), f"tfidf {low}-{high}") for k in picks]
    names = [set(re.findall(r"\b[А-ЯЁA-Z][а-яёa-z]{3,}", p["text"][1:])) for p in items]
    counts: dict[str, int] = {}
    for found in names:
        for name in found:
            counts[name] = counts.get(name, 0) + 1
    rare = [{n for n in found if 2 <= counts[n] <= 12} for found in names]
    shared = [(a, b) for a, b in zip(*np.nonzero(allowed & (similarity < 0.18)), strict=True)
              if rare[a] & rare[b]]  # fmt: skip
    chosen += [(int(a), int(b), "shared name") for a, b in rng.sample(shared, per_band)]
    i, j = np.nonzero(allowed)
    chosen += [(int(i[k]), int(j[k]), "random") for k in rng.sample(range(len(i)), per_band)]
    return chosen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=Path("story_pairs.jsonl"))
    parser.add_argument("--per-band", type=int, default=40)
    args = parser.parse_args()
    rng = random.Random(2024)
    with args.out.open("w", encoding="utf-8") as out:
        number = 0
        for first, last in STRETCHES:
            items = posts(args.data, first, last)
            for a, b, band in draw(items, args.per_band, rng):
                number += 1
                record = {"pair": number, "band": band, "a": items[a], "b": items[b]}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"wrote {number} pairs to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
