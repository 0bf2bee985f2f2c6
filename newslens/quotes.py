"""Who said what: direct and indirect speech, with the speaker resolved to an actor.

Direct speech is text in «…», "…" or „…“ attributed by a reporting verb: after it with a dash
(«…», — сказал президент Азербайджана) or before it with a colon (Песков заявил: «…»). Quoted
words without attribution, or fewer than three words («возможна», a newspaper's name), are not
quotes. Indirect speech: «по словам X, …», «X заявил/подтвердил/уверял, что …», «Это подтвердил
X» (the previous sentence is what was said). «По его словам» and «он сказал» point to the
previous speaker (or the last person named, of the pronoun's gender).

The speaker is the grammatical subject of the reporting verb: the noun phrase in the
nominative before it (after it in «— сказал X»), or the genitive after «по словам». It is an
actor only when that phrase is one: a name, a resolved role («президент Азербайджана»), an
organisation, a country acting («Москва заявила»), or a person in apposition («пресс-секретарь
президента Дмитрий Песков»). Words given by «источник», «эксперты» or «адвокат Караджича» are
a quote with no speaker: *unattributed* (``speaker`` empty, ``speaker_text`` says who), kept
apart from the attributed ones. Editorial phrases («Напомним, что…», «Стоит отметить, что…»,
«Сообщается, что…»: no subject, or the author's «we») are not quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from newslens import attribution, keysentences, nlp
from newslens.entities import RELATIONAL, outer_mentions
from newslens.gazetteer import Gazetteer

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
# «Стоит отметить, что», «Следует напомнить»: the author's voice, not a quote
MODALS = {"стоит", "следует", "надо", "нужно", "можно", "необходимо", "важно", "нельзя"}
NOMINAL = {"NOUN", "PROPN", "PRON"}
NOUN_PHRASE = {"NOUN", "PROPN", "ADJ", "DET", "NUM", "X"}  # X: Latin names
RELATIVE = {"который", "которая", "которое", "которые"}
BREAKS = {",", ".", ";", ":", "!", "?", "—", "–"}
SUBORDINATORS = {"как", "когда", "если", "хотя", "пока", "поскольку", "потому", "чтобы", "после",
                 "пусть", "раз", "где", "куда", "откуда"}  # fmt: skip
VERBAL = {"VERB", "AUX"}
PRONOUN_GENDER = {"он": "masc", "она": "femn"}
_PRONOUN_FORMS = {"его": "masc", "ее": "femn", "её": "femn"}
# «пресс-служба Кремля», «агентство Reuters»: the organisation named after these speaks
SPOKESBODIES = {
    "пресс-служба", "пресс-центр", "агентство", "издание", "газета", "журнал", "телеканал",
    "радиостанция", "компания", "ведомство", "министерство", "холдинг", "банк", "фирма",
    "организация", "партия", "движение", "группировка", "канцелярия", "представительство",
}  # fmt: skip
MEDIA = {"издание", "газета", "агентство", "телеканал", "журнал", "радиостанция"}
# «музыкант отметил», «президент заявил»: a person named before, as a pronoun would be
DESCRIPTIONS = {
    "музыкант", "актер", "актриса", "певец", "певица", "артист", "артистка", "футболист",
    "спортсмен", "спортсменка", "теннисист", "теннисистка", "боксер", "политик", "президент",
    "премьер", "премьер-министр", "министр", "канцлер", "лидер", "депутат", "сенатор",
    "губернатор", "мэр", "режиссер", "писатель", "писательница", "художник", "бизнесмен",
    "миллиардер", "король", "королева", "принц", "принцесса", "кандидат", "экс-президент",
    "вице-президент", "госсекретарь", "генсек", "понтифик", "патриарх", "звезда",
}  # fmt: skip


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


@dataclass
class Speaker:
    """Who said it: an actor, or (``actor`` empty) the words that name an unresolved source."""

    actor: str
    text: str


@dataclass
class _Section:
    """One section of one article, as the pattern functions read it."""

    doc_id: str
    section: str
    text: str
    sentences: list  # rows of the sentences table, in reading order
    mentions: pd.DataFrame  # outer mentions, by start
    gazetteer: Gazetteer  # who can speak (``Gazetteer.voices``)
    last: Speaker | None = None  # the previous attributed speaker («по его словам»)
    covered: list[tuple[int, int]] = field(default_factory=list)  # direct speech spans
    quoted: set[int] = field(default_factory=set)  # starts of sentences already quoted

    def sentence_at(self, offset: int):
        return next((s for s in self.sentences if s.start <= offset < s.end), None)

    def quote(self, speaker: Speaker, body: str, kind: str, sentence, start: int, end: int,
              said: pd.DataFrame | None = None) -> Quote:  # fmt: skip
        said = self.mentions if said is None else said
        inside = said[(said.start >= start) & (said.end <= end)]
        actors = ", ".join(dict.fromkeys(a for a in inside.actor if a != speaker.actor))
        return Quote(self.doc_id, speaker.actor, speaker.text, body, kind, self.section,
                     sentence.sentence_id if sentence is not None else -1, start, end,
                     actors)  # fmt: skip


def _is_speech(word: str) -> bool:
    return nlp.lemma(word.lower()) in SPEECH_VERBS


# ------------------------------------------------------------------ the speaker


def _subject(ctx: _Section, sentence, verb_start: int, after: bool) -> Speaker | None:
    """The subject of the reporting verb at ``verb_start``: the nominative noun phrase before
    it, or (``after``) the first one after it. None when the verb has no subject («Сообщается,
    что», «Напомним, что»): then there is no quote."""
    tokens = nlp.decode(sentence.text, sentence.tokens)
    local = verb_start - sentence.start
    verb = next((i for i, t in enumerate(tokens) if t.start == local), None)
    if verb is None:
        return None
    if after:
        located = _located_after(ctx, sentence, tokens, verb)
        if located is not None:
            return located
        span = range(verb + 1, len(tokens))
        head = next((i for i in span if _nominative(tokens[i])
                     or tokens[i].text in ".!?;"), None)  # fmt: skip
        if head is None or tokens[head].text in ".!?;":
            return None
        stop = _phrase_end(tokens, head)
    else:
        if _editorial(tokens, verb):
            return None
        head = _clause_subject(ctx, sentence, tokens, verb)
        if head is None:
            return _located(ctx, sentence, tokens, verb)
        first = head
        while first > 0 and tokens[first - 1].pos in NOUN_PHRASE:
            first -= 1
        stop = min(_phrase_end(tokens, head), verb)
        while stop - 1 > head and tokens[stop - 1].pos not in NOUN_PHRASE:
            stop -= 1  # «патологоанатом также добавил»: the phrase ends at the noun
        return _speaker_of(ctx, sentence, tokens, head, stop, first)
    return _speaker_of(ctx, sentence, tokens, head, stop)


def _clause_subject(ctx: _Section, sentence, tokens, verb: int) -> int | None:
    """The first nominative noun or pronoun of the verb's own clause: a clause opened by
    «когда», «если», «который»… and closed by a comma after its verb is left out («Когда
    журналисты спросили его, министр заявил»; «Аленка Братушек, сменившая Зорана Янковича,
    который был заподозрен в коррупции, заявила»); in «Песков, который заявил» it is
    «который»."""
    clause = [0] * len(tokens)
    opened: list[int] = []  # start of each open subordinate clause
    current, has_verb, counter = 0, False, 0
    for i in range(verb):
        token = tokens[i]
        opens = token.lemma in SUBORDINATORS and token.pos != "ADP"
        if token.lemma == "как":  # «как сообщило агентство», «после того как», not «X, как и Y»
            opens = (i + 1 < verb and tokens[i + 1].pos in VERBAL) or (
                i > 0 and tokens[i - 1].text.lower() in ("того", "так", "тех")
            )
        if token.lemma in RELATIVE or opens:
            counter += 1
            opened.append(current)
            current, has_verb = counter, False
        elif token.lemma in ("однако", "но", "а") and i and tokens[i - 1].text == ",":
            counter += 1  # «…, однако патологоанатом добавил»: a clause of its own
            opened.append(current)
            current, has_verb = counter, False
        elif token.text == "," and current and has_verb and opened:
            current, has_verb = opened.pop(), False
            clause[i] = current
            continue
        elif token.pos in VERBAL:
            has_verb = True
        clause[i] = current
    # a name that follows a noun or preposition is governed by it («журналистам ИА Красная
    # Весна»), whatever case natasha guessed for its words
    s0, m = sentence.start, ctx.mentions
    governed = [
        (row.start - s0, row.end - s0)
        for row in m.itertuples()
        if (j := _index_at(tokens, row.start - s0)) is not None and _governed(tokens, j)
    ]
    candidates = [i for i in range(verb) if clause[i] == current and _nominative(tokens[i])
                  and not _governed(tokens, i)
                  and not any(a <= tokens[i].start < b for a, b in governed)]  # fmt: skip
    if candidates:
        return candidates[0]
    # a name opening the sentence is its subject, whatever case natasha guessed for it
    opening = m[(m.start == s0) & m.type.isin(["PER", "ORG"])]
    return 0 if current == 0 and verb and len(opening) else None


def _index_at(tokens, offset: int) -> int | None:
    return next((i for i, t in enumerate(tokens) if t.start == offset), None)


def _governed(tokens, i: int) -> bool:
    """A word after a preposition, or an abbreviation after a noun in another case, is not a
    subject («по данным РБК», «журналистам ИА Красная Весна»)."""
    if i == 0:
        return False
    before, token = tokens[i - 1], tokens[i]
    if before.pos == "ADP":
        return True
    caps = len(token.text) > 1 and token.text.isupper()
    return caps and before.pos == "NOUN" and before.case not in ("Nom", None)


def _located_after(ctx: _Section, sentence, tokens, verb: int) -> Speaker | None:
    """«— сообщили РИА Новости в пресс-службе базы»: a plural verb speaks for the place
    after «в» (the organisation there, else no one named), not for the addressee."""
    if not tokens[verb].text.lower().endswith(("ли", "ют", "ят", "ут", "ат")):
        return None
    stop = _phrase_end(tokens, verb)
    at = next((i for i in range(verb + 1, stop - 1) if tokens[i].lemma in ("в", "во")), None)
    if at is None:
        return None
    s0 = sentence.start
    start, end = s0 + tokens[at + 1].start, s0 + tokens[stop - 1].end
    m = ctx.mentions
    orgs = m[(m.start >= start) & (m.end <= end) & (m.type == "ORG")]
    if len(orgs) and (orgs.iloc[0].start == start or tokens[at + 1].lemma in SPOKESBODIES):
        return Speaker(orgs.iloc[0].actor, orgs.iloc[0].text)
    return Speaker("", ctx.text[s0 + tokens[at].start : end])


def _phrase_end(tokens, head: int) -> int:
    """The subject phrase after a verb runs to the next punctuation or verb: «сообщил министр
    науки и технологий Хорхе Арреаза, который …»."""
    stop = head + 1
    while stop < len(tokens) and not (tokens[stop].text in BREAKS or tokens[stop].pos in VERBAL):
        stop += 1
    return stop


def _nominative(token: nlp.Token) -> bool:
    """A noun or pronoun in the nominative, or an indeclinable abbreviation («МЧС», «ФСБ»),
    whose case natasha guesses; never an initial («С.»)."""
    if token.pos not in NOMINAL or len(token.text) < 2:
        return False
    return token.case == "Nom" or token.text.isupper()


def _editorial(tokens: tuple[nlp.Token, ...], verb: int) -> bool:
    """«Напомним», «Отметим» (the author's «we»), «Стоит отметить» (a modal and an
    infinitive)."""
    word = tokens[verb].text.lower()
    if re.search(r"[иеё]м$", word) and not any(_nominative(t) for t in tokens[:verb]):
        return True
    return any(t.text.lower() in MODALS for t in tokens[max(0, verb - 3) : verb])


def _located(ctx: _Section, sentence, tokens, verb: int) -> Speaker | None:
    """«В Кремле заявили, что»: a plural verb with no subject speaks for the organisation
    named after «в»; «в ведомстве сообщили» is unattributed; anything else has no speaker."""
    if not tokens[verb].text.lower().endswith(("ли", "ют", "ят", "ут", "ат")):
        return None
    for i in range(verb - 1, 0, -1):
        if tokens[i - 1].lemma in ("в", "во"):
            start, end = sentence.start + tokens[i].start, sentence.start + tokens[verb - 1].end
            m = ctx.mentions
            orgs = m[(m.start >= start) & (m.end <= end) & (m.type == "ORG")]
            if len(orgs) and (orgs.iloc[0].start == start or tokens[i].lemma in SPOKESBODIES):
                return Speaker(orgs.iloc[0].actor, orgs.iloc[0].text)
            return Speaker("", ctx.text[sentence.start + tokens[i - 1].start : end])
    return None


def _speaker_of(
    ctx: _Section, sentence, tokens, head: int, stop: int, first: int | None = None
) -> Speaker:
    """The actor named by the noun phrase ``tokens[first:stop]``, whose head is ``head``."""
    s0 = sentence.start
    start, end = s0 + tokens[head].start, s0 + tokens[stop - 1].end
    phrase = ctx.text[s0 + tokens[head if first is None else first].start : end].strip()
    word = tokens[head].text
    if word.lower() in PRONOUN_GENDER:
        return _antecedent(ctx, start, PRONOUN_GENDER[word.lower()], word)
    if tokens[head].lemma in RELATIVE:  # «Песков, который заявил»: the noun just before
        comma = s0 + tokens[head - 1].start if head and tokens[head - 1].text == "," else start
        before = ctx.mentions[(ctx.mentions.end == comma) & (ctx.mentions.start >= s0)]
        if len(before) and before.iloc[-1].form != "adjective":
            return Speaker(before.iloc[-1].actor, before.iloc[-1].text)
        return Speaker("", phrase)  # «от его бывшего шофёра, который заявил»: unnamed
    inside = ctx.mentions[(ctx.mentions.start < end) & (ctx.mentions.end > start)
                          & (ctx.mentions.form != "adjective")]  # fmt: skip
    own = inside[inside.start <= start]
    people = inside[(inside.type == "PER") & inside.start.map(
        lambda offset: _case_at(tokens, offset - s0) in ("Nom", None))]  # fmt: skip
    lemma = tokens[head].lemma
    if lemma in RELATIONAL and own.empty and len(people) == 1 and people.iloc[0].form == "surname":
        return Speaker("", phrase)  # «Адвокат Маркива заявил»: the lawyer, unnamed
    named = people[people.form != "role"]
    if len(own) and own.iloc[0].type == "PER" and (own.iloc[0].form != "role" or named.empty):
        return Speaker(own.iloc[0].actor, own.iloc[0].text)
    if len(named):  # «Австралийский премьер-министр Джон Говард»: the name, not the office
        return Speaker(named.iloc[0].actor, named.iloc[0].text)
    if len(people):  # «пресс-секретарь президента Дмитрий Песков», «МИД России Сергей Лавров»
        return Speaker(people.iloc[0].actor, people.iloc[0].text)
    if len(own):
        if _voices(ctx, own.iloc[0]):
            return Speaker(own.iloc[0].actor, own.iloc[0].text)
        return Speaker("", phrase)
    bodies = inside[inside.type == "ORG"]
    if lemma in SPOKESBODIES and len(bodies):
        return Speaker(bodies.iloc[0].actor, phrase)
    apposed = _apposed_to(ctx, sentence, tokens, head)
    if apposed is not None:  # «Бардо, известная как активистка …, заявила»
        return apposed
    single = tokens[head].number != "Plur"
    if lemma in MEDIA and single and stop == head + 1:  # «Издание отмечает»: the outlet
        outlet = _outlet_before(ctx, start)
        if outlet is not None:
            return Speaker(outlet.actor, f"{phrase} ({outlet.text})")
    if lemma in DESCRIPTIONS and single and inside.empty:  # «глава государства заявил»
        gender = nlp.models().morph_vocab.parse(tokens[head].text)[0].tag.gender
        return _antecedent(ctx, start, gender if gender in ("masc", "femn") else None, phrase)
    return Speaker("", phrase)


def _outlet_before(ctx: _Section, start: int):
    """The last organisation named as a news outlet before ``start``: after «газета»,
    «издание»… («сообщение опровергла "Российская газета"» counts as it is quoted)."""
    named = ctx.mentions[(ctx.mentions.end <= start) & (ctx.mentions.type == "ORG")]
    for row in named.iloc[::-1].itertuples():
        before = ctx.text[max(0, row.start - 40) : row.start].lower().split()
        if before and before[-1].strip("«\"'") in MEDIA | {"газеты", "издания", "агентства"}:
            return row
        if re.search(r"(?:газет|издани|агентств|телеканал|журнал)", row.actor.lower()):
            return row
    return None


def _apposed_to(ctx: _Section, sentence, tokens, head: int) -> Speaker | None:
    """A common noun set off by commas after the subject («Маатье Мостарт, представитель
    фонда, сказал»): the person or organisation in the nominative before the comma."""
    if head == 0 or tokens[head - 1].text != ",":
        return None
    s0 = sentence.start
    before = ctx.mentions[(ctx.mentions.end <= s0 + tokens[head - 1].start)
                          & (ctx.mentions.start >= s0)
                          & ctx.mentions.type.isin(["PER", "ORG"])]  # fmt: skip
    for row in before.iloc[::-1].itertuples():
        if _case_at(tokens, row.start - s0) in ("Nom", None):
            return Speaker(row.actor, row.text) if _voices(ctx, row) else None
    return None


def _voices(ctx: _Section, row) -> bool:
    return ctx.gazetteer.voices(row.type, row.form, row.actor)


def _case_at(tokens, offset: int) -> str | None:
    return next((t.case for t in tokens if t.start <= offset < t.end), None)


def _antecedent(ctx: _Section, start: int, gender: str | None, pronoun: str) -> Speaker:
    """«он», «она», «музыкант» at ``start``: the subject of the previous sentence if it is a
    named person (an unnamed one, «33-летний мужчина», leaves the quote unattributed), else
    the previous speaker, else the last person named before; of the pronoun's gender
    (``None``: any)."""

    def fits(actor: str) -> bool:
        return gender is None or gender_of(actor) in (gender, None)

    current = ctx.sentence_at(start)
    previous = [s for s in ctx.sentences if current is not None and s.end <= current.start]
    subject = _sentence_subject(ctx, previous[-1], gender) if previous else None
    if subject is not None:
        if not subject.actor:
            return Speaker("", pronoun)
        if _is_person(ctx, subject.actor) and fits(subject.actor):
            return Speaker(subject.actor, f"{pronoun} ({subject.text})")
    last = ctx.last
    if last is not None and _is_person(ctx, last.actor) and fits(last.actor):
        return Speaker(last.actor, f"{pronoun} ({_named_as(last.text)})")
    before = ctx.mentions[(ctx.mentions.end <= start) & (ctx.mentions.type == "PER")]
    for row in before.iloc[::-1].itertuples():
        if row.form != "role" and fits(row.actor):
            return Speaker(row.actor, f"{pronoun} ({row.text})")
    return Speaker("", pronoun)


def _sentence_subject(ctx: _Section, sentence, gender: str | None = None) -> Speaker | None:
    """The subject of a sentence, when it is a person: the first nominative phrase that names
    a person of ``gender`` («зампрокурора Подмосковья Станислав
    Буянский»), or an unnamed person («33-летний мужчина»: no actor); None when it is a
    pronoun or no phrase names a person."""
    tokens = nlp.decode(sentence.text, sentence.tokens)
    s0, m = sentence.start, ctx.mentions
    for head, token in enumerate(tokens):
        if not _nominative(token):
            continue
        if token.pos == "PRON":
            return None
        stop = _phrase_end(tokens, head)
        start, end = s0 + token.start, s0 + tokens[stop - 1].end
        inside = m[(m.start < end) & (m.end > start) & (m.type == "PER")]
        for row in inside.itertuples():
            if _case_at(tokens, row.start - s0) not in ("Nom", None):
                continue
            noun = next((t for t in reversed(tokens) if t.end <= row.start - s0), None)
            said_as = _noun_gender(noun) if noun is not None and noun.pos == "NOUN" else None
            known = gender_of(row.actor) or said_as  # «сестра Винус Уильямс»: femn
            if gender is None or known in (gender, None):
                return Speaker(row.actor, row.text)
        if token.pos == "NOUN" and _noun_gender(token) is not None:
            return Speaker("", ctx.text[start:end])  # «Менеджер Мии Фэрроу»: unnamed
    return None


def _is_person(ctx: _Section, actor: str) -> bool:
    return bool((ctx.mentions.actor == actor).any()) and bool(
        (ctx.mentions[ctx.mentions.actor == actor].type == "PER").all()
    )


def _named_as(text: str) -> str:
    """«он (По его словам (Нарышкин))» → «Нарышкин»: the words that named the speaker."""
    inner = re.findall(r"\(([^()]*)\)", text)
    return inner[-1] if inner else text


def gender_of(name: str) -> str | None:
    """masc/femn from the first name (pymorphy2), else from a Russian surname's ending."""
    words = name.split()
    if len(words) > 1:
        parses = nlp.models().morph_vocab.parse(words[0])
        if parses and parses[0].is_known and "Name" in parses[0].tag:
            return parses[0].tag.gender
    if re.search(r"(?:ова|ева|ина|ая|ына)$", words[-1]):
        return "femn"
    if re.search(r"(?:ов|ев|ин|ий|ой|ын)$", words[-1]):
        return "masc"
    return None


