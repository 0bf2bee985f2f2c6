"""HTML snippets for notebooks and the PDF. Everything from the corpus is escaped here."""

from __future__ import annotations

import html
import re
import textwrap

import pandas as pd

from newslens import i18n
from newslens.lexicon import DIALOGUE_DASHES


class Html:
    """A piece of escaped HTML that Jupyter displays (and nbconvert copies) as ``text/html``."""

    def __init__(self, markup: str):
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return f"Html({len(self.markup)} chars)"


def table(
    frame: pd.DataFrame, max_rows: int = 60, lang: str = "en", name: str = "", limit: int = 400
) -> Html:
    """A plain escaped HTML table (no index column), headers in ``lang``. Text cells show on
    one line (an article's line breaks are spaces here) and at most ``limit`` characters; a
    capped table says how many rows it leaves out and which CSV file (``name``) holds them."""
    shown = i18n.columns(frame.head(max_rows).map(lambda v: _cell(v, limit)), lang)
    small = ["small"] if len(shown) <= 12 else []  # kept on one page
    markup = shown.to_html(index=False, escape=True, border=0, na_rep="—", classes=small)
    if len(frame) > max_rows:
        more = i18n.t("more_rows", lang, n=len(frame) - max_rows, file=name or "—")
        markup += f'<p class="more"><em>{html.escape(more)}</em></p>'
    return Html(markup)


def _cell(value, limit: int):
    if not isinstance(value, str):
        return value
    flat = " ".join(value.split())
    flat = flat if len(flat) <= limit else flat[:limit].rsplit(" ", 1)[0] + " …"
    return _LONG_WORD.sub(lambda m: "\u200b".join(textwrap.wrap(m[0], WORD)), flat)


WORD = 24  # longer words (links, glued text) get break points, so columns stay narrow
_LONG_WORD = re.compile(rf"\S{{{WORD + 1},}}")


def paragraphs(texts: list[str], css_class: str = "") -> Html:
    """Untrusted text shown as literal paragraphs."""
    cls = f' class="{html.escape(css_class)}"' if css_class else ""
    return Html("".join(f"<p{cls}>{html.escape(t)}</p>" for t in texts))


def highlight(text: str, mentions: pd.DataFrame) -> Html:
    """Article text with its mentions marked by type; the actor is shown where it differs.

    Nested mentions ("президент Азербайджана" around "Азербайджана") show the outer one.
    """
    parts, cursor = [], 0
    for m in mentions.sort_values(["start", "end"], ascending=[True, False]).itertuples():
        if m.start < cursor:
            continue
        parts.append(html.escape(text[cursor : m.start]))
        label = "" if m.actor == m.text else f"<sub>{html.escape(m.actor)}</sub>"
        parts.append(
            f'<mark class="{html.escape(m.type)}" title="{html.escape(m.form)}">'
            f"{html.escape(text[m.start : m.end])}{label}</mark>"
        )
        cursor = m.end
    parts.append(html.escape(text[cursor:]))
    return Html(f'<div class="newslens-article">{"".join(parts)}</div>')


def article(doc_id: str, title: str, text: str, date, mentions: pd.DataFrame) -> Html:
    """One article marked up under a heading (date · id): the title, then the body, as the
    analysis read them; a title the body opens with (plain .txt) is shown once, in the body."""
    from newslens.entities import sections

    when = f"{date:%Y-%m-%d} · " if isinstance(date, pd.Timestamp) else ""  # not NaT
    parts = [highlight(content, mentions[mentions.section == section]).markup
             for section, content in sections(title, text)]  # fmt: skip
    return Html(f"<h4>{html.escape(when + doc_id)}</h4>{''.join(parts)}")


def legend(lang: str = "en") -> Html:
    marks = " ".join(
        f'<mark class="{kind}">{html.escape(i18n.t(f"legend_{kind}", lang))}</mark>'
        for kind in ("PER", "ORG", "LOC")
    )
    return Html(f"<p>{marks} {html.escape(i18n.t('legend', lang))}</p>")


