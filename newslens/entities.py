"""Mentions: natasha's raw NER turned into the references to actors in one article.

:func:`extract_article` finds the mentions of one article (NER spans repaired, plus roles,
metonyms and country adjectives) without looking at any other article, so it can run in
parallel and be cached; ``newslens.resolver`` then names one actor per real-world entity
across the corpus.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, islice

import pandas as pd

from newslens import nlp
from newslens.gazetteer import Gazetteer, fold

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
# A role word after one of these names someone else («заместитель министра», «адвокат
# президента») or an office («на посту президента»), not the holder.
RELATIONAL = {
    "заместитель", "замглавы", "помощник", "советник", "пресс-секретарь", "представитель",
    "супруга", "супруг", "жена", "муж", "вдова", "сын", "дочь", "мать", "отец", "брат",
    "сестра", "адвокат", "совет", "член", "аппарат", "канцелярия", "офис", "пресс-служба",
    "кандидат", "должность", "пост", "кресло", "резиденция", "выборы", "указ", "администрация",
}  # fmt: skip
# Nouns for people that start a sentence capitalised: «Адвокат заявил» is not Дик Адвокат.
PERSON_NOUNS = ROLE_WORDS | RELATIONAL | {
    "адвокат", "судья", "врач", "эксперт", "источник", "собеседник", "очевидец", "свидетель",
    "прокурор", "следователь", "полицейский", "журналист", "автор", "тренер", "защитник",
    "вратарь", "нападающий", "пилот", "капитан", "генерал", "полковник", "майор", "священник",
    "епископ", "папа", "друг", "подруга", "сосед", "соседка", "коллега", "студент", "учитель",
}  # fmt: skip
# Common nouns natasha tags as organisations: the media, the internet, «главное управление»,
# the authorities.
GENERIC = {"сми", "интернет", "гу", "власти"}
QUOTE_MARKS = "\"'«»“”„"
# Heads of organisation names that take a country in the genitive: "МИД Азербайджана".
ABBREVIATION = re.compile(r"^[A-ZА-ЯЁ][A-ZА-ЯЁ0-9-]{1,9}$")
INITIALS = re.compile(r"^(?:[А-ЯЁA-Z]\. )+\S+$")
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
    """The title is analysed too, unless the text already starts with it (plain .txt, a post
    whose title is its first line; spacing aside, since markup is blanked in the text)."""
    title = (title or "").strip()
    if title and not _flat_start(text, len(title)).startswith(" ".join(title.split())):
        return [("title", title), ("text", text)]
    return [("text", text)]


def _flat_start(text: str, length: int) -> str:
    """The first ``length`` characters of ``text`` read with its spacing collapsed."""
    words, size = [], 0
    for word in re.finditer(r"\S+", text):
        words.append(word.group(0))
        size += len(word.group(0)) + 1
        if size > length:
            break
    return " ".join(words)


# ---------------------------------------------------------------- one article


def extract_article(doc_id: str, title: str, text: str, gazetteer: Gazetteer) -> ArticleEntities:
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


@dataclass
class _Section:
    """One section of one article as the finders read it: its parse, tokens and spans."""

    parsed: nlp.Parsed
    section: str
    offset: int  # sentence numbers of the section start here
    gazetteer: Gazetteer
    out: ArticleEntities
    tokens: list[nlp.Token] = field(default_factory=list)
    by_start: dict[int, int] = field(default_factory=dict)  # token start → its index
    spans: list = field(default_factory=list)  # NER's spans once repaired (``REPAIRS``)

    @property
    def text(self) -> str:
        return self.parsed.text

    def sid(self, start: int) -> int:
        return self.offset + self.parsed.sentence_of(start)

    def token_at(self, start: int) -> nlp.Token | None:
        i = self.by_start.get(start)
        return self.tokens[i] if i is not None else None

    def mention(self, start: int, end: int, kind: str, key: str, form: str, *inner) -> None:
        text = self.text[start:end]
        self.out.mentions.append(
            RawMention(self.section, self.sid(start), start, end, text, kind, key, form, *inner)
        )


def _extract_section(
    parsed: nlp.Parsed, section: str, offset: int, gazetteer: Gazetteer, out: ArticleEntities
) -> None:
    """The mentions of one section: NER's spans repaired, then each finder in turn."""
    ctx = _Section(parsed, section, offset, gazetteer, out)
    ctx.tokens = [t for s in parsed.sentences for t in s.tokens]
    ctx.by_start = {t.start: i for i, t in enumerate(ctx.tokens)}
    for repair in REPAIRS:
        ctx.spans = repair(ctx)
    for finder in FINDERS:
        finder(ctx)


