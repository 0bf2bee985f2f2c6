"""The records of a JSON file, streamed: a 500 MB channel export never sits in memory whole.

A feed comes as a JSON array of records, or as an object holding one (Telegram Desktop's
``result.json``: the channel's ``name``, then ``messages``; a whole account's export nests
``chats.list[…].messages``). :func:`records` walks the file a piece at a time: arrays and
objects are entered, and each element of an array that is an object is decoded whole (it is
one record, bounded in size) and handed over with the line it starts on and the ``name`` of
the object that holds its array. Only the record being read is in memory.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

CHUNK = 1 << 18  # bytes read at a time
_DECODER = json.JSONDecoder()
_SPACE = " \t\n\r"


class JSONError(ValueError):
    """The file stops being JSON at ``line``: what comes before it was read."""

    def __init__(self, reason: str, line: int):
        super().__init__(reason)
        self.reason, self.line = reason, line


@dataclass
class Element:
    """One object found in an array: the record, where it starts, who holds it."""

    value: object
    line: int
    holder: str  # the ``name`` of the nearest enclosing object that has one, else ""


@dataclass
class Oversized:
    """An object larger than the bound: passed over, not held."""

    line: int


class _Reader:
    """A window on the decoded file: ``buffer[at:]`` is what is not consumed yet."""

    def __init__(self, handle: BinaryIO, encoding: str):
        self.handle = handle
        self.decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        self.buffer, self.at, self.line, self.eof = "", 0, 1, False

    def more(self) -> bool:
        if self.eof:
            return False
        raw = self.handle.read(CHUNK)
        try:
            text = self.decoder.decode(raw, final=not raw)
        except UnicodeDecodeError as err:
            raise JSONError(f"not UTF-8: {err.reason}", self.line) from None
        if not raw:
            self.eof = True
        if self.at > CHUNK:  # drop what was consumed
            self.buffer, self.at = self.buffer[self.at :], 0
        self.buffer += text
        return bool(raw) or bool(text)

    def peek(self) -> str:
        """The next character that is not white space ("" at the end), consumed up to it."""
        while True:
            end = len(self.buffer)
            at = self.at
            while at < end and self.buffer[at] in _SPACE:
                at += 1
            self.advance(at)
            if at < end:
                return self.buffer[at]
            if not self.more():
                return ""

    def advance(self, to: int) -> None:
        self.line += self.buffer.count("\n", self.at, to)
        self.at = to

    def expect(self, chars: str) -> str:
        found = self.peek()
        if found == "" or found not in chars:
            shown = repr(found) if found else "the end of the file"
            wanted = " or ".join(repr(c) for c in chars)
            raise JSONError(f"invalid JSON: expected {wanted}, found {shown}", self.line)
        self.advance(self.at + 1)
        return found

    def value(self, bound: int, hold: bool = False) -> object:
        """Decode the value that starts here, reading on until it is whole. One that runs past
        ``bound`` characters is skipped (:data:`TOO_LARGE`); with ``hold`` it is left
        unread instead, for the caller to enter."""
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buffer, self.at)
            except json.JSONDecodeError as err:
                if len(self.buffer) - self.at > bound:
                    if not hold:
                        self.skip()
                    return TOO_LARGE
                if self.more():
                    continue
                line = self.line + self.buffer.count("\n", self.at, err.pos)
                raise JSONError(f"invalid JSON: {err.msg}", line) from None
            except RecursionError:
                raise JSONError("invalid JSON: nested too deeply", self.line) from None
            if end == len(self.buffer) and self.more():
                continue  # a number may go on in the next piece
            if end - self.at > bound:
                if not hold:
                    self.advance(end)
                return TOO_LARGE
            self.advance(end)
            return value

    def skip(self, depth: int = 0) -> None:
        """Pass over the value that starts here (``depth`` 0: a string, array or object) or
        the rest of the array or object we are in (1), looking only at quotes, backslashes
        and brackets, so nothing of it is held."""
        inside = escaped = False
        line = self.line
        escaped_at = -2
        while True:
            buffer = self.buffer
            if escaped:  # a backslash ended the last piece: it escapes the first character
                escaped_at = self.at - 1
            for match in _SIGNIFICANT.finditer(buffer, self.at):
                char, index = match[0], match.start()
                if escaped:
                    escaped = False
                    if index == escaped_at + 1:
                        continue
                if inside:
                    if char == "\\":
                        escaped, escaped_at = True, index
                    elif char == '"':
                        inside = False
                        if depth == 0:
                            self.advance(index + 1)
                            return
                elif char == '"':
                    inside = True
                elif char in "[{":
                    depth += 1
                elif char in "]}":
                    depth -= 1
                    if depth == 0:
                        self.advance(index + 1)
                        return
            self.advance(len(buffer))
            if not self.more():
                raise JSONError("invalid JSON: the file ends inside a value", line)


TOO_LARGE = object()  # what :meth:`_Reader.value` gives for a value over the bound
_SIGNIFICANT = re.compile(r'["\\\[\]{}]')
TEXT_KEYS = ("text", "message", "content", "body", "full_text")  # what makes an object a record


def records(handle: BinaryIO, bound: int, encoding: str = "utf-8") -> Iterator[Element | Oversized]:
    """Every object that is an element of an array, anywhere in the file, in order; an object
    over ``bound`` characters is entered if it holds arrays of records (a chat of an account's
    export), else given as :class:`Oversized`."""
    reader = _Reader(handle, encoding)
    first = reader.peek()
    if first == "":
        raise JSONError("empty file", 0)
    if first == "[":
        yield from _array(reader, bound, "")
    elif first == "{":
        yield from _object(reader, bound, "")
    else:
        value = reader.value(bound)
        kind = "value" if value is TOO_LARGE else type(value).__name__
        raise JSONError(f"a JSON {kind}, not an array or an object that holds one", 1)
    if reader.peek() != "":
        raise JSONError("invalid JSON: extra data after the end", reader.line)


def _array(reader: _Reader, bound: int, holder: str) -> Iterator[Element | Oversized]:
    reader.expect("[")
    if reader.peek() == "]":
        reader.advance(reader.at + 1)
        return
    while True:
        first, line = reader.peek(), reader.line
        if first == "{":
            value = reader.value(bound, hold=True)
            if value is TOO_LARGE:
                yield from _object(reader, bound, holder, line)
            else:
                yield from _held(value, line, holder)
        elif first == "[":
            yield from _array(reader, bound, holder)
        else:
            reader.value(bound)  # a string or number in a list: no record
        if reader.expect(",]") == "]":
            return


def _held(value: dict, line: int, holder: str) -> Iterator[Element]:
    """An object decoded whole: a record, or a small container of records (a short chat of
    an account's export), whose records take its line."""
    if any(str(key).lower() in TEXT_KEYS for key in value) or not any(
        isinstance(v, (list, dict)) for v in value.values()
    ):
        yield Element(value, line, holder)
        return
    name = next((value[k] for k in ("name", "title") if isinstance(value.get(k), str)), "")
    for member in value.values():
        for item in member if isinstance(member, list) else [member]:
            if isinstance(item, dict):
                yield from _held(item, line, name.strip() or holder)


def _object(
    reader: _Reader, bound: int, holder: str, record_line: int | None = None
) -> Iterator[Element | Oversized]:
    """The members of an object, entered: arrays and objects among them are walked. With
    ``record_line``, the object is an array element too large to hold: a text member makes it
    an oversized record, and the rest of it is passed over."""
    reader.expect("{")
    if reader.peek() == "}":
        reader.advance(reader.at + 1)
        return
    while True:
        if reader.peek() != '"':
            reader.expect('"')
        key = reader.value(bound)
        reader.expect(":")
        if record_line is not None and str(key).lower() in TEXT_KEYS:
            reader.skip(depth=1)
            yield Oversized(record_line)
            return
        first = reader.peek()
        if first == "[":
            yield from _array(reader, bound, holder)
        elif first == "{":
            yield from _object(reader, bound, holder)
        else:
            value = reader.value(bound)
            if key in ("name", "title") and isinstance(value, str) and value.strip():
                holder = value.strip()
        if reader.expect(",}") == "}":
            return
