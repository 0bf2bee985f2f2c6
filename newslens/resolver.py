"""Actors across the corpus: one name per real-world entity.

The per-article step (``newslens.entities``) finds mentions without looking at any other
article; the :class:`Resolver` then names one actor per entity across the whole corpus:
inflected forms, lone surnames, abbreviations, roles («президент Азербайджана») and metonyms
(Баку, Кремль) land on the same canonical name.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from newslens import nlp
from newslens.entities import (
    INITIALS,
    MENTION_COLUMNS,
    PERSON_NOUNS,
    SENTENCE_COLUMNS,
    ArticleEntities,
    Entities,
)
from newslens.gazetteer import Gazetteer, fold, stem


@dataclass
class NameIndex:
    """Full names (canonical) by surname, by the stem of the surname and by first name."""

    by_surname: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    by_stem: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    by_first: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, name: str, count: int) -> None:
        words = name.split()
        self.by_surname[surname_key(words[-1])][name] += count
        self.by_stem[stem(surname_key(words[-1]))][name] += count
        if len(words) > 1:
            self.by_first[stem(words[0])][name] += count

    def __contains__(self, surname: str) -> bool:
        return surname_key(surname) in self.by_surname


class Resolver:
    """Corpus-wide naming, built in one pass over the articles and applied in a second.

    It keeps only what resolution needs from the whole corpus (full names, abbreviations,
    role appositions), so a corpus can stream through it in chunks with bounded memory.
    """

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer
        self.abbreviations: dict[str, str] = {}
        self._full_names: Counter = Counter()
        self._single_words: Counter = Counter()
        self._appositions: list[tuple[str, str, str, str, tuple[str, ...]]] = []
        self.names: dict[str, str] = {}  # a full name as written → its canonical form
        self.words: dict[tuple[str, str], str] = {}  # (type, one word as written) → canonical
        self.full_corpus = NameIndex()
        self.holders: dict[tuple[str, str], Counter] = {}

    def add(self, art: ArticleEntities) -> None:
        for abbreviation, long in art.abbreviations:
            self.abbreviations[fold(abbreviation)] = long
        local = tuple(m.key for m in art.mentions if m.type == "PER" and m.form == "name")
        self._full_names.update(local)
        self._single_words.update(
            (m.type, m.key) for m in art.mentions
            if m.form in ("name", "surname") and " " not in m.key and not m.key.isupper()
        )  # fmt: skip
        for apposition in art.appositions:
            self._appositions.append((*apposition, local))

    def finish(self) -> Resolver:
        self.names = canonical_names(self._full_names, self.gazetteer)
        self.words = canonical_words(self._single_words, self.gazetteer)
        self.full_corpus = self._index(self._full_names)
        # Roles: who the corpus names with a role ("президент Азербайджана Ильхам Алиев").
        holders: dict[tuple[str, str], Counter] = defaultdict(Counter)
        indexes: dict[int, NameIndex] = {}  # one per article: its appositions share ``local``
        for role, target, target_type, person_key, local in self._appositions:
            if id(local) not in indexes:
                indexes[id(local)] = self._index(Counter(local))
            names = indexes[id(local)]
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
            if " " not in key:
                return self.words.get((kind, key), key), kind
            return (self.names.get(key, key) if kind == "PER" else key), kind
        if entry.stands_for and metonym:
            target = gazetteer.entries[entry.stands_for]
            return target.name, target.type
        return entry.name, entry.type

    def _index(self, keys: Counter) -> NameIndex:
        index = NameIndex()
        for key, count in keys.items():
            name = self.canon(key, "PER")[0]
            if not INITIALS.match(name) and not is_first_and_patronymic(name):
                index.add(name, count)
        return index

    def person(self, key: str, local: NameIndex) -> str:
        """A lone surname joins the full name used in the same article, else in the corpus;
        so does a surname with initials («Б. Обама»). A first name alone («Барака») or with a
        patronymic, or a word that is also a common noun («Адвокат»), joins a full name of its
        own article only. An all-caps word («УК», «ПО») never joins a person."""
        if len(key) > 1 and key.replace(" ", "").isupper():
            return key
        words = key.split()
        initials = [w[0] for w in words[:-1] if re.fullmatch(r"[А-ЯЁA-Z]\.", w)]
        if len(words) > 1 and not initials:  # «Александр Максович»: first name + patronymic
            return _unique(local.by_first.get(stem(words[0])), words[1]) or key
        surname = words[-1]
        found = self._by_surname(local, surname, initials)
        if found:
            return found
        if not initials:
            found = _unique(local.by_first.get(stem(surname)))
            if found:
                return found
            # «Александра» is not Аарон Александр elsewhere, «Адвокат» not Дик Адвокат
            if is_first_name(surname) or nlp.lemma(surname.lower()) in PERSON_NOUNS:
                return self.words.get(("PER", key), key)
        found = self._by_surname(self.full_corpus, surname, initials)
        if found:
            return found
        gazetteer_name = self.gazetteer.by_surname.get(surname_key(surname))
        if gazetteer_name and _matches_initials(gazetteer_name, initials):
            return gazetteer_name
        return self.words.get(("PER", key), key) if not initials else key

    @staticmethod
    def _by_surname(table: NameIndex, surname: str, initials: list[str]) -> str | None:
        for names in (table.by_surname.get(surname_key(surname)),
                      table.by_stem.get(stem(surname_key(surname)))):  # fmt: skip
            found = _best(names, initials)
            if found:
                return found
        return None

    def actor_of(self, key: str, kind: str, local: NameIndex) -> str:
        if kind != "PER":
            return self.canon(key, kind)[0]
        name = self.canon(key, "PER")[0]
        if " " in name and not INITIALS.match(name) and not is_first_and_patronymic(name):
            return name
        return self.person(name, local)

    def rows(self, art: ArticleEntities) -> list[tuple]:
        """The article's mentions, resolved: one tuple per row of the mentions table."""
        local = self._index(
            Counter(m.key for m in art.mentions if m.type == "PER" and m.form == "name")
        )
        missed = [
            c
            for c in art.candidates
            if not c.text.isupper() and (c.key in self.full_corpus or c.text in self.full_corpus)
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
                if " " not in actor and nlp.lemma(actor.lower()) in PERSON_NOUNS:
                    continue  # «Адвокат заявил» with no Адвокат named in the article
            else:
                actor, kind = self.canon(m.key, m.type, metonym=m.form == "metonym")
            rows.append(
                (art.doc_id, m.section, m.sentence_id, m.start, m.end, m.text, kind, actor, m.form)
            )
        return rows


def _best(names: Counter | None, initials: list[str]) -> str | None:
    """The most used of ``names`` whose initials agree, if it is used more than the next."""
    if not names:
        return None
    best = [(n, c) for n, c in names.most_common() if _matches_initials(n, initials)]
    if best and (len(best) == 1 or best[0][1] > best[1][1]):
        return best[0][0]
    return None


def _unique(names: Counter | None, patronymic: str = "") -> str | None:
    """The one name in ``names``; with a patronymic, the one full name that has it too."""
    if not names:
        return None
    fitting = [n for n in names if not patronymic
               or (len(n.split()) == 3 and stem(n.split()[1]) == stem(patronymic))]  # fmt: skip
    return fitting[0] if len(fitting) == 1 else None


def _matches_initials(name: str, initials: list[str]) -> bool:
    words = name.split()[:-1]
    return len(initials) <= len(words) and all(
        w.startswith(i) for w, i in zip(words, initials, strict=False)
    )


def canonical_names(counts: Counter, gazetteer: Gazetteer) -> dict[str, str]:
    """One written form per person across the corpus: full names that share a first name and
    a surname up to their endings («Барак Обама» / «Барак Обамы», «Владислав Юрьевич Сурков»
    / «Владислав Сурков») take the most used form, the gazetteer's if it has one."""
    groups: dict[tuple[str, str], Counter] = defaultdict(Counter)
    written: dict[tuple[str, str], set[str]] = defaultdict(set)
    for key, count in counts.items():
        ordered = surname_last(key)
        words = ordered.split()
        if len(words) < 2 or INITIALS.match(key) or is_first_and_patronymic(key):
            continue
        if len(key) > 1 and key.replace(" ", "").isupper():
            continue
        group = (stem(words[0]), stem(surname_key(words[-1])))
        groups[group][ordered] += count
        written[group].add(key)
    names = {}
    for group, forms in groups.items():
        listed = [gazetteer.find(k).name for k in forms if gazetteer.find(k)]
        best = listed[0] if listed else min(forms, key=lambda k: (-forms[k], -len(k), k))
        for key in written[group]:
            names[key] = best
    return names


def resolve(articles: list[ArticleEntities], gazetteer: Gazetteer) -> Entities:
    """One actor name per real-world entity, across all articles."""
    resolver = Resolver(gazetteer)
    for art in articles:
        resolver.add(art)
    resolver.finish()
    return entities_table(articles, resolver)


def entities_table(articles: list[ArticleEntities], resolver: Resolver) -> Entities:
    """The mentions (resolved) and sentences (with their tokens) of ``articles``."""
    rows = [row for art in articles for row in resolver.rows(art)]
    sentence_rows = [(art.doc_id, s.section, s.sentence_id, s.start, s.end, s.text, s.tokens)
                     for art in articles for s in art.sentences]  # fmt: skip
    mentions = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    sentences = pd.DataFrame(sentence_rows, columns=SENTENCE_COLUMNS)
    return Entities(mentions, sentences)


def surname_key(surname: str) -> str:
    """One key for both genders of a Russian surname: Смирнова/Смирнов, Томская/Томский."""
    key = fold(surname)
    for feminine, masculine in (("ская", "ский"), ("цкая", "цкий")):
        if key.endswith(feminine):
            return key[: -len(feminine)] + masculine
    if key.endswith(("ова", "ева", "ина", "ына")):
        return key[:-1]
    return key


def canonical_words(counts: Counter, gazetteer: Gazetteer) -> dict[tuple[str, str], str]:
    """One written form per one-word name of each type: forms that differ only in their
    ending («Лиза» / «Лизе», «Гессен» / «Гессена») take the most used one."""
    groups: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for (kind, key), count in counts.items():
        if not gazetteer.find(key):
            groups[(kind, stem(surname_key(key) if kind == "PER" else key))][key] += count
    words = {}
    for (kind, _), group in groups.items():
        best = min(group, key=lambda k: (-group[k], len(k), k))
        for key in group:
            words[(kind, key)] = best
    return words


def surname_last(name: str) -> str:
    """«Сурков Владислав Юрьевич» (surname first, as in documents) → «Владислав Юрьевич
    Сурков»."""
    words = name.split()
    if len(words) == 3 and _tagged(words[2], "Patr") and _tagged(words[1], "Name"):
        return f"{words[1]} {words[2]} {words[0]}"
    return name


@lru_cache(maxsize=65536)
def _tagged(word: str, grammeme: str) -> bool:
    parses = nlp.models().morph_vocab.parse(word)
    return bool(parses) and parses[0].is_known and grammeme in parses[0].tag


def is_first_name(word: str) -> bool:
    """pymorphy2 knows the word first as a first name («Александра», «Барак»)."""
    return _tagged(word, "Name")


@lru_cache(maxsize=65536)
def is_first_and_patronymic(name: str) -> bool:
    """«Александр Максович»: a known first name and a word pymorphy2 knows only as a
    patronymic of the same gender (no surname)."""
    words = name.split()
    if len(words) != 2:
        return False
    morph = nlp.models().morph_vocab
    first, second = morph.parse(words[0]), morph.parse(words[1])
    if not first or not second or not (first[0].is_known and second[0].is_known):
        return False
    if "Name" not in first[0].tag or "Patr" not in second[0].tag:
        return False
    if any("Surn" in p.tag for p in second):
        return False
    return first[0].tag.gender == second[0].tag.gender