def _according_speaker(ctx: _Section, sentence, according) -> Speaker | None:
    """«по словам помощника Путина Юрия Ушакова»: a person in apposition to the head noun; «по
    словам адвоката Караджича»: the lawyer, unnamed (a relational noun and a lone surname)."""
    s0 = sentence.start
    phrase = ctx.mentions[(ctx.mentions.start >= s0 + according.source)
                          & (ctx.mentions.end <= s0 + according.end)
                          & (ctx.mentions.form != "adjective")]  # fmt: skip
    words = sentence.text[according.source : according.end].strip()
    if phrase.empty:
        return Speaker("", words)
    tokens = nlp.decode(sentence.text, sentence.tokens)
    head = next((t for t in tokens if t.start >= according.source and t.pos in NOMINAL), None)
    first = phrase.iloc[0]
    if head is not None and first.start == s0 + head.start:
        return Speaker(first.actor, sentence.text[according.source : according.end].strip())
    people = phrase[phrase.type == "PER"]
    if people.empty:
        return Speaker("", words)
    if (head is not None and head.lemma in RELATIONAL and len(people) == 1
            and people.iloc[0].form == "surname"):  # fmt: skip
        return Speaker("", words)
    person = people.iloc[-1]
    if head is not None and head.lemma in RELATIONAL and not _agrees(head, person.actor):
        return Speaker("", words)  # «матери Майкла Джексона» is not Майкл Джексон
    if head is not None and _case_at(tokens, person.start - s0) not in ("Gen", None):
        return Speaker("", words)  # «По словам врачей Ричард Бах находился …»: no comma
    return Speaker(person.actor, words)


