"""Read a corpus of articles from files and folders into one table.

Every input is accounted for: a file or record that cannot be used becomes a row of the
``rejected`` table (path, line, reason) and the load goes on. Only a corpus with no usable
article at all is an error (:class:`CorpusError`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

ARTICLE_COLUMNS = ["doc_id", "date", "title", "text", "source", "path"]
REJECTED_COLUMNS = ["path", "line", "reason"]
SUFFIXES = {".txt", ".jsonl", ".csv"}

_HEADER = re.compile(r"^\s*date\s+(\S+)\s*(.*)$")
_CSV_DELIMITERS = ",;\t"


class CorpusError(Exception):
    """The corpus yields no article at all; the message is one line for the user."""


@dataclass
class Corpus:
    """Articles that were read, and everything that was not, with the reason why."""

    articles: pd.DataFrame
    rejected: pd.DataFrame
    warnings: pd.DataFrame = field(default_factory=lambda: _frame([], REJECTED_COLUMNS))

    @property
    def period(self) -> tuple[date | None, date | None]:
        dates = self.articles["date"].dropna()
        if dates.empty:
            return None, None
        return dates.min().date(), dates.max().date()


@dataclass
class _Record:
    doc_id: str
    date: pd.Timestamp | None
    title: str
    text: str
    source: str
    path: str
    line: int


class _Reject(Exception):
    def __init__(self, reason: str, line: int = 0):
        super().__init__(reason)
        self.reason = reason
        self.line = line


def load(paths: str | Path | Iterable[str | Path], *, strict: bool = True) -> Corpus:
    """Load files and folders (recursively) of ``.txt``, ``.jsonl`` and ``.csv`` articles.

    With ``strict`` (the default) a corpus without a single valid article raises
    :class:`CorpusError`; otherwise an empty ``articles`` table is returned.
    """
    paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
    found: dict[str, list] = {"article": [], "rejected": [], "warning": []}
    for kind, item in iter_corpus(paths):
        found[kind].append(item)
    records, rejected = found["article"], found["rejected"]
    articles = _frame(
        [[r.doc_id, r.date, r.title, r.text, r.source, r.path] for r in records], ARTICLE_COLUMNS
    )
    articles["date"] = pd.to_datetime(articles["date"])
    articles = articles.sort_values(["date", "doc_id"], na_position="last", kind="stable")
    corpus = Corpus(
        articles.reset_index(drop=True),
        _frame(rejected, REJECTED_COLUMNS),
        _frame(found["warning"], REJECTED_COLUMNS),
    )
    if strict and corpus.articles.empty:
        where = ", ".join(str(p) for p in paths) or "(no path)"
        why = f"; {len(rejected)} input(s) rejected" if rejected else ""
        raise CorpusError(f"no valid article in {where}{why}")
    return corpus


def iter_corpus(paths: Iterable[str | Path]) -> Iterator[tuple[str, object]]:
    """Stream the corpus as ("article", record), ("rejected", (path, line, reason)) and
    ("warning", (path, line, note)), one file and one record at a time, so a corpus larger
    than memory can be read. Duplicates are caught by a 16-byte hash of each text."""
    seen_text: dict[bytes, str] = {}
    seen_id: set[str] = set()
    for root in paths:
        root = Path(root)
        if not root.exists():
            yield "rejected", (str(root), 0, "no such file or folder")
            continue
        for path in _walk(root):
            for kind, item in _read_file(path, root):
                if kind == "article":
                    key = " ".join(item.text.split()).encode("utf-8")
                    digest = hashlib.blake2b(key, digest_size=16).digest()
                    if digest in seen_text:
                        kind, item = (
                            "rejected",
                            (item.path, item.line, f"duplicate text of {seen_text[digest]}"),
                        )
                    elif item.doc_id in seen_id:
                        kind, item = (
                            "rejected",
                            (item.path, item.line, f"duplicate id {item.doc_id!r}"),
                        )
                    else:
                        seen_text[digest] = item.doc_id
                        seen_id.add(item.doc_id)
                yield kind, item


def _read_file(path: Path, root: Path) -> Iterator[tuple[str, object]]:
    name = _display(path)
    if path.suffix.lower() not in SUFFIXES:
        yield "rejected", (name, 0, f"unsupported file type {path.suffix or '(none)'!r}")
        return
    if path.suffix.lower() == ".jsonl":
        yield from _stream_jsonl(path, name, _base_id(path, root))
        return
    try:
        content, note = _decode(path.read_bytes())
    except _Reject as err:
        yield "rejected", (name, err.line, err.reason)
        return
    if note:
        yield "warning", (name, 0, note)
    reader = {".txt": _read_txt, ".jsonl": _read_jsonl, ".csv": _read_csv}[path.suffix.lower()]
    try:
        for item in reader(content, name, _base_id(path, root)):
            if isinstance(item, _Reject):
                yield "rejected", (name, item.line, item.reason)
            else:
                yield "article", item
    except _Reject as err:
        yield "rejected", (name, err.line, err.reason)


def _frame(rows: list, columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    if "line" in columns:
        frame["line"] = frame["line"].astype(int)
    return frame


def _walk(root: Path) -> Iterator[Path]:
    if root.is_file():
        yield root
        return
    for path in sorted(root.rglob("*")):
        hidden = any(part.startswith(".") for part in path.relative_to(root).parts)
        if path.is_file() and not hidden:
            yield path


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _base_id(path: Path, root: Path) -> str:
    """A doc_id that stays the same across runs: the file's path below the corpus root."""
    relative = path.name if root.is_file() else path.relative_to(root).as_posix()
    return relative.rsplit(".", 1)[0]


