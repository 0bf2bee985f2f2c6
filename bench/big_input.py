"""Memory and time of hostile sizes: a 2 MB article, a 50 MB one, a 100,000-character word.

    .venv/bin/python bench/big_input.py [--megabytes 2] [--accurate] [--export 500]

The 2 MB article is real news (NEREL v1.1 texts from ../shared/data, joined by blank lines,
cut at 2 MB of UTF-8); each measure runs the CLI in a process of its own and prints its peak
RSS (the target: under 1 GB for 2 MB, growing linearly), CPU and wall time (wall time on a
shared machine says little: compare CPU). ``--accurate`` adds the
sentence embeddings (mode ``accurate``), which take minutes on such an article.

``--export MB`` builds a Telegram Desktop export (``result.json``: a channel's name, then its
``messages``, texts as lists of strings and entities) of that many megabytes from the shared
feed's posts, each numbered anew, and reads it through ``load.iter_corpus`` in a process of
its own: the peak RSS says whether the reader streams (the target: a 500 MB export must not
need gigabytes).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newslens import config  # noqa: E402

MEASURE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
    "use = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(code, use.ru_maxrss, use.ru_utime + use.ru_stime)"
)


def article(megabytes: float, data: Path) -> str:
    """Distinct real texts, joined, cut to ``megabytes`` of UTF-8."""
    texts, size = [], 0
    for path in sorted((data / "nerel" / "NEREL-v1.1").glob("*/*.txt")):
        text = path.read_text("utf-8").strip()
        texts.append(text)
        size += len(text.encode()) + 2
        if size > megabytes * 2**20:
            break
    whole = "\n\n".join(texts).encode()[: int(megabytes * 2**20)]
    return whole.decode("utf-8", "ignore")


def measure(label: str, *args: str) -> None:
    command = [sys.executable, "-m", "newslens", *args]
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True,
                         text=True, cwd=ROOT, check=True)  # fmt: skip
    code, kilobytes, cpu = out.stdout.split()
    seconds = time.perf_counter() - start
    print(f"| {label} | {int(kilobytes) / 1024:,.0f} MB | {float(cpu):,.1f} s | {seconds:,.1f} s "
          f"| {code} |")  # fmt: skip


READ = (
    "import sys\n"
    "from newslens.load import iter_corpus\n"
    "kinds = {}\n"
    "for kind, _ in iter_corpus([sys.argv[1]]):\n"
    "    kinds[kind] = kinds.get(kind, 0) + 1\n"
    "print(kinds)"
)


def export(megabytes: float, data: Path, path: Path) -> int:
    """A Telegram Desktop export of ``megabytes`` from the shared feed's posts."""
    posts = [p for f in sorted((data / "telegram2024").glob("*.json"))
             for p in json.loads(f.read_text("utf-8"))]  # fmt: skip
    size, number = 0, 0
    with path.open("w", encoding="utf-8") as out:
        out.write('{\n "name": "Лента",\n "type": "public_channel",\n "messages": [\n')
        while size < megabytes * 2**20:
            post = posts[number % len(posts)]
            head, _, tail = post["text"].partition("\n")
            text = [{"type": "bold", "text": f"{number}. {head}"}, "\n" + tail]
            record = {"id": number, "type": "message", "date": post["date"][:19],
                      "from": post["channel"], "text": text}  # fmt: skip
            line = ("," if number else "") + json.dumps(record, ensure_ascii=False) + "\n"
            out.write(line)
            size += len(line.encode())
            number += 1
        out.write(" ]\n}\n")
    return number


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, default=2.0)
    parser.add_argument("--data", type=Path, default=config.SHARED_DATA)
    parser.add_argument("--accurate", action="store_true")
    parser.add_argument("--export", type=float, metavar="MB", help="read a Telegram export")
    args = parser.parse_args()
    if args.export:
        with tempfile.TemporaryDirectory(prefix="newslens-export-") as scratch:
            path = Path(scratch) / "result.json"
            posts = export(args.export, args.data, path)
            command = [sys.executable, "-c", MEASURE, sys.executable, "-c", READ, str(path)]
            start = time.perf_counter()
            out = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True)
            code, kilobytes, cpu = out.stdout.split()[-3:]
            print(
                f"Telegram export of {path.stat().st_size / 2**20:,.0f} MB ({posts:,} posts) "
                f"read by load.iter_corpus: peak RSS {int(kilobytes) / 1024:,.0f} MB, CPU "
                f"{float(cpu):,.1f} s, wall {time.perf_counter() - start:,.1f} s, exit {code}"
            )
        return
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    with tempfile.TemporaryDirectory(prefix="newslens-big-") as scratch:
        folder = Path(scratch)
        text = article(args.megabytes, args.data)
        big = folder / "big.txt"
        big.write_text(f"date 2025-01-01 Большая статья\n\n{text}", "utf-8")
        limit = str(len(text) + 1)
        word = folder / "word.jsonl"
        word.write_text(json.dumps({"text": f"Путин прибыл в Анкару. {'ж' * 100_000}."}))
        huge = folder / "huge.txt"
        with huge.open("wb") as handle:
            handle.truncate(50 * 2**20)
        seed = str(ROOT / "seeds")
        print(f"{args.megabytes:g} MB article: {len(text):,} characters, "
              f"{len(text.split()):,} words\n")  # fmt: skip
        print("| run | peak RSS | CPU | wall | exit |\n|---|---|---|---|---|")
        measure("the seed, `mentions` (reference)", "mentions", seed, "-q", "--no-cache")
        measure(f"{args.megabytes:g} MB article, `mentions`", "mentions", str(big), "-q",
                "--no-cache", "--max-chars", limit)  # fmt: skip
        measure(f"{args.megabytes:g} MB article, `actors --sentiment fast`", "actors", str(big),
                "-q", "--no-cache", "--max-chars", limit, "--sentiment", "fast")  # fmt: skip
        if args.accurate:
            measure(f"{args.megabytes:g} MB article, `actors` (accurate)", "actors", str(big),
                    "-q", "--no-cache", "--max-chars", limit)  # fmt: skip
        measure("50 MB article (rejected unread)", "mentions", str(huge), seed, "-q",
                "--no-cache")  # fmt: skip
        measure("a 100,000-character word, `actors` (accurate)", "actors", str(word), "-q",
                "--no-cache")  # fmt: skip


if __name__ == "__main__":
    main()
