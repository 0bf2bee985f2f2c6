"""The PDF: built from the notebooks, Cyrillic as text, untrusted text inert."""

import base64
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from newslens import files, report, steps
from newslens.config import ROOT
from newslens.exporter import safe_url_fetcher

# A 1×1 PNG: enough for weasyprint to embed an image when it is allowed to fetch it.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
HOSTILE_TITLE = '<script>alert("x")</script> **жирный** $\\frac{a}{b}$'
HOSTILE_BODY = (
    'Путин встретился с Алиевым. <img src="file:///etc/passwd"> '
    '<iframe src="http://127.0.0.1/"></iframe> \\textbf{LaTeX} [ссылка](file:///etc/hosts)\n'
)


def pdf_text(path: Path) -> str:
    """The PDF's text in reading order, white space folded (table cells wrap lines)."""
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True)
    return " ".join(out.stdout.split())


@pytest.fixture(scope="module")
def seed_pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.pdf"
    report.build([ROOT / "seeds"], out, progress=False)
    return out


def test_seed_report_has_title_page_and_cyrillic_text(seed_pdf):
    text = pdf_text(seed_pdf)
    assert "News coverage report" in text
    assert "Ранее президент Азербайджана поддержал" in text
    assert "Путин" in text
    assert "Articles analysed 1" in text
    first_page = PdfReader(seed_pdf).pages[0].extract_text()
    assert "2025-09-03" in first_page
    assert "accurate (sentence embeddings + word vectors)" in first_page
    fonts = {
        str(font["/BaseFont"])
        for page in PdfReader(seed_pdf).pages
        for font in (page["/Resources"].get("/Font") or {}).values()
        if "/BaseFont" in font.get_object()
    }
    assert any("DejaVu" in name for name in fonts), fonts


def test_chapters_follow_the_notebooks_in_order(seed_pdf):
    import nbformat

    text = pdf_text(seed_pdf)
    headings = []
    for path in report.chapters():
        first = nbformat.read(path, as_version=4).cells[0].source.splitlines()[0]
        headings.append(first.lstrip("# ").strip())
    assert headings[0] == "1. The corpus"
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)


def test_untrusted_article_text_stays_literal(tmp_path):
    corpus = tmp_path / "hostile"
    corpus.mkdir()
    (corpus / "x.txt").write_text(f"date 2025-01-01 {HOSTILE_TITLE}\n\n{HOSTILE_BODY}", "utf-8")
    out = tmp_path / "hostile.pdf"
    kept = tmp_path / "executed"
    report.build([corpus], out, progress=False, keep=kept)
    flat = pdf_text(out)
    squashed = "".join(flat.split())  # narrow table cells may break a string anywhere
    for literal in [
        '<script>alert("x")</script>',
        "жирный",
        "$\\frac{a}{b}$",
        '<imgsrc="file:///etc/passwd">',
        "\\textbf{LaTeX}",
        "ссылка",
    ]:
        assert literal in squashed, literal
    # markdown is not news: blanked from the analysed text (newslens.hygiene), never rendered
    assert "**жирный**" not in squashed and "(file:///etc/hosts)" not in squashed
    assert "root:x:0:0" not in flat
    # the HTML that weasyprint renders holds the markup escaped, never live
    import nbformat

    from newslens.exporter import NewslensPDFExporter

    books = [nbformat.read(p, as_version=4) for p in sorted(kept.glob("notebooks/*.ipynb"))]
    html, _ = NewslensPDFExporter().to_html(report.combine(books, {"title": HOSTILE_TITLE}))
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    assert '<img src="file:' not in html


def test_renderer_fetches_no_file_urls(tmp_path):
    from weasyprint import HTML

    image = tmp_path / "pixel.png"
    image.write_bytes(PNG)
    markup = f'<p>x</p><img src="{image.as_uri()}" style="width:20px">'

    def images(pdf: bytes) -> int:
        out = tmp_path / "p.pdf"
        out.write_bytes(pdf)
        return len(PdfReader(out).pages[0].images)

    assert images(HTML(string=markup).write_pdf()) == 1  # the default fetcher would embed it
    assert images(HTML(string=markup, url_fetcher=safe_url_fetcher()).write_pdf()) == 0


