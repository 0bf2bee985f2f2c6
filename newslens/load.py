"""Read a corpus of articles from files and folders into one table.

One reader per input format, registered by suffix (:data:`READERS`), yields articles,
rejections and warnings; :func:`iter_corpus` walks the paths, hands each file to its reader and
turns anything a reader raises into a rejection, so nothing raises past :func:`load`. Every
input is accounted for: a file or record that cannot be used becomes a row of the ``rejected``
table (path, line, reason) and the load goes on; what was read with a doubt (a guessed
encoding, a date that cannot be read, replaced bytes) is a row of ``warnings``. Only a corpus
with no usable article at all is an error (:class:`CorpusError`).
"""

from __future__ import annotations

import codecs
import collections
import csv
import errno
import hashlib
import io
import itertools
import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from newslens import config, dates, hygiene, jsonstream

# ``published``: the date and time when the input gives a time (a feed), else the date; it
# orders the articles of one day (the original of a copy, the first post of a story)
ARTICLE_COLUMNS = ["doc_id", "date", "title", "text", "source", "path", "published"]
REJECTED_COLUMNS = ["path", "line", "reason"]
WARNING_COLUMNS = REJECTED_COLUMNS
# The field names of a record (JSON and JSONL keys, CSV columns, in any case) that carry each
# part of an article, the first one present winning: the names feeds and exports use.
FIELDS = {
    "text": ("text", "message", "content", "body", "full_text"),
    "id": ("id", "message_id", "post_id", "guid"),
    "title": ("title", "headline"),
    "date": ("date", "pubdate", "published", "published_at", "datetime", "created_at"),
    "source": ("source", "channel", "outlet", "site", "from", "url", "link"),
}
DATE_FIELDS = FIELDS["date"]
TITLE_CHARS = 120  # a title taken from the first line of the text is cut here


class CorpusError(Exception):
    """The corpus yields no article at all; the message is one line for the user."""


@dataclass
class Corpus:
    """Articles that were read, everything that was not (with the reason why), and what was
    read with a doubt (``warnings``)."""

    articles: pd.DataFrame
    rejected: pd.DataFrame
    warnings: pd.DataFrame = field(default_factory=lambda: _frame([], WARNING_COLUMNS))
    boilerplate: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=hygiene.COLUMNS))  # fmt: skip  # the lines left out, per source

    @property
    def period(self) -> tuple[date | None, date | None]:
        dates_ = self.articles["date"].dropna()
        if dates_.empty:
            return None, None
        return dates_.min().date(), dates_.max().date()


@dataclass
class Article:
    """One article as read; ``line`` is where it starts in its file."""

    doc_id: str
    date: pd.Timestamp | None
    title: str
    text: str
    source: str
    path: str
    line: int
    no_date: bool = False  # the input carries no date at all (as opposed to an unreadable one)
    derived_title: int = 0  # the title is the text's first line, cut here (0: the input's own)
    published: pd.Timestamp | None = None  # the date and time, when the input gives a time


class Note(NamedTuple):
    """A rejection or a warning: which file, which line (0: the whole file), why, and which
    of the two it is. A reader yields notes without a path; the loader adds it."""

    path: str
    line: int
    reason: str
    kind: str = "rejected"  # or "warning": read, with a doubt the user should know


def Rejected(line: int, reason: str) -> Note:  # noqa: N802 (a note's constructor)
    """What a reader yields for a record (or a whole file, line 0) it cannot use."""
    return Note("", line, reason)


def Warned(line: int, reason: str) -> Note:  # noqa: N802
    """What a reader yields for something it read with a doubt."""
    return Note("", line, reason, "warning")


@dataclass
class InputFile:
    """One input file as a reader sees it."""

    path: Path
    name: str  # as shown to the user
    base_id: str  # the doc_id stem: the file's path below the corpus root, without suffix
    max_chars: int


Reader = Callable[[InputFile], Iterator[Article | Note]]
READERS: dict[str, Reader] = {}


def reader(*suffixes: str) -> Callable[[Reader], Reader]:
    """Register a reader for files ending in ``suffixes``: adding a format is one function."""

    def register(function: Reader) -> Reader:
        for suffix in suffixes:
            READERS[suffix] = function
        return function

    return register


class Unreadable(ValueError):
    """Raised inside a reader (or by :func:`decode`) to reject the rest of the file at
    ``line``."""

    def __init__(self, reason: str, line: int = 0):
        super().__init__(reason)
        self.reason = reason
        self.line = line


# ------------------------------------------------------------------ the corpus