def _agrees(noun: nlp.Token, actor: str) -> bool:
    """A noun of a gender (мать, сын, вдова) can stand for this person."""
    gender, other = _noun_gender(noun), gender_of(actor)
    return gender is None or other is None or gender == other


def _noun_gender(noun: nlp.Token) -> str | None:
    """masc/femn of a noun for a person («сестра», «сын»); None for others."""
    parses = nlp.models().morph_vocab.parse(noun.text)
    if not parses or "anim" not in parses[0].tag:
        return None
    gender = parses[0].tag.gender
    return gender if gender in ("masc", "femn") else None


# ------------------------------------------------------------------ one function per pattern


def dash_after(ctx: _Section, match: re.Match) -> Quote | None:
    """«…», — сказал X."""
    after = DASH_AFTER.match(ctx.text, match.end())
    if not (after and _is_speech(after.group(1))):
        return None
    sentence = ctx.sentence_at(after.start(1))
    if sentence is None:
        return None
    speaker = _subject(ctx, sentence, after.start(1), after=True)
    if speaker is None:
        return None
    return _direct(ctx, speaker, match)


def _direct(ctx: _Section, speaker: Speaker, match: re.Match) -> Quote:
    body = match.group(0)[1:-1].strip()
    sentence = ctx.sentence_at(match.start())
    return ctx.quote(speaker, body, "direct", sentence, match.start() + 1, match.end() - 1)


