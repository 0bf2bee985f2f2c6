"""Command line: ``python -m newslens COMMAND``.

An error is one readable line and exit status 1 (``--debug`` shows the traceback instead);
Ctrl-C stops with status 130 and SIGTERM with 143, without a traceback. What would fail after
the work (the output path, the cache folder, the gazetteer) is checked before it.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import warnings
from pathlib import Path

DEFAULT_CORPUS = "seeds"


# ------------------------------------------------------------------ options


def positive(text: str) -> int:
    """argparse type: a whole number of at least 1 (``-j -3`` is an error, not a crash)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a positive whole number")
    return value


def _corpus_args(parser: argparse.ArgumentParser, default: bool = False) -> None:
    """The corpus paths and the article size limit."""
    from newslens.config import MAX_ARTICLE_CHARS

    parser.add_argument(
        "paths",
        nargs="*" if default else "+",
        default=[DEFAULT_CORPUS] if default else None,
        metavar="PATH",
        help="files or folders of .txt, .jsonl, .csv articles"
        + (f" (default: {DEFAULT_CORPUS}/)" if default else ""),
    )
    parser.add_argument(
        "--max-chars", type=positive, metavar="N",
        help=f"reject articles longer than N characters (default: {MAX_ARTICLE_CHARS:,})",
    )  # fmt: skip


def _output_option(command: argparse.ArgumentParser, help_text: str, **kwargs) -> None:
    command.add_argument("-o", "--output", help=help_text, **kwargs)


def _quiet_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


def _gazetteer_option(command: argparse.ArgumentParser) -> None:
    from newslens.gazetteer import DEFAULT_PATH

    command.add_argument("--gazetteer", default=str(DEFAULT_PATH), help="gazetteer CSV")


def _engine_options(command: argparse.ArgumentParser) -> None:
    """Where the per-article stage runs and what it caches (read by :func:`_run_options`)."""
    command.add_argument(
        "-j", "--workers", type=positive, default=None, metavar="N",
        help="processes for the per-article stage, the embeddings and the steps that read "
        "each article apart (default: all cores from 20 articles on)",
    )  # fmt: skip
    command.add_argument("--engine", choices=["local", "dask"], default="local")
    command.add_argument("--scheduler", help="Dask scheduler address, with --engine dask")
    command.add_argument("--no-cache", action="store_true", help="do not read or write data/cache")
    command.add_argument("--cache-dir", help="cache folder (default: data/cache/articles)")


def _sentiment_option(command: argparse.ArgumentParser) -> None:
    from newslens import modes

    command.add_argument(
        "--sentiment", choices=list(modes.MODES), default=modes.DEFAULT,
        help="; ".join(f"{m.name}: {m.help}" for m in modes.MODES.values()),
    )  # fmt: skip


def _debug_option(command: argparse.ArgumentParser, top: bool = False) -> None:
    command.add_argument(
        "--debug", action="store_true", default=False if top else argparse.SUPPRESS,
        help="show the traceback of an error instead of one line",
    )  # fmt: skip


# ------------------------------------------------------------------ commands


def _report(args: argparse.Namespace) -> int:
    from newslens.report import build, tables_folder

    out = build(args.paths, args.output, lang=args.lang, sentiment=args.sentiment,
                progress=not args.quiet, **_run_options(args))  # fmt: skip
    print(f"wrote {out} (tables: {tables_folder(out)}/)")
    return 0


def _write_table(frame, output: str | None) -> None:
    """Spreadsheet-safe CSV (see ``newslens.files.csv_text``) to a file, atomically, or to
    standard output."""
    from newslens.files import csv_text, write_atomic

    text = csv_text(frame)
    if output is None:
        sys.stdout.write(text)
        return
    write_atomic(text.encode("utf-8"), Path(output))
    print(f"wrote {output} ({len(frame)} rows)", file=sys.stderr)


def _report_problems(rejected, warned=None) -> None:
    """Every rejected input and every warning, one line each, on standard error."""
    for label, table in (("rejected", rejected), ("warning", warned)):
        for row in table.itertuples() if table is not None else []:
            where = f"{row.path}:{row.line}" if row.line else row.path
            print(f"{label} {where}: {row.reason}", file=sys.stderr)


