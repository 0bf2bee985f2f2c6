"""Parallel, cached and distributed runs give the same tables as the serial one."""

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from newslens import context, engine, sentiment
from newslens.config import ROOT
from newslens.load import load
from newslens.pipeline import analyse

EXTRA = [
    "Эммануэль Макрон позвонил Дональду Трампу. Макрон осудил удары по Киеву.",
    "Правительство Грузии поддержало решение ЕС. Премьер Грузии Ираклий Кобахидзе выступил.",
    "МИД России вызвал посла Латвии. Мария Захарова заявила, что Москва ответит.",
]


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copy(next((ROOT / "seeds").glob("*.txt")), folder)
    for i, text in enumerate(EXTRA):
        (folder / f"extra{i}.txt").write_text(f"date 2025-09-0{i + 4} Новости {i}\n\n{text}\n")
    return folder


def no_embedding(*texts):
    """Put in place of the embedder where a run must embed nothing (both ways to reach it)."""
    pytest.fail(f"embedded {texts}")


def tables(result) -> dict[str, pd.DataFrame]:
    scored = result["scored"].drop(columns=["p_negative", "p_neutral", "p_positive",
                                            "probability"])  # fmt: skip
    probability = result["scored"][["p_negative", "p_neutral", "p_positive"]].round(5)
    return {"mentions": result["mentions"], "actors": result["actors"], "scored": scored,
            "probability": probability}  # fmt: skip


@pytest.fixture(scope="module")
def serial(corpus_dir):
    return tables(analyse(corpus_dir))


def assert_same(a: dict, b: dict) -> None:
    for name in a:
        pd.testing.assert_frame_equal(a[name].reset_index(drop=True),
                                      b[name].reset_index(drop=True), obj=name)  # fmt: skip


def test_two_processes_equal_serial(corpus_dir, serial):
    assert_same(serial, tables(analyse(corpus_dir, workers=2)))


def test_corpus_steps_split_by_article_equal_serial(corpus_dir, serial, monkeypatch):
    """Mention sentiment and quotes, run on two processes a run of articles each."""
    whole = analyse(corpus_dir)["quotes"]
    monkeypatch.setattr(engine, "PARALLEL_FROM", 2)  # four articles: two parts of two
    split = analyse(corpus_dir, workers=2)
    assert_same(serial, tables(split))
    pd.testing.assert_frame_equal(split["quotes"], whole)
    assert {"Ильхам Алиев", "Дмитрий Песков"} <= set(whole.speaker)


def test_cache_hit_miss_and_identical_results(corpus_dir, serial, tmp_path):
    cache = engine.Cache(tmp_path / "cache")
    first = tables(analyse(corpus_dir, cache=cache))
    assert (cache.hits, cache.misses) == (0, 4)
    again = engine.Cache(tmp_path / "cache")
    second = tables(analyse(corpus_dir, cache=again))
    assert (again.hits, again.misses, again.corrupt) == (4, 0, 0)
    assert_same(serial, first)
    assert_same(serial, second)


def test_adding_one_article_processes_only_that_one(corpus_dir, tmp_path):
    folder = tmp_path / "grow"
    shutil.copytree(corpus_dir, folder)
    analyse(folder, cache=engine.Cache(tmp_path / "cache"))["actors"]
    (folder / "new.txt").write_text("date 2025-09-09 Новое\n\nАлиев прибыл в Анкару.\n")
    cache = engine.Cache(tmp_path / "cache")
    analyse(folder, cache=cache)["mentions"]
    assert (cache.hits, cache.misses) == (4, 1)


def test_gazetteer_change_invalidates_every_article(corpus_dir, tmp_path):
    analyse(corpus_dir, cache=engine.Cache(tmp_path / "cache"))["mentions"]
    edited = tmp_path / "gazetteer.csv"
    edited.write_text(
        (ROOT / "data" / "gazetteer.csv").read_text("utf-8")
        + "Мария Захарова,PER,,,,M. Zakharova (edited),,\n",  # the later row wins
        "utf-8",
    )
    cache = engine.Cache(tmp_path / "cache")
    result = analyse(corpus_dir, cache=cache, gazetteer=edited)
    latin = result["actors"].set_index("actor").loc["Мария Захарова", "latin"]
    assert latin == "M. Zakharova (edited)"
    assert (cache.hits, cache.misses) == (0, 4)


