"""Command line: ``python -m newslens COMMAND``. Errors are one readable line, exit status 1."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # doubles natasha's speed; set before numpy

DEFAULT_CORPUS = "seeds"


def _corpus_args(parser: argparse.ArgumentParser, default: bool = False) -> None:
    parser.add_argument(
        "paths",
        nargs="*" if default else "+",
        default=[DEFAULT_CORPUS] if default else None,
        metavar="PATH",
        help="files or folders of .txt, .jsonl, .csv articles"
        + (f" (default: {DEFAULT_CORPUS}/)" if default else ""),
    )


def _report(args: argparse.Namespace) -> int:
    from newslens.report import build, tables_folder

    options = _run_options(args, 0)
    options.pop("progress")
    out = build(args.paths, args.output, lang=args.lang, sentiment=args.sentiment,
                progress=not args.quiet, **options)  # fmt: skip
    print(f"wrote {out} (tables: {tables_folder(out)}/)")
    return 0


def _write_table(frame, output: str | None) -> None:
    """CSV to a file (atomically) or to stdout."""
    if output is None:
        frame.to_csv(sys.stdout, index=False)
        return
    from newslens.report import write_atomic

    write_atomic(frame.to_csv(index=False).encode("utf-8"), Path(output))
    print(f"wrote {output} ({len(frame)} rows)", file=sys.stderr)


def _report_rejected(corpus) -> None:
    for row in corpus.rejected.itertuples():
        where = f"{row.path}:{row.line}" if row.line else row.path
        print(f"rejected {where}: {row.reason}", file=sys.stderr)


def _run_options(args: argparse.Namespace, articles: int) -> dict:
    """How the per-article stage runs; ``workers`` 0 lets the engine choose by corpus size."""
    from newslens.engine import Cache, default_workers

    workers = args.workers or (default_workers(articles) if articles else 0)
    return dict(
        progress=not args.quiet,
        gazetteer=args.gazetteer,
        workers=workers,
        engine=args.engine,
        scheduler=args.scheduler,
        cache=False if args.no_cache else Cache(args.cache_dir) if args.cache_dir else True,
    )


def _analysis(args: argparse.Namespace, with_sentiment: bool = True):
    from newslens.load import load
    from newslens.pipeline import analyse

    corpus = load(args.paths)
    _report_rejected(corpus)
    options = _run_options(args, len(corpus.articles))
    mode = getattr(args, "sentiment", "accurate")
    return analyse(corpus, with_sentiment=with_sentiment, sentiment_mode=mode, **options)


def _mentions(args: argparse.Namespace) -> int:
    _write_table(_analysis(args, with_sentiment=False).mentions, args.output)
    return 0


def _actors(args: argparse.Namespace) -> int:
    if args.stream:
        from newslens.engine import Cache
        from newslens.stream import stream_actors

        result = stream_actors(
            args.paths, chunk=args.stream, workers=args.workers or os.cpu_count() or 1,
            engine=args.engine, scheduler=args.scheduler,
            cache=Cache(args.cache_dir) if args.cache_dir else None,
            gazetteer=args.gazetteer, sentiment_mode=args.sentiment, progress=not args.quiet,
        )  # fmt: skip
        for row in result.rejected.itertuples():
            print(f"rejected {row.path}:{row.line}: {row.reason}", file=sys.stderr)
        _write_table(result.actors, args.output)
        return 0
    _write_table(_analysis(args).actors, args.output)
    return 0


def _target_sentiment(args: argparse.Namespace) -> int:
    import io

    from newslens.sentiment import label_file

    buffer = io.StringIO()
    count, problems = label_file(Path(args.input), buffer, args.sentiment)
    for problem in problems:
        print(f"not scored: {problem}", file=sys.stderr)
    if args.output:
        from newslens.report import write_atomic

        write_atomic(buffer.getvalue().encode("utf-8"), Path(args.output))
        print(f"wrote {args.output} ({count} rows, {len(problems)} not scored)", file=sys.stderr)
    else:
        sys.stdout.write(buffer.getvalue())
    return 0


def _quotes(args: argparse.Namespace) -> int:
    _write_table(_analysis(args, with_sentiment=False).quotes(), args.output)
    return 0


def _attitudes(args: argparse.Namespace) -> int:
    frame = _analysis(args).attitudes()
    _write_table(frame.drop(columns=["sentence_id"]), args.output)
    return 0


def _table_command(sub, name: str, help_text: str, run) -> argparse.ArgumentParser:
    command = sub.add_parser(name, help=help_text)
    _corpus_args(command)
    command.add_argument("-o", "--output", help="CSV file to write (default: standard output)")
    command.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    _engine_options(command)
    command.set_defaults(run=run)
    return command


def _engine_options(command: argparse.ArgumentParser) -> None:
    """How the per-article stage runs: the options of every command that analyses a corpus."""
    from newslens.gazetteer import DEFAULT_PATH

    command.add_argument("--gazetteer", default=str(DEFAULT_PATH), help="gazetteer CSV")
    command.add_argument(
        "-j", "--workers", type=int, default=0,
        help="processes for the per-article stage (default: all cores from 20 articles on)",
    )  # fmt: skip
    command.add_argument("--engine", choices=["local", "dask"], default="local")
    command.add_argument("--scheduler", help="Dask scheduler address, with --engine dask")
    command.add_argument("--no-cache", action="store_true", help="do not read or write data/cache")
    command.add_argument("--cache-dir", help="cache folder (default: data/cache/articles)")


def _sentiment_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--sentiment", choices=["accurate", "fast"], default="accurate",
        help="accurate: two models (sentence embeddings + word vectors); fast: word vectors "
        "only, about ten times quicker, lower F1 (see README)",
    )  # fmt: skip


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(
        prog="newslens", description="Offline analytical reports from Russian-language news."
    )
    sub = main_parser.add_subparsers(dest="command", required=True)

    report = sub.add_parser("report", help="run the notebooks on a corpus and write the PDF")
    _corpus_args(report, default=True)
    report.add_argument("-o", "--output", default="report/report.pdf", help="PDF to write")
    report.add_argument("--lang", default="en", choices=["en", "ru"], help="narrative language")
    report.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    _sentiment_option(report)
    _engine_options(report)
    report.set_defaults(run=_report)
    _table_command(sub, "mentions", "one row per mention: offsets, type, actor, form", _mentions)
    actors = _table_command(
        sub, "actors", "one row per actor: mentions by form, articles, dates, sentiment", _actors
    )
    _sentiment_option(actors)
    actors.add_argument(
        "--stream", type=int, metavar="CHUNK", default=0,
        help="bounded memory: read the corpus twice, CHUNK articles at a time",
    )  # fmt: skip
    _sentiment_option(
        _table_command(sub, "attitudes", "who expresses which polarity about whom", _attitudes)
    )
    _table_command(sub, "quotes", "direct and indirect speech with resolved speakers", _quotes)
    target = sub.add_parser(
        "target-sentiment", help="label a RuSentNE-format TSV with predicted sentiment"
    )
    target.add_argument("input", metavar="IN.tsv")
    target.add_argument("-o", "--output", metavar="OUT.tsv", help="default: standard output")
    _sentiment_option(target)
    target.set_defaults(run=_target_sentiment)
    return main_parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from newslens.load import CorpusError
    from newslens.report import ChapterError

    try:
        return args.run(args)
    except (CorpusError, ChapterError, FileNotFoundError, ValueError) as err:
        print(f"newslens: error: {err}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into `head`: not an error
        sys.stderr.close()
        return 0
