"""Build the PDF report: analyse the corpus once, run every chapter notebook on the saved
tables, join them, render with weasyprint.

The committed notebooks in ``notebooks/`` are the chapters; they are executed with papermill
(parameters ``corpus``, ``lang``, ``sentiment`` and ``tables``, the folder of the saved
analysis, injected) into the run's folder and never overwritten.
"""

from __future__ import annotations

import copy
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pandas as pd

from newslens import __version__, config, context, modes
from newslens.engine import default_workers
from newslens.exporter import in_language
from newslens.files import csv_text, write_atomic
from newslens.i18n import t
from newslens.load import Corpus, load, overview
from newslens.pipeline import Analysis, analyse
from newslens.steps import exported

SUMMARY_TAG = "executive-summary"


class ChapterError(Exception):
    """A chapter notebook failed to run; the message names the notebook and the error."""


def chapters(folder: Path = config.NOTEBOOKS) -> list[Path]:
    """The chapter notebooks, in order: ``NN_name.ipynb``."""
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))


def run_chapter(
    notebook: Path,
    out_dir: Path,
    corpus: list[str],
    lang: str,
    sentiment: str = modes.DEFAULT,
    tables: str = "",
) -> nbformat.NotebookNode:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    out = out_dir / notebook.name
    try:
        papermill.execute_notebook(
            str(notebook),
            str(out),
            parameters={
                "corpus": corpus,
                "lang": lang,
                "sentiment": sentiment,
                "progress": False,
                "tables": tables,
            },  # fmt: skip
            cwd=str(notebook.parent),
            kernel_name="python3",
            progress_bar=False,
            log_output=False,
            # the kernel runs on loopback for this process only: its TCP notice is noise here
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
        )
    except PapermillExecutionError as err:
        raise ChapterError(f"chapter {notebook.name} failed: {err.ename}: {err.evalue}") from None
    return nbformat.read(out, as_version=4)


def run_chapters(
    notebooks: list[Path],
    out_dir: Path,
    corpus: list[str],
    lang: str,
    sentiment: str,
    tables: Path,
    progress: bool = False,
) -> list[nbformat.NotebookNode]:
    """Every chapter, in its own kernel, as many at a time as there are cores: each only
    reads the saved tables, so they do not wait for one another. In chapter order."""
    from concurrent.futures import ThreadPoolExecutor, as_completed

    from tqdm import tqdm

    bar = tqdm(total=len(notebooks), desc="chapters", unit="chapter", disable=not progress)
    workers = max(1, min(len(notebooks), os.cpu_count() or 1))
    with ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(run_chapter, notebook, out_dir, corpus, lang, sentiment,
                               str(tables)) for notebook in notebooks]  # fmt: skip
        names = dict(zip(futures, (n.stem for n in notebooks), strict=True))
        try:
            for future in as_completed(futures):
                future.result()  # the first chapter that fails stops the report
                bar.set_postfix_str(names[future])
                bar.update()
        except BaseException:  # the chapters not started are dropped, the running ones end
            for future in futures:
                future.cancel()
            raise
    bar.close()
    return [future.result() for future in futures]


def title_facts(
    corpus: Corpus,
    paths: Sequence[str],
    sentiment: str = modes.DEFAULT,
    lang: str = "en",
    tables: Path | None = None,
) -> list[tuple[str, str]]:
    first, last = corpus.period
    undated = int(corpus.articles["date"].isna().sum())
    period = (
        t("undated", lang)
        if first is None
        else (first.isoformat() if first == last else f"{first.isoformat()} – {last.isoformat()}")
    )
    if first is not None and undated:
        period += f" ({t('n_undated', lang, n=undated)})"
    label = modes.mode(sentiment).label[lang == "ru"]
    facts = [
        (t("corpus", lang), ", ".join(paths)),
        (t("period", lang), period),
        (t("articles_analysed", lang), str(len(corpus.articles))),
        (t("inputs_rejected", lang), str(len(corpus.rejected))),
        (t("warnings", lang), str(len(corpus.warnings))),
        (t("sentiment_mode", lang), label),
    ]
    if tables is not None:
        facts.append((t("full_tables", lang), f"{tables}/"))
    facts.append((t("made_with", lang), f"newslens {__version__}, {t('offline', lang)}"))
    return facts


def combine(notebooks: Sequence[nbformat.NotebookNode], meta: dict) -> nbformat.NotebookNode:
    """One notebook in the report's language: executive-summary cells first, then each chapter
    from a fresh page."""
    book = nbformat.v4.new_notebook()
    book.metadata = copy.deepcopy(notebooks[0].metadata) if notebooks else {}
    book.metadata["newslens"] = meta
    lang = meta.get("lang", "en")
    summary, body = [], []
    for index, nb in enumerate(notebooks):
        cells = [cell for cell in nb.cells if in_language(cell, lang)]
        for position, cell in enumerate(cells):
            cell = copy.deepcopy(cell)
            tags = cell.metadata.get("tags", [])
            if SUMMARY_TAG in tags:
                front = copy.deepcopy(cell)
                if "id" in front:
                    front["id"] = f"{front['id'][:50]}-summary"
                summary.append(front)
                cell.metadata["tags"] = [t for t in tags if t != SUMMARY_TAG]
            if position == 0 and index > 0:
                cell.metadata["newslens_chapter"] = True
            body.append(cell)
    book.cells = summary + body
    return book