def colon_before(ctx: _Section, match: re.Match) -> Quote | None:
    """X заявил: «…»."""
    line_start = ctx.text.rfind("\n", 0, match.start()) + 1
    before = COLON_BEFORE.search(ctx.text[line_start : match.start()])
    if not (before and _is_speech(before.group(1))):
        return None
    verb_start = line_start + before.start(1)
    sentence = ctx.sentence_at(verb_start)
    if sentence is None:
        return None
    speaker = _subject(ctx, sentence, verb_start, after=False)
    if speaker is None:
        return None
    return _direct(ctx, speaker, match)


def according_to(ctx: _Section, sentence) -> Quote | None:
    """По словам X, … («по его словам»: the previous speaker)."""
    according = next((a for a in attribution.find(sentence.text) if a.words), None)
    if according is None:
        return None
    s_text, s0 = sentence.text, sentence.start
    if according.pronoun:
        marker = s_text[according.start : according.source]
        gender = _PRONOUN_FORMS.get(according.pronoun.lower())
        if according.pronoun.lower() == "их":  # «по их словам»: a group, unnamed
            speaker = Speaker("", marker)
        else:
            speaker = _antecedent(ctx, s0 + according.start, gender, marker)
    else:
        speaker = _according_speaker(ctx, sentence, according)
    head = s_text[: according.start].rstrip(" ,")
    tail = s_text[according.end + 1 :].strip()
    body = f"{head} … {tail}" if head and tail else (head or tail)
    if not body.strip():
        return None
    # actors of what was said, not of the speaker phrase («помощника Путина»)
    said = ctx.mentions[(ctx.mentions.start < s0 + according.start)
                        | (ctx.mentions.start >= s0 + according.end)]  # fmt: skip
    return ctx.quote(speaker, body.strip(), "indirect", sentence, s0, sentence.end, said)


