"""The loader: every format, every bad input, on real text."""

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from newslens.account import describe
from newslens.config import SEEDS, SHARED_DATA
from newslens.load import CorpusError, load

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


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r", "cp866", "iso8859_5"])
def test_cyrillic_single_byte_files_are_detected_and_said(tmp_path, encoding):
    write(tmp_path / "old.txt", f"date 2024-05-06 Старый файл\n\n{BODY}".encode(encoding))
    corpus = load(tmp_path)
    assert corpus.articles.text[0] == BODY
    assert corpus.articles.title[0] == "Старый файл"
    assert corpus.warnings.values.tolist() == [
        [str(tmp_path / "old.txt"), 0, f"not UTF-8: decoded as {encoding} (detected)"]
    ]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_utf16_and_utf32_with_a_byte_order_mark_are_text(tmp_path, encoding):
    write(tmp_path / "wide.txt", f"date 2024-05-06 Заголовок\r\n\r\n{BODY}".encode(encoding))
    corpus = load(tmp_path)
    assert corpus.articles.text.tolist() == [BODY]
    assert corpus.warnings.reason.str.startswith(f"decoded as {encoding.upper()}").tolist() == [
        True
    ]


def test_a_few_bad_bytes_in_utf8_are_replaced_and_said(tmp_path):
    data = f"date 2024-05-06 Заголовок\n\n{BODY}\n{BODY[:20]}".encode() + b"\xff\n"
    write(tmp_path / "mostly.txt", data)
    corpus = load(tmp_path)
    assert corpus.articles.text[0].endswith("\ufffd\n")
    assert corpus.warnings.reason.tolist() == [
        "1 byte(s) not UTF-8 replaced by \ufffd (the first at line 4)"
    ]


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
    write(tmp_path / "bad.csv", "id;comment\n1;Путин\n")
    write(tmp_path / "good.txt", BODY)
    corpus = load(tmp_path)
    assert len(corpus.articles) == 1
    assert corpus.rejected.reason.tolist() == ["CSV has no 'text' column (columns: id, comment)"]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", "  \n\n", "empty file"),
        ("binary.txt", b"\x89PNG\r\n\x00\x00\x00", "binary file (NUL bytes), not text"),
        ("no-body.txt", "date 2025-01-01 Только заголовок\n\n", "article has a header but no body"),
        ("no-body2.txt", "Заголовок\n\n05/08/2008 10:35\n", "article has a title and a date but"),
        ("undecodable.txt", bytes(range(0x80, 0x100)) * 4, "undecodable: neither UTF-8 nor"),
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


def test_describe_counts_warnings_only_when_there_are_some(tmp_path):
    write(tmp_path / "a.txt", f"Заголовок\n\n32/13/2008\n\n{BODY}")
    corpus = load([SEEDS, tmp_path])
    assert describe(corpus) == (
        "The corpus holds 2 articles dated 2025-09-03, 303 words in all; 1 carries no "
        "publication date; no input was rejected; 1 warning."
    )  # the unreadable date (which is not counted again among the articles with no date)
    assert describe(corpus, "ru") == (
        "В корпусе 2 статьи от 2025-09-03, 303 слова; без даты публикации: 1; ни один вход "
        "не отклонён; предупреждений: 1."
    )


def test_describe_counts_articles_words_and_rejections(tmp_path):
    write(tmp_path / "x.jsonl", "oops\n")
    text = describe(load([SEEDS, tmp_path]))
    assert text == (
        "The corpus holds 1 article dated 2025-09-03, 293 words in all; 1 input(s) were rejected."
    )


# ------------------------------------------------------------------ dates and layouts

NEREL = SHARED_DATA / "nerel" / "NEREL-v1.1"
FACTRU = SHARED_DATA / "factrueval2016" / "devset"
RUSENTNE = SHARED_DATA / "rusentne2023" / "train_data.csv"
needs_shared = pytest.mark.skipif(not NEREL.exists(), reason=f"no shared data in {SHARED_DATA}")


