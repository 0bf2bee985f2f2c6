"""natasha behind one small interface: sentences, tokens (lemma, POS, case), NER spans.

Models load once per process, from the natasha package itself (nothing is downloaded).
natasha is imported before anything touches pymorphy2: yargy patches it on import so that it
works on Python 3.11.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

import natasha  # must come before pymorphy2 users (threads: ``config.limit_threads``)


@dataclass
class Token:
    text: str
    start: int
    end: int
    lemma: str
    pos: str
    case: str | None = None
    number: str | None = None


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    tokens: list[Token] = field(default_factory=list)


@dataclass
class Span:
    """A NER span, ``normal`` being natasha's nominative form."""

    start: int
    end: int
    type: str
    text: str
    normal: str


@dataclass
class Parsed:
    text: str
    sentences: list[Sentence]
    spans: list[Span]

    def sentence_of(self, offset: int) -> int:
        """The sentence holding ``offset`` (the last one if none does); a binary search, for a
        long article has thousands of sentences and every mention asks."""
        index = bisect_right(self.sentences, offset, key=_start) - 1
        if index >= 0 and offset < self.sentences[index].end:
            return index
        return len(self.sentences) - 1

    def overlapping(self, start: int, end: int) -> list[Sentence]:
        """The sentences that share a character with ``[start, end)``, in order."""
        first = max(bisect_right(self.sentences, start, key=_start) - 1, 0)
        last = bisect_left(self.sentences, end, key=_start)
        return [s for s in self.sentences[first:last] if s.start < end and start < s.end]


def _start(sentence: Sentence) -> int:
    return sentence.start


@dataclass
class _Models:
    segmenter: natasha.Segmenter
    morph_vocab: natasha.MorphVocab
    morph_tagger: natasha.NewsMorphTagger
    ner_tagger: natasha.NewsNERTagger


@lru_cache(maxsize=1)
def embedding() -> natasha.NewsEmbedding:
    """natasha's navec word vectors (300 dimensions, news), shipped inside the package."""
    return natasha.NewsEmbedding()


@lru_cache(maxsize=1)
def models() -> _Models:
    embedding_ = embedding()
    return _Models(
        natasha.Segmenter(),
        natasha.MorphVocab(),
        natasha.NewsMorphTagger(embedding_),
        natasha.NewsNERTagger(embedding_),
    )


PIECE_CHARS = 20_000  # natasha tags NER over a whole text at once: memory grows with its length