def test_a_gazetteer_edited_in_place_is_seen_by_the_next_analysis(corpus_dir, tmp_path):
    """No cache by path: the same file, edited between two runs of one process (a live
    JupyterLab kernel), gives the new names and new cache keys."""
    path = tmp_path / "gazetteer.csv"
    original = (ROOT / "data" / "gazetteer.csv").read_text("utf-8")
    path.write_text(original, "utf-8")
    cache = engine.Cache(tmp_path / "cache")
    before = analyse(corpus_dir, cache=cache, gazetteer=path)["actors"].set_index("actor")
    assert before.loc["Мария Захарова", "latin"] == "Maria Zakharova"
    path.write_text(original + "Мария Захарова,PER,,,,M. Zakharova (edited),,\n", "utf-8")
    after = analyse(corpus_dir, cache=cache, gazetteer=path)["actors"].set_index("actor")
    assert after.loc["Мария Захарова", "latin"] == "M. Zakharova (edited)"
    assert (cache.hits, cache.misses) == (0, 8)  # new keys: every article parsed again


def test_corrupt_and_foreign_cache_files_are_recomputed(corpus_dir, serial, tmp_path):
    analyse(corpus_dir, cache=engine.Cache(tmp_path / "cache"))["mentions"]
    files = sorted((tmp_path / "cache").rglob("*.parquet"))
    assert len(files) == 4
    files[0].write_bytes(files[0].read_bytes()[:100])  # truncated
    shutil.copy(files[2], files[1])  # a valid file under another article's key
    cache = engine.Cache(tmp_path / "cache")
    result = tables(analyse(corpus_dir, cache=cache))
    assert (cache.hits, cache.corrupt) == (2, 2)
    assert_same(serial, result)
    assert engine.Cache(tmp_path / "cache").get(files[0].stem, "x") is not None  # rewritten


def test_dask_local_cluster_equals_local(corpus_dir, serial):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:  # fmt: skip
        result = tables(analyse(corpus_dir, engine="dask", scheduler=cluster.scheduler_address))
        with distributed.Client(cluster) as client:  # the embeddings ran one thread a task
            limits = client.run(os.getenv, "NEWSLENS_EMBED_THREADS")
    assert_same(serial, result)
    assert list(limits.values()) == ["1", "1"]


def test_unknown_engine_is_a_clear_error(corpus_dir):
    with pytest.raises(ValueError, match="unknown engine 'spark'"):
        analyse(load(corpus_dir), engine="spark")


@pytest.mark.parametrize("dense_actors", [100, 3])
def test_streaming_tallies_equal_the_in_memory_actors(corpus_dir, tmp_path, monkeypatch,
                                                      dense_actors):  # fmt: skip
    """Also when the dense view reads only the leading actors, ranked across chunks."""
    from newslens.stream import stream_actors

    monkeypatch.setattr(sentiment, "DENSE_ACTORS", dense_actors)
    expected = analyse(corpus_dir)["actors"]
    streamed = stream_actors(corpus_dir, context.make(cache=engine.Cache(tmp_path / "cache")), 2)
    assert streamed.articles == 4
    pd.testing.assert_frame_equal(  # stories need the whole corpus: not streamed
        streamed.actors.reset_index(drop=True),
        expected.drop(columns=["stories"]).reset_index(drop=True), check_dtype=False,
    )  # fmt: skip


def test_streaming_reads_jsonl_line_by_line_and_keeps_rejections(tmp_path):
    import json

    from newslens.stream import stream_actors

    feed = tmp_path / "big.jsonl"
    lines = [json.dumps({"id": f"a{i}", "text": t}, ensure_ascii=False) for i, t in
             enumerate(EXTRA)] + ["{oops"]  # fmt: skip
    feed.write_text("\n".join(lines) + "\n", "utf-8")
    streamed = stream_actors(feed, context.make(cache=engine.Cache(tmp_path / "cache")), 1)
    assert streamed.articles == 3
    assert streamed.rejected[["line", "reason"]].values.tolist()[0][0] == 4
    assert "Эммануэль Макрон" in set(streamed.actors.actor)