def load(
    paths: str | Path | Iterable[str | Path], *, strict: bool = True, max_chars: int | None = None
) -> Corpus:
    """Load files and folders (recursively) of ``.txt``, ``.jsonl`` and ``.csv`` articles.

    With ``strict`` (the default) a corpus without a single valid article raises
    :class:`CorpusError`; otherwise an empty ``articles`` table is returned. An article longer
    than ``max_chars`` characters (default :func:`newslens.config.max_article_chars`) is
    rejected.
    """
    paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
    found: dict[str, list] = {"article": [], "rejected": [], "warning": []}
    for kind, item in iter_corpus(paths, max_chars=max_chars):
        found[kind].append(item)
    records, rejected = found["article"], found["rejected"]
    learned = hygiene.learn((r.source, r.text) for r in records)
    records = [cleaned(r, learned) for r in records]
    articles = _frame([[r.doc_id, r.date, r.title, r.text, r.source, r.path,
                        r.published if r.published is not None else r.date] for r in records],
                      ARTICLE_COLUMNS)  # fmt: skip
    articles["date"] = pd.to_datetime(articles["date"])
    articles["published"] = pd.to_datetime(articles["published"])
    articles = articles.sort_values(["date", "published", "doc_id"], na_position="last",
                                    kind="stable")  # fmt: skip
    corpus = Corpus(
        articles.reset_index(drop=True),
        _frame(rejected, REJECTED_COLUMNS),
        _frame(found["warning"], WARNING_COLUMNS),
        learned.table,
    )
    if strict and corpus.articles.empty:
        raise CorpusError(no_article(paths, corpus.rejected))
    return corpus


def cleaned(article: Article, learned: hygiene.Boilerplate) -> Article:
    """The article as the analysis reads it: markup and its source's boilerplate blanked
    (``newslens.hygiene``: same length, so offsets hold for both), a title taken from the
    text taken again from the cleaned text."""
    text = hygiene.clean(article.text, learned.of(article.source))
    if text == article.text and not article.derived_title:
        return article
    title = (hygiene.title_of(text, article.derived_title) if article.derived_title
             else " ".join(hygiene.blank_markup(article.title).split()))  # fmt: skip
    return replace(article, text=text, title=title)


def no_article(paths: list, rejected: pd.DataFrame, shown: int = 5) -> str:
    """The error of a corpus without an article: the most common reasons, each with the count
    and the first input it concerns, so the user sees why without opening a table."""
    where = ", ".join(str(p) for p in paths) or "(no path)"
    if rejected.empty:
        return f"no valid article in {where}: no input found"
    lines = [f"no valid article in {where}; {len(rejected)} input(s) rejected:"]
    grouped = rejected.assign(general=general_reasons(rejected["reason"])).groupby(
        "general", sort=False
    )
    counts = grouped.size().sort_values(ascending=False, kind="stable")
    for general, count in counts.head(shown).items():
        first = grouped.get_group(general).iloc[0]
        at = f"{first.path}:{first.line}" if first.line else first.path
        lines.append(f"  {count} × {at}: {first.reason}")
    if len(counts) > shown:
        lines.append(f"  … and {len(counts) - shown} other reason(s)")
    return "\n".join(lines)


def general_reasons(reasons: pd.Series) -> pd.Series:
    """A reason's words before any detail, numbers and names with digits as «…»: what
    rejections and warnings are counted by."""
    return (
        reasons.str.split(r"[:(']", n=1, regex=True).str[0]
        .str.replace(r"\S*\d\S*", "…", regex=True).str.strip()
    )  # fmt: skip


def iter_corpus(
    paths: Iterable[str | Path], *, max_chars: int | None = None
) -> Iterator[tuple[str, Article | Note]]:
    """Stream the corpus as ("article", Article), ("rejected", Note) and ("warning", Note),
    one file and one record at a time, so a corpus larger than memory can be read. Duplicates
    are caught by a 16-byte hash of each text: the same text again from the same outlet (or
    none) is rejected; from another outlet it is an article, a copy the ``copies`` step
    marks. Articles that carry no date at all are one warning per path given, not one per
    article."""
    limit = max_chars or config.max_article_chars()
    seen_text: dict[bytes, tuple[str, str]] = {}
    seen_id: set[str] = set()
    for root in paths:
        root = Path(root)
        read = undated = from_lead = 0
        for entry in _walk(root):
            if isinstance(entry, Note):
                yield "rejected", entry
                continue
            for kind, item in _read(entry, root, limit):
                if kind == "article":
                    kind, item = _check_duplicate(item, seen_text, seen_id)
                if kind == "article":
                    read += 1
                    if item.no_date:
                        undated += 1
                        opening = dates.lead(_opening_lines(item.text))
                        if opening is not None:
                            item.date, from_lead = pd.Timestamp(opening), from_lead + 1
                yield kind, item
        if undated:
            yield "warning", Note(_display(root), 0, _undated(undated, from_lead, read))


