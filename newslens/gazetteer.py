"""The user-editable gazetteer (``data/gazetteer.csv``): canonical names the rules defer to.

Columns: ``name`` (canonical, nominative), ``type`` (PER|ORG|LOC), ``aliases`` and
``adjectives`` (``|``-separated; adjectives as lemmas, e.g. ``российский``), ``stands_for``
(the actor a name stands for as a metonym: a capital for its country, Кремль for itself),
``latin`` (name in Latin script for English text), ``wikidata`` (Q-id), ``roles``
(``|``-separated, e.g. ``президент России``; used only when the corpus itself does not name
the holder of a role).
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from newslens import config

DEFAULT_PATH = config.GAZETTEER
COLUMNS = ["name", "type", "aliases", "adjectives", "stands_for", "latin", "wikidata", "roles"]
TYPES = {"PER", "ORG", "LOC"}


def fold(text: str) -> str:
    """Lookup key: case, ё/е, quotes and spacing do not matter."""
    text = text.lower().replace("ё", "е").replace("’", "'").replace("«", "").replace("»", "")
    return " ".join(text.replace('"', "").split())


@dataclass
class Entry:
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    adjectives: list[str] = field(default_factory=list)
    stands_for: str = ""
    latin: str = ""
    wikidata: str = ""
    roles: list[str] = field(default_factory=list)


@dataclass
class Gazetteer:
    entries: dict[str, Entry]
    by_alias: dict[str, str]
    by_adjective: dict[str, str]
    by_surname: dict[str, str]
    path: str = ""

    by_stems: dict[str, str] = field(default_factory=dict)
    digest: str = ""  # of the file's bytes: part of every cache key, so an edit is seen

    def find(self, text: str) -> Entry | None:
        """The entry named so; a name of several words also when natasha left some of them
        inflected («Соединенных Штаты» → США)."""
        name = self.by_alias.get(fold(text))
        if name is None and " " in text.strip():
            name = self.by_stems.get(stems(text))
        return self.entries[name] if name else None

    def adjective(self, lemma: str) -> Entry | None:
        name = self.by_adjective.get(fold(lemma))
        return self.entries[name] if name else None

    def latin(self, name: str) -> str:
        entry = self.entries.get(name)
        return entry.latin if entry else ""

    def voices(self, kind: str, form: str, actor: str) -> bool:
        """Whether a mention can hold a view or speak: a place only as a state («Россия
        заявила») or a government («Москва ответила»), not as a place («житель Сан-Хосе,
        Калифорния, заявил»): a country of the gazetteer (it has adjectives) or a metonym."""
        if kind != "LOC" or form == "metonym":
            return True
        entry = self.find(actor)
        return entry is not None and bool(entry.adjectives)


_ENDINGS = sorted(
    "ыми ими ого его ому ему ий ый ой ей ом ем ым им ых их ые ие ое ее ая яя ую юю ою ею ии ия ью "
    "ы и а я у ю е о ь й".split(),
    key=len, reverse=True,
)  # fmt: skip


def stem(word: str) -> str:
    """A word without its case ending, to match forms natasha left inflected: Обамы/Обамой/
    Обама, Скрипаля/Скрипаль, Яровой/Яровая (the longest ending cut, two letters kept)."""
    word = fold(word)
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            return word[: -len(ending)]
    return word


def stems(text: str) -> str:
    return " ".join(stem(word) for word in fold(text).split())


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split("|") if part.strip()]


def read(path: str | Path = DEFAULT_PATH) -> Gazetteer:
    """Read and check the CSV; a bad row is a ValueError naming the file and line."""
    path = Path(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    entries: dict[str, Entry] = {}
    by_alias: dict[str, str] = {}
    by_adjective: dict[str, str] = {}
    surnames: dict[str, set[str]] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"name", "type"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path}:1: gazetteer lacks column(s) {', '.join(sorted(missing))}")
        for row in reader:
            where = f"{path}:{reader.line_num}"
            name, kind = (row.get("name") or "").strip(), (row.get("type") or "").strip()
            if not name or kind not in TYPES:
                raise ValueError(f"{where}: needs a name and a type in PER|ORG|LOC")
            entry = Entry(
                name,
                kind,
                _split(row.get("aliases")),
                _split(row.get("adjectives")),
                (row.get("stands_for") or "").strip(),
                (row.get("latin") or "").strip(),
                (row.get("wikidata") or "").strip(),
                _split(row.get("roles")),
            )
            entries[name] = entry
            for alias in [name, *entry.aliases]:
                by_alias[fold(alias)] = name
            for adjective in entry.adjectives:
                by_adjective[fold(adjective)] = name
            if kind == "PER" and " " in name:
                for full in [name, *entry.aliases]:
                    surnames.setdefault(fold(full.split()[-1]), set()).add(name)
    for entry in entries.values():
        if entry.stands_for and entry.stands_for not in entries:
            raise ValueError(f"{path}: {entry.name} stands for unknown {entry.stands_for!r}")
    by_surname = {key: next(iter(names)) for key, names in surnames.items() if len(names) == 1}
    by_stems: dict[str, set[str]] = {}
    for alias, name in by_alias.items():
        if " " in alias:
            by_stems.setdefault(stems(alias), set()).add(name)
    unique = {key: next(iter(names)) for key, names in by_stems.items() if len(names) == 1}
    return Gazetteer(entries, by_alias, by_adjective, by_surname, str(path), unique, digest)


def load(path: str | Path = DEFAULT_PATH) -> Gazetteer:
    """The gazetteer as the file holds it now (read anew each time: a run reads it once, when
    its context is made, so an edit is seen by the next run in the same process)."""
    return read(path)
