"""How `report` grows with the corpus: time, memory and pages for 100 and 1,000 real articles,
and for a month of a real feed.

    .venv/bin/python bench/report_scale.py [--sizes 100 1000] [--feed 2024-10] [--data …]

The corpus is real news from ../shared/data: the NEREL v1.1 texts, the factRuEval-2016 devset
texts, then RuSentNE-2023 sentences as one-line articles to fill up. For each size it runs
`python -m newslens report` three times, as a user would: cold in the default mode (empty
cache), warm in the default mode (cache filled), cold in mode fast. It prints wall time, the
peak resident memory of the main process and of the largest worker (sampled every 0.2 s),
and the pages of the PDF. Targets (issue #10, 2 cores, 1,000 articles): cold default ≤ 5 min,
warm ≤ 60 s, cold fast ≤ 90 s, peak RSS ≤ 2 GB, ≤ 40 pages.

``--feed MONTH`` adds a month of the shared Telegram feed (``telegram2024``, 2024-10: 4,003
posts of 16 channels), each channel's posts of that month in a JSON array of its own, as a
channel export comes: cold in the default mode, with the seconds the story steps took (word
vectors, copies, stories: from ``steps.csv`` beside the PDF). Target (issue #19): ≤ 5 min,
stories ≤ 10% of it, peak RSS ≤ 2 GB. ``--sizes`` with no number runs the feed alone.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newslens import config, modes  # noqa: E402


def build_corpus(data: Path, size: int, folder: Path) -> Path:
    texts = sorted((data / "nerel" / "NEREL-v1.1").glob("*/*.txt"))
    texts += sorted((data / "factrueval2016" / "devset").glob("*.txt"))
    folder.mkdir(parents=True, exist_ok=True)
    for path in texts[:size]:
        (folder / f"{path.parent.name}_{path.name}").write_bytes(path.read_bytes())
    missing = size - min(size, len(texts))
    if missing:
        with (data / "rusentne2023" / "train_data.csv").open(encoding="utf-8", newline="") as f:
            rows = csv.DictReader(f, delimiter="\t")
            sentences = list(dict.fromkeys(r["sentence"] for r in rows))[:missing]
        for i, sentence in enumerate(sentences):
            (folder / f"rusentne_{i}.txt").write_text(sentence + "\n", "utf-8")
    return folder


def build_feed(data: Path, month: str, folder: Path) -> Path:
    import json

    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted((data / "telegram2024").glob("*.json")):
        posts = [p for p in json.loads(path.read_text("utf-8")) if p["date"].startswith(month)]
        if posts:
            (folder / path.name).write_text(json.dumps(posts, ensure_ascii=False), "utf-8")
    return folder


STORY_STEPS = ("word_vectors", "copies", "story_of", "stories")


def story_seconds(out: Path) -> float:
    with (out.with_name(f"{out.stem}-tables") / "steps.csv").open(encoding="utf-8") as f:
        return sum(float(r["seconds"]) for r in csv.DictReader(f) if r["step"] in STORY_STEPS)


def run(corpus: Path, out: Path, cache: Path, mode: str) -> dict:
    command = [sys.executable, "-m", "newslens", "report", str(corpus), "-o", str(out),
               "--sentiment", mode, "--cache-dir", str(cache), "-q"]  # fmt: skip
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    main = psutil.Process(process.pid)
    peak_main = peak_worker = 0
    while process.poll() is None:
        try:
            peak_main = max(peak_main, main.memory_info().rss)
            for child in main.children(recursive=True):
                peak_worker = max(peak_worker, child.memory_info().rss)
        except psutil.Error:
            pass
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    _, err = process.communicate()
    if process.returncode:
        raise SystemExit(f"report failed: {err.decode()[-500:]}")
    return {
        "seconds": seconds,
        "main_mb": peak_main / 2**20,
        "worker_mb": peak_worker / 2**20,
        "pages": len(PdfReader(out).pages),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=config.SHARED_DATA)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000])
    parser.add_argument("--feed", metavar="YYYY-MM", help="a month of the shared Telegram feed")
    args = parser.parse_args()
    print(f"{'articles':>8} {'run':<16} {'seconds':>8} {'main MB':>8} {'worker MB':>9} "
          f"{'pages':>5}")  # fmt: skip
    if args.feed:
        with tempfile.TemporaryDirectory(prefix="newslens-feed-") as scratch:
            scratch = Path(scratch)
            corpus = build_feed(args.data, args.feed, scratch / "feed")
            posts = sum(len(json_records(p)) for p in corpus.glob("*.json"))
            r = run(corpus, scratch / "report.pdf", scratch / "cache", modes.DEFAULT)
            share = story_seconds(scratch / "report.pdf")
            print(f"{posts:>8} {'feed ' + args.feed + ', cold':<16} {r['seconds']:>8.1f} "
                  f"{r['main_mb']:>8.0f} {r['worker_mb']:>9.0f} {r['pages']:>5}   stories "
                  f"{share:.1f} s ({share / r['seconds']:.1%})", flush=True)  # fmt: skip
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="newslens-scale-") as scratch:
            scratch = Path(scratch)
            corpus = build_corpus(args.data, size, scratch / "corpus")
            default, fast = modes.DEFAULT, modes.lexical().name
            runs = [(f"cold, {default}", default, "cache-a"),
                    (f"warm, {default}", default, "cache-a"),
                    (f"cold, {fast}", fast, "cache-f")]  # fmt: skip
            for name, mode, cache in runs:
                r = run(corpus, scratch / "report.pdf", scratch / cache, mode)
                print(f"{size:>8} {name:<16} {r['seconds']:>8.1f} {r['main_mb']:>8.0f} "
                      f"{r['worker_mb']:>9.0f} {r['pages']:>5}", flush=True)  # fmt: skip
    return 0


def json_records(path: Path) -> list:
    import json

    return json.loads(path.read_text("utf-8"))


if __name__ == "__main__":
    raise SystemExit(main())