def _undated(undated: int, from_lead: int, read: int) -> str:
    some = "all" if undated == read else f"{undated} of"
    if not from_lead:
        return (
            f"{some} {read} article(s) carry no date (no date line or date field): they are undated"
        )
    return (
        f"{some} {read} article(s) carry no date line or date field: {from_lead} take the date "
        f"their first sentence opens with, {undated - from_lead} are undated"
    )


def _check_duplicate(
    item: Article, seen_text: dict[bytes, tuple[str, str]], seen_id: set[str]
) -> tuple[str, Article | Note]:
    key = " ".join(item.text.split()).encode("utf-8")
    digest = hashlib.blake2b(key, digest_size=16).digest()
    first = seen_text.get(digest)
    # the same text from another outlet is a publication of its own: a copy (``copies``)
    if first is not None and not (item.source and first[1] and item.source != first[1]):
        return "rejected", Note(item.path, item.line, f"duplicate text of {first[0]}")
    if item.doc_id in seen_id:
        return "rejected", Note(item.path, item.line, f"duplicate id {item.doc_id!r}")
    seen_text.setdefault(digest, (item.doc_id, item.source))
    seen_id.add(item.doc_id)
    return "article", item


def _read(path: Path, root: Path, max_chars: int) -> Iterator[tuple[str, Article | Note]]:
    """The one error path: whatever a reader yields or raises becomes an article, a warning
    or a rejection naming the file and line."""
    name = _display(path)
    reader_ = READERS.get(path.suffix.lower())
    if reader_ is None:
        yield "rejected", Note(name, 0, f"unsupported file type {path.suffix or '(none)'!r}")
        return
    infile = InputFile(path, name, _base_id(path, root), max_chars)
    line = 0
    try:
        for item in reader_(infile):
            if isinstance(item, Article):
                line = item.line
                yield "article", item
            else:
                yield item.kind, item._replace(path=name)
    except Unreadable as err:
        yield "rejected", Note(name, err.line, err.reason)
    except OSError as err:
        yield "rejected", Note(name, line, f"cannot read: {err.strerror or err}")
    except Exception as err:  # a reader's bug must not cost the rest of the corpus
        after = f" after line {line}" if line else ""
        yield "rejected", Note(name, line, f"cannot read{after}: {type(err).__name__}: {err}")


def _frame(rows: list, columns: list[str]) -> pd.DataFrame:
    rows = [row[: len(columns)] if isinstance(row, Note) else row for row in rows]
    frame = pd.DataFrame(rows, columns=columns)
    if "line" in columns:
        frame["line"] = frame["line"].astype(int)
    return frame


# ------------------------------------------------------------------ walking the paths


def _walk(root: Path) -> Iterator[Path | Note]:
    """Regular files under ``root`` (or ``root`` itself), in name order, hidden ones skipped;
    symbolic links are followed, once each; whatever cannot be read is a Note."""
    status = _status(root)
    if isinstance(status, Note):
        yield status
    elif stat.S_ISDIR(status.st_mode):
        yield from _walk_folder(root, {(status.st_dev, status.st_ino)})
    elif stat.S_ISREG(status.st_mode):
        yield root
    else:
        yield Note(_display(root), 0, "not a regular file or folder (a device, pipe or socket)")


def _walk_folder(folder: Path, seen: set[tuple[int, int]]) -> Iterator[Path | Note]:
    try:
        with os.scandir(folder) as listing:
            names = sorted(entry.name for entry in listing)
    except OSError as err:
        yield Note(_display(folder), 0, f"cannot read folder: {err.strerror or err}")
        return
    for name in names:
        if name.startswith("."):
            continue
        path = folder / name
        status = _status(path)
        if isinstance(status, Note):
            yield status
        elif stat.S_ISDIR(status.st_mode):
            key = (status.st_dev, status.st_ino)
            if key in seen:
                yield Note(_display(path), 0, "link to a folder already read: skipped")
                continue
            seen.add(key)
            yield from _walk_folder(path, seen)
        elif stat.S_ISREG(status.st_mode):
            yield path
        else:
            yield Note(_display(path), 0, "not a regular file (a device, pipe or socket)")


def _status(path: Path) -> os.stat_result | Note:
    try:
        return path.stat()
    except OSError as err:
        if path.is_symlink():
            target = os.readlink(path)
            why = "a loop" if err.errno == errno.ELOOP else f"{target!r}: {err.strerror}"
            return Note(_display(path), 0, f"broken symbolic link to {why}")
        if isinstance(err, FileNotFoundError):
            return Note(_display(path), 0, "no such file or folder")
        return Note(_display(path), 0, f"cannot read: {err.strerror or err}")


def _display(path: Path) -> str:
    """The path as the user knows it: below the working folder if it is there; links are
    shown as links, not as their targets."""
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _base_id(path: Path, root: Path) -> str:
    """A doc_id that stays the same across runs: the file's path below the corpus root."""
    relative = path.name if path == root else path.relative_to(root).as_posix()
    return relative.rsplit(".", 1)[0]