def _run_options(args: argparse.Namespace) -> dict:
    """Where the per-article work runs and what it caches; ``workers`` 0 lets the engine
    choose by corpus size."""
    from newslens.engine import Cache

    return dict(
        gazetteer=args.gazetteer,
        workers=args.workers or 0,
        engine=args.engine,
        scheduler=args.scheduler,
        cache=False if args.no_cache else Cache(args.cache_dir) if args.cache_dir else True,
    )


def _analysis(args: argparse.Namespace, sentiment: bool = True):
    """The corpus of ``args`` loaded (its problems printed) and its analysis, to ask for the
    tables a command writes."""
    from newslens import context
    from newslens.engine import default_workers
    from newslens.load import load
    from newslens.pipeline import analyse

    options = _run_options(args)
    mode = getattr(args, "sentiment", None) if sentiment else None
    ctx = context.make(sentiment=mode, progress=not args.quiet, **options)
    corpus = load(args.paths, max_chars=ctx.max_chars)
    _report_problems(corpus.rejected, corpus.warnings)
    if not ctx.workers:
        ctx = ctx.but(workers=default_workers(len(corpus.articles)))
    return analyse(corpus, ctx)


def _mentions(args: argparse.Namespace) -> int:
    _write_table(_analysis(args, sentiment=False)["mentions"], args.output)
    return 0


def _actors(args: argparse.Namespace) -> int:
    if args.stream:
        from newslens import context
        from newslens.stream import stream_actors

        options = _run_options(args)
        options["workers"] = options["workers"] or os.cpu_count() or 1
        ctx = context.make(sentiment=args.sentiment, progress=not args.quiet, **options)
        result = stream_actors(args.paths, ctx, chunk=args.stream)
        _report_problems(result.rejected)
        _write_table(result.actors, args.output)
        return 0
    _write_table(_analysis(args)["actors"], args.output)
    return 0


def _target_sentiment(args: argparse.Namespace) -> int:
    import io

    from newslens import context
    from newslens.sentiment import label_file

    buffer = io.StringIO()
    count, problems = label_file(Path(args.input), buffer, context.make(sentiment=args.sentiment))
    for problem in problems:
        print(f"not scored: {problem}", file=sys.stderr)
    if args.output:
        from newslens.files import write_atomic

        write_atomic(buffer.getvalue().encode("utf-8"), Path(args.output))
        print(f"wrote {args.output} ({count} rows, {len(problems)} not scored)", file=sys.stderr)
    else:
        sys.stdout.write(buffer.getvalue())
    return 0


def _stories(args: argparse.Namespace) -> int:
    """The stories table, and beside it (``-o``) each article's story: FILE-articles.csv."""
    from newslens.report import article_table

    analysis = _analysis(args)
    _write_table(analysis["stories"], args.output)
    if args.output:
        output = Path(args.output)
        _write_table(article_table(analysis), str(output.with_name(f"{output.stem}-articles.csv")))
    return 0


def _quotes(args: argparse.Namespace) -> int:
    _write_table(_analysis(args, sentiment=False)["quotes"], args.output)
    return 0


def _attitudes(args: argparse.Namespace) -> int:
    frame = _analysis(args)["attitudes"]
    _write_table(frame.drop(columns=["sentence_id"]), args.output)
    return 0


def _table_command(sub, name: str, help_text: str, run) -> argparse.ArgumentParser:
    command = sub.add_parser(name, help=help_text)
    _corpus_args(command)
    _output_option(command, "CSV file to write (default: standard output)")
    _gazetteer_option(command)
    _quiet_option(command)
    _engine_options(command)
    _debug_option(command)
    command.set_defaults(run=run)
    return command


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(
        prog="newslens", description="Offline analytical reports from Russian-language news."
    )
    _debug_option(main_parser, top=True)
    sub = main_parser.add_subparsers(dest="command", required=True)

    report = sub.add_parser("report", help="run the notebooks on a corpus and write the PDF")
    _corpus_args(report, default=True)
    _output_option(report, "PDF to write", default="report/report.pdf")
    report.add_argument("--lang", default="en", choices=["en", "ru"], help="narrative language")
    _quiet_option(report)
    _sentiment_option(report)
    _engine_options(report)
    _gazetteer_option(report)
    _debug_option(report)
    report.set_defaults(run=_report)
    _table_command(sub, "mentions", "one row per mention: offsets, type, actor, form", _mentions)
    actors = _table_command(
        sub, "actors", "one row per actor: mentions by form, articles, dates, sentiment", _actors
    )
    _sentiment_option(actors)
    actors.add_argument(
        "--stream", type=positive, metavar="CHUNK", default=0,
        help="bounded memory: read the corpus twice, CHUNK articles at a time",
    )  # fmt: skip
    _sentiment_option(
        _table_command(sub, "attitudes", "who expresses which polarity about whom", _attitudes)
    )
    _table_command(sub, "quotes", "direct and indirect speech with resolved speakers", _quotes)
    _sentiment_option(
        _table_command(
            sub,
            "stories",
            "stories (one event, its follow-ups) and each article's "
            "story; with -o, FILE-articles.csv too",
            _stories,
        )  # fmt: skip
    )
    target = sub.add_parser(
        "target-sentiment", help="label a RuSentNE-format TSV with predicted sentiment"
    )
    target.add_argument("input", metavar="IN.tsv")
    _output_option(target, "default: standard output", metavar="OUT.tsv")
    _sentiment_option(target)
    _debug_option(target)
    target.set_defaults(run=_target_sentiment)
    return main_parser


