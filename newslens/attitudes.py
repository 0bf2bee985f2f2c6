"""Attitudes: who expresses a polarity about whom (holder → target).

The model says how a sentence treats a target; these rules say whose view it is, for the
clear cases only:

- ``verb``: an actor in the nominative before a verb of saying or judging
  («МИД Азербайджана осудило действия российских силовиков»);
- ``addressed``: statements «в адрес» a target, held by the actor that voiced them
  («На телевидении Азербайджана прозвучали заявления в адрес … Путина»);
- ``according``: «по словам X», «как заявил X», «по данным X» (``newslens.attribution``);
- ``author``: no one else is named as holding the view: the article itself.
"""

from __future__ import annotations

import re

import pandas as pd

from newslens import attribution, nlp
from newslens.entities import outer_mentions

ATTITUDE_VERBS = {
    "заявить", "заявлять", "сказать", "сообщить", "подтвердить", "уверять", "отметить",
    "назвать", "обвинить", "обвинять", "осудить", "осуждать", "раскритиковать", "критиковать",
    "поддержать", "поддерживать", "призвать", "призывать", "потребовать", "требовать",
    "похвалить", "приветствовать", "упрекнуть", "пригрозить", "угрожать", "предупредить",
    "выразить", "признать", "отвергнуть", "опровергнуть", "ответить", "пообещать",
    "поблагодарить", "одобрить", "объявить", "пожаловаться", "усомниться",
}  # fmt: skip
COLUMNS = [
    "holder", "target", "polarity", "doc_id", "sentence_id", "target_text", "rule", "sentence",
]  # fmt: skip


def _first_token(tokens: tuple[nlp.Token, ...], start: int) -> nlp.Token | None:
    return next((t for t in tokens if t.start <= start < t.end), None)


def _holder(sentence: str, tokens: tuple, mentions: pd.DataFrame, target, offset: int):
    """(holder actor, rule) for one target mention, or ("author", "author")."""
    others = mentions[
        (mentions.actor != target.actor)
        & ~((mentions.start >= target.start) & (mentions.end <= target.end))
    ]
    # nested mentions (the country inside "МИД Азербайджана") never hold a view themselves
    outer = outer_mentions(others)
    local_target = target.start - offset
    addressed = sentence.find("в адрес")
    if 0 <= addressed < local_target:
        before = outer[outer.end - offset <= addressed]
        if len(before):
            return before.iloc[0].actor, "addressed"
    for according in attribution.find(sentence):
        # «по словам помощника Путина Юрия Ушакова,»: the last person in the phrase holds it
        phrase = outer[(outer.start - offset >= according.source)
                       & (outer.end - offset <= according.end)]  # fmt: skip
        speakers = phrase[phrase.type == "PER"]
        inside = according.source <= local_target < according.end
        if len(speakers) and not inside:
            return speakers.iloc[-1].actor, "according"
    verbs = [
        t for t in tokens
        if t.pos == "VERB" and t.lemma in ATTITUDE_VERBS and t.start < local_target
    ]  # fmt: skip
    for verb in reversed(verbs):
        subjects = [
            m for m in outer.itertuples()
            if m.end - offset <= verb.start
            and (tok := _first_token(tokens, m.start - offset)) is not None
            and tok.case == "Nom"
        ]  # fmt: skip
        if subjects:
            return subjects[-1].actor, "verb"
    return "author", "author"


def attitudes(scored: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """One row per non-neutral mention: its holder, target actor, polarity and sentence.
    ``sentences`` (the entity step's table) carries each sentence's tokens."""
    rows = []
    polar = scored[scored.polarity != 0]
    keys = ["doc_id", "sentence_id"]
    wanted = polar[keys].drop_duplicates()
    encoded = sentences.merge(wanted, on=keys).set_index(keys)["tokens"]
    by_sentence = dict(list(scored.groupby(keys, sort=False)))
    for (doc_id, sentence_id), group in polar.groupby(keys, sort=False):
        sentence_mentions = by_sentence[(doc_id, sentence_id)]
        sentence = group.sentence.iloc[0]
        tokens = nlp.decode(sentence, encoded.loc[(doc_id, sentence_id)])
        offset = int(group.sentence_start.iloc[0])  # mentions carry section offsets
        for target in group.itertuples():
            holder, rule = _holder(sentence, tokens, sentence_mentions, target, offset)
            if holder == target.actor:
                continue
            rows.append((holder, target.actor, int(target.polarity), doc_id, sentence_id,
                         _target_phrase(sentence, target, offset), rule, sentence))  # fmt: skip
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.drop_duplicates(["holder", "target", "doc_id", "sentence_id"])


def _target_phrase(sentence: str, target, offset: int) -> str:
    """The mention, with the noun an adjective qualifies («российских силовиков»)."""
    start, end = target.start - offset, target.end - offset
    if target.form == "adjective":
        following = re.match(r"\s+[а-яё-]+", sentence[end:])
        if following:
            end += following.end()
    return sentence[start:end]
