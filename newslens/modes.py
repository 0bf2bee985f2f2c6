"""The sentiment modes, defined once: what each reads, whether it embeds, how it is named.

The command line's choices, the report's title page, the trainer and the benches all read
:data:`MODES`; a new mode is one entry here (and its model files, by view, in
``newslens/models/``). The article cache does not depend on the mode: every mode reads the
same parse, and the embeddings are added to the entries when a mode needs them.
"""

from __future__ import annotations

from dataclasses import dataclass

VIEWS = ("lexical", "dense")  # the two models a mention can be read by (``sentiment``)


@dataclass(frozen=True)
class Mode:
    name: str
    views: tuple[str, ...]  # the models that read a mention, in :data:`VIEWS`
    label: tuple[str, str]  # on the title page, in English and Russian
    help: str  # for ``--sentiment``

    @property
    def embeds(self) -> bool:
        """Whether the mode needs sentence embeddings (the dense view)."""
        return "dense" in self.views


MODES = {
    mode.name: mode
    for mode in (
        Mode(
            "accurate", ("lexical", "dense"),
            ("accurate (sentence embeddings + word vectors)",
             "точный режим (векторы предложений и слов)"),
            "two models: word vectors, and sentence embeddings for the 100 most mentioned actors",
        ),
        Mode(
            "fast", ("lexical",),
            ("fast (word vectors only)", "быстрый режим (только векторы слов)"),
            "word vectors only: quicker, lower F1 (see README)",
        ),
    )
}  # fmt: skip
DEFAULT = next(iter(MODES))  # the first mode is the default


def mode(name: str | Mode | None = None) -> Mode:
    """The mode called ``name`` (the default for None); an unknown name is a clear error."""
    if isinstance(name, Mode):
        return name
    name = name or DEFAULT
    if name not in MODES:
        raise ValueError(f"unknown sentiment mode {name!r}: use {' or '.join(MODES)}")
    return MODES[name]


def lexical() -> Mode:
    """The mode that reads the lexical view alone (the gate of the others reads it first)."""
    return next(m for m in MODES.values() if m.views == ("lexical",))
