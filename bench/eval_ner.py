"""Score PER/ORG/LOC spans of raw natasha and of newslens against two gold sets.

    .venv/bin/python bench/eval_ner.py [--data ../shared/data] [--limit N]

Gold sets and how their types map to PER/ORG/LOC:
- factRuEval-2016 devset (122 texts): an object's extent runs from its first span to its last;
  Person → PER, Org → ORG, Location and LocOrg → LOC.
- NEREL v1.1 dev (94 texts, nested): PERSON → PER, ORGANIZATION → ORG, COUNTRY, CITY,
  STATE_OR_PROVINCE, DISTRICT, LOCATION → LOC; other types and discontinuous spans are left out.
  Nested gold spans all count, so recall is bounded for any flat tagger.

newslens mentions scored are the named ones (forms name, surname, abbreviation, metonym):
roles and country adjectives are not named entities in either gold set.
A prediction is right on "exact" when type, start and end match, on "overlap" when the type
matches and the spans share a character (each gold span used once).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newslens import config, nlp, pipeline  # noqa: E402

TYPES = ["PER", "ORG", "LOC"]
FACTRU = {"Person": "PER", "Org": "ORG", "Location": "LOC", "LocOrg": "LOC"}
NEREL = {
    "PERSON": "PER", "ORGANIZATION": "ORG", "COUNTRY": "LOC", "CITY": "LOC",
    "STATE_OR_PROVINCE": "LOC", "DISTRICT": "LOC", "LOCATION": "LOC",
}  # fmt: skip
NAMED = {"name", "surname", "abbreviation", "metonym"}

Span = tuple[int, int, str]


def read_factrueval(folder: Path) -> list[tuple[str, str, set[Span]]]:
    docs = []
    for txt in sorted(folder.glob("*.txt")):
        text = txt.read_text("utf-8")
        spans = {}
        for line in txt.with_suffix(".spans").read_text("utf-8").splitlines():
            parts = line.split()
            spans[parts[0]] = (int(parts[2]), int(parts[2]) + int(parts[3]))
        gold = set()
        for line in txt.with_suffix(".objects").read_text("utf-8").splitlines():
            head = line.split("#")[0].split()
            if len(head) > 2 and head[1] in FACTRU:
                extent = [spans[s] for s in head[2:] if s in spans]
                gold.add((min(a for a, _ in extent), max(b for _, b in extent), FACTRU[head[1]]))
        docs.append((txt.stem, text, gold))
    return docs


def read_nerel(folder: Path) -> list[tuple[str, str, set[Span]]]:
    docs = []
    for txt in sorted(folder.glob("*.txt")):
        text = txt.read_text("utf-8")
        gold = set()
        for line in txt.with_suffix(".ann").read_text("utf-8").splitlines():
            if not line.startswith("T"):
                continue
            kind_span = line.split("\t")[1]
            kind, _, where = kind_span.partition(" ")
            if kind in NEREL and ";" not in where:
                start, end = map(int, where.split())
                gold.add((start, end, NEREL[kind]))
        docs.append((txt.stem, text, gold))
    return docs


def natasha_spans(text: str) -> set[Span]:
    return {(s.start, s.end, s.type) for s in nlp.parse(text).spans}


def newslens_spans(docs) -> dict[str, set[Span]]:
    articles = pd.DataFrame(
        {"doc_id": [d for d, _, _ in docs], "title": "", "text": [t for _, t, _ in docs]}
    )
    mentions = pipeline.extract(articles).mentions
    named = mentions[mentions.form.isin(NAMED) & (mentions.section == "text")]
    out: dict[str, set[Span]] = defaultdict(set)
    for m in named.itertuples():
        out[m.doc_id].add((m.start, m.end, m.type))
    return out


def score(pairs: list[tuple[set[Span], set[Span]]], kind: str, overlap: bool) -> tuple:
    tp = fp = fn = 0
    for gold, pred in pairs:
        g = sorted(s for s in gold if s[2] == kind)
        p = sorted(s for s in pred if s[2] == kind)
        if not overlap:
            hit = len(set(g) & set(p))
        else:
            used, hit = set(), 0
            for a, b, _ in p:
                match = next(
                    (i for i, (c, d, _) in enumerate(g) if i not in used and a < d and c < b),
                    None,
                )
                if match is not None:
                    used.add(match)
                    hit += 1
        tp, fp, fn = tp + hit, fp + len(p) - hit, fn + len(g) - hit
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def evaluate(name: str, docs) -> pd.DataFrame:
    t0 = time.perf_counter()
    raw = [(gold, natasha_spans(text)) for _, text, gold in docs]
    t1 = time.perf_counter()
    ours = newslens_spans(docs)
    t2 = time.perf_counter()
    lens = [(gold, ours.get(doc_id, set())) for doc_id, _, gold in docs]
    rows = []
    for kind in TYPES:
        for match in ("exact", "overlap"):
            for system, pairs in (("natasha", raw), ("newslens", lens)):
                p, r, f = score(pairs, kind, match == "overlap")
                rows.append((name, kind, match, system, p, r, f))
    print(f"{name}: {len(docs)} texts; natasha {t1 - t0:.1f}s, newslens {t2 - t1:.1f}s",
          file=sys.stderr)  # fmt: skip
    return pd.DataFrame(rows, columns=["set", "type", "match", "system", "P", "R", "F1"])


def side_by_side(results: pd.DataFrame) -> pd.DataFrame:
    wide = results.pivot_table(
        index=["set", "type", "match"], columns="system", values=["P", "R", "F1"]
    )
    wide.columns = [f"{metric} {system}" for metric, system in wide.columns]
    order = [f"{m} {s}" for s in ("natasha", "newslens") for m in ("P", "R", "F1")]
    wide = wide[order]
    wide["ΔF1"] = wide["F1 newslens"] - wide["F1 natasha"]
    return wide.round(3)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=config.SHARED_DATA)
    parser.add_argument("--limit", type=int, default=0, help="texts per set (0: all)")
    args = parser.parse_args()
    sets = {
        "factRuEval-2016 dev": read_factrueval(args.data / "factrueval2016" / "devset"),
        "NEREL-1.1 dev": read_nerel(args.data / "nerel" / "NEREL-v1.1" / "dev"),
    }
    results = pd.concat([evaluate(name, docs[: args.limit or None]) for name, docs in sets.items()])
    table = side_by_side(results)
    with pd.option_context("display.width", 160, "display.max_columns", 20):
        print(table.to_string())
    print()
    print(table.reset_index().to_markdown(index=False, floatfmt=".3f"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
