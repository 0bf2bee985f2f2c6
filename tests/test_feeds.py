"""Feeds as they come: JSON arrays and Telegram exports of real posts, streamed."""

import csv
import json
import subprocess
import sys
import tracemalloc

import pytest

from newslens import account, copies, hygiene, jsonstream, stories
from newslens.config import ROOT, SHARED_DATA
from newslens.load import CorpusError, iter_corpus, load
from newslens.pipeline import analyse

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
    assert len(row.text) == len(first["text"]) and row.text.startswith("Фёдор Смолов отчаялся")
    assert row.date.isoformat()[:10] == first["date"][:10]
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
    (tmp_path / "array").mkdir()
    (tmp_path / "array" / "result.json").write_text(json.dumps(posts()[:40], ensure_ascii=False))
    array = load(tmp_path / "array").articles  # the same posts as the channel file shapes them
    assert corpus.articles[["doc_id", "date", "title", "text"]].equals(
        array[["doc_id", "date", "title", "text"]]
    )  # Telegram's entities read as its markdown
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


# ------------------------------------------------------------------ hygiene


def post(path, message_id: int) -> dict:
    return next(p for p in json.loads(path.read_text("utf-8")) if p["message_id"] == message_id)


RIA = TELEGRAM / "1001101170442_messages.json"
TOPOR_LIVE = TELEGRAM / "1001754252633_messages.json"


@needs_feed
def test_markup_is_blanked_in_place_so_offsets_hold():
    text = post(TOPOR_LIVE, 126047)["text"]
    clean = hygiene.blank_markup(text)
    assert len(clean) == len(text) and clean.count("\n") == text.count("\n")
    assert "**" not in clean and "](http" not in clean and "⚡" not in clean
    at = text.index("превысил")
    assert clean[at : at + 8] == "превысил"
    assert " ".join(clean.split()) == (
        "Общий объем американской военной помощи Украине за время президентства Байдена "
        "превысил $62 млрд, — Пентагон. Топор Live. Подписаться"
    )


@needs_feed
def test_each_source_s_closing_lines_are_learned_and_left_out():
    corpus = load(TELEGRAM / "1001117628569_messages.json")
    learned = corpus.boilerplate
    assert learned.line.iloc[0] == "❗️ [Подписывайся на Mash](https://t.me/+mBgDVq0QTftmY2Ji)"
    assert learned.posts.iloc[0] >= 340
    assert not corpus.articles.text.str.contains("Подписывайся на Mash").any()
    first = corpus.articles.set_index("doc_id").loc["1001117628569_messages#59762"]
    raw = post(MASH, 59762)["text"]
    assert len(first.text) == len(raw) and first.text.rstrip().endswith("Ан-26.")
    table = account.hygiene(corpus.articles, learned)
    assert table.source.tolist() == ["Mash"] and 0.03 < table.share.iloc[0] < 0.1


@needs_feed
def test_a_block_a_source_repeats_whole_is_boilerplate_wherever_it_stands():
    """Библиотека питониста posts the list of its publisher's channels once a month (5 of its
    940 posts): too rare for a signature, but forty lines repeated whole."""
    corpus = load(TELEGRAM / "1001465826763_messages.json")
    keys = set(corpus.boilerplate.line.map(hygiene.line_key))
    assert "библиотека задач по python код квизы и тесты" in keys
    assert not corpus.articles.text.str.contains("Библиотека задач по Python").any()
    assert "зеленский" not in keys and len(corpus.articles) > 900


@needs_feed
def test_a_line_a_source_repeats_at_the_head_of_posts_is_content():
    """Топор Live opens posts with «Минобороны РФ:» or «Зеленский:», then what they said."""
    corpus = load(TOPOR_LIVE)
    keys = {hygiene.line_key(line) for line in corpus.boilerplate.line}
    assert "топор live подписаться" in keys
    assert not keys & {"минобороны рф", "зеленский"}


@needs_feed
def test_a_channel_is_no_actor_of_its_own_posts(tmp_path):
    """«Подписывайся на Mash» is left out; «По данным SHOT» in SHOT's posts is its byline."""
    shot = [p for p in posts(TELEGRAM / "1001100158992_messages.json")
            if "По данным SHOT" in p["text"]][:6]  # fmt: skip
    mash = posts()[:6]
    (tmp_path / "feed.json").write_text(json.dumps(shot + mash, ensure_ascii=False), "utf-8")
    analysis = analyse(tmp_path, sentiment=None)
    assert not {"SHOT", "Mash"} & set(analysis["mentions"].actor)
    own = analysis["own_mentions"]
    assert own.set_index("actor").loc["SHOT", "mentions"] >= 6


@needs_feed
def test_an_update_mark_is_no_speaker(tmp_path):
    """«**UPD**: Пресс-секретарь Анны Седоковой сообщила Mash, что…» (Mash, October 2024):
    natasha read «UPD» as an organisation and the quotes made it the speaker."""
    updated = [post(MASH, 58605), post(MASH, 58660)]
    for p in updated:
        clean = hygiene.blank_markup(p["text"])
        assert len(clean) == len(p["text"]) and "UPD" not in clean
    assert hygiene.blank_markup("Upd.ru сообщил") == "Upd.ru сообщил"  # a name, no mark
    (tmp_path / "feed.json").write_text(json.dumps(updated, ensure_ascii=False), "utf-8")
    analysis = analyse(tmp_path, sentiment=None)
    assert "UPD" not in set(analysis["mentions"].actor)
    said = analysis["quotes"]
    assert "UPD" not in set(said.speaker)
    assert said.quote.str.startswith("Анна и Янис расписывались").any()