# ------------------------------------------------------------------ bytes to text

# Single-byte encodings a Russian file may come in (charset-normalizer picks among them);
# Mac Cyrillic is left out: on short texts it is mistaken for cp1251 more often than it occurs.
ENCODINGS = ["cp1251", "koi8_r", "cp866", "iso8859_5", "cp1252"]
_BOMS = [
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
]


def decode(data: bytes) -> tuple[str, str | None]:
    """Text and a note on how it was decoded (None for plain UTF-8); newlines become ``\\n``.

    UTF-8 (with or without BOM) and UTF-16/32 with a BOM are read as such; text that is UTF-8
    but for a few bad bytes keeps its UTF-8 with the bytes replaced by �; anything else is
    handed to charset-normalizer among :data:`ENCODINGS`, and the note says which it chose.
    """
    codec, note = encoding_of(data)
    if codec in ("utf-16", "utf-32"):
        try:
            return _text(data.decode(codec)), note
        except UnicodeDecodeError as err:
            shown = note.split()[2] if note else codec.upper()
            reason = f"not valid {shown} despite its byte order mark: {err.reason}"
            raise Unreadable(reason) from None
    return _text(data.decode(codec, "replace")), note


def encoding_of(data: bytes, final: bool = True) -> tuple[str, str | None]:
    """The codec to read ``data`` with, and a note for the user (None for plain UTF-8);
    ``final`` False: ``data`` is the head of a longer file, and may end mid-character."""
    if not data.strip():
        raise Unreadable("empty file")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            if codec == "utf-8":
                return "utf-8-sig", None
            # "utf-16"/"utf-32" read the byte order from the mark and drop it
            return codec[:6], f"decoded as {codec.upper()} (byte order mark)"
    if b"\x00" in data:
        raise Unreadable("binary file (NUL bytes), not text")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=final)
        return "utf-8", None
    except UnicodeDecodeError as err:
        first_bad = err.start
    replaced = data.decode("utf-8", "replace")
    bad = replaced.count("\ufffd")
    good = sum(1 for c in replaced if ord(c) > 127 and c != "\ufffd")
    line = data[:first_bad].count(b"\n") + 1
    if good >= 20 * bad:
        return "utf-8", f"{bad} byte(s) not UTF-8 replaced by \ufffd (the first at line {line})"
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=ENCODINGS).best()
    if best is None:
        raise Unreadable(
            f"undecodable: neither UTF-8 nor {', '.join(ENCODINGS)} (byte 0x{data[first_bad]:02x}"
            f" at offset {first_bad})",
            line,
        )
    return best.encoding, f"not UTF-8: decoded as {best.encoding} (detected)"


def _text(text: str) -> str:
    if not text.strip():
        raise Unreadable("empty file")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _check_size(length: int, limit: int, line: int = 0) -> None:
    if length > limit:
        raise Unreadable(_too_long(length, limit), line)


def _too_long(length: int, limit: int) -> str:
    return f"article of {length:,} characters is over the size limit of {limit:,} (--max-chars)"


def _read_text(infile: InputFile) -> tuple[str, str | None]:
    """A whole file as text; one too large to hold an article within the limit is rejected
    unread (four bytes a character is the most any encoding here takes)."""
    size = infile.path.stat().st_size
    if size > 4 * infile.max_chars + 4096:
        raise Unreadable(
            f"file of {size:,} bytes cannot hold an article within the size limit of "
            f"{infile.max_chars:,} characters (--max-chars)"
        )
    return decode(infile.path.read_bytes())


# ------------------------------------------------------------------ .txt

_HEADER = re.compile(r"^\s*date\s+(\S+)\s*(.*)$")
PROSE_LINES = 3  # files of fewer non-blank lines are not tested for prose
PROSE_SHARE = 0.2  # annotation files measure below 0.15, real news above 0.33
_WORD = re.compile(r"[^\W\d_]{2,}")
_SENTENCE_END = re.compile(r"[.!?…:;][»\"')\]]*(\s|$)")


@reader(".txt")
def read_txt(infile: InputFile) -> Iterator[Article | Note]:
    """One article per file, in one of four layouts: ``date YYYY-MM-DD Title`` then the body;
    a title line, then a date line (``05/08/2008 10:35``, ``5 августа 2008``…), then the body;
    a date line, then the text; or plain text, its first line the title. In the first two the
    text is the body alone (mention offsets index it)."""
    content, note = _read_text(infile)
    if note:
        yield Warned(0, note)
    layout = _layout(content)
    when = None
    if layout.date is not None:
        when, warning = _date(layout.date, layout.line)
        if warning:
            yield warning
    _check_size(len(layout.text), infile.max_chars)
    _check_prose(layout.text)
    yield Article(
        infile.base_id, when, layout.title, layout.text, "", infile.name, 1,
        no_date=layout.date is None, derived_title=layout.derived,
    )  # fmt: skip


