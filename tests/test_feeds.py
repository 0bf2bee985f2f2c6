"""Feeds as they come: JSON arrays and Telegram exports of real posts, streamed."""

import json
import subprocess
import sys
import tracemalloc

import pytest

from newslens import jsonstream
from newslens.config import SHARED_DATA
from newslens.load import CorpusError, iter_corpus, load

TELEGRAM = SHARED_DATA / "telegram2024"
needs_feed = pytest.mark.skipif(not TELEGRAM.is_dir(), reason="needs ../shared/data/telegram2024")
MASH = TELEGRAM / "1001117628569_messages.json"


def posts(path=MASH) -> list[dict]:
    return json.loads(path.read_text("utf-8"))


@needs_feed
def test_the_shared_channel_files_are_read_as_they_are():
    corpus = load(TELEGRAM)
    posts_read = corpus.rejected[corpus.rejected.path.str.endswith(".json")]
    assert len(corpus.articles) + len(posts_read) == 10_603
    assert set(posts_read.reason.str.split(" of ").str[0]) == {"duplicate text"}
    mash = corpus.articles[corpus.articles.source == "Mash"]
    assert len(mash) == 450  # no post of Mash repeats another
    first = posts()[0]
    row = mash.set_index("doc_id").loc[f"1001117628569_messages#{first['message_id']}"]
    assert row.text == first["text"] and row.date.isoformat()[:10] == first["date"][:10]
    assert corpus.articles.source.nunique() == 24


@needs_feed
def test_a_record_is_named_by_the_line_it_starts_on(tmp_path):
    lines = MASH.read_text("utf-8").split("\n")
    second = [i for i, line in enumerate(lines) if line == " {"][1]  # 0-based
    broken = "\n".join(lines[: second + 2]) + ',,\n  "text": "x"\n'
    (tmp_path / "broken.json").write_text(broken, "utf-8")
    corpus = load(tmp_path)
    assert len(corpus.articles) == 1  # the record before the error is kept
    [rejected] = corpus.rejected.itertuples()
    assert rejected.line == second + 2  # the line of the error, 1-based
    assert rejected.reason.startswith("invalid JSON: Expecting property name")
    assert rejected.reason.endswith("the rest of the file is not read")


@needs_feed
def test_a_telegram_desktop_export_reads_as_the_channel_file(tmp_path):
    """result.json: the channel's name, then messages whose text is a string or a list of
    strings and entities; service messages are accounted for, not analysed."""
    messages = [{"id": 1, "type": "service", "date": "2024-12-01T09:00:00", "action": "pin_message",
                 "text": ""}]  # fmt: skip
    for post in posts()[:40]:
        text = post["text"]
        head, _, tail = text.partition("\n")
        parts = [{"type": "bold", "text": head}, "\n" + tail] if tail else text
        messages.append({"id": post["message_id"], "type": "message", "date": post["date"][:19],
                         "from": "Mash", "text": parts})  # fmt: skip
    export = {"name": "Mash", "type": "public_channel", "id": 1117628569, "messages": messages}
    (tmp_path / "result.json").write_text(json.dumps(export, ensure_ascii=False, indent=1))
    corpus = load(tmp_path)
    assert len(corpus.articles) == 40
    assert set(corpus.articles.source) == {"Mash"}
    texts = dict(zip(corpus.articles.doc_id, corpus.articles.text, strict=True))
    assert all(texts[f"result#{p['message_id']}"] == p["text"] for p in posts()[:40])
    assert corpus.rejected.reason.tolist() == [
        "a Telegram service message (pin_message), not a post"
    ]


@needs_feed
def test_a_large_export_is_streamed_in_the_memory_of_one_record(tmp_path):
    """20 MB of real posts: reading them holds one record at a time, not the file."""
    base = posts()
    path = tmp_path / "big.json"
    with path.open("w", encoding="utf-8") as out:
        out.write('{"name": "Mash", "messages": [\n')
        for i in range(25_000):
            post = dict(
                base[i % len(base)], message_id=i, text=f"{i}: {base[i % len(base)]['text']}"
            )
            out.write(("," if i else "") + json.dumps(post, ensure_ascii=False) + "\n")
        out.write("]}\n")
    assert path.stat().st_size > 20_000_000
    tracemalloc.start()
    with path.open("rb") as handle:
        records = sum(1 for _ in jsonstream.records(handle, 8_000_000))
    window = tracemalloc.get_traced_memory()[1]
    tracemalloc.reset_peak()
    count = sum(1 for kind, _ in iter_corpus([path]) if kind == "article")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert records == count == 25_000
    assert window < 5_000_000  # the reader's window: 256 KB of bytes and their text
    assert peak < 15_000_000  # and a hash and an id per article, to catch duplicates


def test_a_corpus_of_bad_files_says_why_on_the_console(tmp_path):
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "posts.json").write_text('[{"title": "Без текста"}, {"text": ""}]', "utf-8")
    (tmp_path / "empty.txt").write_text("")
    with pytest.raises(CorpusError) as caught:
        load(tmp_path)
    lines = str(caught.value).splitlines()
    assert lines[0] == f"no valid article in {tmp_path}; 4 input(s) rejected:"
    assert lines[1] == f"  2 × {tmp_path}/posts.json:1: no 'text' (missing or empty)"
    assert sorted(lines[2:]) == [
        f"  1 × {tmp_path}/empty.txt: empty file",
        f"  1 × {tmp_path}/scan.pdf: unsupported file type '.pdf'",
    ]
    result = subprocess.run([sys.executable, "-m", "newslens", "mentions", str(tmp_path)],
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.splitlines()[:2] == [f"newslens: error: {lines[0]}", lines[1]]


def test_a_csv_row_with_an_over_long_field_is_rejected_alone(tmp_path):
    long = "Министр иностранных дел Сергей Лавров провёл переговоры. " * 40
    rows = [
        "id,title,text",
        '1,Первая,"Президент России Владимир Путин провёл встречу."',
        f'2,Длинная,"{long}"',
        '3,Третья,"Министр заявил, что переговоры продолжатся."',
    ]
    (tmp_path / "news.csv").write_text("\n".join(rows) + "\n", "utf-8")
    corpus = load(tmp_path, max_chars=1000)
    assert corpus.articles.doc_id.tolist() == ["1", "3"]
    assert corpus.rejected[["line", "reason"]].values.tolist() == [
        [3, f"article of {len(long):,} characters is over the size limit of 1,000 (--max-chars)"]
    ]


def test_a_csv_record_over_the_bound_is_passed_over_and_the_rows_after_it_read(tmp_path):
    """A field longer than a record can be (8 bytes a character of the limit) is not held."""
    long = "Президент России Владимир Путин провёл встречу.\n" * 2000
    rows = ['id,text', '1,"Первая новость о встрече министров."', f'2,"{long}"',
            '3,"Третья новость о переговорах в Анкаре."']  # fmt: skip
    (tmp_path / "news.csv").write_text("\n".join(rows) + "\n", "utf-8")
    corpus = load(tmp_path, max_chars=1000)
    assert corpus.articles.doc_id.tolist() == ["1", "3"]
    [reason] = corpus.rejected.reason
    assert reason == "too long: a record of over 73,536 characters: over the article size limit"