def evidence(
    scored: pd.DataFrame, actors: list[str], per_polarity: int = 2, lang: str = "en"
) -> Html:
    """For each actor, its clearest negative and positive sentences, the mention in bold."""
    from newslens.sentiment import evidence as pick

    parts = []
    for actor in actors:
        items = []
        for polarity, css, key in ((-1, "neg", "negative"), (1, "pos", "positive")):
            word = i18n.t(f"sentiment_{key}", lang)
            found = pick(scored, actor, polarity, per_polarity * 4)
            found = found.drop_duplicates("sentence").head(per_polarity)  # reprints count once
            for row in found.itertuples():
                sentence = row.sentence.lstrip(DIALOGUE_DASHES)
                at = sentence.find(row.text)
                marked = (
                    html.escape(sentence[:at]) + f"<b>{html.escape(row.text)}</b>"
                    + html.escape(sentence[at + len(row.text):])
                    if at >= 0 else html.escape(sentence)
                )  # fmt: skip
                rule = getattr(row, "rule", "")
                rule = rule if isinstance(rule, str) else ""  # NaN in a table read back
                score = getattr(row, "p_negative" if polarity < 0 else "p_positive")
                # a label a rule set is not the model's: its probability would contradict it
                label = (f"{word}, {i18n.t('by_rule', lang, rule=i18n.t(f'rule_{rule}', lang))}"
                         if rule else f"{word} {score:.2f}")  # fmt: skip
                items.append(
                    f'<p class="evidence"><span class="{css}">{html.escape(label)}</span> '
                    f"— {marked}</p>"
                )
        if items:
            parts.append(f"<h4>{html.escape(actor)}</h4>" + "".join(items))
    return Html("".join(parts) or f"<p>{html.escape(i18n.t('no_polar', lang))}</p>")


def narrative(paragraphs: list[str], heading: str) -> Html:
    """The generated summary: a heading and escaped paragraphs."""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return Html(f"<h1>{html.escape(heading)}</h1>{body}")


def stories(table: pd.DataFrame, top: int = 12, lang: str = "en", name: str = "") -> Html:
    """The leading stories as short cards: the headline, a line of facts (span, articles,
    outlets, net tone, the actors named most) and the quote that stands for what was said."""
    parts = []
    for row in table.head(top).itertuples():
        first, last = _moment(row.first), _moment(row.last)
        when = first if first == last or not last else f"{first} – {last}"
        tone = "" if pd.isna(row.net_sentiment) else f"{row.net_sentiment:+.2f}"
        facts = i18n.t("story_facts", lang, when=when or "—", articles=row.articles,
                       outlets=row.outlets, tone=tone or "—", actors=row.actors or "—")  # fmt: skip
        quote = (f'<p class="evidence">«{html.escape(_cell(row.quote, 300))}» — '
                 f"{html.escape(row.speaker)}</p>" if row.quote else "")  # fmt: skip
        parts.append(f"<h4>{row.story_id}. {html.escape(_cell(row.headline, 200))}</h4>"
                     f'<p class="more">{html.escape(facts)}</p>{quote}')  # fmt: skip
    markup = "".join(parts) or f"<p>{html.escape(i18n.t('no_shared_story', lang))}</p>"
    if len(table) > top:
        more = i18n.t("more_rows", lang, n=len(table) - top, file=name or "—")
        markup += f'<p class="more"><em>{html.escape(more)}</em></p>'
    return Html(markup)


def _moment(value) -> str:
    """A date, with its time when it has one (a feed's post)."""
    if value is None or pd.isna(value):
        return ""
    stamp = pd.Timestamp(value)
    return stamp.strftime("%Y-%m-%d %H:%M" if stamp != stamp.normalize() else "%Y-%m-%d")