@needs_shared
def test_nerel_layout_title_date_line_body_on_the_real_file(tmp_path):
    """NEREL's 003.txt: title, blank line, «05/08/2008 10:35», blank line, body."""
    shutil.copy(NEREL / "train" / "003.txt", tmp_path)
    corpus = load(tmp_path)
    row = corpus.articles.iloc[0]
    assert row.date == pd.Timestamp("2008-08-05")
    assert row.title == (
        "Пулеметы, автоматы и снайперские винтовки изъяты в арендуемом американцами доме в Бишкеке"
    )
    assert row.text.startswith("БИШКЕК, 5 августа /Новости-Грузия/. Правоохранительные органы")
    assert "10:35" not in row.text
    assert corpus.warnings.empty and corpus.rejected.empty


@pytest.mark.parametrize(
    "line",
    [
        "05/08/2008 10:35",
        "05.08.2008",
        "5 августа 2008",
        "2008-08-05",
        "5 августа 2008 г.",
        "Вторник, 5 августа 2008 года, 10:35",
        "Tue, 05 Aug 2008 10:35:00 +0400",
        "05.08.08",
    ],
)
def test_date_line_after_the_title_dates_the_article(tmp_path, line):
    write(tmp_path / "a.txt", f"Саммит в Анкаре\n\n{line}\n\n{BODY}\n")
    row = load(tmp_path).articles.iloc[0]
    assert (row.date, row.title, row.text) == (pd.Timestamp("2008-08-05"), "Саммит в Анкаре",
                                              f"{BODY}\n")  # fmt: skip


def test_date_line_first_then_the_text_with_its_title(tmp_path):
    write(tmp_path / "a.txt", f"5 августа 2008\nСаммит в Анкаре\n{BODY}")
    row = load(tmp_path).articles.iloc[0]
    assert (row.date, row.title) == (pd.Timestamp("2008-08-05"), "Саммит в Анкаре")
    assert row.text == f"Саммит в Анкаре\n{BODY}"


@pytest.mark.parametrize(
    "content",
    [
        f"Саммит 5 августа 2008 года в Анкаре\n{BODY}",
        f"Россия — Канада\n0:1 — 01:23 Сёмин (Овечкин, Фёдоров)\n{BODY}",
        f"Итоги\n10:35\n{BODY}",
    ],
)
def test_lines_that_mention_a_date_or_a_score_are_text(tmp_path, content):
    write(tmp_path / "a.txt", content)
    corpus = load(tmp_path)
    row = corpus.articles.iloc[0]
    assert pd.isna(row.date) and row.text == content
    assert corpus.warnings.reason.str.startswith("all 1 article(s) carry no date").tolist() == [
        True
    ]


@pytest.mark.parametrize(
    ("content", "line", "shown"),
    [
        ("Заголовок\n\n32/13/2008 10:35\n\nТекст статьи.", 3, "32/13/2008 10:35"),
        ("date 2025-13-45 Заголовок\n\nТекст статьи.", 1, "2025-13-45"),
        ("date вчера Заголовок\n\nТекст статьи.", 1, "вчера"),
    ],
)
def test_a_date_that_cannot_be_read_is_a_warning_and_the_article_stays(
    tmp_path, content, line, shown
):
    write(tmp_path / "a.txt", content)
    corpus = load(tmp_path)
    row = corpus.articles.iloc[0]
    assert pd.isna(row.date) and row.title == "Заголовок" and row.text == "Текст статьи."
    assert corpus.warnings.values.tolist() == [
        [str(tmp_path / "a.txt"), line, f"date {shown!r} cannot be read: the article is undated"]
    ]
    assert corpus.rejected.empty


DATE_FIELDS = ["2008-08-05", "2008-08-05T10:35:00+03:00", "05.08.2008", "05/08/2008 10:35",
               "Tue, 05 Aug 2008 10:35:00 +0400"]  # fmt: skip


