"""The actor layer on real news (NEREL v1.1): actor links, split persons, top actors, quotes.

    .venv/bin/python bench/eval_actors.py [--data ../shared/data] [--rev COMMIT]
                                          [--sample-out quotes.csv] [--limit N]

- **Actor links** (NEREL dev, 94 texts): NEREL links some mentions to Wikidata
  (``N1 Reference T11 Wikidata:Q13133``; ``Wikidata:NULL`` is no link). Of those gold mentions
  typed PER/ORG/LOC (as in ``eval_ner.py``), a system *finds* one when it has a mention on the
  same span, else the mention of the same type that overlaps it most (an organisation, «Эхо
  Москвы», is not a mention of the city in its name). Over every pair of found mentions,
  across the 94 texts, «same actor» is scored against «same Wikidata item»: pairwise
  precision, recall and F1. A person split into several actors loses recall; junk joined to
  an actor loses precision. Systems: natasha's surface text (the span as written, each
  inflection its own actor), natasha's normal form, and newslens's actors.
- **Split persons** (NEREL train + dev, 840 texts): full-name person actors whose first name
  and surname agree once normalised, either by cutting up to two final letters of an ending
  (а я ы и у ю е о й ь м) or by pymorphy2's nominative («Сергей Скрипаль» / «Сергей
  Скрипаля»), and lone surnames (not first names) left apart from the one full name that
  carries them («Обамы» beside «Барак Обама»).
- **Abbreviations as persons**: mentions written in capitals («УК», «ПО») resolved to a person
  of another name (Пак Чхан Ук, Эдгар По); and persons named by a first name and a patronymic
  alone, listed (right when their article names them so).
- **Top 50 actors** of the 840 texts, to read for junk.
- **Attitudes** (``--attitudes``, sentiment mode fast): how many are held by actors, by which
  rule, and the certain ones, listed.
- **Quotes** on the 840 texts: how many, how many with a speaker, and two reproducible
  samples of 50 (``random.Random(12)`` over the rows of the quotes table, and over its rows
  with a speaker) written to ``--sample-out`` for checking by hand.

Articles are built from the raw ``.txt`` (title line, date line and body as one text), so that
offsets index the ``.ann`` files. ``--rev COMMIT`` runs this same bench on the package of an
earlier commit (exported with ``git archive`` to a temporary folder), for before/after figures
from one script.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

if os.environ.get("NEWSLENS_BENCH_REV_ROOT"):  # --rev: the earlier package first on the path
    sys.path.insert(0, os.environ["NEWSLENS_BENCH_REV_ROOT"])
else:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newslens import context, modes, nlp, pipeline, quotes, tally  # noqa: E402

NEREL = {
    "PERSON": "PER", "ORGANIZATION": "ORG", "COUNTRY": "LOC", "CITY": "LOC",
    "STATE_OR_PROVINCE": "LOC", "DISTRICT": "LOC", "LOCATION": "LOC",
}  # fmt: skip
SAMPLE_SEED = 12
SAMPLE_SIZE = 50


@dataclass
class GoldLink:
    start: int
    end: int
    type: str
    item: str  # Wikidata Q-id


@dataclass
class Doc:
    doc_id: str
    text: str
    links: list[GoldLink] = field(default_factory=list)


def read_nerel(folder: Path, prefix: str) -> list[Doc]:
    """Raw texts with their Wikidata-linked PER/ORG/LOC mentions (discontinuous ones left out)."""
    docs = []
    for txt in sorted(folder.glob("*.txt")):
        spans: dict[str, tuple[int, int, str]] = {}
        links = []
        for line in txt.with_suffix(".ann").read_text("utf-8").splitlines():
            parts = line.split("\t")
            if line.startswith("T"):
                kind, _, where = parts[1].partition(" ")
                if kind in NEREL and ";" not in where:
                    start, end = map(int, where.split())
                    spans[parts[0]] = (start, end, NEREL[kind])
            elif line.startswith("N") and "Wikidata:Q" in parts[1]:  # not Wikidata:NULL
                _, ref, item = parts[1].split()
                if ref in spans:
                    links.append(GoldLink(*spans[ref], item.removeprefix("Wikidata:")))
        docs.append(Doc(f"{prefix}/{txt.stem}", txt.read_text("utf-8"), links))
    return docs


def articles_of(docs: list[Doc]) -> pd.DataFrame:
    return pd.DataFrame(
        {"doc_id": [d.doc_id for d in docs], "title": "", "text": [d.text for d in docs],
         "date": pd.NaT}
    )  # fmt: skip


# ------------------------------------------------------------------ actor links


def match(link: GoldLink, predicted: list[tuple[int, int, str, str]]) -> str | None:
    """The actor of the predicted mention on the gold span, else of the mention of the gold
    type that overlaps it most (an organisation is not a mention of the city in its name)."""
    best, best_overlap = None, 0
    for start, end, kind, actor in predicted:
        if (start, end) == (link.start, link.end):
            return actor
        overlap = min(end, link.end) - max(start, link.start)
        if kind == link.type and overlap > best_overlap:
            best, best_overlap = actor, overlap
    return best


def pairwise(labels: list[tuple[str, str]]) -> tuple[float, float, float]:
    """Pairwise P/R/F1 of «same predicted actor» against «same gold item»."""

    def pairs(counts: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    both = pairs(Counter(labels))
    predicted = pairs(Counter(actor for _, actor in labels))
    gold = pairs(Counter(item for item, _ in labels))
    p = both / predicted if predicted else 0.0
    r = both / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def link_scores(docs: list[Doc], mentions: pd.DataFrame) -> pd.DataFrame:
    natasha_surface, natasha_normal = [], []
    ours = []
    by_doc = {d: g for d, g in mentions[mentions.section == "text"].groupby("doc_id")}
    for doc in docs:
        spans = nlp.parse(doc.text).spans
        surface = [(s.start, s.end, s.type, s.text) for s in spans]
        normal = [(s.start, s.end, s.type, s.normal) for s in spans]
        found = by_doc.get(doc.doc_id)
        lens = (
            []
            if found is None
            else list(zip(found.start, found.end, found.type, found.actor, strict=True))
        )
        for link in doc.links:
            for predicted, out in ((surface, natasha_surface), (normal, natasha_normal),
                                   (lens, ours)):  # fmt: skip
                actor = match(link, predicted)
                if actor is not None:
                    out.append((link.item, actor))
    gold = sum(len(d.links) for d in docs)
    rows = []
    for system, labels in (("natasha, surface text", natasha_surface),
                           ("natasha, normal form", natasha_normal),
                           ("newslens actors", ours)):  # fmt: skip
        p, r, f = pairwise(labels)
        rows.append((system, len(labels), gold, p, r, f))
    return pd.DataFrame(rows, columns=["system", "found", "gold", "P", "R", "F1"])


# ------------------------------------------------------------------ split persons


ENDING = set("аяыиуюеойьм")


def stem(word: str) -> str:
    word = word.lower().replace("ё", "е")
    for _ in range(2):
        if len(word) > 3 and word[-1] in ENDING:
            word = word[:-1]
    return word


def lemma(word: str) -> str:
    """pymorphy2's nominative of a name, else the word, folded."""
    parses = nlp.models().morph_vocab.parse(word)
    for parse in parses:
        if {"Name", "Surn", "Patr"} & set(parse.tag.grammemes):
            return parse.normal_form.replace("ё", "е")
    return word.lower().replace("ё", "е")