def test_every_mode_shares_the_article_cache_and_accurate_adds_its_vectors(
    corpus_dir, tmp_path, monkeypatch
):
    analyse(corpus_dir, cache=engine.Cache(tmp_path / "cache"), sentiment=None)["actors"]
    full = engine.Cache(tmp_path / "cache")
    cold = analyse(corpus_dir, cache=full)
    cold_tables = tables(cold)
    assert (full.hits, full.misses) == (4, 0)  # the parse is served; the vectors are added
    again = engine.Cache(tmp_path / "cache")
    monkeypatch.setattr(engine, "_embed", no_embedding)
    monkeypatch.setattr(sentiment, "embedder", no_embedding)
    warm = tables(analyse(corpus_dir, cache=again))
    assert (again.hits, again.misses) == (4, 0)
    assert_same(cold_tables, warm)
    first = load(corpus_dir).articles.iloc[0]
    key = engine.cache_key(first.title, first.text, cold.ctx.gazetteer)
    entry = again.get(key, first.doc_id)
    scored = cold["scored"]
    dense = scored[(scored.doc_id == entry.doc_id) & (scored.model == "lexical+dense")]
    assert len(dense) and set(dense.sentence) | set(dense.text) == set(entry.vectors)
    result = analyse(corpus_dir, cache=engine.Cache(tmp_path / "cache"), sentiment=None)
    assert "polarity" not in result["scored"]


def test_fast_sentiment_runs_parallel_and_streamed_like_serial(corpus_dir, tmp_path):
    from newslens.stream import stream_actors

    serial_fast = analyse(corpus_dir, sentiment="fast")
    assert_same(tables(serial_fast), tables(analyse(corpus_dir, workers=2, sentiment="fast")))
    ctx = context.make(sentiment="fast", cache=engine.Cache(tmp_path / "cache"))
    streamed = stream_actors(corpus_dir, ctx, 2)
    pd.testing.assert_frame_equal(
        streamed.actors.reset_index(drop=True),
        serial_fast["actors"].drop(columns=["stories"]).reset_index(drop=True),
        check_dtype=False,
    )  # fmt: skip


def test_streaming_without_a_cache_writes_none_and_leaves_nothing(corpus_dir, tmp_path,
                                                                   monkeypatch):  # fmt: skip
    """``actors --stream --no-cache``: the passes share a temporary cache, removed after."""
    import tempfile

    from newslens.stream import stream_actors

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(engine, "CACHE_DIR", tmp_path / "default-cache")
    streamed = stream_actors(corpus_dir, context.make(sentiment="fast"), 2)
    assert streamed.articles == 4 and "Ильхам Алиев" in set(streamed.actors.actor)
    assert list(tmp_path.iterdir()) == []


def test_sentiment_reads_the_article_parse_and_never_parses_again(corpus_dir, monkeypatch):
    from newslens import nlp

    result = analyse(corpus_dir, cache=False)
    scored = result["polar"]  # the model's output (``scored`` adds the repeats)

    def no_parse(text):
        raise AssertionError(f"parsed again: {text[:40]}")

    monkeypatch.setattr(nlp, "parse", no_parse)
    again = sentiment.mention_sentiment(result["mentions"], result["sentences"], result.ctx)
    pd.testing.assert_frame_equal(again, scored)


def test_each_worker_runs_one_thread():
    """Two workers with two OpenMP or BLAS threads each fight over two cores: the sentence
    embeddings took twice as long until the workers set their limits themselves."""
    import os

    import threadpoolctl

    pool = engine._pool(2)
    names = ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NEWSLENS_EMBED_THREADS"]
    assert list(pool.map(os.getenv, names)) == ["1", "1", "1"]
    pools = pool.submit(threadpoolctl.threadpool_info).result()
    assert pools and {p["num_threads"] for p in pools} == {1}


def test_vectors_of_a_surname_only_the_corpus_resolves_are_served_warm(tmp_path, monkeypatch):
    """«Б.Обама» is a candidate of its article (natasha misses it), resolved by the other
    article; its vector, cached with the article, was taken for a foreign one and the
    article parsed and embedded again on every warm run (25 of 1,000 bench articles)."""
    (tmp_path / "a.txt").write_text("date 2009-01-20 Присяга\n\nБарак Обама принёс присягу.\n")
    (tmp_path / "b.txt").write_text(
        "date 2009-01-21 Назначение\n\nБ.Обама назначил нового советника по безопасности.\n"
    )
    cold = analyse(tmp_path, cache=engine.Cache(tmp_path / "cache"))["scored"]
    lone = cold[cold.doc_id == "b"]
    assert lone[["text", "actor", "model"]].values.tolist() == [
        ["Обама", "Барак Обама", "lexical+dense"]
    ]
    monkeypatch.setattr(engine, "_embed", no_embedding)
    monkeypatch.setattr(sentiment, "embedder", no_embedding)
    warm = engine.Cache(tmp_path / "cache")
    analyse(tmp_path, cache=warm)["scored"]
    assert (warm.hits, warm.misses, warm.corrupt) == (2, 0, 0)