def _form(ctx: _Section, span, previous_form: str) -> str:
    """How a span refers to its actor: name, surname, abbreviation or metonym."""
    form = "name"
    if span.type == "PER":
        form = "name" if " " in span.key and not INITIALS.match(span.key) else "surname"
    entry = ctx.gazetteer.find(span.key) or ctx.gazetteer.find(span.text)
    if span.type != "PER" and ABBREVIATION.match(span.text):
        # «МОСКВА, 5 августа» is the name in capitals, not an abbreviation
        spelled = entry is not None and fold(span.text) == fold(entry.name)
        form = "name" if spelled else "abbreviation"
    if (
        entry
        and entry.stands_for
        and (
            entry.stands_for == entry.name
            or _governs(
                ctx.tokens, ctx.by_start.get(span.start), ctx.text, previous_form == "metonym"
            )
        )
    ):
        form = "metonym"  # fmt: skip
    return form


def _names(ctx: _Section) -> None:
    """Every repaired span, in its form; a role word right before one in the genitive
    («президент Азербайджана») is an apposition when a person follows, else a role."""
    previous_form = ""
    for number, span in enumerate(ctx.spans):
        form = _form(ctx, span, previous_form)
        ctx.out.mentions.append(RawMention(ctx.section, ctx.sid(span.start), span.start,
                                           span.end, span.text, span.type, span.key,
                                           form))  # fmt: skip
        previous_form = form
        index = ctx.by_start.get(span.start)
        before = ctx.tokens[index - 1] if index else None
        first = ctx.token_at(span.start)
        if not (before and first and first.case == "Gen"
                and _heads_role(ctx.tokens, ctx.by_start, before)):  # fmt: skip
            continue
        # the next span after this one (not the country nested in «МИД России»)
        after = next((s for s in islice(ctx.spans, number + 1, None) if s.start >= span.end),
                     None)  # fmt: skip
        gap = ctx.text[span.end : after.start] if after else ""
        if after and after.type == "PER" and gap.strip() == "":
            ctx.out.appositions.append((before.lemma, span.key, span.type, after.key))
        else:
            ctx.mention(before.start, span.end, "PER", f"{before.lemma} {span.text}", "role",
                        span.key, span.type)  # fmt: skip


def _surnames(ctx: _Section) -> None:
    ctx.out.candidates.extend(_surname_candidates(ctx.spans, ctx.tokens, ctx.section, ctx.sid))


def _adjectives(ctx: _Section) -> None:
    """Country adjectives outside spans («российские»), and the office one qualifies
    («турецкого лидера» is «лидер Турции»)."""
    inside = _inside(ctx.spans)
    for token in ctx.tokens:
        if token.pos != "ADJ" or inside(token.start):
            continue
        entry = ctx.gazetteer.adjective(token.lemma)
        if entry:
            ctx.mention(token.start, token.end, entry.type, entry.name, "adjective")
            role = _office_after(ctx.tokens, ctx.by_start, token)
            if role is not None:
                ctx.mention(token.start, role.end, "PER", f"{role.lemma} {genitive(entry.name)}",
                            "role", entry.name, entry.type)  # fmt: skip


@dataclass
class _Span:
    start: int
    end: int
    type: str
    text: str
    key: str


def _named_spans(ctx: _Section) -> list[_Span]:
    """NER's spans, cleaned (``_clean``), without generic nouns, organisations keyed."""
    spans = [
        piece
        for s in ctx.parsed.spans
        for piece in _clean(_Span(s.start, s.end, s.type, s.text, s.normal), ctx.parsed)
        if fold(piece.text) not in GENERIC
    ]
    for span in spans:
        if span.type == "ORG":
            span.key = _org_key(span, ctx.tokens, ctx.by_start)
    return spans


def _nested(ctx: _Section) -> list[_Span]:
    """«Министерство иностранных дел» / «МИД» + «Азербайджана» → one ORG, the country nested;
    «правительство России», «посольства США»: an institution of a country, the country kept."""
    merged: list[_Span] = []
    text = ctx.text
    for span in ctx.spans:
        last = merged[-1] if merged else None
        first = ctx.token_at(span.start)
        genitive = first is not None and first.case == "Gen"
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
        elif span.type == "LOC" and genitive:
            i = ctx.by_start[span.start]
            head = ctx.tokens[i - 1] if i else None
            if head and head.lemma in INSTITUTIONS and head.end + 1 == span.start:
                name = f"{head.lemma.capitalize()} {span.text}"
                merged.append(_Span(head.start, span.end, "ORG", text[head.start : span.end], name))
        merged.append(span)  # the country stays a mention, nested in the ORG
    return merged


