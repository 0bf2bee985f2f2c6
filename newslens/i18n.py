"""The report's words in English and Russian, in one catalog.

Charts, table headers, the title page and the prose written by code read their words here, so
a report built with ``--lang ru`` is Russian on every page. The notebooks' own prose is in
markdown cells tagged ``lang-en`` or ``lang-ru``; the report keeps the cells of its language.
"""

from __future__ import annotations

import pandas as pd

LANGS = ("en", "ru")

WORDS: dict[str, tuple[str, str]] = {
    # title page
    "report_title": ("News coverage report", "Обзор публикаций"),
    "corpus": ("Corpus", "Корпус"),
    "period": ("Period", "Период"),
    "undated": ("undated", "без дат"),
    "articles_analysed": ("Articles analysed", "Статей проанализировано"),
    "inputs_rejected": ("Inputs rejected", "Отклонено входных файлов и записей"),
    "warnings": ("Warnings", "Предупреждения"),
    "sentiment_mode": ("Sentiment", "Тональность"),
    "full_tables": ("Full tables (CSV)", "Полные таблицы (CSV)"),
    "made_with": ("Made with", "Сделано с помощью"),
    "offline": ("offline", "офлайн"),
    "executive_summary": ("Executive summary", "Краткое изложение"),
    # charts
    "articles": ("articles", "статей"),
    "words": ("words", "слов"),
    "mentions": ("mentions", "упоминаний"),
    "references": ("references", "упоминаний"),
    "article_length": ("Article length", "Длина статей"),
    "articles_per": ("Articles per {unit}", "Статьи по {unit}"),
    "n_undated": ("{n} undated", "без даты: {n}"),
    "none_found": ("none found", "не найдено"),
    "no_dated_article": ("no dated article", "нет статей с датой"),
    "no_date_found": ("no date found", "дат не найдено"),
    "no_actors": ("no actors", "участников нет"),
    "type_PER": ("People", "Люди"),
    "type_ORG": ("Organisations", "Организации"),
    "type_LOC": ("Countries and places", "Страны и места"),
    "form_name": ("name", "имя"),
    "form_surname": ("surname", "фамилия"),
    "form_abbreviation": ("abbreviation", "аббревиатура"),
    "form_role": ("role", "должность"),
    "form_metonym": ("metonym", "метонимия"),
    "form_adjective": ("adjective", "прилагательное"),
    "network_title": (
        "Who appears with whom: the {n} most mentioned actors, linked by shared sentences "
        "(mentions in brackets)",
        "Кто с кем упоминается: {n} самых упоминаемых участников, связи — общие предложения "
        "(в скобках — упоминаний)",
    ),
    "network_left_out": (
        "({n} of them share no sentence with the others)",
        "(у {n} из них нет общих предложений с остальными)",
    ),
    "net_title": (
        "In what light each actor appears (mentions in brackets)",
        "В каком свете показан каждый участник (в скобках — упоминаний)",
    ),
    "net_axis": (
        "net sentiment: (positive − negative) / mentions; line: uncertainty interval",
        "итоговая тональность: (позитивные − негативные) / упоминания; линия — интервал",
    ),
    "attitude_title": (
        "Who judges whom: attitudes held by actors (not the author), arrows holder → target",
        "Кто кого оценивает: оценки участников (не автора), стрелка от автора оценки к объекту",
    ),
    "no_attitude": (
        "no attitude held by an actor was found",
        "оценок, высказанных участниками, не найдено",
    ),
    "years_title": ("Years the articles refer to", "Годы, о которых пишут статьи"),
    "years_outside": (
        "{n} references to distant years left out",
        "без {n} упоминаний далёких лет",
    ),
    "referred_to": ("referred to", "упомянуты в тексте"),
    "published": ("published", "год публикации"),
    "leaders_per": (
        "Mentions of the leading actors per {unit}",
        "Упоминания главных участников по {unit}",
    ),
    "net_per": (
        "Net sentiment of the leading actors per {unit} (band: interval)",
        "Итоговая тональность главных участников по {unit} (полоса — интервал)",
    ),
    "by_source_title": (
        "Net sentiment of the leading actors by source (line: interval)",
        "Итоговая тональность главных участников по источникам (линия — интервал)",
    ),
    "sentiment_positive": ("positive", "позитивно"),
    "sentiment_negative": ("negative", "негативно"),
    "by_rule": ("by the {rule} rule", "по правилу «{rule}»"),
    "rule_place": ("place", "место"),
    "rule_frame": ("verb frame", "оценочный глагол"),
    "rule_attribution": ("attribution", "источник"),
    "rule_routine": ("routine event", "рутинное событие"),
    # period units, in the form the titles need («per month», «по месяцам»)
    "unit_D": ("day", "дням"),
    "unit_W": ("week", "неделям"),
    "unit_M": ("month", "месяцам"),
    "unit_Y": ("year", "годам"),
    # prose from code
    "more_rows": (
        "… {n} more rows: the whole table is {file} in the report's tables folder.",
        "… ещё строк: {n}; вся таблица — {file} в папке таблиц отчёта.",
    ),
    "no_rejected": ("No input was rejected.", "Ни один входной файл не отклонён."),
    "no_warning": ("No warning.", "Предупреждений нет."),
    "no_sources": ("The articles name no source.", "У статей не указан источник."),
    "one_period": (
        "The leading actors are mentioned in one period only: there is no line to draw.",
        "Главные участники упоминаются лишь в одном периоде: линию построить нельзя.",
    ),
    "no_polar": ("No polar mention was found.", "Оценочных упоминаний не найдено."),
    "legend": (
        "— a small label gives the actor a mention was resolved to.",
        "— мелкая подпись называет участника, к которому отнесено упоминание.",
    ),
    "stories_timeline": (
        "The leading stories: articles per period (the number after a headline: all its articles)",
        "Главные сюжеты: статьи по периодам (число после заголовка — все статьи сюжета)",
    ),
    "outlets_by_story": (
        "Who covered which story: articles per outlet and story",
        "Кто о чём писал: статьи источников по сюжетам",
    ),
    "story_numbers": (
        "story (numbered as in the table below)",
        "сюжет (номер, как в таблице ниже)",
    ),
    "story_facts": (
        "{when} · {articles} articles, {outlets} outlets · net tone {tone} · {actors}",
        "{when} · статей: {articles}, источников: {outlets} · тональность {tone} · {actors}",
    ),
    "no_shared_story": (
        "No two articles tell the same story.",
        "Никакие две статьи не рассказывают одну историю.",
    ),
    "legend_PER": ("person", "человек"),
    "legend_ORG": ("organisation", "организация"),
    "legend_LOC": ("country or place", "страна или место"),
}

