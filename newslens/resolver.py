"""Actors across the corpus: one name per real-world entity.

The per-article step (``newslens.entities``) finds mentions without looking at any other
article; the :class:`Resolver` then names one actor per entity across the whole corpus:
inflected forms, lone surnames, abbreviations, roles («президент Азербайджана») and metonyms
(Баку, Кремль) land on the same canonical name.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import pandas as pd

from newslens import nlp
from newslens.entities import (
    MENTION_COLUMNS,
    SENTENCE_COLUMNS,
    ArticleEntities,
    Entities,
)
from newslens.gazetteer import Gazetteer, fold
from newslens.gazetteer import load as load_gazetteer


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