def _abbreviations(ctx: _Section) -> list[_Span]:
    """«Шанхайской организации сотрудничества (ШОС)» → the long form and the abbreviation,
    learned for the corpus; also where NER stopped before the brackets."""
    result: list[_Span] = []
    text = ctx.text
    for span in ctx.spans:
        match = PAREN_ABBR.search(span.text) if span.type in ("ORG", "LOC") else None
        if match and match.start() > 0:
            long_end = span.start + len(span.text[: match.start()].rstrip())
            long_key = PAREN_ABBR.sub("", span.key).strip() or span.key
            abbr = match.group(1)
            abbr_start = span.start + match.start(1)
            # «Народ свободы» (НС): NER began after the opening mark, so the long form ends
            # with an unbalanced closing one once the brackets are cut off
            long = _trim(_Span(span.start, long_end, span.type, text[span.start : long_end],
                               long_key), text)  # fmt: skip
            if long is not None:
                result.append(long)
                ctx.out.abbreviations.append((abbr, long.key))
            result.append(_Span(abbr_start, abbr_start + len(abbr), span.type, abbr, abbr))
            continue
        tail = re.match(r"\s*\(([A-ZА-ЯЁ][A-ZА-ЯЁ0-9-]{1,9})\)", text[span.end : span.end + 14])
        if span.type == "ORG" and tail and " " in span.key:
            abbr = tail.group(1)
            abbr_start = span.end + tail.start(1)
            result.append(span)
            result.append(_Span(abbr_start, abbr_start + len(abbr), "ORG", abbr, abbr))
            ctx.out.abbreviations.append((abbr, span.key))
            continue
        result.append(span)
    return result


def _coordinated(ctx: _Section) -> list[_Span]:
    _split_coordinated(ctx.spans, ctx.text)
    return ctx.spans


def _clean(span: _Span, parsed: nlp.Parsed) -> list[_Span]:
    """One NER span as the mentions it really holds.

    A span never crosses a sentence end or a line break («Евгений Примаков\\nЕвгений
    Примаков» is two mentions); stray quote marks and empty brackets are trimmed («Ратко
    Младич'», «Джо Локхарт ()»); a person's span loses the words that are not the name
    («56-летний С. Джобс», «Сын А. Лукашенко»); «Томас Шефер (Thomas Schäfer)» is two
    mentions of one person.
    """
    pieces = []
    for sentence in parsed.overlapping(span.start, span.end):
        start, end = max(span.start, sentence.start), min(span.end, sentence.end)
        if start < end:
            pieces.append(_part(span, start, end, parsed.text))
    out = []
    for piece in pieces:
        piece = _trim(piece, parsed.text)
        if piece is None:
            continue
        if piece.type == "PER":
            out.extend(_person_parts(piece, parsed))
        else:
            out.append(piece)
    return out


def _part(span: _Span, start: int, end: int, text: str) -> _Span:
    """The part of ``span`` between two offsets, its key taken from the words of the key that
    line up with the words of the text (natasha normalises word by word)."""
    if (start, end) == (span.start, span.end):
        return span
    words = list(re.finditer(r"\S+", span.text))
    normal = span.key.split()
    chosen = [i for i, w in enumerate(words)
              if span.start + w.start() < end and span.start + w.end() > start]  # fmt: skip
    piece = text[start:end]
    if len(words) == len(normal) and chosen:
        key = " ".join(normal[i].strip(QUOTE_MARKS + "()") for i in chosen)
    else:
        key = piece
    return _Span(start, end, span.type, piece, key.strip() or piece)