def confirmed_by(ctx: _Section, sentence) -> Quote | None:
    """Это подтвердил X: the previous sentence is what X said."""
    confirmed = CONFIRMED_BY.match(sentence.text)
    if not (confirmed and _is_speech(confirmed.group(1))):
        return None
    previous = [s for s in ctx.sentences if s.end <= sentence.start]
    if not previous or previous[-1].start in ctx.quoted:
        return None  # «Лавров заявил, что …. Об этом сообщает РИА Новости.»: said by Лавров
    said = previous[-1]
    if any(a < said.end and said.start < b for a, b in ctx.covered):
        return None
    speaker = _subject(ctx, sentence, sentence.start + confirmed.start(1), after=True)
    if speaker is None:
        return None
    return ctx.quote(speaker, said.text, "indirect", said, said.start, said.end)


def that_clause(ctx: _Section, sentence) -> Quote | None:
    """X заявил, что …"""
    s_text, s0 = sentence.text, sentence.start
    that = THAT.search(s_text)
    if not that:
        return None
    words = list(re.finditer(r"[а-яё]+", s_text[: that.start()], re.I))
    if not words or not _is_speech(words[-1].group(0)):
        return None
    speaker = _subject(ctx, sentence, s0 + words[-1].start(), after=False)
    if speaker is None:
        return None
    clause_end = re.search(r",\s*(?:но|однако)\s", s_text[that.end() :])
    body = s_text[that.end() : that.end() + clause_end.start()] if clause_end else (
        s_text[that.end() :].rstrip(" ."))  # fmt: skip
    if not body.strip():
        return None
    return ctx.quote(speaker, body.strip(), "indirect", sentence, s0, sentence.end)