def split_persons(actors: pd.DataFrame) -> tuple[list[list[str]], list[tuple[str, str]]]:
    """Groups of full-name actors whose first name and surname agree once normalised (by
    cutting endings, or by pymorphy2's nominative: either is enough); lone surnames (not a
    first name) that match the surname of exactly one full-name actor but stayed apart."""
    people = [a for a in actors[actors.type == "PER"].actor if re.match(r"[А-ЯЁA-Z]", a)]
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    full = [n for n in people if len(n.split()) >= 2 and not re.match(r"[А-ЯЁA-Z]\.", n)]
    by_surname: dict[str, set[str]] = defaultdict(set)
    for name in full:
        first, last = name.split()[0], name.split()[-1]
        for key in (f"s:{stem(first)} {stem(last)}", f"l:{lemma(first)} {lemma(last)}"):
            parent[find(name)] = find(key)
        by_surname[stem(last)].add(name)
        by_surname[lemma(last)].add(name)
    groups_by_root: dict[str, list[str]] = defaultdict(list)
    for name in full:
        groups_by_root[find(name)].append(name)
    groups = sorted(sorted(g) for g in groups_by_root.values() if len(g) > 1)
    orphans = []
    morph = nlp.models().morph_vocab
    for name in people:
        if " " in name or any("Name" in p.tag for p in morph.parse(name)[:1]):
            continue
        owners = by_surname.get(stem(name), set()) | by_surname.get(lemma(name), set())
        if len(owners) == 1:
            orphans.append((name, next(iter(owners))))
    return groups, orphans


