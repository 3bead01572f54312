"""Deck coverage: how many notes of a topic's deck teach each of its subtopics.

Coverage is computed from the cards, never claimed: every concept, statement or hand-written card
names the subtopics it teaches (``covers:``), and a subtopic counts the distinct notes that name it
or one of its children (a concept's two cards, a statement's clozes are one note, as in Anki). The
minimums a bundled curriculum must meet are here too, so the suite and ``studytui decks coverage``
apply the same rule (docs/decks.md, *Coverage*).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from studytui.core.curriculum.model import Curriculum, Subtopic
from studytui.core.decks.cards import KIND_BASIC_REV, KIND_CONCEPT_REV, Notes
from studytui.core.decks.parser import DeckFile

MIN_NOTES_PER_SUBTOPIC = 3
# A topic with this many subtopics (in any curriculum) is broad: its deck has 40-80 cards;
# a narrower one has at least 15.
BROAD_SUBTOPICS = 4
BROAD_CARDS = (40, 80)
NARROW_MIN_CARDS = 15


def subtopic_key(title: str) -> str:
    """Titles match ignoring case, spacing and surrounding quotes."""
    return " ".join(title.split()).strip("\"'").casefold()


@dataclass(frozen=True)
class SubtopicCoverage:
    title: str
    depth: int
    notes: int  # distinct notes covering it or one of its children

    @property
    def met(self) -> bool:
        return self.notes >= MIN_NOTES_PER_SUBTOPIC


@dataclass(frozen=True)
class TopicCoverage:
    topic: str
    title: str
    cards: int  # the deck's own cards (what its size counts)
    notes: int  # its own notes
    reverse_cards: int
    uncovered_notes: int  # notes that name no subtopic
    subtopics: tuple[SubtopicCoverage, ...]
    broad: bool
    included_notes: int = 0  # notes of other decks this deck's reviews show

    @property
    def size_range(self) -> tuple[int, int | None]:
        return BROAD_CARDS if self.broad else (NARROW_MIN_CARDS, None)

    @property
    def size_met(self) -> bool:
        low, high = self.size_range
        return self.cards >= low and (high is None or self.cards <= high)

    @property
    def short(self) -> tuple[SubtopicCoverage, ...]:
        return tuple(s for s in self.subtopics if not s.met)


@dataclass(frozen=True)
class CurriculumCoverage:
    curriculum: str
    title: str
    topics: tuple[TopicCoverage, ...]

    @property
    def cards(self) -> int:
        return sum(t.cards for t in self.topics)

    @property
    def met(self) -> bool:
        return all(not t.short and t.size_met for t in self.topics)


@dataclass(frozen=True)
class UnknownCover:
    """A ``covers:`` entry that names no subtopic of its deck's topic in any curriculum."""

    file: str
    line: int | None
    item: str
    title: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.item}: covers: '{self.title}' is not a subtopic of this topic"


def _notes_of(deck: DeckFile) -> list[tuple[str, int | None, Notes]]:
    out: list[tuple[str, int | None, Notes]] = []
    out.extend((f"concepts ({c.id})", c.line, c.notes) for c in deck.concepts)
    out.extend((f"statements ({s.id})", s.line, s.notes) for s in deck.statements)
    out.extend((f"cards ({h.id})", h.line, h.notes) for h in deck.hand_cards)
    # An included note teaches this topic too, under the subtopics the include names.
    out.extend(
        (f"include ({i.deck} {i.note})", i.line, Notes(covers=i.covers)) for i in deck.includes
    )
    return out


def _walk(subs: Iterable[Subtopic], depth: int = 0) -> Iterable[tuple[int, Subtopic]]:
    for sub in subs:
        yield depth, sub
        yield from _walk(sub.children, depth + 1)


def _keys_below(sub: Subtopic) -> set[str]:
    keys = {subtopic_key(sub.title)}
    for child in sub.children:
        keys |= _keys_below(child)
    return keys


def topic_subtopics(curricula: Iterable[Curriculum]) -> dict[str, set[str]]:
    """topic id → every subtopic key any of these curricula gives it."""
    out: dict[str, set[str]] = {}
    for cur in curricula:
        for topic in cur.topics:
            keys = out.setdefault(topic.id, set())
            for _depth, sub in _walk(topic.subtopics):
                keys.add(subtopic_key(sub.title))
    return out


def unknown_covers(
    decks: Iterable[DeckFile], curricula: Iterable[Curriculum]
) -> list[UnknownCover]:
    known = topic_subtopics(curricula)
    out: list[UnknownCover] = []
    for deck in decks:
        valid = known.get(deck.topic, set())
        for item, line, notes in _notes_of(deck):
            out.extend(
                UnknownCover(deck.path, line, item, title)
                for title in notes.covers
                if subtopic_key(title) not in valid
            )
    return out


def curriculum_coverage(
    curriculum: Curriculum,
    decks: Mapping[str, DeckFile],
    all_curricula: Iterable[Curriculum],
) -> CurriculumCoverage:
    """Coverage of one curriculum's topics by their decks (a topic without a file has none)."""
    breadth = {t: len(keys) for t, keys in topic_subtopics(all_curricula).items()}
    topics: list[TopicCoverage] = []
    for topic in curriculum.topics:
        deck = decks.get(topic.id)
        notes = _notes_of(deck) if deck is not None else []
        own_notes = sum(1 for item, _l, _n in notes if not item.startswith("include "))
        covered_by: dict[str, set[str]] = {}
        for item, _line, n in notes:
            for title in n.covers:
                covered_by.setdefault(subtopic_key(title), set()).add(item)
        subs: list[SubtopicCoverage] = []
        for depth, sub in _walk(topic.subtopics):
            items: set[str] = set()
            for key in _keys_below(sub):
                items |= covered_by.get(key, set())
            subs.append(SubtopicCoverage(sub.title, depth, len(items)))
        cards = deck.cards() if deck is not None else []
        reverse = sum(1 for c in cards if c.kind in (KIND_CONCEPT_REV, KIND_BASIC_REV))
        topics.append(
            TopicCoverage(
                topic=topic.id,
                title=topic.title,
                cards=len(cards),
                notes=own_notes,
                reverse_cards=reverse,
                uncovered_notes=sum(1 for _i, _l, n in notes if not n.covers),
                included_notes=len(notes) - own_notes,
                subtopics=tuple(subs),
                broad=breadth.get(topic.id, 0) >= BROAD_SUBTOPICS,
            )
        )
    return CurriculumCoverage(curriculum.id, curriculum.title, tuple(topics))
