"""Property tests (hypothesis): whatever the input, the readers account for it and raise nothing;
the CLI's arguments are accepted or refused by argparse, never with a traceback."""

import csv
import io
import json
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from newslens import cli, dates, files, hygiene, nlp
from newslens.load import load
from newslens.sentiment import read_rusentne

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)  # the machine is shared: no per-example deadline

# text as corpora have it: Cyrillic, Latin, digits, punctuation, quotes, the delimiters, newlines
ALPHABET = st.sampled_from(list('абвгдеёжзийклмнопрстуфхцчшщьыэюяАБВПРСabcXYZ019 .,;:!?"«»—-'
                                "'\t\n\r=+@[]{}\\")) | st.characters()  # fmt: skip
TEXT = st.text(ALPHABET, max_size=80)


def loaded(name: str, data: bytes):
    """Load one file of ``data``; the corpus, whatever it holds."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        corpus = load(path, strict=False)
    return corpus


@SETTINGS
@given(st.binary(max_size=400) | TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_any_txt_file_is_one_article_or_one_rejection(data):
    corpus = loaded("a.txt", data)
    assert len(corpus.articles) + len(corpus.rejected) == 1
    for text in corpus.articles.text:
        text.encode("utf-8")  # valid text, whatever came in


@SETTINGS
@given(st.lists(TEXT, max_size=8))
def test_any_jsonl_lines_are_each_an_article_or_a_rejection(lines):
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    corpus = loaded("f.jsonl", data)
    outcomes = len(corpus.articles) + len(corpus.rejected)
    written = [line for line in data.split(b"\n") if line.decode("utf-8", "replace").strip()]
    assert outcomes == max(1, len(written))
    assert set(corpus.rejected.line) <= set(range(0, len(data.split(b"\n")) + 1))


RECORD = st.fixed_dictionaries(
    {"text": TEXT},
    optional={"id": TEXT | st.integers(), "title": TEXT | st.none(), "date": TEXT | st.floats(),
              "source": TEXT | st.lists(st.integers(), max_size=2)},
)  # fmt: skip


@SETTINGS
@given(st.lists(RECORD, min_size=1, max_size=6))
def test_jsonl_records_of_any_fields_are_read_or_named(records):
    data = "\n".join(json.dumps(r) for r in records).encode()
    corpus = loaded("f.jsonl", data)
    assert len(corpus.articles) + len(corpus.rejected) == len(records)
    good = [r for r in records if r["text"].strip()]
    assert len(corpus.articles) <= len(good)


@SETTINGS
@given(st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=6), st.sampled_from(",;\t"))
def test_well_formed_csv_is_read_back_exactly(rows, delimiter):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")  # quotes \r and \n
    writer.writerow(["title", "text"])
    writer.writerows(rows)
    corpus = loaded("t.csv", buffer.getvalue().encode("utf-8", "surrogatepass"))
    texts = [t.replace("\r\n", "\n").replace("\r", "\n") for _, t in rows]
    texts = [hygiene.blank_markup(t) for t in texts]  # markup is blanked in place, no more
    assume(all(t.strip() for t in texts))  # an empty text is a rejection, tested elsewhere
    assume(len(set(" ".join(t.split()) for t in texts)) == len(texts))  # no duplicate
    fields = [field for row in rows for field in row]  # a lone surrogate anywhere is not UTF-8
    assume(not any("\ud800" <= c <= "\udfff" for field in fields for c in field))
    assume("\x00" not in buffer.getvalue())  # a NUL byte makes a binary file: tested elsewhere
    assert corpus.rejected.empty, corpus.rejected.values.tolist()
    assert sorted(corpus.articles.text) == sorted(texts)


@SETTINGS
@given(TEXT, st.sampled_from(",;\t"))
def test_any_csv_content_raises_nothing(content, delimiter):
    corpus = loaded("t.csv", f"title{delimiter}text\n{content}".encode("utf-8", "surrogatepass"))
    assert len(corpus.articles) + len(corpus.rejected) >= 0
    assert (corpus.rejected.line >= 0).all()


@SETTINGS
@given(st.lists(st.lists(TEXT, min_size=1, max_size=7), max_size=5))
def test_any_rusentne_tsv_keeps_rows_and_targets_aligned(rows):
    header = "sentence\tentity\tentity_tag\tentity_pos_start_rel\tentity_pos_end_rel\tlabel"
    body = "\n".join("\t".join(row) for row in rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "in.tsv"
        path.write_bytes(f"{header}\n{body}".encode("utf-8", "surrogatepass"))
        try:
            found, targets, problems = read_rusentne(path)
        except ValueError as err:  # only an unreadable file as a whole
            assert str(err).startswith(str(path))
            return
    assert len(found) == len(targets)
    for target in targets:
        if target is not None:
            assert 0 <= target.start < target.end <= len(target.sentence)
    assert all(problem.startswith(f"{path}:") for problem in problems)


@SETTINGS
@given(st.text(max_size=70))
def test_dates_parse_anything_to_a_date_or_none(value):
    found = dates.parse(value)
    assert found is None or found.year in dates.YEARS


@SETTINGS
@given(st.text(ALPHABET, max_size=3000), st.integers(min_value=4, max_value=700))
def test_pieces_cover_the_text_in_order_within_the_limit(text, limit):
    pieces = nlp.pieces(text, limit)
    assert "".join(piece for _, piece in pieces) == text
    assert all(len(piece) <= limit for _, piece in pieces[:-1] or pieces)
    assert [offset for offset, _ in pieces] == [
        sum(len(p) for _, p in pieces[:i]) for i in range(len(pieces))
    ]


CELL = (
    TEXT.filter(lambda t: not any("\ud800" <= c <= "\udfff" for c in t))
    | st.none()
    | st.floats(allow_nan=False)
    | st.integers()
)  # fmt: skip  (no lone surrogate: the loader rejects them, so no table holds one)


@SETTINGS
@given(st.lists(st.tuples(CELL, CELL), max_size=6))
def test_csv_text_never_starts_a_cell_a_spreadsheet_would_run(rows):
    frame = pd.DataFrame(rows, columns=["a", "b"])
    parsed = list(csv.reader(io.StringIO(files.csv_text(frame), newline="")))[1:]
    for cells, original in zip(parsed, rows, strict=True):
        for cell, value in zip(cells, original, strict=True):
            if cell.startswith(files.FORMULA_STARTS):
                float(cell)  # only a plain number may start so
            if isinstance(value, str) and cell.startswith("'") and cell != value:
                assert cell[1:] == value  # the apostrophe is all that is added


OPTIONS = st.sampled_from(["-j", "--workers", "--stream", "--max-chars", "-o", "--engine",
                           "--scheduler", "--sentiment", "--lang", "--gazetteer", "--cache-dir",
                           "-q", "--no-cache", "--debug", "--quiet"])  # fmt: skip
VALUES = st.sampled_from(["-3", "0", "1", "2", "-5", "x", "", "seeds", "dask", "fast", "ru"])
COMMANDS = st.sampled_from(["report", "actors", "mentions", "attitudes", "quotes",
                            "target-sentiment", "nonsense", "--debug"])  # fmt: skip


@SETTINGS
@given(COMMANDS, st.lists(OPTIONS | VALUES | TEXT, max_size=6))
def test_any_arguments_parse_or_are_refused_by_argparse(command, rest):
    try:
        args = cli.parser().parse_args([command, *rest])
    except SystemExit as stop:
        assert stop.code == 2
        return
    for name in ("workers", "stream", "max_chars"):
        value = getattr(args, name, None)
        assert value is None or value >= 0


@SETTINGS
@given(TEXT)
def test_any_output_path_is_writable_or_one_clear_error(name):
    assume(not name.startswith(("/", "~")))
    with tempfile.TemporaryDirectory() as folder:
        try:
            path = files.check_writable(Path(folder) / name if name.strip() else name)
        except files.OutputError as err:
            assert str(err) and "\n" not in str(err).strip("\n") or "\n" in name
            return
        assert str(path).startswith(folder) or not name.strip()


@pytest.mark.parametrize("name", ["", " ", "a\x00b"])
def test_output_paths_that_are_no_file_name(name):
    with pytest.raises(files.OutputError):
        files.check_writable(name)