DIRECT = (dash_after, colon_before)
INDIRECT = (according_to, confirmed_by, that_clause)


# ------------------------------------------------------------------ a section, a corpus


def extract_section(
    doc_id: str,
    section: str,
    text: str,
    sentences: pd.DataFrame,
    mentions: pd.DataFrame,
    gazetteer: Gazetteer,
) -> list[Quote]:
    """Quotes in one section (title or body); ``sentences`` and ``mentions`` of that section."""
    ctx = _Section(doc_id, section, text,
                   list(sentences.sort_values("start").itertuples(index=False)),
                   outer_mentions(mentions.sort_values("start")), gazetteer)  # fmt: skip
    quotes: list[Quote] = []
    # in reading order: a direct quote when it starts, a sentence once its direct speech is
    # read (its words are then not read again as indirect speech)
    matches = [m for m in QUOTED.finditer(text) if len(m.group(0)[1:-1].split()) >= 3]
    events = sorted([(m.start(), 0, i) for i, m in enumerate(matches)]
                    + [(s.end, 1, i) for i, s in enumerate(ctx.sentences)])  # fmt: skip
    for _, is_sentence, i in events:
        if not is_sentence:
            found = next((q for pattern in DIRECT if (q := pattern(ctx, matches[i]))), None)
            if found is not None:
                ctx.covered.append((matches[i].start(), matches[i].end()))
        else:
            sentence = ctx.sentences[i]
            if any(a < sentence.end and sentence.start < b for a, b in ctx.covered):
                continue
            found = next((q for pattern in INDIRECT if (q := pattern(ctx, sentence))), None)
            if found is not None:
                ctx.quoted.add(sentence.start)
        if found is not None:
            quotes.append(found)
            if found.speaker:
                ctx.last = Speaker(found.speaker, found.speaker_text)
    quotes.sort(key=lambda q: q.start)
    return quotes


