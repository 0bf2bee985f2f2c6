"""Mentions and actors: natasha's raw NER turned into who is in the news.

Two steps. :func:`extract_article` finds the mentions of one article (NER spans repaired, plus
roles, metonyms and country adjectives) without looking at any other article, so it can run in
parallel and be cached. :func:`resolve` then names one actor per real-world entity across the
whole corpus: inflected forms, lone surnames, abbreviations, roles ("президент Азербайджана")
and metonyms (Баку, Кремль) all land on the same canonical name.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pandas as pd

from newslens import nlp
from newslens.gazetteer import Gazetteer, fold
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
SENTENCE_COLUMNS = ["doc_id", "section", "sentence_id", "start", "end", "text"]

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
class ArticleEntities:
    """What one article yields: mentions, sentences, and role facts it states."""

    doc_id: str
    mentions: list[RawMention] = field(default_factory=list)
    sentences: list[tuple[str, int, int, int, str]] = field(default_factory=list)
    # (role word, target key, target type) → person key, from "президент России Владимир Путин"
    appositions: list[tuple[str, str, str, str]] = field(default_factory=list)
    # capitalised words outside NER spans that may be a missed lone surname
    candidates: list[RawMention] = field(default_factory=list)
    # abbreviation → long form key, from "Шанхайская организация сотрудничества (ШОС)"
    abbreviations: list[tuple[str, str]] = field(default_factory=list)
    # the tokens of each sentence (``nlp.encode``), so later steps never parse it again
    tokens: list[str] = field(default_factory=list)

    def remember_tokens(self) -> None:
        """Hand the parse to ``nlp.tokens`` (sentiment, attitudes and quotes read it there)."""
        for sentence, encoded in zip(self.sentences, self.tokens, strict=True):
            nlp.remember(sentence[4], encoded)


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
                (section, offset + index, sentence.start, sentence.end, sentence.text)
            )
            result.tokens.append(nlp.encode(sentence))
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


# ---------------------------------------------------------------- the corpus


class Resolver:
    """Corpus-wide naming, built in one pass over the articles and applied in a second.

    It keeps only what resolution needs from the whole corpus (full names, abbreviations,
    role appositions), so a corpus can stream through it in chunks with bounded memory.
    """

    def __init__(self, gazetteer: Gazetteer | None = None):
        self.gazetteer = gazetteer or load_gazetteer()
        self.abbreviations: dict[str, str] = {}
        self._full_names: Counter = Counter()
        self._appositions: list[tuple[str, str, str, str, tuple[str, ...]]] = []
        self.full_corpus: dict[str, Counter] = {}
        self.holders: dict[tuple[str, str], Counter] = {}

    def add(self, art: ArticleEntities) -> None:
        for abbreviation, long in art.abbreviations:
            self.abbreviations[fold(abbreviation)] = long
        local = tuple(m.key for m in art.mentions if m.type == "PER" and m.form == "name")
        self._full_names.update(local)
        for apposition in art.appositions:
            self._appositions.append((*apposition, local))

    def finish(self) -> Resolver:
        self.full_corpus = self._index(self._full_names)
        # Roles: who the corpus names with a role ("президент Азербайджана Ильхам Алиев").
        holders: dict[tuple[str, str], Counter] = defaultdict(Counter)
        for role, target, target_type, person_key, local in self._appositions:
            names = self._index(Counter(local))
            holders[(role, self.actor_of(target, target_type, names))][
                self.actor_of(person_key, "PER", names)
            ] += 1
        for entry in self.gazetteer.entries.values():
            for role in entry.roles:
                word, _, of = role.partition(" ")
                target = self.gazetteer.find(of) or self.gazetteer.find(nlp.lemma(of))
                if target and (word, target.name) not in holders:
                    holders[(word, target.name)][entry.name] += 1
        self.holders = dict(holders)
        return self

    def canon(self, key: str, kind: str, metonym: bool = True) -> tuple[str, str]:
        gazetteer = self.gazetteer
        entry = gazetteer.find(key)
        if entry is None and fold(key) in self.abbreviations:
            long = self.abbreviations[fold(key)]
            entry = gazetteer.find(long)
            if entry is None:
                return long, kind
        if entry is None:
            return key, kind
        if entry.stands_for and metonym:
            target = gazetteer.entries[entry.stands_for]
            return target.name, target.type
        return entry.name, entry.type

    def _index(self, keys: Counter) -> dict[str, Counter]:
        """surname → Counter of canonical full names."""
        table: dict[str, Counter] = defaultdict(Counter)
        for key, count in keys.items():
            name = self.canon(key, "PER")[0]
            table[surname_key(name.split()[-1])][name] += count
        return table

    def person(self, key: str, local: dict[str, Counter]) -> str:
        """A lone surname joins the full name used in the same article, else in the corpus."""
        surname = surname_key(key)
        for table in (local, self.full_corpus):
            names = table.get(surname)
            if names:
                best = names.most_common()
                if len(best) == 1 or best[0][1] > best[1][1]:
                    return best[0][0]
        return self.gazetteer.by_surname.get(surname, key)

    def actor_of(self, key: str, kind: str, local: dict[str, Counter]) -> str:
        if kind != "PER":
            return self.canon(key, kind)[0]
        name = self.canon(key, "PER")[0]
        return name if " " in name else self.person(name, local)

    def rows(self, art: ArticleEntities) -> list[tuple]:
        """The article's mentions, resolved: one tuple per row of the mentions table."""
        local = self._index(
            Counter(m.key for m in art.mentions if m.type == "PER" and m.form == "name")
        )
        missed = [
            c
            for c in art.candidates
            if surname_key(c.key) in self.full_corpus or surname_key(c.text) in self.full_corpus
        ]
        rows = []
        for m in sorted(art.mentions + missed, key=lambda m: (m.sentence_id, m.start, -m.end)):
            if m.form == "role":
                target_actor = self.actor_of(m.target, m.target_type, local)
                found = self.holders.get((m.key.split()[0], target_actor))
                actor, kind = (found.most_common(1)[0][0], "PER") if found else (m.key, "PER")
            elif m.form == "adjective":
                actor, kind = m.key, m.type
            elif m.type == "PER":
                actor, kind = self.actor_of(m.key, "PER", local), "PER"
            else:
                actor, kind = self.canon(m.key, m.type, metonym=m.form == "metonym")
            rows.append(
                (art.doc_id, m.section, m.sentence_id, m.start, m.end, m.text, kind, actor, m.form)
            )
        return rows


