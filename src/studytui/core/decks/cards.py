"""Card generation: concepts, statements (clozes) and hand-written cards become card specs.

Generation is deterministic: the same input always yields the same cards, keys and order. A card's
key (its identity within a deck) is documented in docs/decks.md, *Card identity*.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from studytui.core.decks import cloze

# Bump when generation changes what cards a file makes, so unchanged files are synced again.
GENERATOR_VERSION = "2"  # 2: cards in note order (Anki's new-card order)

KIND_CONCEPT = "concept"
KIND_CONCEPT_REV = "concept-rev"
KIND_CLOZE = "cloze"
KIND_BASIC = "basic"
KIND_BASIC_REV = "basic-rev"
KIND_USER = "user"

# What the review screen shows above the question, by kind.
PROMPTS = {
    KIND_CONCEPT: "Define the term",
    KIND_CONCEPT_REV: "Name the term",
    KIND_CLOZE: "Fill in the blank",
}


@dataclass(frozen=True)
class CardSpec:
    """A card as a deck file (or a curriculum) defines it, before it is stored."""

    key: str
    kind: str
    front: str
    back: str
    tags: tuple[str, ...] = ()
    position: int = 0

    @property
    def tag_text(self) -> str:
        return " ".join(self.tags)


@dataclass(frozen=True)
class Notes:
    """What a deck item says about itself beyond its cards (docs/decks.md, *Coverage*).

    ``covers`` names the subtopics of the deck's topic the item teaches (coverage is computed from
    it); ``source`` is where its wording comes from; ``waive`` maps a content-check rule to the
    reason it does not apply to this item.
    """

    covers: tuple[str, ...] = ()
    source: str | None = None
    waive: tuple[tuple[str, str], ...] = ()

    def waived(self, rule: str) -> bool:
        return any(r == rule for r, _ in self.waive)


NO_NOTES = Notes()


@dataclass(frozen=True)
class ConceptItem:
    id: str
    term: str
    definition: str
    tags: tuple[str, ...] = ()
    line: int | None = None
    notes: Notes = NO_NOTES


@dataclass(frozen=True)
class StatementItem:
    id: str
    text: str
    extra: str | None = None
    tags: tuple[str, ...] = ()
    line: int | None = None
    notes: Notes = NO_NOTES


@dataclass(frozen=True)
class HandCardItem:
    id: str
    front: str
    back: str
    reversed: bool = False
    tags: tuple[str, ...] = ()
    line: int | None = None
    notes: Notes = NO_NOTES


def slug(text: str) -> str:
    """``Multi-head attention`` → ``multi-head-attention``; accents are dropped."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return out or short_hash(text)


def short_hash(text: str) -> str:
    """A stable 12-hex-digit id of a text; whitespace and case differences do not count."""
    norm = " ".join(text.split()).casefold()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:12]


def sibling_group(key: str) -> str:
    """Cards made from the same concept, statement or card share a group (Anki's "note").

    Every key is ``<source>:<id>`` or ``<source>:<id>:<which card>`` (``concept:x:fwd``,
    ``cloze:x:c2``, ``card:x``, ``card:x:rev``, ``user:x:rev``), and an id never holds a colon,
    so the group is the first two parts. (Stripping a ``:fwd``/``:rev``/``:cN`` suffix instead
    put hand-written cards with ids such as ``c1``, ``fwd`` or ``rev`` into one group ``card``.)
    """
    return ":".join(key.split(":", 2)[:2])


def _tags(*groups: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t for g in groups for t in g))


def generate(
    concepts: Sequence[ConceptItem],
    statements: Sequence[StatementItem],
    cards: Sequence[HandCardItem],
    deck_tags: Sequence[str] = (),
) -> list[CardSpec]:
    """Every card of a deck in note order, a note's cards together (forward, then reverse; a
    statement's clozes by number), as Anki orders new cards: by note position, then template."""
    made: list[tuple[str, str, str, str, tuple[str, ...]]] = []
    for c in concepts:
        tags = _tags(deck_tags, c.tags)
        made.append((f"concept:{c.id}:fwd", KIND_CONCEPT, c.term, c.definition, tags))
        made.append((f"concept:{c.id}:rev", KIND_CONCEPT_REV, c.definition, c.term, tags))
    for s in statements:
        tags = _tags(deck_tags, s.tags)
        for card in cloze.expand(s.text):
            back = f"{card.answer}\n\n{s.extra}" if s.extra else card.answer
            made.append((f"cloze:{s.id}:c{card.number}", KIND_CLOZE, card.question, back, tags))
    for h in cards:
        tags = _tags(deck_tags, h.tags)
        made.append((f"card:{h.id}", KIND_BASIC, h.front, h.back, tags))
        if h.reversed:
            made.append((f"card:{h.id}:rev", KIND_BASIC_REV, h.back, h.front, tags))
    return [
        CardSpec(key=k, kind=kind, front=front, back=back, tags=tags, position=i)
        for i, (k, kind, front, back, tags) in enumerate(made)
    ]


def concept_items(pairs: Iterable[tuple[str, str]]) -> list[ConceptItem]:
    """Concepts given as (term, definition) pairs, e.g. a curriculum topic's, with slug ids.

    A term whose slug repeats gets ``-2``, ``-3`` … so every concept keeps a card.
    """
    seen: dict[str, int] = {}
    out: list[ConceptItem] = []
    for term, definition in pairs:
        base = slug(term)
        seen[base] = seen.get(base, 0) + 1
        cid = base if seen[base] == 1 else f"{base}-{seen[base]}"
        out.append(ConceptItem(id=cid, term=term, definition=definition))
    return out
