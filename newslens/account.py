"""What was read: the account of every input for the corpus chapter (articles, rejections,
warnings, sources), in the report's language."""

from __future__ import annotations

import re

import pandas as pd

from newslens.hygiene import blank_markup
from newslens.load import Corpus, general_reasons
from newslens.sources import outlet, outlets


def _plural_ru(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return few
    return many


def describe(corpus: Corpus, lang: str = "en") -> str:
    """One paragraph: articles, period, undated, words, rejections, warnings, sources."""
    articles = corpus.articles
    n, words = len(articles), int(articles["text"].str.split().str.len().sum())
    first, last = corpus.period
    undated = int(articles["date"].isna().sum())
    rejected, warned = len(corpus.rejected), len(corpus.warnings)
    named = outlets(articles)
    if lang == "ru":
        when = (
            "" if first is None
            else f" от {first}" if first == last else f" с {first} по {last}"
        )  # fmt: skip
        counted = f"{words:,}".replace(",", " ")
        parts = [f"В корпусе {n} {_plural_ru(n, 'статья', 'статьи', 'статей')}{when}, "
                 f"{counted} {_plural_ru(words, 'слово', 'слова', 'слов')}"]  # fmt: skip
        if undated:
            parts.append(f"без даты публикации: {undated}")
        if len(named):
            parts.append(f"источников: {named.nunique()}")
        parts.append(f"отклонено входов: {rejected}" if rejected else "ни один вход не отклонён")
        if warned:
            parts.append(f"предупреждений: {warned}")
        return "; ".join(parts) + "."
    when = (
        "" if first is None
        else f" dated {first}" if first == last else f" from {first} to {last}"
    )  # fmt: skip
    parts = [f"The corpus holds {n} article{'s' if n != 1 else ''}{when}, {words:,} words in all"]
    if undated:
        parts.append(f"{undated} carr{'y' if undated != 1 else 'ies'} no publication date")
    if len(named):
        parts.append(f"{named.nunique()} source{'s' if named.nunique() != 1 else ''}")
    parts.append(f"{rejected} input(s) were rejected" if rejected else "no input was rejected")
    if warned:
        parts.append(f"{warned} warning{'s' if warned != 1 else ''}")
    return "; ".join(parts) + "."


def _some_ru(some: str, read: str) -> str:
    n = int(read)
    if some == "all":
        return f"все {n} {_plural_ru(n, 'статья', 'статьи', 'статей')}"
    return f"{some.removesuffix(' of')} из {n} {_plural_ru(n, 'статьи', 'статей', 'статей')}"


# The loader's reasons in Russian, for a report in Russian: (pattern of the English reason,
# its Russian). The CSV tables keep the loader's words; a reason not listed here is shown as
# the loader wrote it, and so is an operating system's or parser's detail inside one.
REASONS_RU = [
    (r"(all|\d+ of) (\d+) article\(s\) carry no date \(no date line or date field\): they are "
     r"undated", lambda m: f"без даты (нет ни строки, ни поля даты): "
     f"{_some_ru(m[1], m[2])}"),
    (r"(all|\d+ of) (\d+) article\(s\) carry no date line or date field: (\d+) take the date "
     r"their first sentence opens with, (\d+) are undated",
     lambda m: f"нет строки или поля даты: {_some_ru(m[1], m[2])}; {m[3]} датированы "
     f"по дате, с которой начинается их первое предложение, {m[4]} без даты"),
    (r"date (.*) cannot be read: the article is undated",
     lambda m: f"дата {m[1]} не прочитана: статья без даты"),
    (r"decoded as (\S+) \(byte order mark\)",
     lambda m: f"прочитан как {m[1]} (метка порядка байтов)"),
    (r"not UTF-8: decoded as (\S+) \(detected\)", lambda m: f"не UTF-8: прочитан как {m[1]} "
     "(кодировка определена)"),
    (r"(\d+) byte\(s\) not UTF-8 replaced by (.) \(the first at line (\d+)\)(, and so is every "
     r"later line that is not UTF-8)?",
     lambda m: f"байтов не в UTF-8: {m[1]}, заменены на {m[2]} (первый в строке {m[3]})"
     + (", как и в каждой следующей строке не в UTF-8" if m[4] else "")),
    (r"duplicate text of (.*)", lambda m: f"тот же текст, что в {m[1]}"),
    (r"duplicate id (.*)", lambda m: f"повтор идентификатора {m[1]}"),
    (r"unsupported file type (.*)", lambda m: f"неподдерживаемый тип файла {m[1]}"),
    (r"empty file", lambda m: "пустой файл"),
    (r"binary file \(NUL bytes\), not text", lambda m: "двоичный файл (байты NUL), не текст"),
    (r"not an article: (\d+) lines, (\d+)% of the text in sentences .*",
     lambda m: f"не статья: строк {m[1]}, в предложениях {m[2]}% текста (файл разметки или "
     "токенов, таблица или список имён файлов?)"),
    (r"article of ([\d,]+) characters is over the size limit of ([\d,]+) \(--max-chars\)",
     lambda m: f"статья в {m[1]} символов длиннее предела {m[2]} (--max-chars)"),
    (r"file of ([\d,]+) bytes cannot hold an article within the size limit of ([\d,]+) "
     r"characters \(--max-chars\)", lambda m: f"файл в {m[1]} байт не может вместить статью "
     f"в пределах {m[2]} символов (--max-chars)"),
    (r"no 'text' \(missing or empty\)", lambda m: "нет поля 'text' (его нет или оно пусто)"),
    (r"invalid JSON: (.*); the rest of the file is not read",
     lambda m: f"неверный JSON: {m[1]}; дальше файл не читается"),
    (r"invalid JSON: (.*)", lambda m: f"неверный JSON: {m[1]}"),
    (r"a Telegram service message \((.*)\), not a post",
     lambda m: f"служебное сообщение Telegram ({m[1]}), не публикация"),
    (r"no record: the JSON holds no array of objects",
     lambda m: "нет записей: в JSON нет массива объектов"),
    (r"a JSON (\w+), not an array or an object that holds one",
     lambda m: f"JSON-значение типа {m[1]}, а не массив и не объект с массивом"),
    (r"a record of over ([\d,]+) characters: over the article size limit \(--max-chars\)",
     lambda m: f"запись длиннее {m[1]} символов: больше предела статьи (--max-chars)"),
    (r"too long: a (record|line) of over ([\d,]+) characters: over the article size limit",
     lambda m: f"слишком длинная {'запись' if m[1] == 'record' else 'строка'}: больше "
     f"{m[2]} символов, больше предела статьи"),
    (r"cannot read: (.*)", lambda m: f"не читается: {m[1]}"),
    (r"cannot read after line (\d+): (.*)", lambda m: f"не читается после строки {m[1]}: {m[2]}"),
    (r"cannot read folder: (.*)", lambda m: f"папка не читается: {m[1]}"),
    (r"not a regular file or folder \(a device, pipe or socket\)",
     lambda m: "не обычный файл и не папка (устройство, канал или сокет)"),
    (r"not a regular file \(a device, pipe or socket\)",
     lambda m: "не обычный файл (устройство, канал или сокет)"),
    (r"link to a folder already read: skipped",
     lambda m: "ссылка на уже прочитанную папку: пропущена"),
    (r"broken symbolic link to a loop", lambda m: "битая символическая ссылка: петля"),
    (r"broken symbolic link to (.*)", lambda m: f"битая символическая ссылка на {m[1]}"),
    (r"no such file or folder", lambda m: "нет такого файла или папки"),
    (r"not valid (\S+) despite its byte order mark: (.*)",
     lambda m: f"не {m[1]}, хотя так говорит метка порядка байтов: {m[2]}"),
    (r"undecodable: neither UTF-8 nor (.*) \(byte (0x..) at offset (\d+)\)",
     lambda m: f"не декодируется: ни UTF-8, ни {m[1]} (байт {m[2]} на позиции {m[3]})"),
    (r"article has a header but no body", lambda m: "у статьи есть заголовок, но нет текста"),
    (r"article has a title and a date but no body",
     lambda m: "у статьи есть название и дата, но нет текста"),
    (r"invalid Unicode in (.*): a lone surrogate (.*)",
     lambda m: f"недопустимый Юникод в {m[1]}: одиночный суррогат {m[2]}"),
    (r"a JSON (\w+), not an object", lambda m: f"JSON-значение типа {m[1]}, а не объект"),
    (r"line longer than ([\d,]+) bytes: over the article size limit \(--max-chars\)",
     lambda m: f"строка длиннее {m[1]} байт: больше предела статьи (--max-chars)"),
    (r"malformed CSV header: (.*)", lambda m: f"испорченный заголовок CSV: {m[1]}"),
    (r"CSV has no 'text' column \(columns: (.*)\)",
     lambda m: f"в CSV нет столбца 'text' (столбцы: {m[1]})"),
    (r"malformed CSV: (.*); read on from line (\d+)",
     lambda m: f"испорченный CSV: {m[1]}; чтение продолжено со строки {m[2]}"),
    (r"(\d+) fields where the header has (\d+) \(a (comma|semicolon|tab) that should have been "
     r"quoted\?\)", lambda m: f"полей {m[1]}, а в заголовке {m[2]} (разделитель "
     f"«{ {'comma': 'запятая', 'semicolon': 'точка с запятой', 'tab': 'табуляция'}[m[3]] }», "
     "который следовало взять в кавычки?)"),
    (r"(\d+) fields where the header has (\d+): the missing ones are empty",
     lambda m: f"полей {m[1]}, а в заголовке {m[2]}: недостающие пусты"),
]  # fmt: skip


def reason_text(reason: str, lang: str = "en") -> str:
    """A loader reason in the report's language."""
    if lang == "ru":
        for pattern, russian in REASONS_RU:
            match = re.fullmatch(pattern, reason, flags=re.DOTALL)
            if match:
                return russian(match)
    return reason


def localised(table: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The rejected or warnings table with its reasons in the report's language."""
    if lang == "en" or table.empty:
        return table
    return table.assign(reason=[reason_text(r, lang) for r in table["reason"]])


def reasons(table: pd.DataFrame) -> pd.DataFrame:
    """Rejections or warnings counted by reason (its words before any detail, numbers and
    names with digits as «…»), the most frequent first: the shape of the problem first."""
    if table.empty:
        return pd.DataFrame(columns=["reason", "inputs"])
    general = general_reasons(table["reason"])
    counts = general.value_counts().rename_axis("reason").reset_index(name="inputs")
    return counts.sort_values(["inputs", "reason"], ascending=[False, True], kind="stable")


def per_source(articles: pd.DataFrame) -> pd.DataFrame:
    """Articles per outlet, the largest first (empty when no article names a source)."""
    named = outlets(articles)
    counts = named.value_counts().rename_axis("source").reset_index(name="articles")
    return counts.sort_values(["articles", "source"], ascending=[False, True], kind="stable")


def article_list(articles: pd.DataFrame, opening: int = 90) -> pd.DataFrame:
    """One short line per article for the PDF: id, date, title, the first words of the body
    after the title, words, and the outlet when any article names one."""

    def start(row) -> str:
        flat = " ".join(row.text.split())
        title = " ".join(str(row.title or "").split())
        # a title the body opens with is not shown twice (unless it was cut from the body
        # mid-word, as a JSONL record without a title gets one)
        rest = flat[len(title) :] if title and flat.startswith(title) else None
        if rest is not None and not rest[:1].isalnum():
            flat = rest.lstrip(" .:—-")
        return flat if len(flat) <= opening else flat[:opening].rsplit(" ", 1)[0] + " …"

    table = pd.DataFrame(
        {
            "doc_id": articles["doc_id"],
            "date": articles["date"].dt.strftime("%Y-%m-%d"),
            "title": articles["title"],
            "opening": [start(row) for row in articles.itertuples()],
            "words": articles["text"].str.split().str.len(),
        }
    )
    named = articles["source"].fillna("").map(outlet)
    if (named != "").any():
        table["source"] = named.replace("", None)
    return table


def hygiene(
    articles: pd.DataFrame,
    boilerplate: pd.DataFrame,
    own_mentions: pd.DataFrame | None = None,
    examples: int = 2,
) -> pd.DataFrame:
    """Per source, what the analysis left out of its posts: the repeated closing lines
    learned (``newslens.hygiene``), the characters they took and their share of the
    source's text, examples as written, and the mentions of the outlet in its own posts."""
    columns = ["source", "posts", "lines", "left_out", "share", "examples", "own_mentions"]
    if boilerplate.empty and (own_mentions is None or own_mentions.empty):
        return pd.DataFrame(columns=columns)
    named = articles[articles["source"].fillna("") != ""]
    size = named.groupby("source")["text"].agg(lambda texts: int(texts.str.len().sum()))
    posts = named.groupby("source").size()
    learned = boilerplate.groupby("source")
    own = (own_mentions.groupby("source")["mentions"].sum() if own_mentions is not None
           and len(own_mentions) else pd.Series(dtype=int))  # fmt: skip
    rows = []
    for source in sorted(set(boilerplate["source"]) | set(own.index)):
        lines = learned.get_group(source) if source in learned.groups else boilerplate.iloc[:0]
        left = int(lines["characters"].sum())
        shown = " | ".join(
            " ".join(blank_markup(line).split())[:60] for line in lines["line"].head(examples)
        )  # as a reader sees them
        rows.append((source, int(posts.get(source, 0)), len(lines), left,
                     round(left / max(1, int(size.get(source, 0))), 3), shown,
                     int(own.get(source, 0))))  # fmt: skip
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(["left_out", "source"], ascending=[False, True], kind="stable")


def copies_by_source(articles: pd.DataFrame, copies: pd.DataFrame) -> pd.DataFrame:
    """Per outlet: its articles, how many copy another outlet's article, and how many of its
    articles another outlet copied."""
    columns = ["source", "articles", "copies", "copied_from"]
    named = outlets(articles)
    if copies.empty or named.empty:
        return pd.DataFrame(columns=columns)
    table = pd.DataFrame({
        "source": named.value_counts().index,
        "articles": named.value_counts().to_numpy(),
    })  # fmt: skip
    made = copies["doc_id"].map(named).value_counts()
    copied = copies["copy_of"].map(named).value_counts()
    table["copies"] = table["source"].map(made).fillna(0).astype(int)
    table["copied_from"] = table["source"].map(copied).fillna(0).astype(int)
    table = table[(table.copies > 0) | (table.copied_from > 0)]
    return table.sort_values(["copies", "source"], ascending=[False, True], kind="stable")


def feed_paragraph(articles: pd.DataFrame, boilerplate: pd.DataFrame, copies: pd.DataFrame,
                   own_mentions: pd.DataFrame, lang: str = "en") -> str:  # fmt: skip
    """One paragraph: what hygiene left out and how many articles are copies."""
    if outlets(articles).empty:
        return ("The articles name no outlet, so no channel boilerplate was learned and no "
                "copies across outlets were sought." if lang == "en" else
                "У статей не указано издание, поэтому служебные строки каналов не "
                "выделялись, а копии между изданиями не искались.")  # fmt: skip
    sources = boilerplate["source"].nunique()
    left = int(boilerplate["characters"].sum())
    total = max(1, int(articles["text"].str.len().sum()))
    own = int(own_mentions["mentions"].sum()) if len(own_mentions) else 0
    n, copied = len(articles), len(copies)
    if lang == "ru":
        return (f"Повторяющиеся служебные строки (подписи, «Подписаться», «Прислать новость», "
                f"рекламные пометки) найдены у источников: {sources}; исключено знаков: "
                f"{left:,} ({left / total:.1%} текста)".replace(",", " ")
                + f"; упоминаний источника в собственных публикациях не учтено: {own}. "
                f"Копий статей другого источника: {copied} из {n}.")  # fmt: skip
    return (f"{sources} source{'s' if sources != 1 else ''} repeat lines across their posts "
            f"(signatures, «Подписаться», «Прислать новость», ad marks): {left:,} characters "
            f"({left / total:.1%} of the text) were left out of the analysis, and {own} "
            f"mention{'s' if own != 1 else ''} of an outlet in its own posts are not counted. "
            f"{copied} of the {n} articles are copies of another outlet's article.")  # fmt: skip