@dataclass
class _Layout:
    title: str
    text: str
    date: str | None = None  # as written
    line: int = 0  # where
    derived: int = 0  # the title is the text's first line (its length: not cut)


def _layout(content: str) -> _Layout:
    lines = _first_lines(content, 2)
    first_at, first = lines[0]

    def after(at: int, line: str, what: str) -> str:
        body = content[at + len(line) + 1 :].lstrip("\n")
        if not body.strip():
            raise Unreadable(f"article has {what} but no body", _line_of(content, at))
        return body

    header = _HEADER.match(first)
    if header is not None:
        body = after(first_at, first, "a header")
        return _Layout(header.group(2).strip(), body, header.group(1), _line_of(content, first_at))
    if len(lines) == 2:
        second_at, second = lines[1]
        if dates.parse(second) or dates.looks_like_date(second):
            body = after(second_at, second, "a title and a date")
            return _Layout(first.strip(), body, second, _line_of(content, second_at))
        if dates.parse(first):
            text = content[first_at + len(first) + 1 :].lstrip("\n")
            return _Layout(second.strip(), text, first, _line_of(content, first_at))
    return _Layout(first.strip(), content, derived=len(first))


def _first_lines(content: str, count: int) -> list[tuple[int, str]]:
    """(offset, line) of the first ``count`` non-blank lines, reading no further."""
    out, at = [], 0
    while len(out) < count and at <= len(content):
        end = content.find("\n", at)
        end = len(content) if end < 0 else end
        if content[at:end].strip():
            out.append((at, content[at:end]))
        at = end + 1
    return out


def _opening_lines(text: str) -> list[str]:
    return [line for _, line in _first_lines(text, dates.LEAD_LINES)]


def _line_of(content: str, offset: int) -> int:
    return content.count("\n", 0, offset) + 1


def _date(value: str, line: int) -> tuple[pd.Timestamp | None, Warned | None]:
    """One rule for every format: a date that cannot be read is a warning and the article is
    kept, undated."""
    found = dates.parse(value)
    if found is None:
        shown = " ".join(str(value).split())[:60]
        return None, Warned(line, f"date {shown!r} cannot be read: the article is undated")
    return pd.Timestamp(found), None