def pieces(text: str, limit: int = PIECE_CHARS) -> list[tuple[int, str]]:
    """``text`` cut into (offset, piece) of at most ``limit`` characters, at the last blank
    line, else line end, else sentence end, else space before the limit (a text within the
    limit is one piece), so natasha never sees more than ``limit`` characters at once."""
    out, start = [], 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = next(
            (found + len(mark) for mark in ("\n\n", "\n", ". ", " ")
             if (found := window.rfind(mark, limit // 4)) > 0),
            limit,
        )  # fmt: skip
        out.append((start, window[:cut]))
        start += cut
    out.append((start, text[start:]))
    return out


def _tagged(text: str) -> list[natasha.Doc]:
    """natasha's segmentation, morphology and NER, run piece by piece; the tokens, sentences
    and spans of every piece are shifted to index ``text``."""
    m = models()
    docs = []
    for offset, piece in pieces(text):
        doc = natasha.Doc(piece)
        doc.segment(m.segmenter)
        doc.tag_morph(m.morph_tagger)
        doc.tag_ner(m.ner_tagger)
        if offset:
            for item in [*doc.tokens, *doc.sents, *doc.spans]:
                item.start += offset
                item.stop += offset
        docs.append(doc)
    return docs


def parse(text: str) -> Parsed:
    """Segment, tag morphology and NER; offsets index ``text``."""
    m = models()
    docs = _tagged(text)
    sentences = []
    for sent in (sent for doc in docs for sent in doc.sents):
        tokens = []
        for tok in sent.tokens:
            tok.lemmatize(m.morph_vocab)
            tokens.append(
                Token(
                    tok.text,
                    tok.start,
                    tok.stop,
                    tok.lemma or tok.text.lower(),
                    tok.pos or "X",
                    (tok.feats or {}).get("Case"),
                    (tok.feats or {}).get("Number"),
                )
            )
        sentence = Sentence(sent.start, sent.stop, sent.text, tokens)
        sentences.extend(_split_paragraphs(text, sentence))
    sentences = _join_fragments(text, sentences)
    spans = []
    for span in (span for doc in docs for span in doc.spans):
        span.normalize(m.morph_vocab)
        spans.append(Span(span.start, span.stop, span.type, span.text, span.normal or span.text))
    return Parsed(text, sentences, spans)


def _split_paragraphs(text: str, sentence: Sentence) -> list[Sentence]:
    """natasha runs a sentence across line breaks, so a title, a dateline or a caption joins
    the next sentence: a line break always ends a sentence. natasha also misses the end of a
    sentence after a year («… в 1990 г. Потом …»): that is cut when both sides have a verb."""
    cuts = [m.end() for m in _LINE_BREAK.finditer(text, sentence.start, sentence.end)]
    cuts += _year_ends(sentence.tokens)
    if not cuts:
        return [sentence]
    parts, start = [], sentence.start
    for stop in [*sorted(cuts), sentence.end]:
        tokens = [t for t in sentence.tokens if start <= t.start < stop]
        if tokens:
            parts.append(_sentence(text, tokens))
        start = stop
    return parts


def _join_fragments(text: str, sentences: list[Sentence]) -> list[Sentence]:
    """natasha cuts after some abbreviations («В 2001—2009 гг. | Виктор Черномырдин был …»,
    «театр им. | Вахтангова»): a piece that ends in one and has no verb joins the next
    sentence on the same line."""
    out: list[Sentence] = []
    for sentence in sentences:
        last = out[-1] if out else None
        if (
            last is not None
            and "\n" not in text[last.end : sentence.start]
            and _ends_in_abbreviation(last.tokens)
            and not any(t.pos in _VERBS for t in last.tokens)
        ):
            out[-1] = _sentence(text, last.tokens + sentence.tokens)
        else:
            out.append(sentence)
    return out


def _sentence(text: str, tokens: list[Token]) -> Sentence:
    first, last = tokens[0].start, tokens[-1].end
    return Sentence(first, last, text[first:last], tokens)


def _ends_in_abbreviation(tokens: list[Token]) -> bool:
    if len(tokens) < 2 or tokens[-1].text != ".":
        return False
    word = tokens[-2].text
    return word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper())


def _year_ends(tokens: list[Token]) -> list[int]:
    """Offsets where a sentence ends after «<year> г.» and a new one begins («Потом …»)."""
    cuts = []
    for i in range(1, len(tokens) - 2):
        year, unit, dot, following = tokens[i - 1], tokens[i], tokens[i + 1], tokens[i + 2]
        if (
            unit.text in ("г", "гг")
            and dot.text == "."
            and year.text[:1].isdigit()
            and following.text[:1].isupper()
            and any(t.pos in _VERBS for t in tokens[:i])
            and any(t.pos in _VERBS for t in tokens[i + 2 :])
        ):
            cuts.append(following.start)
    return cuts


_LINE_BREAK = re.compile(r"\n\s*")
_VERBS = {"VERB", "AUX"}
# abbreviations after which natasha may cut a sentence that goes on
_ABBREVIATIONS = {"г", "гг", "им", "ул", "пр", "пер", "д", "ст", "см", "т", "тт", "св", "проф"}


def encode(sentence: Sentence) -> str:
    """A sentence's tokens as one compact string (offsets re-based to the sentence): how an
    article's parse travels with its sentences and is cached, never parsed again."""
    return "\n".join(
        f"{t.start - sentence.start} {t.end - sentence.start} {t.pos} {t.case or '-'} "
        f"{t.number or '-'} {t.lemma}"
        for t in sentence.tokens
    )


def decode(sentence: str, encoded: str) -> tuple[Token, ...]:
    out = []
    for line in encoded.split("\n") if encoded else []:
        start, end, pos, case, number, lemma = line.split(" ", 5)
        a, b = int(start), int(end)
        out.append(Token(sentence[a:b], a, b, lemma, pos, None if case == "-" else case,
                         None if number == "-" else number))  # fmt: skip
    return tuple(out)


def sentence_tokens(sentence: str) -> tuple[Token, ...]:
    """The tokens of a lone sentence, parsed now (a sentence from outside an article, such
    as a RuSentNE row); articles carry their tokens from their own parse."""
    parsed = [t for s in parse(sentence).sentences for t in s.tokens]
    return decode(sentence, encode(Sentence(0, len(sentence), sentence, parsed)))


def lemma(word: str) -> str:
    """pymorphy2's most likely normal form of one word."""
    return models().morph_vocab.parse(word)[0].normal_form


PROPER = {"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr"}
FUNCTION_POS = {"PREP", "CONJ", "PRCL", "NPRO", "ADVB", "INTJ"}


def is_proper(word: str) -> bool:
    """A word that may be a name (of a person, place, organisation or brand) or an
    abbreviation: pymorphy2 does not know it, or reads it so in one of its parses («Анна»,
    «Песков», «ЗАГС»). Its capital is not the capital of a sentence; a common word read as a
    name too («Надежда») keeps its capital, the safe side."""
    if len(word) < 2:  # «В России…»: a preposition, not the volt
        return False
    if word.isupper() or not word.replace("-", "").isalpha():  # «ЗАГС», «2024»
        return True
    parses = models().morph_vocab.parse(word)
    if not parses or not parses[0].is_known:
        return True
    if parses[0].tag.POS in FUNCTION_POS:  # «По его словам», not Эдгар По
        return False
    return any(PROPER & p.tag.grammemes for p in parses)


def singular_surname(word: str) -> str:
    """Сафаровы → Сафаров: the singular nominative of a plural surname, else the word."""
    for parse in models().morph_vocab.parse(word):
        if "Surn" in parse.tag and "plur" in parse.tag:
            return parse.normal_form.capitalize()
    return word
