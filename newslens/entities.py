"""Mentions: natasha's raw NER turned into the references to actors in one article.

:func:`extract_article` finds the mentions of one article (NER spans repaired, plus roles,
metonyms and country adjectives) without looking at any other article, so it can run in
parallel and be cached; ``newslens.resolver`` then names one actor per real-world entity
across the corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from newslens import nlp
from newslens.gazetteer import Gazetteer
from newslens.gazetteer import load as load_gazetteer

FORMS = ["name", "surname", "abbreviation", "role", "metonym", "adjective"]
NAMED_FORMS = ["name", "surname", "abbreviation"]
MENTION_COLUMNS = [
    "doc_id",
    "section",
    "sentence_id",
    "start",
    "end",
    "text",
    "type",
    "actor",
    "form",
]
SENTENCE_COLUMNS = ["doc_id", "section", "sentence_id", "start", "end", "text", "tokens"]

# Nouns naming an office held by one person "of" a country or organisation.
ROLE_WORDS = {
    "президент",
    "премьер",
    "премьер-министр",
    "министр",
    "глава",
    "лидер",
    "канцлер",
    "председатель",
    "спикер",
    "представитель",
    "пресс-секретарь",
    "помощник",
    "советник",
    "мэр",
    "губернатор",
    "посол",
    "король",
    "королева",
    "генсек",
    "вице-президент",
    "вице-премьер",
    "госсекретарь",
    "руководитель",
    "директор",
    "командующий",
}
# Institutions "of" a country: "правительство России" is an organisation, and an actor.
INSTITUTIONS = {
    "правительство", "мэрия", "парламент", "посольство", "консульство", "министерство",
    "минобороны", "минфин", "администрация", "прокуратура", "генпрокуратура", "армия",
    "генштаб", "кабмин", "госдеп", "госдепартамент", "минздрав", "минюст", "минэкономразвития",
    "сенат", "конгресс", "полиция", "пограничник", "спецслужба", "разведка",
}  # fmt: skip
# After these a capital is a place ("в Москве"), not a government ("Москва ответила").
LOCATIVE = {"в", "во", "на", "из", "под", "около", "возле", "у", "близ", "до", "через", "по"}
# Heads of organisation names that take a country in the genitive: "МИД Азербайджана".
ABBREVIATION = re.compile(r"^[A-ZА-ЯЁ][A-ZА-ЯЁ0-9-]{1,9}$")
PAREN_ABBR = re.compile(r"\s*\(([A-ZА-ЯЁ][A-ZА-ЯЁ0-9-]{1,9})\)\s*$")


@dataclass
class RawMention:
    """A mention before corpus-wide resolution; ``key`` is its own normal form."""

    section: str
    sentence_id: int
    start: int
    end: int
    text: str
    type: str
    key: str
    form: str
    target: str = ""  # for roles: the key of the country/org/person the office belongs to
    target_type: str = ""


@dataclass
class ArticleSentence:
    """One sentence of an article, with the tokens natasha found for it (``nlp.encode``d):
    every later step reads them here and never parses the sentence again."""

    section: str
    sentence_id: int
    start: int  # offsets index the section's text (title or body)
    end: int
    text: str
    tokens: str = ""

    def parsed(self) -> tuple[nlp.Token, ...]:
        return nlp.decode(self.text, self.tokens)


@dataclass
class ArticleEntities:
    """What one article yields: mentions, sentences, and role facts it states."""

    doc_id: str
    mentions: list[RawMention] = field(default_factory=list)
    sentences: list[ArticleSentence] = field(default_factory=list)
    # (role word, target key, target type) → person key, from "президент России Владимир Путин"
    appositions: list[tuple[str, str, str, str]] = field(default_factory=list)
    # capitalised words outside NER spans that may be a missed lone surname
    candidates: list[RawMention] = field(default_factory=list)
    # abbreviation → long form key, from "Шанхайская организация сотрудничества (ШОС)"
    abbreviations: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Entities:
    """Corpus-level result: the mentions table and the sentences they sit in."""

    mentions: pd.DataFrame
    sentences: pd.DataFrame

    def sentence(self, doc_id: str, sentence_id: int) -> str:
        s = self.sentences
        row = s[(s.doc_id == doc_id) & (s.sentence_id == sentence_id)]
        return row.text.iloc[0] if len(row) else ""


def sections(title: str, text: str) -> list[tuple[str, str]]:
    """The title is analysed too, unless the text already starts with it (plain .txt)."""
    title = (title or "").strip()
    if title and not text.lstrip().startswith(title):
        return [("title", title), ("text", text)]
    return [("text", text)]


# ---------------------------------------------------------------- one article


def extract_article(
    doc_id: str, title: str, text: str, gazetteer: Gazetteer | None = None
) -> ArticleEntities:
    gazetteer = gazetteer or load_gazetteer()
    result = ArticleEntities(doc_id)
    offset = 0
    for section, content in sections(title, text):
        parsed = nlp.parse(content)
        for index, sentence in enumerate(parsed.sentences):
            result.sentences.append(
                ArticleSentence(section, offset + index, sentence.start, sentence.end,
                                sentence.text, nlp.encode(sentence))
            )  # fmt: skip
        _extract_section(parsed, section, offset, gazetteer, result)
        offset += len(parsed.sentences)
    result.mentions.sort(key=lambda m: (m.sentence_id, m.start, -m.end))
    return result


def _extract_section(
    parsed: nlp.Parsed, section: str, offset: int, gazetteer: Gazetteer, out: ArticleEntities
) -> None:
    tokens = [t for s in parsed.sentences for t in s.tokens]
    by_start = {t.start: i for i, t in enumerate(tokens)}
    spans = _repair_spans(parsed, tokens, by_start, out)
    text = parsed.text

    def sid(start: int) -> int:
        return offset + parsed.sentence_of(start)

    def previous_token(start: int) -> nlp.Token | None:
        i = by_start.get(start)
        return tokens[i - 1] if i else None

    for number, span in enumerate(spans):
        form = "name"
        if span.type == "PER":
            form = "name" if " " in span.key else "surname"
        elif ABBREVIATION.match(span.text):
            form = "abbreviation"
        entry = gazetteer.find(span.key) or gazetteer.find(span.text)
        if entry and entry.stands_for:
            before = previous_token(span.start)
            if entry.stands_for == entry.name or not (before and before.lemma in LOCATIVE):
                form = "metonym"
        out.mentions.append(
            RawMention(
                section, sid(span.start), span.start, span.end, span.text, span.type, span.key, form
            )
        )
        # A role word right before a span in the genitive: "президент Азербайджана".
        before = previous_token(span.start)
        first = tokens[by_start[span.start]] if span.start in by_start else None
        if before and before.lemma in ROLE_WORDS and first and first.case == "Gen":
            after = spans[number + 1] if number + 1 < len(spans) else None
            gap = text[span.end : after.start] if after else ""
            if after and after.type == "PER" and gap.strip() == "":
                out.appositions.append((before.lemma, span.key, span.type, after.key))
            else:
                role_text = text[before.start : span.end]
                out.mentions.append(
                    RawMention(
                        section,
                        sid(before.start),
                        before.start,
                        span.end,
                        role_text,
                        "PER",
                        f"{before.lemma} {span.text}",
                        "role",
                        span.key,
                        span.type,
                    )
                )
    out.candidates.extend(_surname_candidates(spans, tokens, section, sid))
    inside = [(s.start, s.end) for s in spans]
    for token in tokens:
        if token.pos != "ADJ" or any(a <= token.start < b for a, b in inside):
            continue
        entry = gazetteer.adjective(token.lemma)
        if entry:
            out.mentions.append(
                RawMention(
                    section,
                    sid(token.start),
                    token.start,
                    token.end,
                    token.text,
                    entry.type,
                    entry.name,
                    "adjective",
                )
            )


@dataclass
class _Span:
    start: int
    end: int
    type: str
    text: str
    key: str


def _repair_spans(
    parsed: nlp.Parsed, tokens: list[nlp.Token], by_start: dict[int, int], out: ArticleEntities
) -> list[_Span]:
    """Fix what raw NER gets wrong for actor counting."""
    text = parsed.text
    spans = [_Span(s.start, s.end, s.type, s.text, s.normal) for s in parsed.spans]
    for span in spans:
        if span.type == "ORG":
            span.key = _org_key(span, tokens, by_start)
    merged: list[_Span] = []
    for span in spans:
        last = merged[-1] if merged else None
        genitive = span.start in by_start and tokens[by_start[span.start]].case == "Gen"
        # "Министерство иностранных дел" / "МИД" + "Азербайджана" → one ORG, the LOC nested
        if (
            last is not None
            and last.type == "ORG"
            and span.type == "LOC"
            and genitive
            and text[last.end : span.start] == " "
            and (last.text.split()[-1].islower() or ABBREVIATION.match(last.text))
        ):
            last.end, last.text = span.end, text[last.start : span.end]
            last.key = f"{last.key} {span.text}"
        # "правительство России", "посольства США": an institution of a country
        elif span.type == "LOC" and genitive and span.start in by_start:
            i = by_start[span.start]
            head = tokens[i - 1] if i else None
            if head and head.lemma in INSTITUTIONS and head.end + 1 == span.start:
                name = f"{head.lemma.capitalize()} {span.text}"
                merged.append(_Span(head.start, span.end, "ORG", text[head.start : span.end], name))
        merged.append(span)  # the country stays a mention, nested in the ORG
    result: list[_Span] = []
    for span in merged:
        # "Шанхайской организации сотрудничества (ШОС)" → long form + abbreviation
        match = PAREN_ABBR.search(span.text) if span.type in ("ORG", "LOC") else None
        if match and match.start() > 0:
            long_end = span.start + len(span.text[: match.start()].rstrip())
            long_key = PAREN_ABBR.sub("", span.key).strip() or span.key
            abbr = match.group(1)
            abbr_start = span.start + match.start(1)
            result.append(
                _Span(span.start, long_end, span.type, text[span.start : long_end], long_key)
            )
            result.append(_Span(abbr_start, abbr_start + len(abbr), span.type, abbr, abbr))
            out.abbreviations.append((abbr, long_key))
            continue
        # "… организации (ШОС)" where NER stopped before the brackets
        tail = re.match(r"\s*\(([A-ZА-ЯЁ][A-ZА-ЯЁ0-9-]{1,9})\)", text[span.end : span.end + 14])
        if span.type == "ORG" and tail and " " in span.key:
            abbr = tail.group(1)
            abbr_start = span.end + tail.start(1)
            result.append(span)
            result.append(_Span(abbr_start, abbr_start + len(abbr), "ORG", abbr, abbr))
            out.abbreviations.append((abbr, span.key))
            continue
        result.append(span)
    _split_coordinated(result, text)
    return result


def _surname_candidates(
    spans: list[_Span], tokens: list[nlp.Token], section: str, sid
) -> list[RawMention]:
    """Capitalised words outside any span: a lone surname NER missed (often sentence-first).

    They become mentions in :func:`resolve` only if the corpus names a person so.
    """
    covered = [(s.start, s.end) for s in spans]
    return [
        RawMention(
            section, sid(t.start), t.start, t.end, t.text, "PER", t.lemma.capitalize(), "surname"
        )
        for t in tokens
        if t.text[:1].isupper()
        and t.pos in ("PROPN", "NOUN")
        and not any(a <= t.start < b for a, b in covered)
    ]


def _org_key(span: _Span, tokens: list[nlp.Token], by_start: dict[int, int]) -> str:
    """Nominative for the head of an ORG name, the rest as written.

    natasha inflects every word ("Министерство иностранные дела"); only the words up to the
    first noun change case in a Russian organisation name.
    """
    words, normal = span.text.split(), span.key.split()
    if len(words) != len(normal) or span.start not in by_start:
        return span.key
    i = by_start[span.start]
    for n, token in enumerate(tokens[i : i + len(words)]):
        if token.pos in ("NOUN", "PROPN"):
            return " ".join(normal[: n + 1] + words[n + 1 :])
    return span.key


def _split_coordinated(spans: list[_Span], text: str) -> None:
    """'Гусейн и Зиядин Сафаровы' → Гусейн Сафаров, Зиядин Сафаров; plural surnames → singular."""
    for i, span in enumerate(spans):
        if span.type != "PER" or " " not in span.key:
            continue
        *given, surname = span.key.split()
        single = nlp.singular_surname(surname)
        if single == surname:
            continue
        span.key = " ".join([*given, single])
        previous = spans[i - 1] if i else None
        if (
            previous is not None
            and previous.type == "PER"
            and " " not in previous.key
            and text[previous.end : span.start].strip() == "и"
        ):
            previous.key = f"{previous.key} {single}"


def outer_mentions(mentions: pd.DataFrame) -> pd.DataFrame:
    """Mentions not nested in a longer one: the role «президент Азербайджана», not the
    country inside it. Speakers and holders are outer mentions.

    One sort and one sweep: in (start, longest first) order, a span is nested exactly when
    an earlier span that is not the same span reaches as far as it does.
    """
    starts, ends = mentions["start"].to_numpy(), mentions["end"].to_numpy()
    order = sorted(range(len(starts)), key=lambda i: (starts[i], -ends[i]))
    keep = np.ones(len(starts), dtype=bool)
    reach, i = -1, 0  # the furthest end of the spans before the current group
    while i < len(order):
        j = i
        span = (starts[order[i]], ends[order[i]])
        while j < len(order) and (starts[order[j]], ends[order[j]]) == span:
            j += 1
        if reach >= span[1]:
            keep[[order[k] for k in range(i, j)]] = False
        reach = max(reach, span[1])
        i = j
    # a mask, not a list: an empty list would select no *columns* and lose them
    return mentions[pd.Series(keep, index=mentions.index, dtype=bool)]
