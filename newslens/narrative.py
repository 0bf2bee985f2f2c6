"""The narrative summary: a few paragraphs written from the computed tables.

Every number in the prose is read from a table (actors, sentiment, attitudes, quotes,
timeline); nothing is typed by hand. English by default, Russian with ``lang="ru"``: the same
facts, names shown as «Владимир Путин (Vladimir Putin)» in English, with the Latin name from
the gazetteer or a standard transliteration.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from newslens import nlp
from newslens.gazetteer import Gazetteer
from newslens.lexicon import DIALOGUE_DASHES, OPENING_QUOTES

TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e yo zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya".split(),
        strict=True,
    )
)


def transliterate(text: str) -> str:
    """Russian → Latin (BGN/PCGN-like, without diacritics)."""
    out = []
    for ch in text:
        low = ch.lower()
        latin = TRANSLIT.get(low)
        if latin is None:
            out.append(ch)
        elif latin != "_":
            out.append(latin.capitalize() if ch != low else latin)
    return "".join(out)


@dataclass
class Facts:
    """What the narrative may say: the tables of one analysis."""

    articles: pd.DataFrame
    actors: pd.DataFrame
    attitudes: pd.DataFrame
    quotes: pd.DataFrame
    timeline: pd.DataFrame
    per_period: pd.DataFrame  # timeline.actors_per_period of the leading actors
    unit: str = "D"  # the period: D, W, M or Y
    stories: pd.DataFrame | None = None  # newslens.stories.describe, largest first


class Writer:
    def __init__(self, lang: str, gazetteer: Gazetteer):
        if lang not in ("en", "ru"):
            raise ValueError(f"narrative language must be 'en' or 'ru', not {lang!r}")
        self.lang, self.gazetteer = lang, gazetteer

    def name(self, actor: str) -> str:
        """«Дональд Трамп (Donald Trump)»: the Latin name from the gazetteer; where it has
        none, a standard transliteration marked as one («Юнис Пашаев (translit. Yunis
        Pashaev)»), never an English name made up; a Latin name is shown once."""
        if self.lang == "ru" or actor == "author":
            return f"«{actor}»" if actor == "author" and self.lang == "ru" else actor
        latin = self.gazetteer.latin(actor)
        if latin:
            return actor if latin == actor else f"{actor} ({latin})"
        spelled = transliterate(actor)
        return actor if spelled == actor else f"{actor} (translit. {spelled})"

    def t(self, en: str, ru: str) -> str:
        return en if self.lang == "en" else ru

    def times(self, n: int) -> str:
        if self.lang == "en":
            return f"{n} time{'s' if n != 1 else ''}"
        tail = "раз" if n % 10 not in (2, 3, 4) or n % 100 in (12, 13, 14) else "раза"
        return f"{n} {tail}"

    def portrayal_phrase(self, net: float, low: float, high: float) -> str:
        """«is portrayed negatively» only when the interval excludes zero; else «leans …»."""
        sure = not low < 0 < high
        hedge_ru = "" if sure else "скорее "
        if net > 0.1:
            en = "is portrayed positively" if sure else "leans positive"
            return self.t(en, f"{hedge_ru}в позитивном свете")
        if net < -0.1:
            en = "is portrayed negatively" if sure else "leans negative"
            return self.t(en, f"{hedge_ru}в негативном свете")
        return self.t("is portrayed neutrally or in a mixed light", "нейтрально или неоднозначно")


def _period(articles: pd.DataFrame) -> tuple[str, str] | None:
    dates = articles["date"].dropna()
    if dates.empty:
        return None
    return dates.min().strftime("%Y-%m-%d"), dates.max().strftime("%Y-%m-%d")


def _short(text: str, limit: int = 180) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _around(text: str, phrase: str, limit: int = 160) -> str:
    """About ``limit`` characters of ``text`` (and the marks «…» of a cut) holding the first
    ``phrase``: a long sentence (a post that is one sentence) is cut around the judged words,
    not after them."""
    text = " ".join(text.split())
    at = text.find(phrase)
    if len(text) <= limit or at < 0 or at + len(phrase) <= limit - 2:
        return _short(text, limit)
    start = max(0, min(at - limit // 3, len(text) - limit))
    start = text.find(" ", start) + 1 if start else 0
    return ("… " if start > 0 else "") + _short(text[start:], limit)


def _lower_first(text: str) -> str:
    """A sentence run on after «according to X,»: its first word in lower case, unless it is
    a name («Анна и Янис расписывались…» keeps its capital)."""
    lead = len(text) - len(text.lstrip("".join(OPENING_QUOTES) + " "))  # a quote stays before it
    first = text[lead:].split(" ", 1)[0].strip("«»\"',.:;!?")
    if not first or nlp.is_proper(first):
        return text
    return text[:lead] + text[lead].lower() + text[lead + 1 :]


def coverage(f: Facts, w: Writer) -> str:
    n, mentions = len(f.articles), int(f.actors["mentions"].sum())
    period = _period(f.articles)
    when = ""
    if period:
        when = (
            w.t(f" dated {period[0]}", f" от {period[0]}")
            if period[0] == period[1]
            else w.t(f" from {period[0]} to {period[1]}", f" с {period[0]} по {period[1]}")
        )
    text = w.t(
        f"The corpus holds {n} article{'s' if n != 1 else ''}{when}, with {mentions} mentions "
        f"of {len(f.actors)} actors.",
        f"В корпусе статей: {n}{when}; упоминаний: {mentions}; участников: {len(f.actors)}.",
    )
    people = f.actors[f.actors["type"] == "PER"].head(2)
    if len(people):
        parts = []
        for row in people.itertuples():
            detail = w.t(f"{row.named_mentions} by name", f"{row.named_mentions} по имени")
            if row.role:
                detail += w.t(f", {row.role} by role", f", {row.role} по должности")
            parts.append(f"{w.name(row.actor)} — {w.times(row.mentions)} ({detail})")
        share = people["mentions"].sum() / max(1, f.actors.loc[f.actors.type == "PER",
                                                               "mentions"].sum())  # fmt: skip
        text += " " + w.t(
            f"The main actors are {' and '.join(parts)}; together they take "
            f"{share:.0%} of all mentions of people.",
            f"Главные участники: {' и '.join(parts)}; вместе на них приходится "
            f"{share:.0%} всех упоминаний людей.",
        )
    for kind, en, ru in (("ORG", "organisations", "организаций"),
                         ("LOC", "countries and places", "стран и мест")):  # fmt: skip
        top = f.actors[f.actors["type"] == kind].head(1)
        if len(top):
            row = top.iloc[0]
            text += " " + w.t(
                f"Among {en}, {w.name(row.actor)} leads with {row.mentions} mentions.",
                f"Среди {ru} чаще всего упоминается {row.actor} ({row.mentions}).",
            )
    return text


def portrayal(f: Facts, w: Writer, top: int = 3) -> str:
    if "net_sentiment" not in f.actors:
        return ""
    sentences = []
    for row in f.actors.head(top).itertuples():
        phrase = w.portrayal_phrase(row.net_sentiment, row.net_low, row.net_high)
        sentences.append(
            w.t(
                f"{w.name(row.actor)} {phrase}: "
                f"net sentiment {row.net_sentiment:+.2f} ({row.negative} negative, "
                f"{row.positive} positive, {row.neutral} neutral mentions"
                + (
                    "; thin evidence, the interval spans zero)"
                    if row.net_low < 0 < row.net_high
                    else ")"
                )
                + ".",
                f"{row.actor} — {phrase}: итоговая "
                f"тональность {row.net_sentiment:+.2f} (упоминаний негативных: {row.negative}, "
                f"позитивных: {row.positive}, нейтральных: {row.neutral}"
                + (
                    "; данных мало, интервал включает ноль)"
                    if row.net_low < 0 < row.net_high
                    else ")"
                )
                + ".",
            )  # fmt: skip
        )
    # only attitudes whose holder and verb frame are certain, each stated once with the
    # sentence that says it (the reader checks the judgement there); the rest stay in the
    # table with their rule
    held = f.attitudes[f.attitudes["certain"]] if len(f.attitudes) else f.attitudes
    held = held.drop_duplicates(["holder", "target", "polarity"])
    for row in held.head(4).itertuples():
        verb = w.t("criticises" if row.polarity < 0 else "supports",
                   "критикует" if row.polarity < 0 else "поддерживает")  # fmt: skip
        said = _around(
            row.sentence.lstrip(DIALOGUE_DASHES), " ".join(row.target_text.split())
        ).rstrip(" .")
        sentences.append(
            w.t(
                f"{w.name(row.holder)} {verb} {w.name(row.target)}: «{said}».",
                f"{row.holder} {verb}: {row.target} — «{said}».",
            )
        )
    return " ".join(sentences)


def said(f: Facts, w: Writer, top: int = 4) -> str:
    if f.quotes.empty:
        return ""
    ordered = pd.concat([f.quotes[f.quotes.kind == "direct"], f.quotes[f.quotes.kind != "direct"]])
    parts = []
    for row in ordered[ordered.speaker != ""].head(top).itertuples():
        quote = _short(row.quote).rstrip(" .;")
        if row.kind == "direct":
            parts.append(w.t(f"{w.name(row.speaker)} said: «{quote}»",
                             f"{row.speaker}: «{quote}»"))  # fmt: skip
        else:
            quote = _lower_first(quote)
            parts.append(w.t(f"according to {w.name(row.speaker)}, {quote}",
                             f"{row.speaker} (в пересказе): {quote}"))  # fmt: skip
    if not parts:
        return ""
    counts = f.quotes.kind.value_counts()
    head = w.t(
        f"The coverage carries {counts.get('direct', 0)} direct and "
        f"{counts.get('indirect', 0)} indirect quotes.",
        f"Цитат в материалах: прямых — {counts.get('direct', 0)}, "
        f"косвенных — {counts.get('indirect', 0)}.",
    )
    body = "; ".join(parts)
    return f"{head} {body[0].upper()}{body[1:]}."


LEADING_STORIES = 5  # stories the summary opens with


def leading_stories(f: Facts, w: Writer) -> str:
    """What happened: the stories carried by most articles, each with its span and outlets
    (stories of one article are not named unless the corpus has no other)."""
    if f.stories is None or f.stories.empty:
        return ""
    n = len(f.articles)
    shared = f.stories[f.stories["articles"] >= 2]
    if shared.empty:
        if len(f.stories) == 1:
            headline = _short(f.stories.iloc[0]["headline"], 200)
            return w.t(f"The corpus tells one story: «{headline}».",
                       f"Корпус рассказывает одну историю: «{headline}».")  # fmt: skip
        return w.t(f"No two of the {n} articles tell the same story.",
                   f"Никакие две из {n} статей не рассказывают одну историю.")  # fmt: skip
    top = shared.head(LEADING_STORIES)
    parts = [_story(row, w) for row in top.itertuples()]
    held = int(top["articles"].sum())
    told = f"{len(shared)} stories are" if len(shared) != 1 else "1 story is"
    return w.t(
        f"The leading stories: {'; '.join(parts)}. They hold {held} of the {n} articles; "
        f"{told} told by two articles or more.",
        f"Главные сюжеты: {'; '.join(parts)}. На них приходится {held} из {n} статей; "
        f"сюжетов, о которых рассказывают две статьи и больше: {len(shared)}.",
    )


def _story(row, w: Writer) -> str:
    first, last = (_day(row.first), _day(row.last))
    when = first if first == last else f"{first} – {last}"
    outlets = int(row.outlets)
    detail = w.t(
        f"{row.articles} articles" + (f", {outlets} outlets" if outlets > 1 else "")
        + (f", {when}" if first else ""),
        f"статей: {row.articles}" + (f", источников: {outlets}" if outlets > 1 else "")
        + (f", {when}" if first else ""),
    )  # fmt: skip
    return f"«{_short(row.headline, 140)}» ({detail})"


def _day(value) -> str:
    return "" if pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def events(f: Facts, w: Writer) -> str:
    from newslens.timeline import referred_periods

    text = ""
    top = referred_periods(f.timeline, 3)
    if len(top):
        years = ", ".join(f"{row.period} ({row.references})" for row in top.itertuples())
        text += " " + w.t(
            f"The years the articles refer to most: {years}.",
            f"Чаще всего статьи упоминают годы: {years}.",
        )
    return text.strip()


UNIT_WORDS = {"D": ("day", "день"), "W": ("week", "неделю"), "M": ("month", "месяц"),
              "Y": ("year", "год")}  # fmt: skip


def change(f: Facts, w: Writer) -> str:
    """How the leading actors' coverage moves between the first and second half of the
    dated periods; said only when there is more than one period."""
    dates = f.articles["date"].dropna()
    if dates.empty:
        return w.t(
            "No article carries a publication date, so no change over time can be shown.",
            "Ни у одной статьи нет даты публикации, поэтому динамику показать нельзя.",
        )
    from newslens.timeline import articles_per_period

    unit_en, unit_ru = UNIT_WORDS[f.unit]
    spanned = articles_per_period(f.articles, f.unit)
    spanned = spanned[spanned["articles"] > 0]
    if len(spanned) < 2:
        only = spanned["period"].iloc[0]
        return w.t(
            f"The dated articles fall in one {unit_en} ({only}), so no change over time can be "
            "shown.",
            f"Статьи с датой относятся к одному периоду ({only}), поэтому динамику показать "
            "нельзя.",
        )
    periods = sorted(set(f.per_period["period"])) if len(f.per_period) else []
    if len(periods) < 2:
        where = f" ({periods[0]})" if periods else ""
        return w.t(
            f"The dated articles span {len(spanned)} {unit_en}s, but the leading actors are "
            f"mentioned in one only{where}, so no change over time can be shown.",
            f"Статьи с датой охватывают периодов: {len(spanned)}, но главные участники "
            f"упоминаются лишь в одном{where}, поэтому динамику показать нельзя.",
        )
    half = set(periods[: len(periods) // 2])
    parts = []
    for actor in list(dict.fromkeys(f.per_period["actor"]))[:3]:
        rows = f.per_period[f.per_period.actor == actor]
        early = rows[rows.period.isin(half)]["mentions"].sum() / len(half)
        late = rows[~rows.period.isin(half)]["mentions"].sum() / (len(periods) - len(half))
        parts.append(
            w.t(
                f"{w.name(actor)} from {early:.1f} to {late:.1f} mentions a {unit_en}",
                f"{actor}: с {early:.1f} до {late:.1f} упоминаний в {unit_ru}",
            )
        )
    return w.t(
        f"Between the first and the second half of the period ({periods[0]} to "
        f"{periods[-1]}): " + "; ".join(parts) + ".",
        f"Между первой и второй половиной периода ({periods[0]} — {periods[-1]}): "
        + "; ".join(parts)
        + ".",
    )


def write(facts: Facts, lang: str, gazetteer: Gazetteer) -> list[str]:
    """The narrative as paragraphs, empty ones left out (the gazetteer gives Latin names)."""
    w = Writer(lang, gazetteer)
    paragraphs = [leading_stories(facts, w), coverage(facts, w), portrayal(facts, w),
                  said(facts, w), events(facts, w), change(facts, w)]  # fmt: skip
    return [p for p in paragraphs if p]
