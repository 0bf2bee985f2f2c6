"""Build the PDF report: run every chapter notebook on a corpus, join them, render with weasyprint.

The committed notebooks in ``notebooks/`` are the chapters; they are executed with papermill
(parameters ``corpus``, ``lang`` and ``sentiment`` injected) into a scratch folder and never
overwritten.
"""

from __future__ import annotations

import copy
import tempfile
from collections.abc import Sequence
from pathlib import Path

import nbformat

from newslens import __version__, config
from newslens.files import write_atomic
from newslens.load import Corpus, load

SUMMARY_TAG = "executive-summary"


class ChapterError(Exception):
    """A chapter notebook failed to run; the message names the notebook and the error."""


def chapters(folder: Path = config.NOTEBOOKS) -> list[Path]:
    """The chapter notebooks, in order: ``NN_name.ipynb``."""
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))


def run_chapter(
    notebook: Path, out_dir: Path, corpus: list[str], lang: str, sentiment: str = "accurate"
) -> nbformat.NotebookNode:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    out = out_dir / notebook.name
    try:
        papermill.execute_notebook(
            str(notebook),
            str(out),
            parameters={"corpus": corpus, "lang": lang, "sentiment": sentiment, "progress": False},
            cwd=str(notebook.parent),
            kernel_name="python3",
            progress_bar=False,
            log_output=False,
        )
    except PapermillExecutionError as err:
        raise ChapterError(f"chapter {notebook.name} failed: {err.ename}: {err.evalue}") from None
    return nbformat.read(out, as_version=4)


SENTIMENT_LABELS = {
    "accurate": "accurate (sentence embeddings + word vectors)",
    "fast": "fast (word vectors only)",
}


def title_facts(
    corpus: Corpus, paths: Sequence[str], sentiment: str = "accurate"
) -> list[tuple[str, str]]:
    first, last = corpus.period
    period = (
        "undated"
        if first is None
        else (first.isoformat() if first == last else f"{first.isoformat()} – {last.isoformat()}")
    )
    return [
        ("Corpus", ", ".join(paths)),
        ("Period", period),
        ("Articles analysed", str(len(corpus.articles))),
        ("Inputs rejected", str(len(corpus.rejected))),
        ("Sentiment", SENTIMENT_LABELS.get(sentiment, sentiment)),
        ("Made with", f"newslens {__version__}, offline"),
    ]


def combine(notebooks: Sequence[nbformat.NotebookNode], meta: dict) -> nbformat.NotebookNode:
    """One notebook: executive-summary cells first, then each chapter from a fresh page."""
    book = nbformat.v4.new_notebook()
    book.metadata = copy.deepcopy(notebooks[0].metadata) if notebooks else {}
    book.metadata["newslens"] = meta
    summary, body = [], []
    for index, nb in enumerate(notebooks):
        for position, cell in enumerate(nb.cells):
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


def build(
    paths: Sequence[str | Path],
    output: str | Path = config.REPORT / "report.pdf",
    *,
    lang: str = "en",
    sentiment: str = "accurate",
    progress: bool = True,
    keep: str | Path | None = None,
) -> Path:
    """Run the chapters on ``paths`` and write the PDF; returns the output path."""
    from tqdm import tqdm

    corpus_paths = [str(Path(p).resolve()) for p in paths]
    corpus = load(corpus_paths)  # fail early, with the loader's one-line message
    shown = [str(p) for p in paths]
    notebooks = chapters()
    if not notebooks:
        raise ChapterError(f"no chapter notebooks found in {config.NOTEBOOKS}")
    with tempfile.TemporaryDirectory(prefix="newslens-") as scratch:
        out_dir = Path(keep) if keep else Path(scratch)
        out_dir.mkdir(parents=True, exist_ok=True)
        executed = []
        bar = tqdm(notebooks, desc="chapters", unit="notebook", disable=not progress)
        for notebook in bar:
            bar.set_postfix_str(notebook.stem)
            executed.append(run_chapter(notebook, out_dir, corpus_paths, lang, sentiment))
        bar.close()
        meta = {
            "title": "News coverage report",
            "lang": lang,
            "facts": title_facts(corpus, shown, sentiment),
        }
        pdf = render_pdf(combine(executed, meta))
    output = Path(output)
    write_atomic(pdf, output)
    return output
