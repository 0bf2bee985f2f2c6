"""Attitudes: who expresses a polarity about whom (holder → target).

The model says how a sentence treats a target; these rules say whose view it is, for the
clear cases only:

- ``verb``: an actor in the nominative before a verb of saying or judging
  («МИД Азербайджана осудило действия российских силовиков»);
- ``addressed``: statements «в адрес» a target, held by the actor that voiced them
  («На телевидении Азербайджана прозвучали заявления в адрес … Путина»);
- ``according``: «по словам X», «как заявил X», «по данным X» (``newslens.attribution``);
- ``author``: no one else is named as holding the view: the article itself.

An attitude is ``certain`` when its verb frame says it outright: the holder is the subject of
a judging verb («осудило», «поддержал», «обвинили»), not negated, right before it in the same
clause; the target is that verb's object (or the complement of its head: «осудило действия
российских силовиков»), with the verb's polarity; a place holds or receives
a view only as a state (a country of the gazetteer, or a capital standing for its government).
Only certain attitudes may be stated in the executive summary; the others stay in the table
with their rule. A sentence repeated in an article (a title, a caption) counts once.
"""

from __future__ import annotations

import re

import pandas as pd

from newslens import attribution, nlp
from newslens.entities import outer
from newslens.gazetteer import Gazetteer
from newslens.lexicon import CLAUSE_BREAK, JUDGING, SAYING

COLUMNS = [
    "holder", "target", "polarity", "doc_id", "sentence_id", "target_text", "rule", "certain",
    "sentence",
]  # fmt: skip


def _first_token(tokens: tuple[nlp.Token, ...], start: int) -> nlp.Token | None:
    return next((t for t in tokens if t.start <= start < t.end), None)


def _holder(sentence: str, tokens: tuple, mentions: list, target, offset: int, voices):
    """(holder actor, rule, certain) for one target mention; ("author", "author", False) when
    no one in the sentence holds the view. ``mentions``: the sentence's, in order."""
    others = [m for m in mentions if m.actor != target.actor
              and not (m.start >= target.start and m.end <= target.end)]  # fmt: skip
    # nested mentions (the country inside "МИД Азербайджана") never hold a view themselves
    keep = outer([(m.start, m.end) for m in others])
    outside = [m for m, kept in zip(others, keep, strict=True) if kept]
    local_target = target.start - offset
    addressed = sentence.find("в адрес")
    if 0 <= addressed < local_target:
        before = [m for m in outside if m.end - offset <= addressed]
        if before:
            return before[0].actor, "addressed", False
    for according in attribution.find(sentence):
        # «по словам помощника Путина Юрия Ушакова,»: the last person in the phrase holds it
        speakers = [m for m in outside if m.type == "PER" and m.start - offset >= according.source
                    and m.end - offset <= according.end]  # fmt: skip
        inside = according.source <= local_target < according.end
        if speakers and not inside:
            return speakers[-1].actor, "according", False
    verbs = [
        i for i, t in enumerate(tokens)
        if t.pos == "VERB" and t.lemma in SAYING and t.start < local_target
    ]  # fmt: skip
    for i in reversed(verbs):
        verb = tokens[i]
        subjects = [
            m for m in outside
            if m.end - offset <= verb.start
            and (tok := _first_token(tokens, m.start - offset)) is not None
            and tok.case == "Nom"
        ]  # fmt: skip
        if subjects:
            holder = subjects[-1]
            sure = _certain(tokens, i, holder, target, offset, voices)
            return holder.actor, "verb", sure
    return "author", "author", False


def _certain(tokens: tuple[nlp.Token, ...], verb: int, holder, target, offset: int,
             voices) -> bool:  # fmt: skip
    """The holder is the subject of a judging verb and the target its object, with its
    polarity: nothing but adverbs and particles between subject and verb, no «не» before
    the verb."""
    polarity = JUDGING.get(tokens[verb].lemma)
    if polarity is None or int(target.polarity) != polarity:
        return False
    if verb and tokens[verb - 1].lemma == "не":
        return False
    if holder.form == "adjective" or not (voices(holder) and voices(target)):  # places: states
        return False
    start, end = tokens[verb].start, tokens[verb].end
    between = [t for t in tokens if holder.end - offset <= t.start and t.end <= start]
    if any(t.pos not in ("ADV", "PART") for t in between):
        return False
    # the object, or the complement of the object's head («осудило действия российских
    # силовиков»), never after a preposition («обвинил журнал в придании Царнаеву») or another
    # verb («пригрозила последовать примеру Депардьё»)
    after = [t for t in tokens if end <= t.start and t.end <= target.start - offset]
    return (
        len(after) <= 3
        and not any(t.lemma in CLAUSE_BREAK or t.pos in ("ADP", "VERB", "AUX") for t in after)
        and sum(t.pos in ("NOUN", "PROPN") for t in after) <= 1
    )


def attitudes(scored: pd.DataFrame, sentences: pd.DataFrame, gazetteer: Gazetteer) -> pd.DataFrame:
    """One row per non-neutral mention: its holder, target actor, polarity, rule, whether the
    verb frame makes it certain, and the sentence. ``sentences`` (the entity step's table)
    carries each sentence's tokens; ``gazetteer`` says which places can hold a view."""

    def voices(mention) -> bool:
        return gazetteer.voices(mention.type, mention.form, mention.actor)

    rows = []
    by_sentence: dict[tuple, list] = {}  # plain records: pandas per target is 100× slower
    for m in scored.itertuples():
        by_sentence.setdefault((m.doc_id, m.sentence_id), []).append(m)
    polar = [key for key, ms in by_sentence.items() if any(m.polarity != 0 for m in ms)]
    wanted = set(polar)
    encoded = {(s.doc_id, s.sentence_id): s.tokens for s in sentences.itertuples()
               if (s.doc_id, s.sentence_id) in wanted}  # fmt: skip
    for key in polar:
        sentence_mentions = by_sentence[key]
        first = sentence_mentions[0]
        sentence, offset = first.sentence, int(first.sentence_start)  # section offsets
        tokens = nlp.decode(sentence, encoded[key])
        for target in sentence_mentions:
            if target.polarity == 0:
                continue
            holder, rule, sure = _holder(sentence, tokens, sentence_mentions, target, offset,
                                         voices)  # fmt: skip
            if holder == target.actor:
                continue
            rows.append((holder, target.actor, int(target.polarity), key[0], key[1],
                         _target_phrase(sentence, target, offset), rule, sure,
                         sentence))  # fmt: skip
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame = frame.drop_duplicates(["holder", "target", "doc_id", "sentence_id"])
    # a title or caption repeated in the body is one statement, not two
    return frame.drop_duplicates(["holder", "target", "polarity", "doc_id", "sentence"])


def _target_phrase(sentence: str, target, offset: int) -> str:
    """The mention, with the noun an adjective qualifies («российских силовиков»)."""
    start, end = target.start - offset, target.end - offset
    if target.form == "adjective":
        following = re.match(r"\s+[а-яё-]+", sentence[end:])
        if following:
            end += following.end()
    return sentence[start:end]
