"""Real news, as a new user would feed it: a few hundred shared texts (NEREL, factRuEval as
.txt files; RuSentNE sentences as JSONL with dates and sources) through every command and
every chapter, sentiment mode fast. Reads ../shared/data (evaluation data, never copied into
the repository); skipped, saying so, where it is absent."""

import csv
import json
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from newslens import cli, config, engine, report
from newslens.load import load

SHARED = config.SHARED_DATA
pytestmark = pytest.mark.skipif(not SHARED.exists(), reason=f"no shared data at {SHARED}")
OUTLETS = ["https://ria.ru/politics/", "https://www.kommersant.ru/doc/", "tass.ru"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """~340 real articles: every 7th NEREL text, every 2nd factRuEval text, 150 RuSentNE
    sentences as one-line JSONL articles with dates in three formats and three outlets."""
    folder = tmp_path_factory.mktemp("real")
    nerel = sorted((SHARED / "nerel" / "NEREL-v1.1").glob("*/*.txt"))[::7]
    factru = sorted((SHARED / "factrueval2016" / "devset").glob("*.txt"))[::2]
    for path in [*nerel, *factru]:
        (folder / f"{path.parent.name}_{path.name}").write_bytes(path.read_bytes())
    with (SHARED / "rusentne2023" / "train_data.csv").open(encoding="utf-8", newline="") as f:
        sentences = list(dict.fromkeys(r["sentence"] for r in csv.DictReader(f, delimiter="\t")))
    dates = ["2023-03-{:02d}", "{:02d}.04.2023", "{:02d}/05/2023 10:35"]
    with (folder / "feed.jsonl").open("w", encoding="utf-8") as feed:
        for i, sentence in enumerate(sentences[::24][:150]):
            record = {"id": f"s{i}", "text": sentence, "date": dates[i % 3].format(i % 28 + 1),
                      "source": OUTLETS[i % 3] + str(i)}  # fmt: skip
            feed.write(json.dumps(record, ensure_ascii=False) + "\n")
    return folder


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


def test_every_input_is_an_article_or_a_rejection(corpus):
    loaded = load(corpus)
    inputs = len(list(corpus.glob("*.txt"))) + 150
    assert len(loaded.articles) + len(loaded.rejected) == inputs
    assert len(loaded.articles) >= 300
    assert loaded.articles.source.ne("").sum() == 150


@pytest.mark.parametrize("command", ["actors", "mentions", "attitudes", "quotes"])
def test_every_table_command_succeeds_on_real_news(corpus, cache, tmp_path, command, capsys):
    out = tmp_path / f"{command}.csv"
    args = [command, str(corpus), "-o", str(out), "-q", "--cache-dir", str(cache)]
    if command in ("actors", "attitudes"):
        args += ["--sentiment", "fast"]
    assert cli.main(args) == 0, capsys.readouterr().err
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) > 100


def test_a_russian_report_of_real_news_is_russian_and_bounded(corpus, cache, tmp_path):
    out = tmp_path / "report.pdf"
    report.build([corpus], out, lang="ru", sentiment="fast", progress=False,
                 cache=engine.Cache(cache), workers=2)  # fmt: skip
    pages = PdfReader(out).pages
    assert len(pages) <= 40
    text = [" ".join(page.extract_text().split()) for page in pages]
    assert "Обзор публикаций" in text[0] and "Период" in text[0]
    assert text[1].startswith("Краткое изложение") or "Краткое изложение" in text[1][:80]
    assert "1. Корпус" in text[2]
    whole = " ".join(text)
    for english in ["Executive summary", "Who is in the news", "In what light", "The corpus",
                    "Articles per", "mentions", "Net sentiment"]:  # fmt: skip
        assert english not in whole, english
    for chapter in ["2. Кто в новостях", "3. В каком свете", "4. Кто что сказал"]:
        assert chapter in whole
    tables = out.parent / "report-tables"
    assert {p.name for p in tables.glob("*.csv")} >= {"actors.csv", "quotes.csv", "dates.csv"}
    png = subprocess.run(["pdftoppm", "-r", "20", "-png", "-f", "2", "-l", "2", str(out),
                          str(tmp_path / "p")], capture_output=True)  # fmt: skip
    assert png.returncode == 0