COLUMNS: dict[str, str] = {
    "actor": "участник",
    "type": "тип",
    "mentions": "упоминания",
    "named_mentions": "по имени",
    "documents": "статей",
    "first_date": "первая дата",
    "last_date": "последняя дата",
    "name": "имя",
    "surname": "фамилия",
    "abbreviation": "аббревиатура",
    "role": "должность",
    "metonym": "метонимия",
    "adjective": "прилагательное",
    "latin": "латиницей",
    "positive": "позитивных",
    "negative": "негативных",
    "neutral": "нейтральных",
    "net_sentiment": "итог",
    "net_low": "от",
    "net_high": "до",
    "actors": "участники",
    "attitudes": "оценок",
    "actor_a": "участник A",
    "actor_b": "участник B",
    "count": "число",
    "doc_id": "статья",
    "date": "дата",
    "title": "заголовок",
    "opening": "начало текста",
    "words": "слов",
    "characters": "знаков",
    "source": "источник",
    "path": "путь",
    "line": "строка",
    "reason": "причина",
    "holder": "кто оценивает",
    "target": "кого",
    "polarity": "оценка",
    "target_text": "в тексте",
    "rule": "правило",
    "sentence": "предложение",
    "speaker": "говорящий",
    "speaker_text": "в тексте",
    "kind": "вид",
    "quote": "цитата",
    "direct": "прямых",
    "indirect": "косвенных",
    "quotes": "цитат",
    "precision": "точность",
    "text": "текст",
    "period": "период",
    "references": "упоминаний",
    "articles": "статей",
    "inputs": "входов",
    "stories": "сюжетов",
    "story_id": "сюжет",
    "headline": "заголовок",
    "first": "первая",
    "last": "последняя",
    "outlets": "источников",
    "copy_of": "копия статьи",
    "similarity": "сходство",
    "copies": "копий",
    "posts": "публикаций",
    "left_out": "исключено знаков",
    "share": "доля",
    "examples": "примеры",
    "lines": "строк",
    "own_mentions": "упоминаний себя",
    "copied_from": "копий других",
}


# Values shown in tables, by column (codes stay codes in the CSV files).
VALUES: dict[str, dict[str, str]] = {
    "type": {"PER": "человек", "ORG": "организация", "LOC": "место"},
    "kind": {"direct": "прямая", "indirect": "косвенная", "absolute": "абсолютная",
             "relative": "относительная", "publication": "публикация"},
    "form": {"name": "имя", "surname": "фамилия", "abbreviation": "аббревиатура",
             "role": "должность", "metonym": "метонимия", "adjective": "прилагательное"},
    "rule": {"verb": "глагол", "according": "по словам", "addressed": "в адрес",
             "author": "автор"},
    "holder": {"author": "автор"},
    "section": {"title": "заголовок", "text": "текст"},
    "precision": {"day": "день", "month": "месяц", "year": "год"},
}  # fmt: skip


def check(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"report language must be 'en' or 'ru', not {lang!r}")
    return lang


def t(key: str, lang: str = "en", **values) -> str:
    """The word or phrase ``key`` in ``lang``, with ``values`` filled in."""
    en, ru = WORDS[key]
    return (en if check(lang) == "en" else ru).format(**values)


def columns(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The table with its headers (and coded values) in ``lang``; English headers are the
    column names."""
    if check(lang) == "en":
        return frame
    frame = frame.copy()
    for column, values in VALUES.items():
        if column in frame:
            frame[column] = frame[column].map(lambda v, m=values: m.get(v, v))
    return frame.rename(columns={c: COLUMNS.get(c, c) for c in frame.columns})
