"""When: dates the articles refer to, and how the top actors' coverage moves day by day.

Absolute dates («3 сентября 2025 года», «в июне 2024», «2001, 2010 и 2011 годов») and dates
relative to the article's own date («вчера», «в понедельник») are read with the sentence
they anchor; the publication date of each article is on the timeline too.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pandas as pd

MONTHS = [
    "январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр",
    "ноябр", "декабр",
]  # fmt: skip
_MONTH = r"(январ[ьяе]|феврал[ьяе]|марта?|марте|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]|августа?|августе|сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе])"  # noqa: E501
DAY_MONTH = re.compile(rf"\b(\d{{1,2}})\s+{_MONTH}(?:\s+(\d{{4}})\s*(?:года|г\.)?)?", re.I)
MONTH_YEAR = re.compile(rf"\b(?:в\s+)?{_MONTH}\s+(\d{{4}})\s*(?:года|г\.)?", re.I)
YEAR = re.compile(
    r"(?<![\d№.,])\b(1[89]\d\d|20\d\d)\b(?![.,]?\d)(?!\s*(?:человек|руб|доллар|евро|км|тонн|%))"
)  # noqa: E501
RELATIVE_DAYS = {"позавчера": -2, "вчера": -1, "сегодня": 0, "завтра": 1, "послезавтра": 2}
RELATIVE = re.compile(r"\b(позавчера|вчера|сегодня|послезавтра|завтра)\b", re.I)
WEEKDAYS = ["понедельник", "вторник", "сред", "четверг", "пятниц", "суббот", "воскресень"]
WEEKDAY = re.compile(
    r"\bв(?:о)?\s+(понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)\b", re.I
)  # noqa: E501
COLUMNS = ["doc_id", "date", "precision", "kind", "text", "sentence"]


def _month(word: str) -> int:
    word = word.lower()
    for number, stem in enumerate(MONTHS, start=1):
        if word.startswith(stem) and not (stem == "ма" and word.startswith("мар")):
            return number
    raise ValueError(word)


def _sentence_of(text: str, start: int) -> str:
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    right_candidates = [i for i in (text.find(". ", start), text.find("\n", start)) if i >= 0]
    right = min(right_candidates) + 1 if right_candidates else len(text)
    return " ".join(text[left + 1 : right].split())


def dates_in(text: str, published: date | None) -> list[tuple[str, str, str, str, str]]:
    """(date, precision, kind, matched text, sentence) for every date reference in ``text``."""
    found, taken = [], []

    def free(start: int, end: int) -> bool:
        return not any(a < end and start < b for a, b in taken)

    def add(match, value: str, precision: str, kind: str) -> None:
        taken.append(match.span())
        found.append((match.start(), value, precision, kind, match.group(0).strip(),
                      _sentence_of(text, match.start())))  # fmt: skip

    for m in DAY_MONTH.finditer(text):
        day, month = int(m.group(1)), _month(m.group(2))
        year = int(m.group(3)) if m.group(3) else (published.year if published else None)
        try:
            when = date(year, month, day) if year else None
        except ValueError:
            continue
        if when:
            add(m, when.isoformat(), "day", "absolute" if m.group(3) else "relative")
    for m in MONTH_YEAR.finditer(text):
        if free(*m.span()):
            add(m, f"{int(m.group(2)):04d}-{_month(m.group(1)):02d}", "month", "absolute")
    for m in YEAR.finditer(text):
        if free(*m.span()):
            add(m, m.group(1), "year", "absolute")
    if published:
        for m in RELATIVE.finditer(text):
            when = published + timedelta(days=RELATIVE_DAYS[m.group(1).lower()])
            add(m, when.isoformat(), "day", "relative")
        for m in WEEKDAY.finditer(text):
            target = next(i for i, w in enumerate(WEEKDAYS) if m.group(1).lower().startswith(w))
            back = (published.weekday() - target) % 7
            add(m, (published - timedelta(days=back)).isoformat(), "day", "relative")
    return [row[1:] for row in sorted(found)]


def timeline(articles: pd.DataFrame) -> pd.DataFrame:
    """Every date reference of the corpus, plus each article's publication date."""
    rows = []
    for article in articles.itertuples():
        published = article.date.date() if pd.notna(article.date) else None
        if published:
            rows.append((article.doc_id, published.isoformat(), "day", "publication",
                         "", article.title))  # fmt: skip
        for section in (article.title, article.text):
            for value, precision, kind, text, sentence in dates_in(section, published):
                rows.append((article.doc_id, value, precision, kind, text, sentence))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.drop_duplicates(["doc_id", "date", "text", "sentence"]).reset_index(drop=True)


def actors_per_day(
    mentions: pd.DataFrame, articles: pd.DataFrame, actors: list[str]
) -> pd.DataFrame:
    """Mentions of the given actors per publication day (rows: days, columns: actors)."""
    dates = articles.set_index("doc_id")["date"]
    frame = mentions[mentions.actor.isin(actors)].assign(day=lambda m: m.doc_id.map(dates))
    table = frame.dropna(subset=["day"]).pivot_table(
        index="day", columns="actor", values="start", aggfunc="count", fill_value=0
    )
    return table.reindex(columns=[a for a in actors if a in table.columns])