def render_pdf(book: nbformat.NotebookNode) -> bytes:
    from newslens.exporter import NewslensPDFExporter

    pdf, _ = NewslensPDFExporter().from_notebook_node(book)
    return pdf


@contextmanager
def run_folder(keep: str | Path | None = None) -> Iterator[Path]:
    """A folder for one run's work files (tables, executed notebooks: they hold article text).

    It lives under ``data/runs/`` and is removed when the run ends, also on SIGTERM; folders
    left by a killed run (SIGKILL) are removed by the next run. ``keep`` names a folder to keep.
    """
    config.RUNS.mkdir(parents=True, exist_ok=True)
    for stale in config.RUNS.glob("run-*"):
        pid = stale.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        yield Path(keep)
        return
    folder = Path(tempfile.mkdtemp(prefix="run-", dir=config.RUNS))
    named = folder.with_name(f"{folder.name}-{os.getpid()}")
    folder.rename(named)
    previous = _on_sigterm()
    try:
        yield named
    finally:
        shutil.rmtree(named, ignore_errors=True)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _on_sigterm():
    """SIGTERM ends the run like Ctrl-C, so that ``finally`` blocks clean up."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    return signal.signal(signal.SIGTERM, stop)


def tables_folder(output: Path) -> Path:
    """Where the report's full tables go: beside the PDF, named after it."""
    return output.with_name(f"{output.stem}-tables")


def export_tables(analysis: Analysis, folder: Path) -> Path:
    """Every table the PDF caps, whole, as CSV (the PDF names this folder): the tables
    ``steps.exported`` names, articles as ``article_table`` shows them."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, file in exported().items():
        frame = article_table(analysis) if name == "articles" else analysis[name]
        write_atomic(csv_text(_readable(frame)).encode("utf-8"), folder / f"{file}.csv")
    steps = pd.DataFrame(list(analysis.seconds.items()), columns=["step", "seconds"])
    write_atomic(csv_text(steps).encode("utf-8"), folder / "steps.csv")  # what took how long
    return folder


READABLE = ("sentence", "quote", "headline", "title", "target_text", "speaker_text")


def _readable(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as a reader reads them: the spaces blanked markup left (``hygiene``) as
    one space (offsets index the articles, not these cells)."""
    columns = [c for c in READABLE if c in frame and frame[c].dtype != "float64"]
    if not columns:
        return frame
    return frame.assign(
        **{c: frame[c].astype("string").str.replace(r"[ \t]{2,}", " ", regex=True) for c in columns}
    )


def article_table(analysis: Analysis) -> pd.DataFrame:
    """One line per article (``load.overview``) with its story, and for a copy the article
    it copies and their similarity."""
    table = overview(analysis["articles"]).merge(analysis["story_of"], on="doc_id", how="left")
    return table.merge(analysis["copies"], on="doc_id", how="left")


def build(
    paths: Sequence[str | Path],
    output: str | Path = config.REPORT / "report.pdf",
    *,
    lang: str = "en",
    sentiment: str = modes.DEFAULT,
    progress: bool = True,
    keep: str | Path | None = None,
    **run_options,
) -> Path:
    """Analyse ``paths`` once, run the chapters on the saved tables and write the PDF (and,
    beside it, the full tables as CSV); returns the output path.

    ``run_options`` make the run's context (``context.make``: gazetteer, workers, engine,
    scheduler, cache; the article cache by default).
    """
    output = Path(output)
    corpus_paths = [str(Path(p).resolve()) for p in paths]
    run_options.setdefault("cache", True)
    ctx = context.make(sentiment=sentiment, progress=progress, **run_options)
    corpus = load(corpus_paths, max_chars=ctx.max_chars)  # fail early, with its message
    shown = [str(p) for p in paths]
    notebooks = chapters()
    if not notebooks:
        raise ChapterError(f"no chapter notebooks found in {config.NOTEBOOKS}")
    if not run_options.get("workers"):
        ctx = ctx.but(workers=default_workers(len(corpus.articles)))
    with run_folder(keep) as run:
        analysis = analyse(corpus, ctx)
        tables = analysis.save(run / "tables")
        export_tables(analysis, tables_folder(output))
        out_dir = run / "notebooks"
        out_dir.mkdir(exist_ok=True)
        executed = run_chapters(notebooks, out_dir, corpus_paths, lang, ctx.mode.name, tables,
                                progress)  # fmt: skip
        meta = {
            "title": t("report_title", lang),
            "lang": lang,
            "facts": title_facts(corpus, shown, ctx.mode.name, lang, tables_folder(output)),
        }
        pdf = render_pdf(combine(executed, meta))
    write_atomic(pdf, output)
    return output