def is_patronymic(first: str, second: str) -> bool:
    """«Александр Максович»: a known Russian first name, then a word pymorphy2 knows only as
    a patronymic of the same gender («Светлана Алексиевич» is a surname)."""
    morph = nlp.models().morph_vocab
    name, patronymic = morph.parse(first), morph.parse(second)
    if not name or not patronymic or not (name[0].is_known and patronymic[0].is_known):
        return False
    if "Name" not in name[0].tag or "Patr" not in patronymic[0].tag:
        return False
    if any("Surn" in p.tag for p in patronymic):
        return False
    return name[0].tag.gender == patronymic[0].tag.gender


def first_and_patronymic(actors: pd.DataFrame) -> pd.DataFrame:
    """Person actors named by a first name and a patronymic alone («Татьяна Васильевна»):
    right when their article names them so, a split when it also gives the surname."""
    people = actors[actors.type == "PER"]
    keep = [len(a.split()) == 2 and is_patronymic(*a.split()) for a in people.actor]
    return people[keep]


def abbreviations_as_persons(mentions: pd.DataFrame) -> pd.DataFrame:
    """Mentions written as an all-caps word («УК», «ПО») resolved to a person with another
    name (Пак Чхан Ук, Эдгар По); a stage name in capitals (PSY) is its own actor."""
    caps = mentions.text.str.fullmatch(r"[A-ZА-ЯЁ][A-ZА-ЯЁ0-9-]{1,9}")
    people = (mentions.type == "PER") & (mentions.form != "role")
    return mentions[caps & people & (mentions.text.str.upper() != mentions.actor.str.upper())]


# ------------------------------------------------------------------ quotes


def quote_figures(said: pd.DataFrame, sample_out: Path | None) -> list[str]:
    lines = []
    n = len(said)
    spoken = int((said.speaker != "").sum())
    lines.append(f"quotes: {n}; with a speaker: {spoken} ({spoken / max(n, 1):.1%}); "
                 f"unattributed: {n - spoken}")  # fmt: skip
    lines.append("by kind: " + ", ".join(f"{k} {v}" for k, v in said.kind.value_counts().items()))
    if sample_out is not None and n:
        draws = []
        for name, pool in (("all", said), ("with a speaker", said[said.speaker != ""])):
            rng = random.Random(SAMPLE_SEED)
            chosen = sorted(rng.sample(range(len(pool)), min(SAMPLE_SIZE, len(pool))))
            draw = pool.iloc[chosen].copy()
            draw.insert(0, "drawn_from", name)
            draw.insert(1, "row", chosen)
            draws.append(draw)
        sample = pd.concat(draws)
        sample["correct"] = ""
        sample.to_csv(sample_out, index=False)
        lines.append(f"samples of {SAMPLE_SIZE} quotes, and of {SAMPLE_SIZE} with a speaker "
                     f"(random.Random({SAMPLE_SEED}) over the rows of each), written to "
                     f"{sample_out} to be checked by hand")  # fmt: skip
    return lines


# ------------------------------------------------------------------ main


