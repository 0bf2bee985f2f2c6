"""The loader: every format, every bad input, on real text."""

import json
from pathlib import Path

import pandas as pd
import pytest

from newslens.config import SEEDS
from newslens.load import CorpusError, describe, load

SEED = next(SEEDS.glob("*.txt"))
BODY = "Владимир Путин провёл переговоры с Реджепом Тайипом Эрдоганом в Анкаре."


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def test_seed_format_reads_date_title_and_body():
    corpus = load(SEEDS)
    assert len(corpus.articles) == 1
    row = corpus.articles.iloc[0]
    assert row.doc_id == SEED.stem
    assert row.date == pd.Timestamp("2025-09-03")
    assert row.title.startswith("Ранее президент Азербайджана поддержал Украину")
    assert row.text.startswith("В ходе проходившего в Китае саммита")
    assert "date 2025" not in row.text
    assert row.text.count("Путин") == 5  # Путин ×3, Путина ×2 in the body
    assert corpus.rejected.empty
    assert corpus.period == (pd.Timestamp("2025-09-03").date(),) * 2


def test_doc_id_is_stable_and_offsets_index_text(tmp_path):
    write(tmp_path / "a" / "one.txt", f"date 2025-01-02 Заголовок\n\n{BODY}\n")
    first, second = load(tmp_path), load(tmp_path)
    assert first.articles.doc_id.tolist() == second.articles.doc_id.tolist() == ["a/one"]
    text = first.articles.text[0]
    start = text.index("Эрдоганом")
    assert text[start : start + 9] == "Эрдоганом"


def test_plain_txt_title_is_first_line_and_text_is_everything(tmp_path):
    write(tmp_path / "plain.txt", "Саммит ШОС\nПутин и Алиев не провели встречу.\n")
    row = load(tmp_path).articles.iloc[0]
    assert row.title == "Саммит ШОС"
    assert row.text == "Саммит ШОС\nПутин и Алиев не провели встречу.\n"
    assert pd.isna(row.date)


def test_bom_and_crlf_are_normalised(tmp_path):
    raw = "\ufeffdate 2025-03-04 Заголовок\r\n\r\nПервая строка.\r\nВторая строка.\r\n"
    write(tmp_path / "bom.txt", raw)
    row = load(tmp_path).articles.iloc[0]
    assert row.title == "Заголовок"
    assert row.text == "Первая строка.\nВторая строка.\n"


def test_cp1251_falls_back_with_a_warning(tmp_path):
    write(tmp_path / "old.txt", f"date 2024-05-06 Старый файл\n\n{BODY}".encode("cp1251"))
    corpus = load(tmp_path)
    assert corpus.articles.text[0] == BODY
    assert corpus.warnings.reason.tolist() == ["not UTF-8: decoded as cp1251"]


def test_jsonl_fields_ids_and_bad_lines(tmp_path):
    lines = [
        json.dumps(
            {
                "id": "a1",
                "title": "Первая",
                "date": "2025-09-01",
                "text": BODY,
                "source": "ria.ru",
                "url": "https://example.org/1",
            },
            ensure_ascii=False,
        ),
        json.dumps({"text": "Алиев выступил в Шуше."}, ensure_ascii=False),
        "{not json",
        json.dumps({"title": "без текста"}, ensure_ascii=False),
        "",
        json.dumps(["a", "list"]),
        json.dumps({"id": "a1", "text": "Другой текст с тем же id."}, ensure_ascii=False),
    ]
    write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    corpus = load(tmp_path)
    articles = corpus.articles.set_index("doc_id")
    assert list(articles.index) == ["a1", "feed#2"]
    assert articles.loc["a1", "source"] == "ria.ru"
    assert articles.loc["a1", "date"] == pd.Timestamp("2025-09-01")
    assert articles.loc["feed#2", "title"] == "Алиев выступил в Шуше."
    reasons = dict(zip(corpus.rejected.line, corpus.rejected.reason, strict=True))
    assert reasons[3].startswith("invalid JSON")
    assert reasons[4] == "no 'text' (missing or empty)"
    assert reasons[6] == "a JSON list, not an object"
    assert reasons[7] == "duplicate id 'a1'"
    assert set(corpus.rejected.path) == {str(tmp_path / "feed.jsonl")}


def test_csv_with_text_column_and_quoted_newlines(tmp_path):
    content = 'id,date,title,text\n1,2025-09-02,Саммит,"Путин прибыл.\nАлиев тоже."\n2,,Пусто,\n'
    write(tmp_path / "table.csv", content)
    corpus = load(tmp_path)
    assert corpus.articles.text.tolist() == ["Путин прибыл.\nАлиев тоже."]
    assert corpus.rejected[["line", "reason"]].values.tolist() == [
        [4, "no 'text' (missing or empty)"]
    ]


def test_csv_without_text_column_is_rejected_whole(tmp_path):
    write(tmp_path / "bad.csv", "id;body\n1;Путин\n")
    write(tmp_path / "good.txt", BODY)
    corpus = load(tmp_path)
    assert len(corpus.articles) == 1
    assert corpus.rejected.reason.tolist() == ["CSV has no 'text' column (columns: id, body)"]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", "  \n\n", "empty file"),
        ("binary.txt", b"\x89PNG\r\n\x00\x00\x00", "binary file (NUL bytes), not text"),
        ("bad-date.txt", "date 2025-13-45 Заголовок\n\nТекст.", "header line is not"),
        ("word-date.txt", "date вчера Заголовок\n\nТекст.", "header line is not"),
        ("no-body.txt", "date 2025-01-01 Только заголовок\n\n", "article has a header but no body"),
        ("undecodable.txt", b"\xd0\x9f\x98\x98 text", "undecodable bytes"),
        ("notes.md", "# Markdown", "unsupported file type '.md'"),
    ],
)
def test_bad_files_are_rejected_with_reason_and_the_rest_goes_on(tmp_path, name, content, reason):
    write(tmp_path / "good.txt", BODY)
    write(tmp_path / name, content)
    corpus = load(tmp_path)
    assert corpus.articles.doc_id.tolist() == ["good"]
    assert len(corpus.rejected) == 1
    rejected = corpus.rejected.iloc[0]
    assert rejected.path == str(tmp_path / name)
    assert rejected.reason.startswith(reason)


def test_duplicate_text_is_rejected_naming_the_original(tmp_path):
    write(tmp_path / "a.txt", f"date 2025-01-01 A\n\n{BODY}")
    write(tmp_path / "b.txt", f"date 2025-01-02 B\n\n{BODY}\n")
    corpus = load(tmp_path)
    assert corpus.articles.doc_id.tolist() == ["a"]
    assert corpus.rejected.reason.tolist() == ["duplicate text of a"]


def test_missing_path_is_accounted_for(tmp_path):
    corpus = load([SEEDS, tmp_path / "nowhere"])
    assert len(corpus.articles) == 1
    assert corpus.rejected.reason.tolist() == ["no such file or folder"]


def test_zero_valid_articles_is_a_one_line_error(tmp_path):
    write(tmp_path / "empty.txt", "")
    with pytest.raises(CorpusError, match=r"no valid article in .*; 1 input\(s\) rejected"):
        load(tmp_path)
    assert load(tmp_path, strict=False).articles.empty


def test_describe_counts_articles_words_and_rejections(tmp_path):
    write(tmp_path / "x.jsonl", "oops\n")
    text = describe(load([SEEDS, tmp_path]))
    assert text == (
        "The corpus holds 1 article dated 2025-09-03, 293 words in all; 1 input(s) were rejected."
    )
