"""Throughput, scaling, incremental rebuild and memory of the pipeline, in one run.

    .venv/bin/python bench/throughput.py [--sample 200] [--incremental 1000] [--stream 10000]

Articles are real news texts: the seed, the factRuEval-2016 devset and NEREL v1.1 (train and
dev) from ../shared/data, 963 distinct texts, repeated with a numbered line appended when more
are asked for (so no cache or duplicate check can shortcut them). Prints:

1. raw natasha (segment + morph + NER) articles/s: the floor reference;
2. newslens articles/s on the same articles: entities only, and the full pipeline with
   sentiment in mode ``accurate`` (sentence embeddings) and ``fast`` (word vectors only),
   with 1 and 2 worker processes, and the speed-ups;
3. cold vs after adding one article to the corpus (Parquet cache): the per-article stage
   (parse, mentions), and the whole analysis in mode ``accurate`` (with the embeddings);
4. peak RSS of the streaming path (``actors --stream``) over the largest corpus, with
   sentiment in mode ``fast`` unless ``--stream-sentiment`` says otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("NEWSLENS_EMBED_THREADS", "1")  # one thread per worker, 1 worker included

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from newslens import context, engine, nlp  # noqa: E402
from newslens.load import Corpus, load  # noqa: E402
from newslens.modes import MODES  # noqa: E402
from newslens.pipeline import analyse  # noqa: E402


def texts(data: Path) -> list[tuple[str, str]]:
    found = [(p.stem, p.read_text("utf-8")) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    found += [(p.stem, p.read_text("utf-8")) for p in
              sorted((data / "factrueval2016" / "devset").glob("*.txt"))]  # fmt: skip
    for part in ("train", "dev"):
        found += [(f"nerel-{p.stem}", p.read_text("utf-8")) for p in
                  sorted((data / "nerel" / "NEREL-v1.1" / part).glob("*.txt"))]  # fmt: skip
    return found


def corpus_file(folder: Path, base: list[tuple[str, str]], n: int, name: str) -> Path:
    path = folder / f"{name}.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            doc, text = base[i % len(base)]
            copy = i // len(base)
            text = text if copy == 0 else f"{text}\n\nКопия {copy}."
            out.write(json.dumps({"id": f"{doc}-{copy}", "text": text}, ensure_ascii=False))
            out.write("\n")
    return path


def worker_peak_mb() -> float:
    """Peak RSS (VmHWM) of the largest live child process: pool workers never exit here."""
    import psutil

    peaks = []
    for child in psutil.Process().children(recursive=True):
        try:
            status = Path(f"/proc/{child.pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return max(peaks, default=0.0)


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:6.1f} articles/s ({seconds:.1f}s)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--sample", type=int, default=200, help="articles for the speed runs")
    parser.add_argument("--incremental", type=int, default=1000, help="corpus for the rebuild")
    parser.add_argument("--stream", type=int, default=10000, help="corpus for peak RSS")
    parser.add_argument("--parts", default="speed,incremental,stream", help="what to run")
    parser.add_argument(
        "--stream-sentiment", choices=["none", *MODES], default="fast",
        help="sentiment mode of the streaming run (accurate: about 4 articles/s on 2 cores)",
    )  # fmt: skip
    args = parser.parse_args()
    base = texts(args.data)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; {len(base)} distinct texts")  # fmt: skip
    scratch = Path(tempfile.mkdtemp(prefix="newslens-bench-"))

    parts = set(args.parts.split(","))
    if "speed" in parts:
        sample = load(corpus_file(scratch, base, args.sample, "sample"))
        docs = sample.articles["text"].tolist()
        import natasha as raw

        m = nlp.models()

        def natasha_only(text: str) -> None:
            doc = raw.Doc(text)
            doc.segment(m.segmenter)
            doc.tag_morph(m.morph_tagger)
            doc.tag_ner(m.ner_tagger)

        for text in docs[:5]:  # warm up
            natasha_only(text)
        start = time.perf_counter()
        for text in docs:
            natasha_only(text)
        natasha = time.perf_counter() - start
        print(f"raw natasha, 1 process:            {rate(len(docs), natasha)}")
        timing = {}
        runs = [("entities only, 1 worker", 1, None)] + [
            (f"full {mode}, {n} worker{'s' if n > 1 else ''}", n, mode)
            for mode in MODES for n in (1, 2)
        ]  # fmt: skip
        for label, workers, mode in runs:
            options = dict(sentiment=mode)
            if workers == 1:  # load the models before the clock, as a worker does before its tasks
                analyse(load(ROOT / "seeds"), **options)["actors"]
            start = time.perf_counter()
            analyse(sample, workers=workers, **options)["actors"]
            timing[label] = time.perf_counter() - start
            share = natasha / timing[label]
            print(f"newslens {label:<25}: {rate(len(docs), timing[label])}, {share:.0%} of natasha")
        for mode in MODES:
            one, two = timing[f"full {mode}, 1 worker"], timing[f"full {mode}, 2 workers"]
            print(f"speed-up, 2 workers over 1 ({mode}): {one / two:.2f}x")

    if "incremental" in parts:
        loaded = load(corpus_file(scratch, base, args.incremental, "incremental"))
        articles = loaded.articles
        rows = list(articles[["doc_id", "title", "text"]].itertuples(index=False, name=None))
        extra = (
            "new-article",
            "",
            "Новость дня: Ильхам Алиев встретился с Николом Пашиняном в Баку.",
        )
        new = articles.tail(1).assign(doc_id=extra[0], title=extra[1], text=extra[2])
        grown = Corpus(pd.concat([articles, new], ignore_index=True), loaded.rejected,
                       loaded.warnings)  # fmt: skip
        for stage in ("per-article stage", "whole analysis (accurate)"):
            timing = []
            for corpus_rows, corpus in ((rows, loaded), ([*rows, extra], grown)):
                cache = engine.Cache(scratch / f"cache-{stage.split()[0]}")
                start = time.perf_counter()
                if stage == "per-article stage":
                    list(engine.run(corpus_rows, context.make(workers=2, cache=cache)))
                else:
                    analyse(corpus, workers=2, cache=cache)["actors"]
                timing.append(time.perf_counter() - start)
            cold, warm = timing
            print(
                f"{stage}, {len(rows)} articles cold: {cold:.1f}s; "
                f"after adding one: {warm:.1f}s "
                f"({warm / cold:.1%} of cold; cache hits {cache.hits}, misses {cache.misses})"
            )

    if "stream" in parts:
        from newslens.stream import stream_actors

        big = corpus_file(scratch, base, args.stream, "stream")
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS of the main process before streaming: {own:.0f} MB")
        start = time.perf_counter()
        mode = None if args.stream_sentiment == "none" else args.stream_sentiment
        ctx = context.make(sentiment=mode, workers=2, cache=engine.Cache(scratch / "cache"))
        result = stream_actors(big, ctx, chunk=256)
        seconds = time.perf_counter() - start
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        children = worker_peak_mb()
        what = {"none": "entities only"}.get(args.stream_sentiment,
                                             f"sentiment {args.stream_sentiment}")  # fmt: skip
        print(
            f"streaming {result.articles} articles ({what}, 2 workers, chunks of 256): "
            f"{seconds:.0f}s; peak RSS main process {own:.0f} MB, largest worker "
            f"{children:.0f} MB; {len(result.actors)} actors"
        )
        with pd.option_context("display.width", 120):
            print(result.actors.head(5)[["actor", "type", "mentions", "documents"]])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