def run(args: argparse.Namespace) -> int:
    root = args.data / "nerel" / "NEREL-v1.1"
    dev = read_nerel(root / "dev", "dev")
    train = read_nerel(root / "train", "train")
    if args.limit:
        dev, train = dev[: args.limit], train[: args.limit]
    corpus = train + dev
    articles = articles_of(corpus)
    t0 = time.perf_counter()
    ctx = context.make(sentiment=None, progress=not args.quiet)
    found = pipeline.extract(articles, ctx)
    elapsed = time.perf_counter() - t0
    print(f"{len(corpus)} texts ({len(train)} train + {len(dev)} dev), entities in "
          f"{elapsed:.0f} s", file=sys.stderr)  # fmt: skip
    mentions = found.mentions

    print("## Actor links, NEREL dev (pairwise, over the Wikidata-linked PER/ORG/LOC mentions)")
    links = link_scores(dev, mentions[mentions.doc_id.str.startswith("dev/")])
    print(links.to_markdown(index=False, floatfmt=".3f"))

    actors = tally.actors(mentions, articles, ctx.gazetteer)
    groups, orphans = split_persons(actors)
    print(f"\n## Split persons, NEREL train + dev ({len(corpus)} texts)")
    print(f"person actors: {int((actors.type == 'PER').sum())}")
    print(f"full names sharing first name and surname: {sum(len(g) for g in groups)} actors "
          f"in {len(groups)} groups")  # fmt: skip
    for group in groups[: args.show]:
        print("   ", " / ".join(group))
    print(f"lone surnames apart from the one full name that carries them: {len(orphans)}")
    for name, owner in orphans[: args.show]:
        print(f"    {name} → {owner}")
    caps = abbreviations_as_persons(mentions)
    joined = Counter(zip(caps.text, caps.actor, strict=True))
    print(f"all-caps words joined to a person of another name: {len(caps)} mentions "
          f"({', '.join(f'{t} → {a} ({n})' for (t, a), n in joined.most_common())})")  # fmt: skip
    named = first_and_patronymic(actors)
    print(f"persons named by first name and patronymic alone: {len(named)} "
          f"({', '.join(named.actor.head(args.show))})")  # fmt: skip

    print(f"\n## Top 50 actors, NEREL train + dev ({len(corpus)} texts)")
    top = actors.head(50)[["actor", "type", "mentions", "named_mentions", "documents"]]
    top.insert(0, "rank", range(1, len(top) + 1))
    print(top.to_markdown(index=False))

    print(f"\n## Quotes, NEREL train + dev ({len(corpus)} texts)")
    said = quotes.extract(articles, mentions, found.sentences, ctx.gazetteer)
    for line in quote_figures(said, args.sample_out):
        print(line)
    if args.attitudes:
        print(f"\n## Attitudes, NEREL train + dev ({len(corpus)} texts, sentiment fast)")
        from newslens import attitudes, sentiment

        fast = ctx.but(mode=modes.lexical())
        scored = sentiment.mention_sentiment(mentions, found.sentences, fast)
        held = attitudes.attitudes(scored, found.sentences, ctx.gazetteer)
        by_actors = held[held.holder != "author"]
        print(
            f"attitudes: {len(held)}; held by actors: {len(by_actors)} "
            f"({', '.join(f'{k} {v}' for k, v in by_actors.rule.value_counts().items())})"
        )
        if "certain" in held:
            certain = held[held.certain]
            print(f"certain (the summary may state them): {len(certain)}")
            for row in certain.itertuples():
                sign = "+" if row.polarity > 0 else "−"
                print(f"    {row.holder} {sign} {row.target} «{row.target_text}»: "
                      f"{row.sentence[:100]}")  # fmt: skip
    return 0


def run_at(rev: str, argv: list[str]) -> int:
    """This bench, on the package as it was at ``rev``."""
    repo = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory(prefix="newslens-") as folder:
        archive = subprocess.run(["git", "-C", str(repo), "archive", rev], check=True,
                                 capture_output=True).stdout  # fmt: skip
        subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
        env = dict(os.environ, NEWSLENS_BENCH_REV_ROOT=folder)
        print(f"# package at {rev}", file=sys.stderr)
        return subprocess.call([sys.executable, __file__, *argv], env=env)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None, help="default: ../shared/data")
    parser.add_argument("--rev", help="run on the package of this git commit instead")
    parser.add_argument("--sample-out", type=Path, help="write the 50-quote sample here (CSV)")
    parser.add_argument("--limit", type=int, default=0, help="texts per split (0: all)")
    parser.add_argument("--show", type=int, default=15, help="examples listed per finding")
    parser.add_argument("--attitudes", action="store_true", help="also attitudes (slower)")
    parser.add_argument("-q", "--quiet", action="store_true")
    args = parser.parse_args()
    if args.rev:
        argv = [a for a in sys.argv[1:]]
        i = argv.index("--rev")
        del argv[i : i + 2]
        if args.data is None:
            argv += ["--data", str(Path(__file__).resolve().parents[2] / "shared" / "data")]
        return run_at(args.rev, argv)
    if args.data is None:
        from newslens import config

        args.data = config.SHARED_DATA
    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