def _check_prose(text: str) -> None:
    """Reject what is not an article: an annotation file (BRAT ``.ann``, factRuEval
    ``.spans``/``.tokens``), a table or a list of file names saved as ``.txt``. Prose has
    most of its characters in lines with words and a sentence end."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < PROSE_LINES:
        return
    total = sum(len(line) for line in lines)
    prose = sum(
        len(line) for line in lines if len(_WORD.findall(line)) >= 4 and _SENTENCE_END.search(line)
    )
    if prose < PROSE_SHARE * total:
        raise Unreadable(
            f"not an article: {len(lines)} lines, {prose / total:.0%} of the text in sentences "
            "(an annotation or token file, a table or a list of file names?)",
            1,
        )


# ------------------------------------------------------------------ JSONL and CSV records


def _record(
    fields: dict, infile: InputFile, line: int, default_id: str, holder: str = ""
) -> Iterator[Article | Note]:
    """An article from the fields of one record (a JSON object, a CSV row; keys in lower
    case, see :data:`FIELDS`). ``holder`` names the outlet when the record does not (the
    channel of a Telegram export)."""
    if fields.get("type") == "service":
        action = str(fields.get("action") or "service")
        yield Rejected(line, f"a Telegram service message ({action}), not a post")
        return
    text = _value(fields, "text")
    if isinstance(text, list):  # Telegram Desktop: strings and entities {type, text, href}
        text = "".join(p if isinstance(p, str) else str(p.get("text", "")) if isinstance(p, dict)
                       else "" for p in text)  # fmt: skip
    if not isinstance(text, str) or not text.strip():
        yield Rejected(line, "no 'text' (missing or empty)")
        return
    for key, value in fields.items():
        if isinstance(value, str) and _has_surrogate(value):
            yield Rejected(line, f"invalid Unicode in {key!r}: a lone surrogate (\\ud800–\\udfff)")
            return
    if len(text) > infile.max_chars:
        yield Rejected(line, _too_long(len(text), infile.max_chars))
        return
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    raw_id = _value(fields, "id")
    doc_id = str(raw_id).strip() if raw_id not in (None, "") else default_id
    raw_date = _value(fields, "date")
    when = None
    if raw_date is not None:
        when, warning = _date(raw_date, line)
        if warning:
            yield warning
    title = str(_value(fields, "title") or "").strip()
    derived = 0 if title else TITLE_CHARS
    title = title or text.strip().split("\n", 1)[0][:TITLE_CHARS]
    outlet = _value(fields, "source")
    source_name = (outlet.strip() if isinstance(outlet, str) else "") or holder
    moment = dates.moment(raw_date) if when is not None else None
    yield Article(doc_id, when, title, text, source_name, infile.name, line,
                  no_date=raw_date is None, derived_title=derived,
                  published=pd.Timestamp(moment) if moment else None)  # fmt: skip


def _value(fields: dict, part: str):
    """The first field present (not empty) of those that carry ``part``."""
    return next((fields[k] for k in FIELDS[part] if fields.get(k) not in (None, "")), None)


def _has_surrogate(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


@reader(".jsonl")
def read_jsonl(infile: InputFile) -> Iterator[Article | Note]:
    """One JSON object per line (``text``, optional ``id``, ``title``, ``date``, ``source``),
    read line by line: a multi-GB file never sits in memory whole, nor does one huge line."""
    empty = True
    for number, line in _jsonl_lines(infile):
        if isinstance(line, Note):
            empty = empty and line.kind == "warning"
            yield line
            continue
        if not line.strip():
            continue
        empty = False
        try:
            fields = json.loads(line)
        except json.JSONDecodeError as err:
            yield Rejected(number, f"invalid JSON: {err.msg} (column {err.colno})")
            continue
        except RecursionError:
            yield Rejected(number, "invalid JSON: nested too deeply")
            continue
        except ValueError as err:
            yield Rejected(number, f"invalid JSON: {err}")
            continue
        if not isinstance(fields, dict):
            yield Rejected(number, f"a JSON {type(fields).__name__}, not an object")
            continue
        fields = {str(k).lower(): v for k, v in fields.items()}
        yield from _record(fields, infile, number, f"{infile.base_id}#{number}")
    if empty:
        raise Unreadable("empty file")


@reader(".json")
def read_json(infile: InputFile) -> Iterator[Article | Note]:
    """A JSON array of records, or an object holding one (a Telegram Desktop export: the
    channel's ``name``, its ``messages``; an account's export: ``chats.list``), streamed
    (``newslens.jsonstream``): records are read one at a time, so a file of any size needs the
    memory of its largest record. A record's ``id`` (``message_id``…) is taken within the file
    (``FILE#id``), since a channel numbers its posts from 1. Invalid JSON ends the file at its
    line; the records before it are kept."""
    bound = 8 * infile.max_chars + 65_536  # characters, escapes included
    with infile.path.open("rb") as handle:
        encoding, note = _json_encoding(handle.read(4))
        handle.seek(0)
        if note:
            yield Warned(0, note)
        read = 0
        try:
            for item in jsonstream.records(handle, bound, encoding):
                read += 1
                if isinstance(item, jsonstream.Oversized):
                    yield Rejected(item.line, f"a record of over {bound:,} characters: over the "
                                   "article size limit (--max-chars)")  # fmt: skip
                    continue
                fields = {str(k).lower(): v for k, v in item.value.items()}
                record_id = _value(fields, "id")
                doc_id = (
                    f"{infile.base_id}#{record_id if record_id not in (None, '') else item.line}"
                )
                fields["id"] = doc_id
                yield from _record(fields, infile, item.line, doc_id, item.holder)
        except jsonstream.JSONError as err:
            rest = "; the rest of the file is not read" if read else ""
            raise Unreadable(f"{err.reason}{rest}", err.line) from None
    if not read:
        raise Unreadable("no record: the JSON holds no array of objects")


def _json_encoding(head: bytes) -> tuple[str, str | None]:
    """UTF-8 (RFC 8259), with or without a byte order mark; UTF-16/32 with one."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return (("utf-8-sig", None) if codec == "utf-8"
                    else (codec[:6], f"decoded as {codec.upper()} (byte order mark)"))  # fmt: skip
    return "utf-8", None