def extract(
    articles: pd.DataFrame, mentions: pd.DataFrame, sentences: pd.DataFrame, gazetteer: Gazetteer
) -> pd.DataFrame:
    """The quotes table for a corpus (``mentions`` and ``sentences`` from the entity step).
    A quote with an empty ``speaker`` is unattributed: ``speaker_text`` says who said it."""
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
                                        by_section.get(key, none_m), gazetteer))  # fmt: skip
    return pd.DataFrame([q.__dict__ for q in rows], columns=COLUMNS)


def speakers(quotes: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """The ``top`` speakers by number of quotes (direct and indirect), each with the quote that
    stands for what they said (``keysentences.representative``)."""
    columns = ["speaker", "direct", "indirect", "quotes", "quote"]
    said = quotes[quotes.speaker != ""]
    if said.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for speaker, group in said.groupby("speaker"):
        texts = group["quote"].tolist()
        rows.append((speaker, int((group.kind == "direct").sum()),
                     int((group.kind != "direct").sum()), len(group),
                     texts[keysentences.representative(texts)]))  # fmt: skip
    table = pd.DataFrame(rows, columns=columns)
    table = table.sort_values(["quotes", "speaker"], ascending=[False, True], kind="stable")
    return table.head(top).reset_index(drop=True)
