"""What was read: the account of every input for the corpus chapter (articles, rejections,
warnings, sources), in the report's language."""

from __future__ import annotations

import pandas as pd

from newslens.load import Corpus
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


def reasons(table: pd.DataFrame) -> pd.DataFrame:
    """Rejections or warnings counted by reason (its words before any detail, numbers and
    names with digits as «…»), the most frequent first: the shape of the problem first."""
    if table.empty:
        return pd.DataFrame(columns=["reason", "inputs"])
    general = (
        table["reason"].str.split(r"[:(']", n=1, regex=True).str[0]
        .str.replace(r"\S*\d\S*", "…", regex=True).str.strip()
    )  # fmt: skip
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
