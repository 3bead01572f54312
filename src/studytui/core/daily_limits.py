"""The day's limits, one rule for the queue, the dashboard, the stats and the deck list.

As in Anki's v3 scheduler, the review limit also caps new cards: reviews due come first, and
new cards fill only what the review limit leaves (250 due with a limit of 200: no new cards).
New cards introduced today count towards the review limit too. With
``review.new_cards_ignore_review_limit`` (Anki's "New cards ignore review limit"), only the new
card limit applies to them. Learning cards due on the day after an earlier day's answer (Anki's
interday learning) come under the review limit; those due at a time within the day never do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from studytui.core.config import ReviewSettings


@dataclass
class _Room:
    reviews: int
    new: int


class DayLimits:
    """What today's limits leave over all decks and for each deck, as cards are taken.

    A deck's preset (``review.presets``) may set its own ``new_cards_per_day`` and
    ``reviews_per_day``: a card is taken only when both its deck and all decks have room, as
    Anki applies a deck's limits within those of the deck studied (with "limits start from top":
    the ``review:`` limits always hold). A deck in no preset has the ``review:`` limits as its
    own, which never bind sooner than the total. A card counts against its home deck's limits
    (the deck whose preset schedules it), also where another deck includes it.

    ``done`` is the study day's ratings so far per deck id: (new cards introduced, reviews of
    cards in review), from the review log.
    """

    def __init__(
        self,
        settings: ReviewSettings,
        done: Mapping[int, tuple[int, int]],
        settings_of: Callable[[int], ReviewSettings],
        own_limit_decks: Sequence[int] = (),
    ) -> None:
        self._ignore = settings.new_cards_ignore_review_limit
        self._done = done
        self._settings_of = settings_of
        total_new = sum(n for n, _ in done.values())
        total_reviews = sum(r for _, r in done.values())
        self.total = self._room(settings, total_new, total_reviews)
        self._decks: dict[int, _Room] = {}
        self.own_limit_decks = tuple(own_limit_decks)  # decks in a preset: limits of their own

    def _room(self, settings: ReviewSettings, done_new: int, done_reviews: int) -> _Room:
        reviews = settings.reviews_per_day - done_reviews - (0 if self._ignore else done_new)
        return _Room(max(0, reviews), max(0, settings.new_cards_per_day - done_new))

    def deck(self, deck_id: int) -> _Room:
        room = self._decks.get(deck_id)
        if room is None:
            done_new, done_reviews = self._done.get(deck_id, (0, 0))
            room = self._room(self._settings_of(deck_id), done_new, done_reviews)
            self._decks[deck_id] = room
        return room

    def can_review(self, deck_id: int) -> bool:
        return self.total.reviews > 0 and self.deck(deck_id).reviews > 0

    def take_review(self, deck_id: int) -> bool:
        """Take one review card of this deck if the limits let it in."""
        if not self.can_review(deck_id):
            return False
        self.total.reviews -= 1
        self.deck(deck_id).reviews -= 1
        return True

    def take_reviews(self, deck_id: int, due: int) -> int:
        """Take up to ``due`` review cards of this deck at once; returns how many."""
        n = max(0, min(due, self.total.reviews, self.deck(deck_id).reviews))
        self.total.reviews -= n
        self.deck(deck_id).reviews -= n
        return n

    def new_room(self, deck_id: int | None = None) -> int:
        """New cards that may still come (of one deck, or of any): the review limit left caps
        them too unless new cards ignore it."""
        rooms = [self.total] if deck_id is None else [self.total, self.deck(deck_id)]
        if self._ignore:
            return min(r.new for r in rooms)
        return min(min(r.new, r.reviews) for r in rooms)

    def take_new(self, deck_id: int) -> bool:
        """Take one new card of this deck if the limits let it in."""
        if self.new_room(deck_id) <= 0:
            return False
        for room in (self.total, self.deck(deck_id)):
            room.new -= 1
            if not self._ignore:
                room.reviews -= 1
        return True