# ------------------------------------------------------------------ before the work


def preflight(args: argparse.Namespace) -> None:
    """Check, in a second, what would otherwise fail after minutes of work: the output file,
    the cache folder, the gazetteer; and hand ``--max-chars`` on (the report's notebooks
    inherit it through the environment)."""
    from newslens import config
    from newslens.files import check_folder, check_writable

    if getattr(args, "max_chars", None):
        os.environ[config.MAX_CHARS_VARIABLE] = str(args.max_chars)
    if getattr(args, "output", None) is not None:
        check_writable(args.output)
    if getattr(args, "cache_dir", None) is not None and not args.no_cache:
        check_folder(args.cache_dir, "cache folder (--cache-dir)")
    if getattr(args, "gazetteer", None) is not None:
        check_gazetteer(args.gazetteer)


def check_gazetteer(path: str) -> None:
    """Read the gazetteer once now; any problem is one line naming it."""
    import csv

    from newslens.gazetteer import read

    where = Path(path)
    if where.is_dir():
        raise ValueError(f"gazetteer {where} is a folder, not a CSV file")
    try:
        read(where)
    except UnicodeDecodeError as err:
        raise ValueError(
            f"gazetteer {where} is not UTF-8 (byte 0x{err.object[err.start]:02x} at offset "
            f"{err.start}): save it as UTF-8"
        ) from None
    except OSError as err:
        raise ValueError(f"cannot read gazetteer {where}: {err.strerror or err}") from None
    except csv.Error as err:
        raise ValueError(f"gazetteer {where}: malformed CSV: {err}") from None


# ------------------------------------------------------------------ running


class Terminated(BaseException):
    """SIGTERM, raised where the program is so that temporary files are cleaned up."""


def _terminate(signum, frame) -> None:
    raise Terminated


def _one_line_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """newslens' own warnings (a cache that cannot be written) as one line."""
    if category.__module__.startswith("newslens"):
        print(f"newslens: warning: {message}", file=file or sys.stderr)
    else:
        _show_warning(message, category, filename, lineno, file, line)


_show_warning = warnings.showwarning


def _stop_workers() -> None:
    if "newslens.engine" in sys.modules:  # no workers without it
        sys.modules["newslens.engine"].stop_workers()


def message(err: BaseException) -> str:
    """What the user reads: our own errors and OS errors as they are, anything else with its
    type and a pointer to ``--debug``."""
    if isinstance(err, OSError) and err.strerror:
        where = f"{err.filename}: " if err.filename else ""
        return f"{where}{err.strerror}"
    if type(err).__module__.startswith("newslens") or isinstance(err, (ValueError, OSError)):
        return str(err)
    return f"{type(err).__name__}: {err} (an internal error: --debug shows where)"


def main(argv: list[str] | None = None) -> int:
    args = None
    previous = signal.signal(signal.SIGTERM, _terminate)
    warnings.showwarning = _one_line_warning
    try:
        args = parser().parse_args(argv)
        preflight(args)
        return args.run(args)
    except KeyboardInterrupt:
        _stop_workers()
        if getattr(args, "debug", False):
            raise
        print("\nnewslens: interrupted", file=sys.stderr)
        return 130
    except Terminated:
        _stop_workers()
        print("newslens: terminated", file=sys.stderr)
        return 143
    except BrokenPipeError:  # output piped into `head`: not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as err:
        if getattr(args, "debug", False):
            raise
        print(f"newslens: error: {message(err)}", file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGTERM, previous)
        warnings.showwarning = _show_warning