# ------------------------------------------------------------------ copies and stories


@needs_feed
def test_a_post_retold_by_another_channel_is_a_copy_and_counts_once_in_polarity(tmp_path):
    """Топор Live retells an RIA post within the hour («за время президентства Байдена» for
    «правления»); Банкста reposts another word for word, with its handle."""
    feed = [post(RIA, 271423), post(TOPOR_LIVE, 126047), post(RIA, 271290),
            post(TELEGRAM / "1001136626166_messages.json", 61615)]  # fmt: skip
    (tmp_path / "feed.json").write_text(json.dumps(feed, ensure_ascii=False))
    analysis = analyse(tmp_path, sentiment="fast")
    found = analysis["copies"].set_index("doc_id")
    assert found.copy_of.to_dict() == {"feed#126047": "feed#271423", "feed#61615": "feed#271290"}
    assert found.similarity.min() >= copies.COPY and found.similarity.max() >= 0.99
    scored = analysis["scored"].set_index("doc_id")
    ukraine = scored[scored.actor == "Украина"]
    assert ukraine.repeat.to_dict() == {"feed#271423": False, "feed#126047": True}
    poland = scored[scored.actor == "Польша"]
    assert poland.repeat.to_dict() == {"feed#271290": False, "feed#61615": True}
    for actor in ("Украина", "Польша"):
        row = analysis["actors"].set_index("actor").loc[actor]
        assert (row.mentions, row.documents, row.stories) == (2, 2, 1)
        assert row.positive + row.negative + row.neutral == 1  # counted once


@pytest.fixture(scope="module")
def feed_stories():
    articles = load(TELEGRAM).articles
    articles = articles[articles.date >= "2024-10-01"].reset_index(drop=True)
    return articles, stories.story_of(articles, stories.word_vectors(articles))


@needs_feed
def test_stories_on_the_hand_labelled_pairs_meet_the_targets(feed_stories):
    """558 pairs of real posts labelled by reading them (bench/story_pairs.py)."""
    articles, story = feed_stories
    of = dict(zip(story.doc_id, story.story_id, strict=True))
    right = {True: [0, 0], False: [0, 0]}  # labelled same / not → [together, apart]
    with (ROOT / "bench" / "story_pairs.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            a = of.get(f"{row['a_file'][:-5]}#{row['a_message_id']}")
            b = of.get(f"{row['b_file'][:-5]}#{row['b_message_id']}")
            if a is not None and b is not None:
                right[row["label"] == "1"][0 if a == b else 1] += 1
    tp, fn, fp = right[True][0], right[True][1], right[False][0]
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert tp + fn + fp + right[False][1] == 558
    assert precision >= 0.93 and recall >= 0.92


@needs_feed
def test_the_korean_martial_law_is_one_story_and_two_crashes_are_two(feed_stories):
    articles, story = feed_stories
    of = story.set_index("doc_id")["story_id"]
    korea = articles[articles.text.str.contains("военное положение|военного положения")
                     & articles.text.str.contains("Коре")]  # fmt: skip
    largest = of[korea.doc_id].value_counts()
    assert largest.index[0] == 1 and largest.iloc[0] >= 60  # the largest story of the feed
    crash_a = of["1001125816841_messages#46358"]  # Краснопресненская набережная, 2024-12-03
    crash_b = of["1001747110091_messages#18472"]  # трасса М-2, 2024-10
    assert crash_a != crash_b
    assert of["1001394050290_messages#195219"] == crash_a  # the same crash, another channel


@needs_feed
def test_the_stories_command_writes_the_stories_and_each_article_s_story(tmp_path):
    feed = [post(RIA, 271423), post(TOPOR_LIVE, 126047), post(RIA, 271290)]
    (tmp_path / "feed.json").write_text(json.dumps(feed, ensure_ascii=False), "utf-8")
    out = tmp_path / "out" / "stories.csv"
    result = subprocess.run([sys.executable, "-m", "newslens", "stories", str(tmp_path), "-q",
                             "--no-cache", "--sentiment", "fast", "-o", str(out)],
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stderr
    told = list(csv.DictReader(out.open(encoding="utf-8")))
    sizes = [(r["story_id"], r["articles"], r["outlets"]) for r in told]
    assert sizes == [("1", "2", "2"), ("2", "1", "1")]
    assert told[0]["headline"].startswith("Общий объем американской военной помощи Украине")
    assert told[0]["first"].startswith("2024-12-02 21:23")  # RIA's, before Топор Live's
    rows = {r["doc_id"]: r for r in csv.DictReader((tmp_path / "out" / "stories-articles.csv")
                                                   .open(encoding="utf-8"))}  # fmt: skip
    assert rows["feed#126047"]["story_id"] == rows["feed#271423"]["story_id"] == "1"
    assert rows["feed#126047"]["copy_of"] == "feed#271423"
