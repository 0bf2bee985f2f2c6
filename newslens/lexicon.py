"""The words the rules read, in one place: verbs of saying and judging, and clause breaks.

``attitudes`` (who holds a view) and ``sentiment`` (the verb frames that override the model)
share the judging verbs; the frames add the verbs of action that judge their object too
(«атаковать», «задержать»). Lemmas, as natasha gives them.
"""

from __future__ import annotations

# Judging verbs whose subject holds a view of their object: «осудило», «поддержал».
JUDGING = {
    "осудить": -1, "осуждать": -1, "обвинить": -1, "обвинять": -1, "раскритиковать": -1,
    "критиковать": -1, "упрекнуть": -1, "пригрозить": -1, "угрожать": -1, "высмеять": -1,
    "поддержать": 1, "поддерживать": 1, "похвалить": 1, "хвалить": 1, "приветствовать": 1,
    "поблагодарить": 1, "благодарить": 1, "одобрить": 1, "поздравить": 1, "защитить": 1,
}  # fmt: skip

# Verbs whose object is judged (the frames of ``sentiment``): the judging verbs, and acts
# done to someone.
FRAME_VERBS = {
    **JUDGING,
    "атаковать": -1, "напасть": -1, "задержать": -1, "арестовать": -1, "обстрелять": -1,
}  # fmt: skip

# The preposition a frame verb governs: its object follows it («напасть на Украину»); after
# any other preposition a mention is no object of the verb (``sentiment.frame_polarity``).
FRAME_PREPOSITIONS = {"напасть": "на"}

# Verbs of saying or judging: an actor in the nominative before one holds the view.
SAYING = {
    "заявить", "заявлять", "сказать", "сообщить", "подтвердить", "уверять", "отметить",
    "назвать", "обвинить", "обвинять", "осудить", "осуждать", "раскритиковать", "критиковать",
    "поддержать", "поддерживать", "призвать", "призывать", "потребовать", "требовать",
    "похвалить", "приветствовать", "упрекнуть", "пригрозить", "угрожать", "предупредить",
    "выразить", "признать", "отвергнуть", "опровергнуть", "ответить", "пообещать",
    "поблагодарить", "одобрить", "объявить", "пожаловаться", "усомниться",
}  # fmt: skip

# Routine diplomatic events: a clause with an event verb and an event noun («провели
# переговоры», «состоялась встреча») reports that the event took place, not how it went
# (``sentiment``).
EVENT_VERBS = {
    "встретиться", "встречаться", "переговорить", "созвониться", "обсудить", "обсуждать",
    "посетить", "посещать", "прибыть", "провести", "проводить", "состояться", "пройти",
    "принять", "участвовать",
}  # fmt: skip
EVENT_NOUNS = {
    "переговоры", "переговор", "встреча", "беседа", "консультация", "саммит", "визит",
    "телефонный", "разговор",
}  # fmt: skip

# Prepositions of place: a country or organisation «в»/«на» in the prepositional case is where
# something happened («задержали в Подмосковье»), not whom the sentence judges (``sentiment``).
PLACE_PREPOSITIONS = {"в", "во", "на"}
OPENING_QUOTES = {"«", '"', "„", "“", "'"}
# What opens a line of dialogue («— Эрдоган поблагодарил…»): left out where a sentence is shown.
DIALOGUE_DASHES = "—–- "

# What ends a clause between a verb and its object (``sentiment``) ...
CLAUSE_END = {".", ";", "!", "?", "но", "однако", "а", "—", "–"}
# ... and, with commas, colons and «и», between a holder and a target (``attitudes``).
CLAUSE_BREAK = CLAUSE_END | {",", ":", "и"}
