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


# ------------------------------------------------------------- periods

UNITS = ("D", "W", "M", "Y")


def period_unit(dates: pd.Series) -> str:
    """Day, week, month or year: the bin that gives a readable number of bars for the span."""
    dated = pd.to_datetime(dates).dropna()
    if dated.empty:
        return "D"
    span = (dated.max() - dated.min()).days
    if span <= 45:
        return "D"
    if span <= 270:
        return "W"
    if span <= 366 * 5:
        return "M"
    return "Y"


def period_start(dates: pd.Series, unit: str) -> pd.Series:
    """The first day of the period each date falls in (weeks start on Monday)."""
    dates = pd.to_datetime(dates)
    if unit == "D":
        return dates.dt.normalize()
    return dates.dt.to_period({"W": "W-SUN", "M": "M", "Y": "Y"}[unit]).dt.start_time


def period_label(start: pd.Timestamp, unit: str) -> str:
    return start.strftime({"D": "%Y-%m-%d", "W": "%Y-%m-%d", "M": "%Y-%m", "Y": "%Y"}[unit])


def articles_per_period(articles: pd.DataFrame, unit: str | None = None) -> pd.DataFrame:
    """Dated articles per period, empty periods included (a gap is news too)."""
    unit = unit or period_unit(articles["date"])
    starts = period_start(articles["date"].dropna(), unit)
    if starts.empty:
        return pd.DataFrame({"period": [], "articles": []})
    counts = starts.value_counts()
    full = pd.Series(0, index=_all_periods(starts.min(), starts.max(), unit))
    full.update(counts)
    return pd.DataFrame(
        {"period": [period_label(p, unit) for p in full.index], "articles": full.astype(int)}
    ).reset_index(drop=True)


def _all_periods(first: pd.Timestamp, last: pd.Timestamp, unit: str) -> pd.DatetimeIndex:
    freq = {"D": "D", "W": "W-MON", "M": "MS", "Y": "YS"}[unit]
    return pd.date_range(first, last, freq=freq)


def actors_per_period(
    mentions: pd.DataFrame, articles: pd.DataFrame, actors: list[str], unit: str | None = None
) -> pd.DataFrame:
    """Per leading actor and period: mentions and, for scored mentions, polarity counts and
    net sentiment with its interval. Long format: one row per (period, actor)."""
    from newslens.tally import polarity_table

    unit = unit or period_unit(articles["date"])
    dates = articles.set_index("doc_id")["date"]
    frame = mentions[mentions.actor.isin(actors)].assign(date=lambda m: m.doc_id.map(dates))
    frame = frame.dropna(subset=["date"])
    frame = frame.assign(period=[period_label(p, unit) for p in period_start(frame["date"], unit)])
    return polarity_table(frame, ["period", "actor"])


def referred_periods(timeline_table: pd.DataFrame, top: int = 3) -> pd.DataFrame:
    """The periods the articles refer to most (years, or months within a year), with counts."""
    referred = timeline_table[timeline_table["kind"] != "publication"]
    if referred.empty:
        return pd.DataFrame(columns=["period", "references"])
    years = referred["date"].str[:4].value_counts()
    table = years.rename_axis("period").reset_index(name="references")
    table = table.sort_values(["references", "period"], ascending=[False, True], kind="stable")
    return table.head(top).reset_index(drop=True)