def test_jsonl_date_fields_in_every_format_and_a_bad_one_named(tmp_path):
    records = [{"id": f"n{i}", "date": d, "text": f"{BODY} {i}"} for i, d in enumerate(DATE_FIELDS)]
    records += [
        {"id": "bad", "date": "31.02.2008", "text": "Алиев выступил."},
        {"id": "rss", "pubDate": "Wed, 06 Aug 2008 09:00:00 GMT", "text": "Песков."},
    ]
    write(tmp_path / "feed.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in records))
    corpus = load(tmp_path)
    dates = corpus.articles.set_index("doc_id").date
    assert all(dates[f"n{i}"] == pd.Timestamp("2008-08-05") for i in range(len(DATE_FIELDS)))
    assert dates["rss"] == pd.Timestamp("2008-08-06") and pd.isna(dates["bad"])
    assert corpus.warnings.values.tolist() == [
        [
            str(tmp_path / "feed.jsonl"),
            6,
            "date '31.02.2008' cannot be read: the article is undated",
        ]
    ]


def test_csv_date_fields_in_every_format_and_a_bad_one_named(tmp_path):
    rows = [f'{i};{d};"{BODY} {i}"' for i, d in enumerate(DATE_FIELDS)] + ["9;вчера;Алиев."]
    write(tmp_path / "t.csv", "id;date;text\n" + "\n".join(rows) + "\n")
    corpus = load(tmp_path)
    dates = corpus.articles.set_index("doc_id").date
    assert [dates[str(i)] for i in range(len(DATE_FIELDS))] == [pd.Timestamp("2008-08-05")] * 5
    assert corpus.warnings.values.tolist() == [
        [str(tmp_path / "t.csv"), 7, "date 'вчера' cannot be read: the article is undated"]
    ]


def test_undated_articles_are_one_warning_per_path_given(tmp_path):
    write(tmp_path / "a" / "one.txt", f"Первая\n{BODY}")
    write(tmp_path / "a" / "two.txt", "Вторая\nАлиев выступил в Шуше.")
    write(tmp_path / "a" / "three.txt", f"date 2025-01-02 Третья\n\n{BODY} Снова.")
    write(tmp_path / "b.jsonl", '{"text": "Песков ответил."}\n')
    corpus = load([tmp_path / "a", tmp_path / "b.jsonl"])
    assert corpus.warnings.values.tolist() == [
        [str(tmp_path / "a"), 0, "2 of 3 article(s) carry no date (no date line or date field): "
         "they are undated"],
        [str(tmp_path / "b.jsonl"), 0, "all 1 article(s) carry no date (no date line or date "
         "field): they are undated"],
    ]  # fmt: skip


# ------------------------------------------------------------------ what is not an article


@needs_shared
@pytest.mark.parametrize(
    "source",
    [
        NEREL / "dev" / "119336_text.ann",
        FACTRU / "book_100.spans",
        FACTRU / "book_100.tokens",
        FACTRU / "book_100.objects",
        FACTRU / "book_100.coref",
    ],
    ids=lambda p: p.suffix,
)
def test_annotation_files_saved_as_txt_are_rejected_not_analysed(tmp_path, source):
    shutil.copy(source, tmp_path / f"{source.stem}{source.suffix.replace('.', '_')}.txt")
    write(tmp_path / "good.txt", BODY)
    corpus = load(tmp_path)
    assert corpus.articles.doc_id.tolist() == ["good"]
    assert corpus.rejected.reason.str.match(
        r"not an article: \d+ lines, \d+% of the text in sentences \(an annotation"
    ).tolist() == [True]


@needs_shared
def test_a_list_of_file_names_is_rejected_and_real_texts_with_tables_are_not(tmp_path):
    write(tmp_path / "list.txt", "\n".join(sorted(p.name for p in FACTRU.iterdir())[:40]))
    # the two real texts with the least prose: a video address, a hockey score table
    shutil.copy(NEREL / "train" / "44758_text.txt", tmp_path)
    shutil.copy(FACTRU / "book_444.txt", tmp_path)
    corpus = load(tmp_path)
    assert sorted(corpus.articles.doc_id) == ["44758_text", "book_444"]
    assert corpus.rejected.path.tolist() == [str(tmp_path / "list.txt")]


# ------------------------------------------------------------------ every input accounted for


def inputs(path: Path) -> int:
    """Inputs as a user counts them: every visible file, and every non-blank JSONL line."""
    files = [path] if path.is_file() else [
        p for p in path.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
    ]  # fmt: skip
    count = 0
    for file in files:
        if file.suffix == ".jsonl":
            count += max(1, sum(1 for line in file.read_bytes().split(b"\n") if line.strip()))
        else:
            count += 1
    return count


def rusentne_jsonl(folder: Path) -> Path:
    """RuSentNE's sentences as one-line JSONL articles (repeated sentences are duplicates)."""
    import csv

    with RUSENTNE.open(encoding="utf-8", newline="") as handle:
        sentences = [row["sentence"] for row in csv.DictReader(handle, delimiter="\t")]
    path = folder / "rusentne.jsonl"
    path.write_text("\n".join(json.dumps({"text": s}, ensure_ascii=False) for s in sentences))
    return path


@needs_shared
@pytest.mark.parametrize("name", ["seeds", "nerel", "factru", "rusentne"])
def test_every_input_is_an_article_or_a_rejection(tmp_path, name):
    path = {"seeds": SEEDS, "nerel": NEREL, "factru": FACTRU}.get(name) or rusentne_jsonl(tmp_path)
    corpus = load(path)
    assert len(corpus.articles) + len(corpus.rejected) == inputs(path)
    expected = {"seeds": 1, "nerel": 840, "factru": 122, "rusentne": 3716}[name]
    assert len(corpus.articles) == expected


def test_an_undated_article_takes_the_date_its_first_sentence_opens_with(tmp_path):
    """NEREL (Wikinews) texts carry no date line but open with the date: 193 of 840 do."""
    write(
        tmp_path / "a" / "lead.txt",
        "Автобус въехал в переход\nАвтобусы в Москве\n"
        "29 декабря 2017 года на северо-западе Москвы автобус въехал в подземный переход.",
    )
    write(
        tmp_path / "a" / "caption.txt",
        "Тэтчер\nМаргарет Тэтчер на похоронах Рейгана 11 июня "
        "2004 года\nБывший премьер Великобритании прилетела в Вашингтон утром.",
    )
    write(
        tmp_path / "a" / "law.txt",
        "Закон\nФедеральный закон от 03.04.2017 № 53-ФЗ вступил в силу и действует.",
    )
    write(
        tmp_path / "a" / "far.txt",
        "Итоги\nПрезидент выступил с обращением к нации и напомнил о событиях 12 июня 1990 года.",
    )
    write(tmp_path / "b.jsonl", '{"text": "В субботу, 6 мая 2017 года, в Париже прошли выборы."}\n')
    corpus = load([tmp_path / "a", tmp_path / "b.jsonl"])
    dated = corpus.articles.set_index("doc_id").date
    assert dated.dropna().astype(str).to_dict() == {"lead": "2017-12-29", "b#1": "2017-05-06"}
    assert corpus.warnings.reason.tolist() == [
        "all 4 article(s) carry no date line or date field: 1 take the date their first "
        "sentence opens with, 3 are undated",
        "all 1 article(s) carry no date line or date field: 1 take the date their first "
        "sentence opens with, 0 are undated",
    ]


@pytest.mark.skipif(not (SHARED_DATA / "nerel").exists(), reason="needs ../shared/data")
def test_reasons_in_a_russian_report_are_russian(tmp_path):
    """NEREL texts as a user drops them in, with the annotation files and an empty file: the
    warning and the rejections read in Russian in a report in Russian."""
    import re

    from newslens.account import localised, reasons

    for path in sorted((SHARED_DATA / "nerel" / "NEREL-v1.1" / "dev").glob("*"))[:6]:
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "empty.txt").write_text("")
    corpus = load([tmp_path])
    notes = pd.concat([corpus.warnings, corpus.rejected], ignore_index=True)
    assert len(corpus.warnings) == 1 and len(corpus.rejected) == 4, notes.reason.tolist()
    ru = localised(notes, "ru")
    for reason in ru.reason:
        latin = re.findall(r"[A-Za-z]{4,}", re.sub(r"'[^']*'", "", reason))
        assert not latin, reason
    assert ru.reason.iloc[0].startswith("нет строки или поля даты: все 3 статьи")
    assert "пустой файл" in set(reasons(ru).reason)
    assert localised(notes, "en").equals(notes)