def _jsonl_lines(infile: InputFile) -> Iterator[tuple[int, str | Note]]:
    """(line number, text) per line, each read with a bound, so a line longer than an article
    may be (escapes included) is rejected without being held. UTF-8, as JSONL should be;
    UTF-16/32 with a byte order mark; lines in another encoding are decoded as the first of
    them was detected, said once per encoding."""
    bound = 8 * infile.max_chars + 65_536
    with infile.path.open("rb") as handle:
        head = handle.read(4)
        handle.seek(0)
        wide = next((c for b, c in _BOMS if head.startswith(b) and c != "utf-8"), None)
        if wide:
            yield 0, Warned(0, f"decoded as {wide.upper()} (byte order mark)")
            text = io.TextIOWrapper(handle, encoding=wide[:6], errors="replace")
            lines = _bounded(text, bound // 4)
        else:
            lines = _bounded(handle, bound)
        said: set[str] = set()
        fallback = ""
        for number, raw in enumerate(lines, start=1):
            if raw is None:
                yield number, Rejected(number, f"line longer than {bound:,} bytes: over the "
                                       "article size limit (--max-chars)")  # fmt: skip
                continue
            if isinstance(raw, str):
                yield number, raw
                continue
            raw = raw.removeprefix(b"\xef\xbb\xbf") if number == 1 else raw
            try:
                yield number, raw.decode("utf-8")
                continue
            except UnicodeDecodeError:
                pass
            try:
                yield number, raw.decode(fallback or "utf-8")
                continue
            except UnicodeDecodeError:
                pass
            try:
                line, note = decode(raw)
            except Unreadable as err:
                yield number, Rejected(number, err.reason)
                continue
            if note and "(detected)" in note:
                fallback = note.split("decoded as ", 1)[1].split(" ", 1)[0]
                note = f"{note}, and so is every later line that is not UTF-8"
            if note and note not in said:
                said.add(note)
                yield number, Warned(number, note)
            yield number, line


def _bounded(handle, bound: int) -> Iterator:
    """Lines of at most ``bound`` units; a longer one is skipped to its end and given as None."""
    while True:
        line = handle.readline(bound + 1)
        if not line:
            return
        newline = b"\n" if isinstance(line, bytes) else "\n"
        if len(line) > bound and not line.endswith(newline):
            while (rest := handle.readline(bound)) and not rest.endswith(newline):
                pass
            yield None
            continue
        yield line


@reader(".csv")
def read_csv(infile: InputFile) -> Iterator[Article | Note]:
    """A header row naming at least ``text`` (and any of :data:`FIELDS`), delimiter ``,``,
    ``;`` or tab, read a record at a time: a file of any size is read, and a record over the
    article size limit is rejected alone. A malformed row (an unclosed quote, a stray quote)
    is rejected and reading resumes on the line after it begins, so it swallows no other row;
    a row with more fields than the header is rejected, not cut."""
    bound = 8 * infile.max_chars + 65_536
    lines, notes = _text_lines(infile, bound)
    first = next(lines, None)
    if first is None:
        raise Unreadable("empty file")
    delimiter = max(",;\t", key=first[1].count)
    rows = csv_records(itertools.chain([first], lines), delimiter, bound,
                       reopen=lambda at: _text_lines(infile, bound, at)[0])  # fmt: skip
    _, header = next(rows, (1, []))
    if isinstance(header, str):
        raise Unreadable(f"malformed CSV header: {header}", 1)
    columns = [c.strip().lower() for c in header]
    if not set(columns) & set(FIELDS["text"]):
        raise Unreadable(f"CSV has no 'text' column (columns: {', '.join(columns) or 'none'})", 1)
    for line, fields in rows:
        if isinstance(fields, str):
            too_long = fields.startswith(OVER_BOUND)  # read on after the record
            yield Rejected(line, fields if too_long else
                           f"malformed CSV: {fields}; read on from line {line + 1}")  # fmt: skip
            continue
        if not fields:
            continue
        if len(fields) > len(columns):
            yield Rejected(
                line,
                f"{len(fields)} fields where the header has {len(columns)} (a {_name(delimiter)} "
                "that should have been quoted?)",
            )
            continue
        if len(fields) < len(columns):
            yield Warned(line, f"{len(fields)} fields where the header has {len(columns)}: "
                         "the missing ones are empty")  # fmt: skip
        row = dict(zip(columns, fields + [""] * (len(columns) - len(fields)), strict=True))
        yield from _record(row, infile, line, f"{infile.base_id}#{line}")
    yield from notes()


def _name(delimiter: str) -> str:
    return {",": "comma", ";": "semicolon", "\t": "tab"}[delimiter]


OVER_BOUND = "too long:"  # how csv_records names a record it passed over unread
OVER_LIMIT = "over the article size limit"
SNIFF = 1 << 20  # bytes a streamed file's encoding is told from


def _text_lines(
    infile: InputFile, bound: int, start: int = 1
) -> tuple[Iterator[tuple[int, str]], Callable[[], Iterator[Note]]]:
    """(line number, line without its end) from ``start`` on, decoded as :func:`decode` would
    decode the whole file but told from its first megabyte, a line read with a bound (a longer
    one is given as None); and the warnings on the decoding, once the lines are read."""
    with infile.path.open("rb") as handle:
        head = handle.read(SNIFF)
        codec, note = encoding_of(head, final=len(head) < SNIFF)
    replaced = {"count": 0, "line": 0}

    def lines() -> Iterator[tuple[int, str]]:
        with infile.path.open("rb") as raw:
            text = io.TextIOWrapper(raw, encoding=codec, errors="replace", newline=None)
            for number, line in enumerate(_bounded(text, bound), start=1):
                if number < start:
                    continue
                if line is not None and "\ufffd" in line and codec.startswith("utf-8"):
                    replaced["count"] += line.count("\ufffd")
                    replaced["line"] = replaced["line"] or number
                yield number, None if line is None else line.removesuffix("\n")

    def notes() -> Iterator[Note]:
        if note:
            yield Warned(0, note)
        elif replaced["count"]:
            yield Warned(0, f"{replaced['count']} byte(s) not UTF-8 replaced by \ufffd (the "
                         f"first at line {replaced['line']})")  # fmt: skip

    return lines(), notes


def csv_records(
    lines: Iterable[str | tuple[int, str | None]],
    delimiter: str,
    bound: int | None = None,
    reopen: Callable[[int], Iterator[tuple[int, str | None]]] | None = None,
) -> Iterator[tuple[int, list[str] | str]]:
    """(first line, fields) per record of CSV ``lines`` (text, or numbered as
    :func:`_text_lines` gives them), or (first line, error) for a malformed one (an unclosed
    or stray quote, a record over ``bound`` characters). After an error, parsing starts again
    on the line after the bad record's first line, so a bad record swallows no other: its
    lines are held for that, up to ``bound``; past it, ``reopen(line)`` reads the file again
    from that line."""
    csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))  # ``bound`` rules
    numbered = ((i, line) if isinstance(line, str) else line
                for i, line in enumerate(lines, start=1))  # fmt: skip
    stream = _Lines(numbered)
    while (first := stream.next()) is not None:
        start, line = first
        if line is None:
            yield (
                start,
                f"{OVER_BOUND} a line of over {bound:,} characters: {OVER_LIMIT}",
            )
            continue
        held, size = [first], len(line)
        quoted = _quoted_after(line, delimiter, False)
        while quoted and not (bound is not None and size > bound):
            following = stream.next()
            if following is None:
                break
            held.append(following)
            size += len(following[1]) + 1 if following[1] is not None else (bound or 0) + 1
            quoted = _quoted_after(following[1], delimiter, True)
        if quoted and bound is not None and size > bound:  # held no further
            if _pass_record(stream, delimiter):
                yield start, f"{OVER_BOUND} a record of over {bound:,} characters: {OVER_LIMIT}"
                continue
            yield start, "an unclosed quote (the rest of the file is one field)"
            stream.restart(reopen(start + 1) if reopen else iter(held[1:]))
            continue
        if quoted:  # the file ends inside a quoted field
            yield start, "unexpected end of data"
            stream.again(held[1:])
            continue
        try:
            parsed = list(csv.reader([text + "\n" for _, text in held], delimiter=delimiter,
                                     strict=True))  # fmt: skip
        except csv.Error as err:
            yield start, str(err)
            stream.again(held[1:])
            continue
        yield start, parsed[0] if parsed else []


