"""Issue #11: hostile and broken inputs and faults, tried as a user would.

Nothing is lost silently (every bad input or record is named with its path, line and
reason), nothing hangs, and no traceback reaches the terminal. Permission cases run without
root's power to override file modes when the tests run as root.
"""

import csv
import errno
import io
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pandas as pd
import psutil
import pytest

from newslens import cli, context, engine, files, nlp, sentiment
from newslens.config import ROOT, SEEDS
from newslens.gazetteer import load as load_gazetteer
from newslens.load import load

GAZETTEER = load_gazetteer()

BODY = "Владимир Путин провёл переговоры с Реджепом Тайипом Эрдоганом в Анкаре."


# Root reads and writes everything: the permission cases run without the capabilities that
# let it (setpriv, util-linux), so that file modes bind it as they bind a user.
NO_OVERRIDE = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search",
               "--inh-caps", "-dac_override,-dac_read_search"]  # fmt: skip


def as_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: file modes cannot bind")
    return NO_OVERRIDE + command


def newslens(*args: str, bound: bool = False, **kwargs) -> subprocess.CompletedProcess:
    """The CLI as a user runs it; ``bound``: subject to file modes even as root."""
    command = [sys.executable, "-m", "newslens", *args]
    return subprocess.run(
        as_user(command) if bound else command, capture_output=True, text=True, cwd=ROOT,
        timeout=600, **kwargs,
    )  # fmt: skip


def one_line_error(result: subprocess.CompletedProcess, text: str) -> None:
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip().splitlines() == [f"newslens: error: {text}"]


def write(path: Path, content: str | bytes, mode: int = 0o644) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    path.chmod(mode)
    return path


# ------------------------------------------------------------------ silent loss


def test_csv_unterminated_quote_swallows_no_other_row(tmp_path):
    write(tmp_path / "t.csv", 'id,text\n1,"Первая статья про Путина."\n2,"Вторая без конца\n'
          '3,Третья статья про Алиева.\n4,"Четвёртая статья про Эрдогана."\n')  # fmt: skip
    corpus = load(tmp_path)
    assert corpus.articles.doc_id.tolist() == ["1", "3", "4"]
    assert corpus.rejected.values.tolist() == [
        [str(tmp_path / "t.csv"), 3, "malformed CSV: ',' expected after '\"'; read on from line 4"]
    ]


def test_csv_unterminated_quote_at_the_end_is_named(tmp_path):
    write(tmp_path / "t.csv", 'id,text\n1,Первая.\n2,"Вторая без конца\n3,Третья.\n')
    corpus = load(tmp_path)
    assert corpus.articles.doc_id.tolist() == ["1", "3"]
    assert corpus.rejected[["line", "reason"]].values.tolist() == [
        [3, "malformed CSV: unexpected end of data; read on from line 4"]
    ]


def test_csv_field_over_131072_characters_keeps_the_rows_after_it(tmp_path):
    long_text = ("Путин прибыл в Анкару. " * 9000)[:200_000]
    write(tmp_path / "t.csv", f'id,text\n1,Первая.\n2,"{long_text}"\n3,Третья.\n4,Четвёртая.\n')
    corpus = load(tmp_path)
    assert corpus.articles.doc_id.tolist() == ["1", "2", "3", "4"]
    assert len(corpus.articles.text[1]) == 200_000


def test_csv_field_over_the_size_limit_is_named_and_the_rest_read(tmp_path):
    write(tmp_path / "t.csv", f'id,text\n1,Первая.\n2,"{"ж" * 5000}"\n3,Третья.\n')
    corpus = load(tmp_path, max_chars=4000)
    assert corpus.articles.doc_id.tolist() == ["1", "3"]
    assert corpus.rejected.reason.tolist() == [
        "article of 5,000 characters is over the size limit of 4,000 (--max-chars)"
    ]