def _trim(span: _Span, text: str) -> _Span | None:
    """Strip spaces, quote marks around the whole span or left unbalanced at one end, and
    empty brackets; take in the closing mark of a name NER opened but did not close."""
    start, end = span.start, span.end
    while start < end:
        inner = text[start:end]
        if inner[0].isspace() or inner.startswith("()"):
            start += 2 if inner.startswith("()") else 1
        elif inner[-1].isspace() or inner.endswith("()"):
            end -= 2 if inner.endswith("()") else 1
        elif len(inner) > 1 and inner[0] in QUOTE_MARKS and _closes(inner[0], inner[-1]):
            start, end = start + 1, end - 1
        elif inner[-1] in QUOTE_MARKS and _unbalanced(inner, inner[-1]):
            end -= 1
        elif inner[0] in QUOTE_MARKS and _unbalanced(inner, inner[0]):
            start += 1
        else:
            break
    inner = text[start:end]
    if inner.count("«") == inner.count("»") + 1 and text[end : end + 1] == "»":
        end += 1  # «РИА «Новости»: NER stopped before the mark that closes the name
    if start >= end or not any(c.isalnum() for c in text[start:end]):
        return None
    return _part(span, start, end, text)


_PAIRS = {"«": "»", "“": "”", "„": "“"}


def _closes(opening: str, closing: str) -> bool:
    return _PAIRS.get(opening, opening) == closing or (opening == "„" and closing == "”")


def _unbalanced(inner: str, mark: str) -> bool:
    for opening, closing in _PAIRS.items():
        if mark in (opening, closing):
            return inner.count(opening) != inner.count(closing)
    return inner.count(mark) % 2 == 1


def _person_parts(span: _Span, parsed: nlp.Parsed) -> list[_Span]:
    """A person's name without leading descriptions, and a bracketed Latin name apart."""
    text = parsed.text
    bracket = re.match(r"^(.*?\S)\s*\(([^()]+)\)$", span.text)
    if bracket:
        own = _strip_words(_part(span, span.start, span.start + len(bracket.group(1)), text), text)
        latin_start = span.start + bracket.start(2)
        latin = _Span(latin_start, latin_start + len(bracket.group(2)), "PER",
                      bracket.group(2), own.key)  # fmt: skip
        return [own, latin]
    return [_strip_words(span, text)]


def _strip_words(span: _Span, text: str) -> _Span:
    """Drop words before and after the name: lower-case or numeric ones («56-летний»,
    «клевета») and capitalised common nouns at the start («Сын», «Предшественник»)."""
    words = list(re.finditer(r"\S+", span.text))
    first, last = 0, len(words)
    while first < last - 1 and _not_name(words[first].group(0), leading=True):
        first += 1
    while last - 1 > first and _not_name(words[last - 1].group(0), leading=False):
        last -= 1
    if (first, last) == (0, len(words)):
        return _initials(span)
    start, end = span.start + words[first].start(), span.start + words[last - 1].end()
    return _initials(_part(span, start, end, text))


def _not_name(word: str, leading: bool) -> bool:
    if not word[:1].isalpha() or word[:1].islower():
        return True
    return leading and common_noun(word)


@lru_cache(maxsize=65536)
def common_noun(word: str) -> bool:
    """pymorphy2 knows the word only as a common noun («Сын», «Адвокат», «Замечание»), never
    as a name, surname, place or organisation."""
    if "." in word:
        return False
    if "-" in word.strip("-"):  # «Пресс-агент»: as its last part
        return common_noun(word.rsplit("-", 1)[1].capitalize())
    parses = nlp.models().morph_vocab.parse(word)
    if not parses or not parses[0].is_known:
        return False
    tags = {"Name", "Surn", "Patr", "Geox", "Orgn", "Abbr", "Init"}
    return all(p.tag.POS == "NOUN" and not tags & set(p.tag.grammemes) for p in parses)


def _initials(span: _Span) -> _Span:
    """«Б.Обама», «В.В. Путин» keyed «Б. Обама», «В. В. Путин»."""
    if re.match(r"^(?:[А-ЯЁA-Z]\.\s*)+\S", span.key):
        span.key = re.sub(r"([А-ЯЁA-Z]\.)\s*", r"\1 ", span.key)
    return span


# Offices one person holds for a country: «российский президент», «турецкий лидер».
NATIONAL_OFFICES = {"президент", "премьер", "премьер-министр", "канцлер", "лидер", "король",
                    "королева", "монарх"}  # fmt: skip


def _office_after(tokens: list[nlp.Token], by_start: dict[int, int], adjective: nlp.Token):
    i = by_start.get(adjective.start)
    role = tokens[i + 1] if i is not None and i + 1 < len(tokens) else None
    if role is None or role.lemma not in NATIONAL_OFFICES or role.number == "Plur":
        return None
    return role if adjective.end + 1 == role.start and role.case == adjective.case else None


