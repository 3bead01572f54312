"""Cloze deletions in Anki's syntax: ``{{c1::answer}}`` or ``{{c1::answer::hint}}``.

Every distinct number makes one card; deletions with the same number are hidden together. The
question shows ``[...]`` (or ``[hint]``) for the deletions being asked and the other deletions as
plain text; the answer shows the whole sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CLOZE = re.compile(r"\{\{c(\d+)::((?:(?!::|\}\}).)+?)(?:::((?:(?!\}\}).)*?))?\}\}", re.DOTALL)
OPENING = re.compile(r"\{\{c\d*:?:?")


@dataclass(frozen=True)
class ClozeCard:
    number: int
    question: str
    answer: str


class ClozeError(ValueError):
    """A statement whose deletions cannot be read."""


def numbers(text: str) -> list[int]:
    """The distinct deletion numbers of ``text``, ascending."""
    return sorted({int(m.group(1)) for m in CLOZE.finditer(text)})


def check(text: str) -> None:
    """Raise ClozeError when the text has no deletion or a malformed one."""
    found = list(CLOZE.finditer(text))
    if not found:
        raise ClozeError("has no cloze deletion; write one as {{c1::answer}}")
    if len(OPENING.findall(text)) != len(found):
        raise ClozeError(
            "has a malformed cloze deletion; write {{c1::answer}} or {{c1::answer::hint}}"
        )
    for m in found:
        if int(m.group(1)) < 1:
            raise ClozeError(f"cloze numbers start at c1, not c{m.group(1)}")


def question(text: str, number: int) -> str:
    def repl(m: re.Match[str]) -> str:
        if int(m.group(1)) != number:
            return m.group(2)
        hint = (m.group(3) or "").strip()
        return f"[{hint}]" if hint else "[...]"

    return CLOZE.sub(repl, text)


def answer(text: str) -> str:
    return CLOZE.sub(lambda m: m.group(2), text)


def without_deletions(text: str) -> str:
    """The text with every deletion removed: what identifies a statement without an id."""
    return CLOZE.sub("", text)


def expand(text: str) -> list[ClozeCard]:
    """One card per deletion number."""
    full = answer(text)
    return [ClozeCard(n, question(text, n), full) for n in numbers(text)]


def answers(text: str, number: int) -> list[str]:
    """The texts hidden by deletions numbered ``number`` (what that card asks for)."""
    return [m.group(2) for m in CLOZE.finditer(text) if int(m.group(1)) == number]