class _Lines:
    """Numbered lines, with some to read again first (after a malformed record)."""

    def __init__(self, lines: Iterator[tuple[int, str | None]]):
        self.lines, self.pending = lines, collections.deque()

    def next(self) -> tuple[int, str | None] | None:
        if self.pending:
            return self.pending.popleft()
        return next(self.lines, None)

    def again(self, lines: list) -> None:
        self.pending.extendleft(reversed(lines))

    def restart(self, lines: Iterator) -> None:
        self.lines, self.pending = lines, collections.deque()


def _quoted_after(line: str | None, delimiter: str, quoted: bool) -> bool:
    """Whether a record is inside a quoted field at the end of ``line``, as the csv module
    reads quotes: a field is quoted when it opens with one, a doubled quote inside is a
    quote, anything else between delimiters is literal."""
    if line is None:
        return False
    at, end, field_start = 0, len(line), not quoted
    while at < end:
        if quoted:
            close = line.find('"', at)
            if close < 0:
                return True
            if line.startswith('"', close + 1):
                at = close + 2
                continue
            quoted, field_start, at = False, False, close + 1
        elif field_start and line[at] == '"':
            quoted, at = True, at + 1
        else:
            next_field = line.find(delimiter, at)
            if next_field < 0:
                return False
            field_start, at = True, next_field + 1
    return quoted


def _pass_record(stream: _Lines, delimiter: str) -> bool:
    """Read on, holding nothing, to the end of the quoted field a record is in: False when
    the file ends first (the quote never closes)."""
    while (following := stream.next()) is not None:
        if not _quoted_after(following[1], delimiter, True):
            return True
    return False


# ------------------------------------------------------------------ for the reader


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


def _opening(text: str, limit: int = 160) -> str:
    """The first words of the body, cut at a word boundary, so the reader sees what it is."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + " …"
