"""Publication dates as news files write them, read by maintained parsers, never guessed.

A value is a date only if the whole of it is one: ISO 8601 (``2008-08-05``, with or without a
time), RFC 2822 as in RSS (``Tue, 05 Aug 2008 10:35:00 +0400``), numeric forms read day first
(``05.08.2008``, ``05/08/2008 10:35``, ``5-8-08``; year first when it starts with the year:
``2008/08/05``) by python-dateutil, and Russian month names (``5 августа 2008 г.``,
``Вторник, 5 августа 2008, 10:35``) by natasha's ``DatesExtractor``. The time and the time
zone are dropped: the date is the calendar day as written.

An article with no date line or field may still open with its date, as wire and Wikinews
texts do («29 декабря 2017 года на северо-западе Москвы…»): :func:`lead` reads a full date
near the start of the first sentence and the loader says how many articles were dated so.
"""

from __future__ import annotations

import email.utils
import re
from datetime import date, datetime, timedelta
from functools import lru_cache

MAX_LENGTH = 64  # a date line or field is short; longer text is prose that mentions a date
YEARS = range(1800, 2201)  # a publication year outside is a typo, and pandas cannot hold some
# words a Russian date line may carry besides the date and the time
WEEKDAYS = {
    "понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье",
    "пн", "вт", "ср", "чт", "пт", "сб", "вс", "г", "года", "год", "мск", "msk", "utc", "gmt",
}  # fmt: skip


def parse(value: object) -> date | None:
    """The date ``value`` states, if the whole of it is one date; else None."""
    text = " ".join(str(value).split())
    if not text or len(text) > MAX_LENGTH or not any(c.isdigit() for c in text):
        return None
    for reader in (_iso, _rfc2822, _numeric, _russian):
        found = reader(text)
        if found is not None:
            return found if found.year in YEARS else None
    return None


def moment(value: object) -> datetime | None:
    """The date and time ``value`` states, when it is an ISO 8601 or RFC 2822 date with a
    time (a feed's «2024-12-03T21:23:43+00:00»), as written, its zone dropped; else None.
    Only ordering within a day reads it: ``parse`` gives the day."""
    text = " ".join(str(value).split())
    if not text or len(text) > MAX_LENGTH or ":" not in text:
        return None
    for read in (datetime.fromisoformat, email.utils.parsedate_to_datetime):
        try:
            found = read(text)
        except (TypeError, ValueError, IndexError):
            continue
        return found.replace(tzinfo=None) if found.year in YEARS else None
    return None


def looks_like_date(line: str) -> bool:
    """A short line of nothing but digits and date separators (``32/13/2008 10:35``,
    ``2025-13-45``): meant as a date, so one that cannot be read deserves a warning rather
    than silence. A line with a word in it (``0:1 — 01:23 Сёмин``) is text."""
    squeezed = "".join(line.split())
    return (
        0 < len(squeezed) <= 40
        and sum(c.isdigit() for c in squeezed) >= 4
        and all(c.isdigit() or c in "./-:," for c in squeezed)
        and any(c in squeezed for c in "./-")
    )


def _iso(text: str) -> date | None:
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        return None


def _rfc2822(text: str) -> date | None:
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


def _numeric(text: str) -> date | None:
    """dateutil, day first unless the text starts with a four-digit year; a form that leaves
    the day, month or year to a default (``10:35``, ``5.8``) is not a date."""
    if any("а" <= c.lower() <= "я" or c.lower() == "ё" for c in text):
        return None
    from dateutil import parser

    year_first = text[:4].isdigit()
    found = []
    for default in (datetime(2001, 1, 1), datetime(2002, 2, 2)):
        try:
            found.append(
                parser.parse(text, default=default, dayfirst=not year_first, yearfirst=year_first)
            )
        except (ValueError, OverflowError):
            return None
    return found[0].date() if found[0].date() == found[1].date() else None


def _russian(text: str) -> date | None:
    """natasha's yargy grammar finds the date; what is left may only be a time, a weekday or
    «г.», so «Путин прибыл 5 августа 2008» is not a date line."""
    matches = [m for m in _extractor()(text) if m.fact.year and m.fact.month and m.fact.day]
    if len(matches) != 1:
        return None
    match = matches[0]
    rest = (text[: match.start] + " " + text[match.stop :]).lower()
    for word in rest.replace(",", " ").replace(".", " ").split():
        if word not in WEEKDAYS and not all(c.isdigit() or c in ":-" for c in word):
            return None
    try:
        return date(match.fact.year, match.fact.month, match.fact.day)
    except ValueError:
        return None


@lru_cache(maxsize=1)
def _extractor():
    import natasha  # first: yargy patches pymorphy2 on import

    return natasha.DatesExtractor(natasha.MorphVocab())


_MONTHS = "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
# a cheap filter before the grammar: a day, a month and a year, in words or in digits
_FULL_DATE = re.compile(
    rf"\b\d{{1,2}}\s+(?:{_MONTHS})\s+\d{{4}}|\b\d{{1,2}}\.\d{{1,2}}\.\d{{4}}\b", re.I
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[«\"A-ZА-ЯЁ0-9])")
LEAD_LINES = 3  # the title, perhaps a caption, then the lead
LEAD_REACH = 60  # characters into the sentence: a date further on is what the story is about
_NOT_PUBLICATION = {"от", "с", "со", "до", "родился", "родилась", "рождения"}  # a law's, a span's


def lead(lines: list[str], today: date | None = None) -> date | None:
    """The date a news text opens with: a full date (day, month, year) within the first
    :data:`LEAD_REACH` characters of its first sentence; ``lines`` are the text's first
    :data:`LEAD_LINES` non-blank lines. A line that is not a sentence (a title or a photo
    caption: under six words or no end punctuation) is skipped; so is a date after «от» (a
    law's), «с» (a span) or «родился»."""
    latest = (today or date.today()) + timedelta(days=1)
    for line in (line.strip() for line in lines):
        if len(line.split()) < 6 or line[-1] not in '.!?…»"':
            continue
        sentence = _SENTENCE_END.split(line, 1)[0]
        candidate = _FULL_DATE.search(sentence)
        if candidate is None or candidate.start() > LEAD_REACH:
            continue
        before = sentence[: candidate.start()].lower().split()
        if before and before[-1].strip(",") in _NOT_PUBLICATION:
            continue
        found = parse(candidate.group(0))
        if found is not None and found <= latest:
            return found
    return None
