"""Attribution phrases: «по словам помощника Путина Юрия Ушакова, …», «по его словам»,
«как заявил X», «по данным X». One reader for the three steps that care: quotes (the speaker of
indirect speech), attitudes (the holder of a view) and sentiment (the source of a report is
not judged by it)."""

from __future__ import annotations

import re
from dataclasses import dataclass

MARKER = re.compile(
    r"(?<!\w)(?:по\s+(?:(?P<pronoun>его|ее|её|их)\s+)?(?P<words>словам)"
    r"|по\s+(?:мнению|данным)|как\s+(?:сообщил|заявил|отметил|сказал)\w*)(?!\w)",
    re.IGNORECASE,
)
PHRASE_END = re.compile(r"[,;:—–]")


@dataclass
class Attribution:
    """Offsets index the sentence; the source phrase runs from ``source`` to ``end``."""

    start: int  # where the marker begins
    source: int  # where the marker ends and the source phrase begins
    end: int  # the next comma, dash or colon, or the sentence end
    pronoun: str | None  # «по его словам»: the source is the previous speaker
    words: bool  # «по словам» (indirect speech), not «по данным», «как заявил»

    def covers(self, start: int, end: int) -> bool:
        return self.source <= start and end <= self.end


def find(sentence: str) -> list[Attribution]:
    found = []
    for match in MARKER.finditer(sentence):
        stop = PHRASE_END.search(sentence, match.end())
        found.append(
            Attribution(match.start(), match.end(), stop.start() if stop else len(sentence),
                        match.group("pronoun"), bool(match.group("words")))
        )  # fmt: skip
    return found