def test_csv_row_with_extra_fields_is_named_not_cut(tmp_path):
    write(tmp_path / "t.csv", "id,text\n1,Путин прибыл.\n2,Путин, Алиев и Эрдоган прибыли.\n")
    corpus = load(tmp_path)
    assert corpus.articles.doc_id.tolist() == ["1"]
    assert corpus.rejected[["line", "reason"]].values.tolist() == [
        [3, "3 fields where the header has 2 (a comma that should have been quoted?)"]
    ]


def test_links_loops_linked_folders_and_devices_are_listed(tmp_path):
    root, outside = tmp_path / "corpus", tmp_path / "outside"
    write(root / "good.txt", BODY)
    write(outside / "far.txt", "Алиев выступил в Шуше.")
    (root / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (root / "loop.txt").symlink_to(root / "loop.txt")
    (root / "linked").symlink_to(outside)
    (root / "again").symlink_to(root)
    (root / "null.txt").symlink_to("/dev/null")
    corpus = load(root)
    assert corpus.articles.doc_id.tolist() == ["good", "linked/far"]
    assert dict(zip(corpus.rejected.path, corpus.rejected.reason, strict=True)) == {
        str(root / "again"): "link to a folder already read: skipped",
        str(root / "dangling.txt"): f"broken symbolic link to '{tmp_path / 'gone.txt'}': "
        "No such file or directory",
        str(root / "loop.txt"): "broken symbolic link to a loop",
        str(root / "null.txt"): "not a regular file (a device, pipe or socket)",
    }  # fmt: skip


LOAD = (
    "import json, sys\nfrom newslens.load import load\n"
    "c = load(sys.argv[1:], strict=False)\n"
    "print(json.dumps([c.articles.doc_id.tolist(), c.rejected.values.tolist()]))"
)


def test_unreadable_folder_and_chmod_000_file_are_listed(tmp_path):
    write(tmp_path / "good.txt", BODY)
    write(tmp_path / "locked.txt", "Алиев выступил.", mode=0o000)
    write(tmp_path / "shut" / "inside.txt", "Песков ответил.")
    (tmp_path / "shut").chmod(0o000)
    result = subprocess.run(
        as_user([sys.executable, "-c", LOAD, str(tmp_path)]), capture_output=True, text=True,
        cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    articles, rejected = json.loads(result.stdout)
    assert articles == ["good"]
    assert rejected == [
        [str(tmp_path / "locked.txt"), 0, "cannot read: Permission denied"],
        [str(tmp_path / "shut"), 0, "cannot read folder: Permission denied"],
    ]


@pytest.mark.parametrize("encoding", ["koi8_r", "cp1251"])
def test_single_byte_cyrillic_finds_the_same_mentions_and_says_so(tmp_path, encoding):
    from newslens.pipeline import analyse

    text = f"date 2024-05-06 Переговоры\n\n{BODY}\n"
    write(tmp_path / "utf8" / "a.txt", text)
    write(tmp_path / encoding / "a.txt", text.encode(encoding))
    plain = analyse(tmp_path / "utf8", sentiment=None)
    guessed = analyse(tmp_path / encoding, sentiment=None)
    assert guessed["warnings"].reason.tolist() == [f"not UTF-8: decoded as {encoding} (detected)"]
    pd.testing.assert_frame_equal(plain["mentions"], guessed["mentions"])
    assert {"Владимир Путин", "Реджеп Тайип Эрдоган"} <= set(guessed["mentions"].actor)


BAD_RUSENTNE = (
    "sentence\tentity\tentity_tag\tentity_pos_start_rel\tentity_pos_end_rel\tlabel\n"
    "Кремль осудил Киев.\tКиев\tCOUNTRY\t14\t18\t\n"  # 2: good
    "Путин приехал.\tПутин\tPERSON\t0\t5\t\textra\n"  # 3: an extra field
    "Путин уехал.\tПутин\tPERSON\t-12\t-7\t\n"  # 4: negative offsets
    "Алиев уехал.\tАлиев\tPERSON\t5\t0\t\n"  # 5: start after end
    '"Песков ответил.\tПесков\tPERSON\t0\t6\t\n'  # 6: an unclosed quote
    "Эрдоган поддержал Алиева.\tАлиева\tPERSON\t18\t24\t\n"  # 7: good
)


def test_target_sentiment_names_bad_rows_and_labels_the_rest(tmp_path):
    source = write(tmp_path / "in.tsv", BAD_RUSENTNE)
    out = tmp_path / "out.tsv"
    result = newslens("target-sentiment", str(source), "-o", str(out), "--sentiment", "fast")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[:4] == [
        f"not scored: {source}:3: 7 fields where the header has 6: left out",
        f"not scored: {source}:4: entity offsets -12:-7 are outside the sentence or reversed",
        f"not scored: {source}:5: entity offsets 5:0 are outside the sentence or reversed",
        f"not scored: {source}:6: malformed row (unexpected end of data): left out",
    ]
    rows = list(csv.DictReader(out.open(encoding="utf-8"), delimiter="\t"))
    assert [(r["entity"], r["label"] != "") for r in rows] == [
        ("Киев", True), ("Путин", False), ("Алиев", False), ("Алиева", True)
    ]  # fmt: skip
    assert rows[-1]["label"] == "1"  # «поддержал Алиева»: the row after the bad quote is scored


# ------------------------------------------------------------------ denial of service


def test_a_50_mb_article_is_rejected_unread(tmp_path):
    with (tmp_path / "huge.txt").open("wb") as handle:
        handle.truncate(50 * 2**20)
        handle.seek(0)
        handle.write(f"date 2025-01-01 Огромная\n\n{BODY}".encode())
    write(tmp_path / "good.txt", "Алиев выступил в Шуше.")
    before = psutil.Process().memory_info().rss
    corpus = load(tmp_path)
    assert psutil.Process().memory_info().rss - before < 20 * 2**20  # never read
    assert corpus.rejected.reason.tolist() == [
        "file of 52,428,800 bytes cannot hold an article within the size limit of 1,000,000 "
        "characters (--max-chars)"
    ]


def test_max_chars_option_reaches_the_loader(tmp_path):
    write(tmp_path / "long.txt", "Путин прибыл в Анкару. " * 10)
    write(tmp_path / "short.txt", "Алиев выступил.")
    result = newslens("mentions", str(tmp_path), "--max-chars", "100", "-q", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert (
        f"rejected {tmp_path / 'long.txt'}: article of 230 characters is over the size limit "
        "of 100 (--max-chars)" in result.stderr
    )


def test_long_texts_reach_natasha_in_pieces_whose_offsets_index_the_text():
    seed = next(SEEDS.glob("*.txt")).read_text("utf-8")
    text = "\n\n".join([seed] * 25)  # 58,000 characters
    assert [len(piece) <= nlp.PIECE_CHARS for _, piece in nlp.pieces(text)] == [True] * 3
    parsed = nlp.parse(text)
    assert all(text[s.start : s.end] == s.text for s in parsed.sentences)
    assert all(text[t.start : t.end] == t.text for s in parsed.sentences for t in s.tokens)
    assert all(text[s.start : s.end] == s.text for s in parsed.spans)
    once = Counter((s.text, s.type) for s in nlp.parse(seed).spans)
    assert Counter((s.text, s.type) for s in parsed.spans) == Counter(
        {span: 25 * count for span, count in once.items()}
    )  # every copy tagged as the seed alone, at the cuts too


def test_a_100000_character_word_reaches_the_encoder_cut():
    class Recorder:
        def query(self, texts):
            self.seen = [len(t) for t in texts]
            return [[0.0] * 384 for _ in texts]

    embed = sentiment.Embedder.__new__(sentiment.Embedder)
    embed.model = Recorder()
    word = "ж" * 100_000
    vectors = embed([word, "Путин прибыл."])
    assert sorted(embed.model.seen) == [13, sentiment.EMBED_CHARS]
    assert sorted(vectors) == sorted([word, "Путин прибыл."])  # keyed by the whole text


def test_a_100000_character_word_goes_through_the_parse():
    text = f"Владимир Путин прибыл в Анкару. {'ж' * 100_000}. Эрдоган встретил его."
    result = engine.process("w", "Слово", text, GAZETTEER)
    assert {m.text for m in result.entities.mentions} >= {"Владимир Путин", "Анкару"}


def listening(respond: bytes | None) -> int:
    """A port that accepts and then says nothing (None) or answers ``respond`` (not Dask)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)

    def serve() -> None:
        held = []
        while True:
            conn, _ = server.accept()
            held.append(conn)
            if respond is not None:
                conn.recv(64)
                conn.sendall(respond)

    threading.Thread(target=serve, daemon=True).start()
    return server.getsockname()[1]


def test_dask_dead_port_silent_port_and_http_port_are_one_line(monkeypatch):
    monkeypatch.setattr(engine, "CONNECT_TIMEOUT", 2)
    dead = socket.socket()
    dead.bind(("127.0.0.1", 0))
    port = dead.getsockname()[1]
    dead.close()
    task = [("a", "", "Путин прибыл.", GAZETTEER)]

    def dask(address: str):
        return context.make(GAZETTEER, engine="dask", scheduler=address)

    with pytest.raises(engine.EngineError, match=f"tcp://127.0.0.1:{port}: Timed out"):
        engine._map(engine._process_row, task, dask(f"tcp://127.0.0.1:{port}"))
    silent = f"tcp://127.0.0.1:{listening(None)}"
    with pytest.raises(engine.EngineError, match="no Dask scheduler answered within 4 s"):
        engine._map(engine._process_row, task, dask(silent))
    http = f"tcp://127.0.0.1:{listening(b'HTTP/1.1 400 Bad Request' + bytes(100))}"
    with pytest.raises(engine.EngineError, match="does not answer as a Dask scheduler"):
        engine._map(engine._process_row, task, dask(http))


def test_dask_port_that_is_not_dask_is_one_line_from_the_cli():
    http = f"tcp://127.0.0.1:{listening(b'HTTP/1.1 400 Bad Request' + bytes(100))}"
    result = newslens("mentions", "seeds", "-q", "--no-cache", "--engine", "dask",
                      "--scheduler", http)  # fmt: skip
    one_line_error(
        result, f"cannot use the Dask scheduler at {http}: it does not answer as a Dask "
        "scheduler (MemoryError)",
    )  # fmt: skip


# ------------------------------------------------------------------ one line, not a traceback


def test_output_is_an_existing_folder(tmp_path):
    one_line_error(
        newslens("mentions", "seeds", "-o", str(tmp_path)), f"{tmp_path} is a folder: give a "
        "file name",
    )  # fmt: skip


def test_output_under_a_regular_file(tmp_path):
    write(tmp_path / "file", "x")
    target = tmp_path / "file" / "out.csv"
    one_line_error(
        newslens("actors", "seeds", "-o", str(target)),
        f"cannot write {target}: {tmp_path / 'file'} is a file, not a folder",
    )


def test_output_empty_path():
    one_line_error(newslens("report", "seeds", "-o", ""), "the output path is empty")


def test_report_checks_its_output_before_the_work(tmp_path):
    result = newslens("report", "seeds", "-o", str(tmp_path))
    one_line_error(result, f"{tmp_path} is a folder: give a file name")
    assert "chapters" not in result.stderr  # no chapter ran


def test_read_only_target_and_folder(tmp_path):
    write(tmp_path / "locked.csv", "old", mode=0o444)
    (tmp_path / "shut").mkdir(mode=0o555)
    result = newslens("mentions", "seeds", "-o", str(tmp_path / "locked.csv"), bound=True)
    one_line_error(result, f"cannot write {tmp_path / 'locked.csv'}: the file is read-only")
    result = newslens("mentions", "seeds", "-o", str(tmp_path / "shut" / "a.csv"), bound=True)
    one_line_error(
        result, f"cannot write {tmp_path / 'shut' / 'a.csv'}: no permission to write in "
        f"{tmp_path / 'shut'}",
    )  # fmt: skip
    assert (tmp_path / "locked.csv").read_text() == "old"


def test_disk_full_at_write_time_is_one_line_and_leaves_nothing(tmp_path, monkeypatch, capsys):
    class Full(io.RawIOBase):
        def writable(self):
            return True

        def write(self, data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    real_fdopen = files.os.fdopen

    def fdopen(fd, *args, **kwargs):
        real_fdopen(fd).close()
        return Full()

    monkeypatch.setattr(files.os, "fdopen", fdopen)
    out = tmp_path / "m.csv"
    assert cli.main(["mentions", str(SEEDS), "-o", str(out), "-q", "--no-cache"]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"newslens: error: cannot write {out}: No space left on device"
    )
    assert list(tmp_path.iterdir()) == []


def test_cache_dir_is_a_file(tmp_path):
    write(tmp_path / "cache", "x")
    one_line_error(
        newslens("mentions", "seeds", "--cache-dir", str(tmp_path / "cache")),
        f"cache folder (--cache-dir) {tmp_path / 'cache'} is a file, not a folder",
    )


def test_cache_dir_read_only(tmp_path):
    (tmp_path / "cache").mkdir(mode=0o555)
    result = newslens("mentions", "seeds", "--cache-dir", str(tmp_path / "cache"), bound=True)
    one_line_error(
        result, f"cache folder (--cache-dir) {tmp_path / 'cache'}: no permission to write in "
        f"{tmp_path / 'cache'}",
    )  # fmt: skip


def test_a_folder_where_a_cache_file_should_be_and_an_unwritable_cache(tmp_path):
    from newslens.pipeline import analyse

    cache = engine.Cache(tmp_path / "cache")
    seed = load(SEEDS).articles.iloc[0]
    key = engine.cache_key(seed.title, seed.text, GAZETTEER)
    cache.path(key).mkdir(parents=True)  # a folder in the way of the seed's entry
    with pytest.warns(engine.CacheWarning, match="cannot be written .*Is a directory"):
        result = analyse(SEEDS, cache=cache)["actors"]
    assert (cache.misses, cache.unwritable is not None) == (1, True)
    assert result.set_index("actor").loc["Владимир Путин", "mentions"] == 5
    write(tmp_path / "file", "x")
    blocked = engine.Cache(tmp_path / "file" / "cache")  # a cache under a regular file
    with pytest.warns(engine.CacheWarning, match="going on without caching"):
        again = analyse(SEEDS, cache=blocked)["actors"]
    pd.testing.assert_frame_equal(again, result)


def test_cache_warning_is_one_line_in_the_cli(tmp_path):
    seed = load(SEEDS).articles.iloc[0]
    key = engine.cache_key(seed.title, seed.text, GAZETTEER)
    (tmp_path / "cache" / key[:2] / f"{key}.parquet").mkdir(parents=True)
    result = newslens("mentions", "seeds", "-q", "--cache-dir", str(tmp_path / "cache"))
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        f"newslens: warning: cache {tmp_path / 'cache'} cannot be written "
        f"({tmp_path / 'cache' / key[:2] / key}.parquet: Is a directory): going on without caching"
    ]


def test_jsonl_lone_surrogate_and_deep_nesting_are_named(tmp_path):
    lines = ['{"text": "Путин прибыл."}', '{"text": "\\ud800 Алиев"}', "[" * 200_000,
             '{"title": "\\udfff", "text": "Эрдоган ответил."}', '{"text": "Песков."}']  # fmt: skip
    write(tmp_path / "f.jsonl", "\n".join(lines))
    corpus = load(tmp_path)
    assert corpus.articles.doc_id.tolist() == ["f#1", "f#5"]
    assert corpus.rejected[["line", "reason"]].values.tolist() == [
        [2, "invalid Unicode in 'text': a lone surrogate (\\ud800–\\udfff)"],
        [3, "invalid JSON: nested too deeply"],
        [4, "invalid Unicode in 'title': a lone surrogate (\\ud800–\\udfff)"],
    ]


def test_gazetteer_that_is_a_folder_or_cp1251(tmp_path):
    one_line_error(
        newslens("mentions", "seeds", "--gazetteer", str(tmp_path)),
        f"gazetteer {tmp_path} is a folder, not a CSV file",
    )
    write(tmp_path / "g.csv", "name,type\nВладимир Путин,PER\n".encode("cp1251"))
    one_line_error(
        newslens("mentions", "seeds", "--gazetteer", str(tmp_path / "g.csv")),
        f"gazetteer {tmp_path / 'g.csv'} is not UTF-8 (byte 0xc2 at offset 10): save it as UTF-8",
    )


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["actors", "seeds", "--stream", "-5"], "argument --stream: -5 is not a positive"),
        (["mentions", "seeds", "-j", "-3"], "argument -j/--workers: -3 is not a positive"),
        (["quotes", "seeds", "-j", "two"], "argument -j/--workers: 'two' is not a whole number"),
        (["report", "--max-chars", "0"], "argument --max-chars: 0 is not a positive"),
    ],
)
def test_bad_numbers_are_rejected_by_argparse(args, said):
    result = newslens(*args)
    assert result.returncode == 2
    assert said in result.stderr.splitlines()[-1]
    assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback(tmp_path):
    result = newslens("--debug", "mentions", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert "Traceback" in result.stderr and "CorpusError: no valid article" in result.stderr


def start_and_wait_for_workers(tmp_path) -> subprocess.Popen:
    """``mentions -j 2`` on 60 articles, returned once its two workers run."""
    for i in range(60):
        write(tmp_path / "c" / f"{i}.txt", f"Статья {i}\n{BODY} Это статья номер {i}.")
    process = subprocess.Popen(
        [sys.executable, "-m", "newslens", "mentions", str(tmp_path / "c"), "-j", "2", "-q",
         "--no-cache", "-o", str(tmp_path / "m.csv")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while len(psutil.Process(process.pid).children()) < 3 and time.monotonic() < deadline:
        time.sleep(0.2)  # the resource tracker and two workers
    time.sleep(1)
    return process


def test_ctrl_c_stops_every_process_without_a_traceback(tmp_path):
    process = start_and_wait_for_workers(tmp_path)
    children = psutil.Process(process.pid).children(recursive=True)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C sends: the whole process group
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err.strip().splitlines()[-1] == "newslens: interrupted"
    assert "Traceback" not in err
    psutil.wait_procs(children, timeout=10)
    assert not any(child.is_running() for child in children)
    assert not (tmp_path / "m.csv").exists()


def test_sigterm_stops_without_a_traceback(tmp_path):
    process = start_and_wait_for_workers(tmp_path)
    process.terminate()
    _, err = process.communicate(timeout=60)
    assert process.returncode == 143
    assert err.strip().splitlines()[-1] == "newslens: terminated"
    assert "Traceback" not in err


def test_sigterm_removes_the_run_folder_and_the_next_run_removes_a_killed_ones(
    tmp_path, monkeypatch
):
    from newslens import config, report

    monkeypatch.setattr(config, "RUNS", tmp_path / "runs")
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from newslens import config, report\n"
        f"config.RUNS = Path({str(tmp_path / 'runs')!r})\n"
        "with report.run_folder() as run:\n"
        "    (run / 'article.txt').write_text('Путин прибыл в Анкару.')\n"
        "    print(run, flush=True)\n"
        "    time.sleep(60)\n"
    )
    for kill in (signal.SIGTERM, signal.SIGKILL):
        process = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT,
                                   stdout=subprocess.PIPE, text=True)  # fmt: skip
        run = Path(process.stdout.readline().strip())
        assert (run / "article.txt").exists()
        process.send_signal(kill)
        process.wait(timeout=30)
        if kill == signal.SIGTERM:
            assert process.returncode == 128 + signal.SIGTERM
            assert not run.exists()
        else:
            assert run.exists()  # SIGKILL cannot be caught: the next run removes it
            with report.run_folder() as fresh:
                assert fresh.exists() and fresh != run
            assert not run.exists() and not fresh.exists()


# ------------------------------------------------------------------ injection and hygiene


def test_csv_cells_that_a_spreadsheet_would_run_are_made_text():
    frame = pd.DataFrame({
        "actor": ["=HYPERLINK(\"http://x\")", "+7 495 123", "-2+3", "@SUM(A1)", "\tx", "Путин"],
        "score": [-0.5, 1.0, 0.0, 2.0, 3.0, 4.0],
        "text": ["-0.25", "+3", "=1", "обычный", "", None],
    })  # fmt: skip
    rows = list(csv.reader(io.StringIO(files.csv_text(frame))))
    assert [r[0] for r in rows[1:]] == [
        "'=HYPERLINK(\"http://x\")", "'+7 495 123", "'-2+3", "'@SUM(A1)", "'\tx", "Путин"
    ]  # fmt: skip
    assert [r[1] for r in rows[1:]] == ["-0.5", "1.0", "0.0", "2.0", "3.0", "4.0"]
    assert [r[2] for r in rows[1:]] == ["-0.25", "+3", "'=1", "обычный", "", ""]


def test_cli_tables_are_spreadsheet_safe_and_shared_by_the_umask(tmp_path):
    feed = write(tmp_path / "f.jsonl", json.dumps({"id": "=cmd|' /C calc'!A0", "text": BODY}))
    out = tmp_path / "m.csv"
    result = newslens("mentions", str(feed), "-o", str(out), "-q", "--no-cache")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {r["doc_id"] for r in rows} == {"'=cmd|' /C calc'!A0"}
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~current_umask()


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_write_atomic_respects_the_umask_and_keeps_a_replaced_files_mode(tmp_path):
    old = os.umask(0o027)
    try:
        files.write_atomic(b"a", tmp_path / "new.pdf")
        kept = write(tmp_path / "kept.pdf", "old", mode=0o604)
        files.write_atomic(b"b", kept)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.pdf").stat().st_mode) == 0o640
    assert stat.S_IMODE(kept.stat().st_mode) == 0o604 and kept.read_bytes() == b"b"


def test_an_edited_cache_entry_is_not_trusted(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from newslens.pipeline import analyse

    cache = engine.Cache(tmp_path / "cache")
    clean = analyse(SEEDS, cache=cache, sentiment=None)["mentions"]
    (path,) = (tmp_path / "cache").rglob("*.parquet")
    record = pq.read_table(path).to_pylist()[0]
    record["mentions"][0]["start"], record["mentions"][0]["end"] = 999_999, 1_000_005
    pq.write_table(pa.Table.from_pylist([record]), path)  # the same key, a forged offset
    again = engine.Cache(tmp_path / "cache")
    result = analyse(SEEDS, cache=again, sentiment=None)["mentions"]
    assert (again.hits, again.corrupt) == (0, 1)
    pd.testing.assert_frame_equal(result, clean)
    assert result.end.max() < len(load(SEEDS).articles.text[0])


# ------------------------------------------------------------------ a hostile corpus, whole


@pytest.fixture
def hostile(tmp_path) -> Path:
    """One folder of every kind of bad input above, with good articles among them."""
    root, outside = tmp_path / "hostile", tmp_path / "outside"
    write(root / "good.txt", BODY)
    write(root / "unclosed.csv", 'title,text\nA,"Первая про Путина."\nB,"Без конца\n'
          'C,Третья про Алиева.\nD,"Четвёртая про Эрдогана."\n')  # fmt: skip
    write(root / "extra.csv", "title,text\nA,Песков ответил.\nB,Путин, Алиев прибыли.\n")
    write(outside / "far.txt", "Алиев выступил в Шуше.")
    (root / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (root / "loop.txt").symlink_to(root / "loop.txt")
    (root / "linked").symlink_to(outside)
    (root / "again").symlink_to(root)
    write(root / "koi8.txt", "Эрдоган встретил Алиева в Баку.".encode("koi8_r"))
    write(root / "wide.txt", "Макрон прибыл в Пекин.".encode("utf-16"))
    write(root / "dates.jsonl", '{"date": "32.13.2008", "text": "Си Цзиньпин ответил."}\n')
    write(root / "bad.jsonl", '{"text": "Захарова."}\n{"text": "\\ud800"}\n{"text": "Лавров."}\n')
    write(root / "deep.jsonl", "[" * 200_000)
    write(
        root / "notes.txt",
        "T1\tPERSON 0 5\tПутин\nT2\tCITY 28 34\tАнкаре\nT3\tPERSON 9 14\tАлиев\n",
    )
    with (root / "huge.txt").open("wb") as handle:
        handle.truncate(50 * 2**20)
    write(root / "notes.md", "# Markdown")
    write(root / "empty.txt", "")
    return root


def test_a_hostile_corpus_accounts_for_every_input(hostile):
    corpus = load(hostile)
    assert sorted(corpus.articles.doc_id) == [
        "bad#1", "bad#3", "dates#1", "extra#2", "good", "koi8", "linked/far",
        "unclosed#2", "unclosed#4", "unclosed#5", "wide",
    ]  # fmt: skip
    inputs = 1 + 4 + 2 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 3 + 1 + 1 + 1 + 1 + 1
    assert len(corpus.articles) + len(corpus.rejected) == inputs
    assert (corpus.rejected.line >= 0).all() and corpus.rejected.reason.str.len().min() > 5
    assert len(corpus.warnings) == 4  # koi8, utf-16, the date, the undated ones


def test_a_hostile_corpus_through_the_cli_prints_every_problem_and_no_traceback(hostile):
    result = newslens("mentions", str(hostile), "-q", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    said = result.stderr.splitlines()
    assert len([line for line in said if line.startswith("rejected ")]) == 11
    assert f"rejected {hostile / 'unclosed.csv'}:3: malformed CSV: ',' expected after '\"'; " \
        "read on from line 4" in said  # fmt: skip
    assert f"warning {hostile / 'koi8.txt'}: not UTF-8: decoded as koi8_r (detected)" in said
    assert f"warning {hostile / 'dates.jsonl'}:1: date '32.13.2008' cannot be read: the " \
        "article is undated" in said  # fmt: skip
    mentioned = {row["doc_id"] for row in csv.DictReader(io.StringIO(result.stdout))}
    assert {"koi8", "wide", "linked/far", "unclosed#5"} <= mentioned


def test_a_hostile_corpus_gives_its_reasons_in_russian_for_a_russian_report(hostile):
    """Every rejection and warning of the hostile corpus has its Russian wording; what stays
    as written is the detail a parser or the system gave (shown after «: »)."""
    from newslens.account import localised

    corpus = load(hostile)
    notes = pd.concat([corpus.rejected, corpus.warnings], ignore_index=True)
    russian = localised(notes, "ru").reason
    untranslated = [r for r, ru in zip(notes.reason, russian, strict=True) if r == ru]
    assert not untranslated
    assert not [ru for ru in russian if ru.split(":")[0].isascii()]
