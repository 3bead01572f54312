"""Sibling burying as Anki's v3 scheduler does it: which of a note's cards wait for another day.

Cards made from one concept, statement or card are siblings (Anki's note). Anki gathers the
day's queue in a fixed order — learning cards due today at a time, learning cards due on the day
(interday), reviews, new cards — and a card whose note already gave a card to the queue is
buried when the option for its kind is on (``bury_new``, ``bury_reviews``,
``bury_interday_learning``). Answering a card buries its siblings of the kinds gathered after
its own (answering a review never buries an interday learning sibling; answering a new card
buries only new siblings). A card due at a time today is never buried.

studytui keeps no buried flag for this: the queue is built from today's review log and the
gathering order, which gives the same cards (``review/queue.py``, ``deck_stats.py``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, replace

from studytui.core.config import ReviewSettings
from studytui.core.scheduling import Status

NEW = "new"
REVIEW = "review"
INTERDAY = "interday"  # a learning card due on the day (its last review on an earlier day)
INTRADAY = "intraday"  # a learning card due at a time today: never buried

GATHER_ORDER = (INTRADAY, INTERDAY, REVIEW, NEW)  # Anki's order of gathering the queue
# The kinds gathered after each kind (and the kind itself), in Anki's gathering order.
_FROM = {
    INTRADAY: (INTERDAY, REVIEW, NEW),
    INTERDAY: (INTERDAY, REVIEW, NEW),
    REVIEW: (REVIEW, NEW),
    NEW: (NEW,),
}


@dataclass(frozen=True)
class BuryRules:
    new: bool = True
    review: bool = False
    interday: bool = False
    # Decks whose preset sets other rules (review.presets): deck id → its rules, as Anki's
    # burying options are a preset's. Siblings share a deck, so a group follows its deck's.
    decks: tuple[tuple[int, BuryRules], ...] = ()

    @classmethod
    def of(cls, settings: ReviewSettings, deck_names: Mapping[int, str] | None = None) -> BuryRules:
        base = cls._own(settings)
        if not deck_names or not settings.presets:
            return base
        own = tuple(
            (deck_id, rules)
            for deck_id, name in deck_names.items()
            if (rules := cls._own(settings.for_deck(name))) != base
        )
        return replace(base, decks=own)

    @classmethod
    def _own(cls, settings: ReviewSettings) -> BuryRules:
        return cls(
            new=settings.bury_new_siblings,
            review=settings.bury_review_siblings,
            interday=settings.bury_interday_learning_siblings,
        )

    def for_deck(self, deck_id: int) -> BuryRules:
        """The rules of one deck's cards."""
        if not self.decks:
            return self
        return _deck_rules(self).get(deck_id, replace(self, decks=()))

    @property
    def any_new(self) -> bool:
        return self.new or any(r.new for _, r in self.decks)

    @property
    def any_review(self) -> bool:
        return self.review or any(r.review for _, r in self.decks)

    @property
    def any_interday(self) -> bool:
        return self.interday or any(r.interday for _, r in self.decks)

    def enabled(self, kind: str) -> bool:
        return {NEW: self.new, REVIEW: self.review, INTERDAY: self.interday}.get(kind, False)

    def buried_by(self, kind: str) -> frozenset[str]:
        """The sibling kinds a card of ``kind`` buries, queued or answered: every enabled kind
        gathered after it (Anki excludes the queues gathered before)."""
        return _buried_by(self, kind)


@functools.lru_cache(maxsize=64)
def _deck_rules(rules: BuryRules) -> dict[int, BuryRules]:
    return dict(rules.decks)


@functools.lru_cache(maxsize=64)
def _buried_by(rules: BuryRules, kind: str) -> frozenset[str]:
    # The walks of the day's counts ask this for every card: computed once per rules and kind.
    return frozenset(k for k in _FROM[kind] if rules.enabled(k))


def answered_kind(state_before: Status) -> str:
    """The queue a card answered from ``state_before`` came from."""
    if state_before == Status.NEW:
        return NEW
    if state_before == Status.REVIEW:
        return REVIEW
    return INTRADAY  # learning: intraday or interday bury the same kinds


class Burying:
    """The sibling groups and the kinds buried for each, as the day's queue is gathered."""

    def __init__(self, rules: BuryRules) -> None:
        self.rules = rules
        self._buried: dict[tuple[int, str], set[str]] = {}

    def answered(self, group: tuple[int, str], state_before: Status) -> None:
        kinds = self.rules.for_deck(group[0]).buried_by(answered_kind(state_before))
        if kinds:
            self._buried.setdefault(group, set()).update(kinds)

    def take(self, group: tuple[int, str], kind: str) -> bool:
        """Whether a card of ``kind`` joins the queue (False: buried today); a card that joins
        buries its later siblings."""
        if kind != INTRADAY and kind in self._buried.get(group, ()):
            return False
        kinds = self.rules.for_deck(group[0]).buried_by(kind)
        if kinds:
            self._buried.setdefault(group, set()).update(kinds)
        return True

    def buries(self, group: tuple[int, str], kind: str) -> bool:
        return kind in self._buried.get(group, ())