def resolve(articles: list[ArticleEntities], gazetteer: Gazetteer | None = None) -> Entities:
    """One actor name per real-world entity, across all articles. The articles' tokens are
    handed to ``nlp.tokens`` here, the one step every analysis passes through."""
    resolver = Resolver(gazetteer)
    for art in articles:
        resolver.add(art)
        art.remember_tokens()
    resolver.finish()
    rows = [row for art in articles for row in resolver.rows(art)]
    sentence_rows = [(art.doc_id, *s) for art in articles for s in art.sentences]
    mentions = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    sentences = pd.DataFrame(sentence_rows, columns=SENTENCE_COLUMNS)
    return Entities(mentions, sentences)


def outer_mentions(mentions: pd.DataFrame) -> pd.DataFrame:
    """Mentions not nested in a longer one: the role «президент Азербайджана», not the
    country inside it. Speakers and holders are outer mentions."""
    keep = [
        not ((mentions.start <= m.start) & (mentions.end >= m.end)
             & ((mentions.end - mentions.start) > (m.end - m.start))).any()
        for m in mentions.itertuples()
    ]  # fmt: skip
    # a Series, not a list: an empty list would select no *columns* and lose them
    return mentions[pd.Series(keep, index=mentions.index, dtype=bool)]


def surname_key(surname: str) -> str:
    """One key for both genders of a Russian surname: Смирнова/Смирнов, Томская/Томский."""
    key = fold(surname)
    for feminine, masculine in (("ская", "ский"), ("цкая", "цкий")):
        if key.endswith(feminine):
            return key[: -len(feminine)] + masculine
    if key.endswith(("ова", "ева", "ина", "ына")):
        return key[:-1]
    return key


def extract(
    corpus_articles: pd.DataFrame, *, progress: bool = False, gazetteer: Gazetteer | None = None
) -> Entities:
    """Mentions of every article in the table, resolved to actors across the corpus
    (in this process, no cache: the entity half of ``pipeline.analyse``)."""
    from newslens import engine
    from newslens.gazetteer import DEFAULT_PATH

    path = gazetteer.path if gazetteer is not None and gazetteer.path else DEFAULT_PATH
    rows = corpus_articles[["doc_id", "title", "text"]].itertuples(index=False, name=None)
    results = engine.run(rows, gazetteer=path, embed=False, progress=progress,
                         total=len(corpus_articles))  # fmt: skip
    return resolve([r.entities for r in results], gazetteer or load_gazetteer(str(path)))