def test_cli_zero_articles_is_one_line_and_exit_1(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    result = subprocess.run(
        [sys.executable, "-m", "newslens", "report", str(tmp_path), "-o", str(tmp_path / "r.pdf")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"newslens: error: no valid article in {tmp_path}; 1 input(s) rejected:",
        f"  1 × {tmp_path}/empty.txt: empty file",
    ]
    assert not (tmp_path / "r.pdf").exists()


def test_write_atomic_leaves_the_old_file_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "report.pdf"
    target.write_bytes(b"old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        report.write_atomic(b"new", target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def page_text(path: Path, page: int) -> str:
    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return " ".join(out.stdout.split())


def test_executive_summary_is_page_two_in_english(seed_pdf):
    second = page_text(seed_pdf, 2)
    assert second.startswith("Executive summary")
    assert "Владимир Путин (Vladimir Putin) — 5 times" in second


def test_executive_summary_in_russian_with_lang_ru(tmp_path):
    out = tmp_path / "ru.pdf"
    report.build([ROOT / "seeds"], out, lang="ru", progress=False)
    second = page_text(out, 2)
    assert second.startswith("Краткое изложение")
    assert "Владимир Путин — 5 раз (5 по имени)" in second


def test_rejected_inputs_are_listed_in_the_report_in_fast_mode(tmp_path):
    corpus = tmp_path / "mixed"
    corpus.mkdir()
    shutil.copy(next((ROOT / "seeds").glob("*.txt")), corpus)
    (corpus / "broken.jsonl").write_text('{"id": 1, "text": "Путин прибыл."}\n{oops\n', "utf-8")
    (corpus / "empty.txt").write_text("\n\n", "utf-8")
    out = tmp_path / "mixed.pdf"
    report.build([corpus], out, sentiment="fast", progress=False)
    text = pdf_text(out)
    assert "Articles analysed 2 Inputs rejected 2" in text
    assert "Sentiment fast (word vectors only)" in text
    squashed = "".join(text.split())
    assert "invalidJSON" in squashed
    assert "emptyfile" in squashed


def test_report_analyses_once_and_chapters_only_read_the_tables(tmp_path, monkeypatch):
    """The corpus is gone once the analysis has run: a chapter that analysed it again
    would fail. The full tables land beside the PDF as CSV."""
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "seeds", corpus)
    real = report.analyse
    calls = []

    def analyse_then_remove(*args, **kwargs):
        calls.append(1)
        result = real(*args, **kwargs)
        shutil.rmtree(corpus)
        return result

    monkeypatch.setattr(report, "analyse", analyse_then_remove)
    out = tmp_path / "out" / "report.pdf"
    report.build([corpus], out, progress=False, sentiment="fast")
    assert calls == [1]
    assert "Путин" in pdf_text(out)
    tables = out.parent / "report-tables"
    actors = [
        ",".join(r.split(",")[:6]) for r in (tables / "actors.csv").read_text("utf-8").splitlines()
    ]
    assert actors[0].startswith("actor,type,mentions,named_mentions,documents,stories")
    assert "Владимир Путин,PER,5,5,1,1" in actors
    assert not list((ROOT / "data" / "runs").glob(f"run-*-{os.getpid()}"))


def test_saved_analysis_reads_back_equal(tmp_path, seed_fast):
    from newslens import pipeline

    result = seed_fast
    again = pipeline.open_analysis(result.save(tmp_path / "tables"))
    for name in steps.kept():
        pd.testing.assert_frame_equal(again[name], result[name], obj=name, check_dtype=False)
    assert again.narrative("en") == result.narrative("en")
    assert again.narrative("en") == result.narrative("en")
