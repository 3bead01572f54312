"""The day's limits for a review session: what the study day's ratings left, in all and per deck.

``core/daily_limits.py`` holds the rule (``DayLimits``); this module reads the day's ratings for it
and counts new cards down as the queue takes them (``NewCaps``), from the limits at the start of a
session or from what a session says is left when it asks for more.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from studytui.core.config import ReviewSettings
from studytui.core.daily_limits import DayLimits
from studytui.core.services.review.rows import done_by_deck

if TYPE_CHECKING:
    from studytui.core.services.review.service import ReviewService


def day_limits(
    service: ReviewService,
    conn: sqlite3.Connection,
    by_id: Mapping[int, tuple[str, str, str | None]],
    start: datetime,
    end: datetime,
) -> DayLimits:
    """Today's limits over all decks and per deck, less what the day's ratings used."""
    settings = service.ctx.settings.review

    def settings_of(deck_id: int) -> ReviewSettings:
        label = by_id.get(deck_id)
        return settings.for_deck(label[0]) if label is not None else settings

    return DayLimits(settings, done_by_deck(conn, start, end), settings_of)


class NewCaps:
    """How many new cards may still come, in all and per deck, as ``new_cards`` takes them.

    From the day's limits at the start of a session (``limits``), or, for a session asking for
    more, from what it says is left: ``total`` and, for decks with a limit of their own,
    ``deck_room``.
    """

    def __init__(
        self,
        limits: DayLimits | None,
        total: int = 0,
        deck_room: dict[int, int] | None = None,
    ) -> None:
        self.limits = limits
        self.total = limits.new_room() if limits is not None else total
        self.deck_room = deck_room if deck_room is not None else {}

    def full(self, deck_id: int) -> bool:
        """Whether this deck's own limit lets no more new cards in."""
        if self.limits is not None:
            return self.limits.new_room(deck_id) <= 0
        room = self.deck_room.get(deck_id)
        return room is not None and room <= 0

    def take(self, deck_id: int) -> bool:
        if self.limits is not None:
            return self.limits.take_new(deck_id)
        room = self.deck_room.get(deck_id)
        if self.total <= 0 or (room is not None and room <= 0):
            return False
        self.total -= 1
        if room is not None:
            self.deck_room[deck_id] = room - 1
        return True

    @property
    def exhausted(self) -> bool:
        return (self.limits.new_room() if self.limits is not None else self.total) <= 0