@lru_cache(maxsize=4096)
def genitive(name: str) -> str:
    """«Южная Корея» → «Южной Кореи»: each word inflected by pymorphy2 where it can be."""
    words = []
    for word in name.split():
        parses = nlp.models().morph_vocab.parse(word)
        form = parses[0].inflect({"Gen"}) if parses and word[:1].isupper() else None
        inflected = form.word if form else word.lower()
        words.append(word if word.isupper() else inflected.capitalize())
    return " ".join(words)


def _governs(tokens: list[nlp.Token], i: int | None, text: str, after_metonym: bool) -> bool:
    """Whether a capital stands for its government here: the subject («Москва ответила»), an
    addressee («ответил Вашингтону»), a party («между Москвой и Баку», «с Москвой»), a
    source («по словам Сеула»). After «в», in the genitive of a place («мэр Москвы»,
    «центре Лондона») or in a dateline («МОСКВА, 5 августа») it is the city."""
    if i is None:
        return False
    token = tokens[i]
    before = tokens[i - 1] if i else None
    if token.text.isupper() and len(token.text) > 2:
        return False
    if before is not None and before.lemma in LOCATIVE:
        return False
    if before is not None and before.text.lower() == "и" and before.end + 1 == token.start:
        return after_metonym
    if token.case == "Nom":
        return True
    if token.case == "Dat":
        return before is None or before.pos != "ADP"
    if before is not None and before.lemma in ("между", "с", "со"):
        return True
    return before is not None and before.text.lower() in ("словам", "мнению", "стороны")


def _heads_role(tokens: list[nlp.Token], by_start: dict[int, int], role: nlp.Token) -> bool:
    """A role word that is a whole noun phrase: one office holder («президент»), not a body
    («совет директоров») nor the complement of another person or office («заместитель
    министра», «на посту президента»)."""
    if role.lemma not in ROLE_WORDS or role.number == "Plur":
        return False
    i = by_start.get(role.start)
    head = tokens[i - 1] if i else None
    return not (head is not None and head.end + 1 >= role.start and head.lemma in RELATIONAL)


def _surname_candidates(
    spans: list[_Span], tokens: list[nlp.Token], section: str, sid
) -> list[RawMention]:
    """Capitalised words outside any span: a lone surname NER missed (often sentence-first).

    They become mentions in :func:`resolve` only if the corpus names a person so.
    """
    inside = _inside(spans)
    return [
        RawMention(
            section, sid(t.start), t.start, t.end, t.text, "PER", t.lemma.capitalize(), "surname"
        )
        for t in tokens
        if t.text[:1].isupper()
        and not (len(t.text) > 1 and t.text.isupper())  # «УК», «ПО»: never a surname
        and t.pos in ("PROPN", "NOUN")
        and not (t.pos == "NOUN" and common_noun(t.text))  # «Замечание»
        and not inside(t.start)
    ]


def _inside(spans: list[_Span]) -> Callable[[int], bool]:
    """Whether an offset falls inside one of ``spans``: a binary search over their starts,
    for a long article has thousands of spans and every word asks."""
    covered = sorted((s.start, s.end) for s in spans)
    starts = [a for a, _ in covered]
    reach = list(accumulate((b for _, b in covered), max))  # the furthest end so far

    def inside(offset: int) -> bool:
        index = bisect_right(starts, offset) - 1
        return index >= 0 and offset < reach[index]

    return inside


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
    country inside it. Speakers and holders are outer mentions."""
    keep = outer(list(zip(mentions["start"], mentions["end"], strict=True)))
    # a mask, not a list: an empty list would select no *columns* and lose them
    return mentions[pd.Series(keep, index=mentions.index, dtype=bool)]


def outer(spans: list[tuple[int, int]]) -> list[bool]:
    """For each (start, end) span, whether no longer span contains it.

    One sort and one sweep: in (start, longest first) order, a span is nested exactly when
    an earlier span that is not the same span reaches as far as it does.
    """
    order = sorted(range(len(spans)), key=lambda i: (spans[i][0], -spans[i][1]))
    keep = [True] * len(spans)
    reach, i = -1, 0  # the furthest end of the spans before the current group
    while i < len(order):
        j, span = i, spans[order[i]]
        while j < len(order) and spans[order[j]] == span:
            j += 1
        if reach >= span[1]:
            for k in range(i, j):
                keep[order[k]] = False
        reach = max(reach, span[1])
        i = j
    return keep


# What fixes NER's spans for actor counting, in order, and what finds mentions in them.
REPAIRS = (_named_spans, _nested, _abbreviations, _coordinated)
FINDERS = (_names, _surnames, _adjectives)
