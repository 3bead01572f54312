"""What a review session takes in from outside its own ratings: the whole queue read while it
showed the queue's head, and card states another studytui changed (the writer's restating).

Functions of the session (``ReviewSession.adopt``, ``_adopt_restated``), kept here so that
``session.py`` holds the sitting itself.
"""

from __future__ import annotations

from bisect import insort
from collections import deque
from dataclasses import replace
from typing import TYPE_CHECKING

from studytui.core.scheduling import Status

if TYPE_CHECKING:
    from studytui.core.services.review.session import ReviewSession


def adopt_whole(self: ReviewSession, whole: ReviewSession) -> None:
    """Take the whole queue, gathered by ``queue.start`` while this session showed its head.

    ``whole`` was read with this session's writes held (``writes_held``), so what it
    counts is the database as this session started: the cards this session took since
    (shown, rated, buried or suspended) are left out of it, and its learning cards, which
    the head had in full and this session has rated into since, stay this session's.
    The head's reviews are the whole queue's first ones, so the order is the same.
    """
    if self.complete:
        return
    taken = {entry.card.id for entry in self._undo}
    if self.current is not None:
        taken.add(self.current.id)
    self.review = deque(card for card in whole.review if card.id not in taken)
    self.new = deque(card for card in whole.new if card.id not in taken)
    self._new_held.update(card.id for card in self.new)
    # The head read only its first reviews, which the review limit (that caps new cards too)
    # counted: the room for new cards is the whole queue's. The head has no new card, so
    # this session introduced none yet.
    self.new_allowed = whole.new_allowed
    self.new_caps = dict(whole.new_caps)
    self.new_limited = whole.new_limited
    self.review_limited = self.review_limited or whole.review_limited
    self.complete = True
    self._balance_new()


def adopt_restated(self: ReviewSession) -> None:
    """Cards whose rating was recomputed from a newer stored state (another studytui rated
    them too): their place among today's learning cards follows the stored state."""
    suspended = {card for card, _lapses, gone in self.leeches if gone}
    if suspended:
        self.learning = [t for t in self.learning if t[1] not in suspended]
    while self._restated:
        card_id, state = self._restated.popleft()
        entries = [t for t in self.learning if t[1] == card_id]
        if not entries:
            continue
        self.learning = [t for t in self.learning if t[1] != card_id]
        due = state.due
        learning = state.status in (Status.LEARNING, Status.RELEARNING)
        if learning and due is not None and due < self.day_end:
            view = replace(entries[0][2], state=state)
            insort(self.learning, (due, card_id, view), key=lambda t: (t[0], t[1]))
