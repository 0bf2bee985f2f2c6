"""Feed hygiene: what a post carries that is not its news, left out of the analysis.

Two kinds, both blanked in place (each character becomes a space, a line break stays), so
the analysed text keeps the length of the text as read and every offset into one is an
offset into the other:

- **markup** (:func:`blank_markup`): Telegram markdown (``**bold**``, ``__italics__``,
  ``~~``, ``||``, code marks), links (``[text](url)`` keeps its text, drops the address), bare
  addresses and handles, emoji and pictographs, and the update mark «UPD:» that opens a
  paragraph;
- **boilerplate** (:func:`learn` and :func:`clean`): the lines a source repeats across its
  posts (signatures, «Подписаться», «Прислать новость», ad marks), learned per source from
  the corpus itself, not from a list: a short line that recurs in :data:`SHARE` of a
  source's posts (at least :data:`MIN_POSTS` of them), or in two posts when it names the
  source itself («Подписывайся на Kub Mash» in Mash's posts), and that closes the posts it
  is in (mostly in their closing block: the last lines, as long as they recur, a list of
  sister channels included); and a block of :data:`BLOCK` lines or more that a source repeats
  whole in :data:`MIN_POSTS` posts, wherever it stands (the monthly list of a publisher's
  channels, «Библиотека задач по Python — код, квизы и тесты» and forty more lines). A line a
  source repeats at the head of posts is content:
  «Минобороны РФ:», «Зеленский:» before what they said.

Articles without a source (plain text files) are not searched for boilerplate: recurrence
says something only within one outlet.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

MIN_POSTS = 3  # a line seen in fewer posts of a source is never boilerplate
SHARE = 0.02  # ... nor one seen in fewer than this share of the source's posts
OWN_NAME_POSTS = 2  # a line naming its own source needs only this many
MAX_WORDS = 16  # longer lines are news, even repeated (a background paragraph)
TAIL = 2  # signatures close a post: a recurring line must be mostly in its closing block
KEPT = 12  # lines of a post's end a closing block may hold: the longest seen
BLOCK = 4  # this many lines in a row, each in MIN_POSTS posts: a block the source repeats
COLUMNS = ["source", "line", "posts", "characters"]


def _symbols() -> str:
    """Emoji, pictographs, arrows and bullets (Unicode category So), with their joiners and
    selectors; not the symbols of text (№, °, ©, ®, ™)."""
    keep = set("№°©®™℃℉\ufffd")  # and the mark of a byte that was not text
    found = [c for c in range(0x2000, 0x20000)
             if unicodedata.category(chr(c)) == "So" and chr(c) not in keep]  # fmt: skip
    ranges, start = [], found[0]  # as ranges: a class of single characters is slow to match
    for previous, code in zip(found, found[1:] + [-1], strict=True):
        if code != previous + 1:
            ranges.append(re.escape(chr(start)) + ("-" + re.escape(chr(previous))
                                                   if previous > start else ""))  # fmt: skip
            start = code
    marks = "\u200b\u200d\u20e3\ufe0e\ufe0f\U000e0020-\U000e007f"  # joiners, selectors, tags
    return "".join(ranges) + marks


SYMBOL = re.compile(f"[{_symbols()}]")
LINK = re.compile(r"\[([^\[\]]*)\]\(([^()\s]|\([^()\s]*\))*\)")
ADDRESS = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:ru|com|me|ly|cc|org|net|io|su|info|рф|gl)/\S*"
    r"|(?<![\w@])@[A-Za-z_]\w{2,}",
    re.IGNORECASE,
)
MARKS = re.compile(r"\*\*|__|~~|\|\||```")
# An update mark that opens a paragraph («UPD:», «**UPD.**», «Апд:»): no word of the news,
# and natasha reads «UPD» as an organisation, then as the speaker of what follows.
UPDATE = re.compile(r"^[\s*_]*(?:UPD|Upd|upd|АПД|Апд|апд)(?!\w|[.:]\w)[\s*_]*[.:]?", re.MULTILINE)
CODE = re.compile(r"`([^`\n]+)`")  # inline code: the marks go, the code stays


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def blank_markup(text: str) -> str:
    """``text`` with its markup blanked: the same length, the same line breaks."""
    plain = not any(mark in text for mark in "*_~|`[]/@")
    if plain and not SYMBOL.search(text) and not UPDATE.search(text):
        return text  # plain prose (most news): nothing to do
    text = LINK.sub(lambda m: " " + m.group(1) + " " * (len(m.group(0)) - len(m.group(1)) - 1),
                    text)  # fmt: skip
    text = ADDRESS.sub(_blank, text)
    text = MARKS.sub(_blank, text)
    text = CODE.sub(lambda m: f" {m.group(1)} ", text)
    text = UPDATE.sub(_blank, text)
    return SYMBOL.sub(" ", text)


def line_key(line: str) -> str:
    """What makes two lines the same line: their words, in lower case, without digits,
    markup, addresses or punctuation («❗️ [Подписывайся на Mash](https://…)» and «❗
    [Подписывайся на Mash](…)» are one)."""
    words = re.findall(r"[^\W\d_]+", blank_markup(line).lower())
    return " ".join(words)


@dataclass
class Boilerplate:
    """The learned lines, per source: line key → how the line is written the first time."""

    lines: dict[str, dict[str, str]]
    table: pd.DataFrame  # the account: source, line, posts, characters

    def of(self, source: str) -> dict[str, str]:
        return self.lines.get(source, {})


def learn(posts: Iterable[tuple[str, str]]) -> Boilerplate:
    """The lines each source repeats across its posts, from (source, text) pairs read once
    (see the module's docstring): the short lines' keys are counted, and each post's keys
    are held in order ("" for a long line, which never recurs), to tell the closing block of
    a post (its last lines, as long as they all recur) from the lines a source repeats
    elsewhere, and to find the blocks it repeats whole."""
    seen: dict[str, dict[str, int]] = {}  # source → line key → posts that have it
    runs: dict[str, list[tuple[str, ...]]] = {}  # source → each post's keys ("" for long)
    written: dict[tuple[str, str], str] = {}
    size: dict[tuple[str, str], int] = {}
    for source, text in posts:
        if not source:
            continue
        lines = seen.setdefault(source, {})
        keyed = [(key if len(key.split()) <= MAX_WORDS else "", line)
                 for line in text.split("\n") if (key := line_key(line))]  # fmt: skip
        runs.setdefault(source, []).append(tuple(key for key, _ in keyed))
        for key, line in dict(keyed).items():
            if key:
                lines[key] = lines.get(key, 0) + 1
                written.setdefault((source, key), line.strip())
                size[(source, key)] = size.get((source, key), 0) + len(line.strip())
    lines: dict[str, dict[str, str]] = {}
    rows = []
    for source in sorted(seen):
        least = max(MIN_POSTS, round(SHARE * len(runs[source])))
        own = line_key(source)
        recurring = {key for key, posts_with in seen[source].items()
                     if posts_with >= least or (own and own in key and
                                                posts_with >= OWN_NAME_POSTS)}  # fmt: skip
        closing: dict[str, int] = {}
        for keys in runs[source]:
            for key in _closing_block(keys[-KEPT:], recurring):
                closing[key] = closing.get(key, 0) + 1
        learned = {key: written[(source, key)] for key in recurring
                   if 2 * closing.get(key, 0) >= seen[source][key]}  # fmt: skip
        learned |= {key: written[(source, key)] for key in _blocks(runs[source], seen[source])}
        if learned:
            lines[source] = learned
            rows += [(source, written[(source, k)], seen[source][k], size[(source, k)])
                     for k in learned]  # fmt: skip
    table = pd.DataFrame(rows, columns=COLUMNS).sort_values(
        ["source", "posts", "line"], ascending=[True, False, True], kind="stable"
    )
    return Boilerplate(lines, table.reset_index(drop=True))


def _closing_block(tail: tuple[str, ...], recurring: set[str]) -> set[str]:
    """The keys of a post's closing block: the recurring ones among its last :data:`TAIL`
    lines, and its last lines back to the first that does not recur."""
    block = {key for key in tail[-TAIL:] if key in recurring}
    for key in reversed(tail):
        if key not in recurring:
            break
        block.add(key)
    return block


def _blocks(posts: list[tuple[str, ...]], seen: dict[str, int]) -> set[str]:
    """The keys of the runs of :data:`BLOCK` lines or more, each seen in :data:`MIN_POSTS`
    posts of the source, that the posts hold."""
    found: set[str] = set()
    for keys in posts:
        run: list[str] = []
        for key in (*keys, ""):
            if key and seen.get(key, 0) >= MIN_POSTS:
                run.append(key)
                continue
            if len(set(run)) >= BLOCK:
                found.update(run)
            run = []
    return found


def clean(text: str, learned: dict[str, str]) -> str:
    """A post's text with its markup and its source's boilerplate lines blanked: a learned
    line anywhere, and among the last :data:`TAIL` lines one that extends a learned line of
    two words or more («Подписывайся на Mash на Донбассе», once, after «Подписывайся на
    Mash», hundreds of times)."""
    if learned:
        lines = text.split("\n")
        keys = [line_key(line) for line in lines]
        tail = [k for k, key in enumerate(keys) if key][-TAIL:]
        for k, key in enumerate(keys):
            if key and (key in learned or (k in tail and _extends(key, learned))):
                lines[k] = " " * len(lines[k])
        text = "\n".join(lines)
    return blank_markup(text)


def _extends(key: str, learned: dict[str, str]) -> bool:
    words = key.split()
    return any(" ".join(words[:n]) in learned for n in range(2, len(words)))


def title_of(text: str, limit: int) -> str:
    """A title for a record that has none: the first line with words, as a reader sees it."""
    for line in text.split("\n"):
        flat = " ".join(line.split())
        if flat:
            return flat[:limit]
    return ""
