"""Who said what: direct and indirect speech, with the speaker resolved to an actor.

Direct speech is text in «…», "…" or „…“ attributed by a reporting verb: after it with a dash
(«…», — сказал президент Азербайджана) or before it with a colon (Песков заявил: «…»). Quoted
words without attribution, or fewer than three words («возможна», a newspaper's name), are not
quotes. Indirect speech: «по словам X, …», «X заявил/подтвердил/уверял, что …», «Это подтвердил
X» (the previous sentence is what was said). «По его словам» points to the speaker of the
previous sentence. Speakers come from the mentions table, so roles and surnames are already
resolved («сказал президент Азербайджана» → Ильхам Алиев).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from newslens import attribution, nlp
from newslens.entities import outer_mentions

SPEECH_VERBS = {
    "сказать", "заявить", "заявлять", "сообщить", "сообщать", "подтвердить", "подтверждать",
    "уверять", "уверить", "отметить", "отмечать", "подчеркнуть", "подчеркивать", "добавить",
    "пояснить", "объяснить", "признать", "признаться", "рассказать", "ответить", "написать",
    "заверить", "предупредить", "напомнить", "указать", "считать", "полагать", "говорить",
    "утверждать", "настаивать", "опровергнуть", "призвать", "пообещать", "обещать", "выразить",
    "констатировать", "резюмировать", "продолжить", "спросить", "воскликнуть", "парировать",
}  # fmt: skip
COLUMNS = [
    "doc_id", "speaker", "speaker_text", "quote", "kind", "section", "sentence_id",
    "start", "end", "actors",
]  # fmt: skip
QUOTED = re.compile(r"«(?:[^«»]|«[^«»]*»)+»|\"[^\"\n]+\"|„[^“”\n]+[“”]")
DASH_AFTER = re.compile(r"\s*,?\s*[—–-]{1,2}\s*([а-яё]+)", re.I)
COLON_BEFORE = re.compile(r"([а-яё]+)\s*:\s*$", re.I)
THAT = re.compile(r",\s*что\s+")
CONFIRMED_BY = re.compile(r"^\s*(?:Это|Об этом)\s+([а-яё]+)\b", re.I)


@dataclass
class Quote:
    doc_id: str
    speaker: str
    speaker_text: str
    quote: str
    kind: str
    section: str
    sentence_id: int
    start: int
    end: int
    actors: str = ""


def _is_speech(word: str) -> bool:
    return nlp.lemma(word.lower()) in SPEECH_VERBS


def _speaker_at(mentions: pd.DataFrame, start: int, stop: int, last: bool = False):
    """The person (else any actor) mentioned between ``start`` and ``stop``."""
    inside = mentions[(mentions.start >= start) & (mentions.end <= stop)]
    if inside.empty:
        return None
    people = inside[inside.type == "PER"]
    pool = people if len(people) else inside
    return pool.iloc[-1] if last else pool.iloc[0]


def _subject_before(sentence, mentions: pd.DataFrame, verb_start: int):
    """The last actor before the verb in the same clause, or the words there as text."""
    before = mentions[(mentions.end <= verb_start) & (mentions.start >= sentence.start)]
    if len(before):
        people = before[before.type == "PER"]
        return (people if len(people) else before).iloc[-1]
    return None


def _actors_inside(mentions: pd.DataFrame, start: int, end: int, speaker: str) -> str:
    inside = mentions[(mentions.start >= start) & (mentions.end <= end)]
    return ", ".join(dict.fromkeys(a for a in inside.actor if a != speaker))


def extract_section(
    doc_id: str, section: str, text: str, sentences: pd.DataFrame, mentions: pd.DataFrame
) -> list[Quote]:
    """Quotes in one section (title or body); ``sentences`` and ``mentions`` of that section."""
    mentions = outer_mentions(mentions.sort_values("start"))
    quotes: list[Quote] = []
    # the entity step's sentences: natasha's split, the same as parsing the text again
    ordered = list(sentences.sort_values("start").itertuples(index=False))
    last_speaker: tuple[str, str] | None = None
    covered: list[tuple[int, int]] = []

    def sentence_id(offset: int) -> int:
        return next((s.sentence_id for s in ordered if s.start <= offset < s.end), -1)

    # direct speech first: its text is then not read again as indirect speech
    for match in QUOTED.finditer(text):
        body = match.group(0)[1:-1].strip()
        if len(body.split()) < 3:
            continue
        after = DASH_AFTER.match(text, match.end())
        speaker = None
        if after and _is_speech(after.group(1)):
            end_of_sentence = text.find(".", after.end())
            stop = end_of_sentence if end_of_sentence >= 0 else len(text)
            speaker = _speaker_at(mentions, after.end(1), stop)
            speaker_span = (after.end(1), stop)
        else:
            line_start = text.rfind("\n", 0, match.start()) + 1
            before = COLON_BEFORE.search(text[line_start : match.start()])
            if before and _is_speech(before.group(1)):
                verb_start = line_start + before.start(1)
                sentence = next((s for s in ordered if s.start <= verb_start < s.end),
                                None)  # fmt: skip
                speaker = _subject_before(sentence, mentions, verb_start) if sentence else None
                speaker_span = (line_start, verb_start)
            else:
                continue
        speaker_name = speaker.actor if speaker is not None else ""
        speaker_text = speaker.text if speaker is not None else text[slice(*speaker_span)].strip()
        quotes.append(
            Quote(doc_id, speaker_name, speaker_text, body, "direct", section,
                  sentence_id(match.start()), match.start() + 1, match.end() - 1,
                  _actors_inside(mentions, match.start(), match.end(), speaker_name))
        )  # fmt: skip
        covered.append((match.start(), match.end()))

    for sentence in ordered:
        if any(a < sentence.end and sentence.start < b for a, b in covered):
            if quotes and quotes[-1].speaker:
                last_speaker = (quotes[-1].speaker, quotes[-1].speaker_text)
            continue
        s_text, s0 = sentence.text, sentence.start
        found = None
        according = next((a for a in attribution.find(s_text) if a.words), None)
        confirmed = CONFIRMED_BY.match(s_text)
        that = THAT.search(s_text)
        if according:
            stop = according.end
            if according.pronoun and last_speaker:
                name, said_as = last_speaker
                speaker_text = f"{s_text[according.start : according.source]} ({said_as})"
            elif according.pronoun:
                continue
            else:
                row = _speaker_at(mentions, s0 + according.source, s0 + stop, last=True)
                if row is None:
                    continue
                name, speaker_text = row.actor, s_text[according.source : stop].strip()
            head = s_text[: according.start].rstrip(" ,")
            tail = s_text[stop + 1 :].strip()
            body = f"{head} … {tail}" if head and tail else (head or tail)
            # actors of what was said, not of the speaker phrase («помощника Путина»)
            said = mentions[(mentions.start < s0 + according.start)
                            | (mentions.start >= s0 + stop)]  # fmt: skip
            quotes.append(
                Quote(doc_id, name, speaker_text, body.strip(), "indirect", section,
                      sentence.sentence_id, s0, sentence.end,
                      _actors_inside(said, s0, sentence.end, name))
            )  # fmt: skip
            last_speaker = (name, speaker_text)
            continue
        elif confirmed and _is_speech(confirmed.group(1)):
            previous = [s for s in ordered if s.end <= s0]
            row = _speaker_at(mentions, s0 + confirmed.end(1), sentence.end, last=True)
            if previous and row is not None:
                said = previous[-1]
                quotes.append(
                    Quote(doc_id, row.actor, row.text, said.text, "indirect", section,
                          said.sentence_id, said.start, said.end,
                          _actors_inside(mentions, said.start, said.end, row.actor))
                )  # fmt: skip
                last_speaker = (row.actor, row.text)
            continue
        elif that:
            words = list(re.finditer(r"[а-яё]+", s_text[: that.start()], re.I))
            if not words or not _is_speech(words[-1].group(0)):
                continue
            verb_start = s0 + words[-1].start()
            row = _subject_before(sentence, mentions, verb_start)
            clause_end = re.search(r",\s*(?:но|однако)\s", s_text[that.end() :])
            body = s_text[that.end() : that.end() + clause_end.start()] if clause_end else (
                s_text[that.end() :].rstrip(" ."))  # fmt: skip
            if row is not None:
                found = (row.actor, row.text, body.strip())
            else:
                found = ("", s_text[: words[-1].start()].strip(), body.strip())
        if found and found[2]:
            name, speaker_text, body = found
            quotes.append(
                Quote(doc_id, name, speaker_text, body, "indirect", section,
                      sentence.sentence_id, s0, sentence.end,
                      _actors_inside(mentions, s0, sentence.end, name))
            )  # fmt: skip
            if name:
                last_speaker = (name, speaker_text)
    quotes.sort(key=lambda q: q.start)
    return quotes


def extract(articles: pd.DataFrame, mentions: pd.DataFrame, sentences: pd.DataFrame):
    """The quotes table for a corpus (``mentions`` and ``sentences`` from the entity step)."""
    from newslens.entities import sections

    rows: list[Quote] = []
    keys = ["doc_id", "section"]
    by_section = dict(list(mentions.groupby(keys, sort=False)))
    sentences_of = dict(list(sentences.groupby(keys, sort=False)))
    none_m, none_s = mentions.iloc[:0], sentences.iloc[:0]
    for article in articles.itertuples():
        for section, text in sections(article.title, article.text):
            key = (article.doc_id, section)
            rows.extend(extract_section(article.doc_id, section, text,
                                        sentences_of.get(key, none_s),
                                        by_section.get(key, none_m)))  # fmt: skip
    return pd.DataFrame([q.__dict__ for q in rows], columns=COLUMNS)