def _decode(data: bytes) -> tuple[str, str | None]:
    """UTF-8 (BOM or not), else cp1251 with a warning; newlines become ``\\n``."""
    if not data.strip():
        raise _Reject("empty file")
    if b"\x00" in data:
        raise _Reject("binary file (NUL bytes), not text")
    note = None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("cp1251")
        except UnicodeDecodeError:
            line = data[: utf8_error.start].count(b"\n") + 1
            raise _Reject(
                f"undecodable bytes: neither UTF-8 nor cp1251 (byte 0x{data[utf8_error.start]:02x}"
                f" at offset {utf8_error.start})",
                line,
            ) from None
        note = "not UTF-8: decoded as cp1251"
    return text.replace("\r\n", "\n").replace("\r", "\n"), note


def _parse_date(value: object) -> pd.Timestamp | None:
    text = str(value).strip()
    try:
        return pd.Timestamp(date.fromisoformat(text[:10]))
    except ValueError:
        return None


def _read_txt(content: str, name: str, base_id: str) -> Iterator[_Record | _Reject]:
    first, _, rest = content.partition("\n")
    header = _HEADER.match(first)
    if header is None:
        title = first.strip() or content.strip().split("\n", 1)[0]
        yield _Record(base_id, None, title, content, "", name, 1)
        return
    when = _parse_date(header.group(1))
    if when is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", header.group(1)):
        raise _Reject(f"header line is not 'date YYYY-MM-DD Title': {first.strip()[:60]!r}", 1)
    body = rest.lstrip("\n")
    if not body.strip():
        raise _Reject("article has a header but no body", 1)
    yield _Record(base_id, when, header.group(2).strip(), body, "", name, 1)


def _from_fields(fields: dict, name: str, line: int, default_id: str) -> _Record | _Reject:
    text = fields.get("text")
    if not isinstance(text, str) or not text.strip():
        return _Reject("no 'text' (missing or empty)", line)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    raw_id = fields.get("id")
    doc_id = str(raw_id).strip() if raw_id not in (None, "") else default_id
    when = _parse_date(fields["date"]) if fields.get("date") not in (None, "") else None
    title = str(fields.get("title") or "").strip() or text.strip().split("\n", 1)[0][:120]
    source = str(fields.get("source") or fields.get("url") or "").strip()
    return _Record(doc_id, when, title, text, source, name, line)


def _stream_jsonl(path: Path, name: str, base_id: str) -> Iterator[tuple[str, object]]:
    """JSONL line by line: a multi-GB file never sits in memory whole."""
    empty, warned = True, False
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if not raw.strip():
                continue
            empty = False
            try:
                line, note = _decode(raw)
            except _Reject as err:
                yield "rejected", (name, number, err.reason)
                continue
            if note and not warned:
                warned = True
                yield "warning", (name, number, note)
            for item in _read_jsonl(line, name, base_id, number):
                yield (
                    ("rejected", (name, item.line, item.reason))
                    if isinstance(item, _Reject)
                    else ("article", item)
                )
    if empty:
        yield "rejected", (name, 0, "empty file")


def _read_jsonl(
    content: str, name: str, base_id: str, first_line: int = 1
) -> Iterator[_Record | _Reject]:
    for number, line in enumerate(content.split("\n"), start=first_line):
        if not line.strip():
            continue
        try:
            fields = json.loads(line)
        except json.JSONDecodeError as err:
            yield _Reject(f"invalid JSON: {err.msg} (column {err.colno})", number)
            continue
        if not isinstance(fields, dict):
            yield _Reject(f"a JSON {type(fields).__name__}, not an object", number)
            continue
        yield _from_fields(fields, name, number, f"{base_id}#{number}")


def _read_csv(content: str, name: str, base_id: str) -> Iterator[_Record | _Reject]:
    header_line = content.split("\n", 1)[0]
    delimiter = max(_CSV_DELIMITERS, key=header_line.count)
    reader = csv.DictReader(io.StringIO(content, newline=""), delimiter=delimiter)
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    if "text" not in columns:
        raise _Reject(f"CSV has no 'text' column (columns: {', '.join(columns) or 'none'})", 1)
    reader.fieldnames = columns
    try:
        for row in reader:
            line = reader.line_num
            yield _from_fields(row, name, line, f"{base_id}#{line}")
    except csv.Error as err:
        yield _Reject(f"malformed CSV: {err}", reader.line_num)


def overview(articles: pd.DataFrame) -> pd.DataFrame:
    """One line per article for the reader: date, title, length, source."""
    return pd.DataFrame(
        {
            "doc_id": articles["doc_id"],
            "date": articles["date"].dt.strftime("%Y-%m-%d"),
            "title": articles["title"],
            "opening": articles["text"].map(_opening),
            "words": articles["text"].str.split().str.len(),
            "characters": articles["text"].str.len(),
            "source": articles["source"].replace("", None),
        }
    )


def describe(corpus: Corpus) -> str:
    """One sentence on what was read, for the top of the loading chapter."""
    n = len(corpus.articles)
    first, last = corpus.period
    when = (
        ""
        if first is None
        else (
            f" dated {first.isoformat()}"
            if first == last
            else f" from {first.isoformat()} to {last.isoformat()}"
        )
    )
    words = int(corpus.articles["text"].str.split().str.len().sum())
    rejected = len(corpus.rejected)
    tail = "no input was rejected" if not rejected else f"{rejected} input(s) were rejected"
    return (
        f"The corpus holds {n} article{'s' if n != 1 else ''}{when}, {words:,} words in all; "
        f"{tail}."
    )


def _opening(text: str, limit: int = 160) -> str:
    """The first words of the body, cut at a word boundary, so the reader sees what it is."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + " …"
