"""What the browser does to selected cards: suspend, bury, reset, set the due date, and undo.

Each call is one transaction over all the selected cards, and returns what it changed together
with each card's scheduling fields from before, so the browser's undo puts exactly those back.
The review log is never touched: a reset card keeps its history (Anki's "Forget" keeps it too),
and its reviews and lapses still count in the statistics.

Set due date works as Anki's on cards that have a schedule: ``0`` is today, ``3`` in three study
days, ``1-7`` a day drawn in that range per card. New cards have none (no memory state for FSRS
to carry), so they are refused, as is Anki's ``!`` (changing the interval too), which would
rewrite the last review that the memory state was computed from.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from studytui.core.context import AppContext
from studytui.core.errors import ArgumentError, ConflictError
from studytui.core.storage.models import Card

_FIELDS = ("state", "step", "stability", "difficulty", "due", "last_review", "suspended",
           "buried_until")  # fmt: skip
_DUE_SPEC = re.compile(r"(?P<lo>\d{1,5})(?:-(?P<hi>\d{1,5}))?")
MAX_SELECTION = 200_000


@dataclass(frozen=True)
class CardSnapshot:
    """A card's scheduling fields at one moment (to undo a browser action)."""

    card_id: int
    values: tuple[object, ...]


@dataclass(frozen=True)
class ActionResult:
    action: str
    changed: tuple[int, ...]
    before: tuple[CardSnapshot, ...]

    @property
    def count(self) -> int:
        return len(self.changed)


def parse_due_spec(text: str) -> tuple[int, int]:
    """``"3"`` or ``"1-7"``: the range of study days from today (0 is today)."""
    spec = text.strip()
    if spec.endswith("!"):
        raise ArgumentError(
            "'!' (also change the interval) is not supported: it would rewrite the last review "
            "that the card's memory state comes from",
            "DAYS",
        )
    m = _DUE_SPEC.fullmatch(spec)
    if m is None:
        raise ArgumentError(f"'{spec[:20]}' is not a number of days (3) or a range (1-7)", "DAYS")
    lo = int(m.group("lo"))
    hi = int(m.group("hi")) if m.group("hi") else lo
    if hi < lo or hi > 36500:
        raise ArgumentError(f"'{spec}': a range from 0 to 36500 days, low to high", "DAYS")
    return lo, hi


class CardActions:
    """Changes to a selection of cards; each one transaction."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def _apply(self, action: str, ids: Iterable[int], change: object) -> ActionResult:
        wanted = sorted(set(ids))
        if not wanted:
            return ActionResult(action, (), ())
        if len(wanted) > MAX_SELECTION:
            raise ArgumentError(f"{len(wanted)} cards; at most {MAX_SELECTION} at once", "CARDS")
        changed: list[int] = []
        before: list[CardSnapshot] = []
        with self.ctx.db.write() as s:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                cards = s.scalars(
                    select(Card).where(Card.id.in_(chunk), Card.retired_at.is_(None))
                ).all()
                for card in cards:
                    snapshot = CardSnapshot(card.id, tuple(getattr(card, f) for f in _FIELDS))
                    if change(card):  # type: ignore[operator]
                        changed.append(card.id)
                        before.append(snapshot)
        return ActionResult(action, tuple(changed), tuple(before))

    def suspend(self, ids: Iterable[int], suspended: bool = True) -> ActionResult:
        def change(card: Card) -> bool:
            if bool(card.suspended) == suspended:
                return False
            card.suspended = suspended
            return True

        return self._apply("suspend" if suspended else "unsuspend", ids, change)

    def bury(self, ids: Iterable[int], buried: bool = True) -> ActionResult:
        """Bury until the next study day, as in a review (or unbury)."""
        today = self.ctx.today()
        until: date | None = today + timedelta(days=1) if buried else None

        def change(card: Card) -> bool:
            is_buried = card.buried_until is not None and card.buried_until > today
            if is_buried == buried:
                return False
            card.buried_until = until
            return True

        return self._apply("bury" if buried else "unbury", ids, change)

    def reset(self, ids: Iterable[int]) -> ActionResult:
        """Forget: back to new, no memory state, history kept."""

        def change(card: Card) -> bool:
            if card.state == 0 and card.stability is None:
                return False
            card.state, card.step = 0, None
            card.stability = card.difficulty = None
            card.due = card.last_review = None
            card.buried_until = None
            return True

        return self._apply("reset", ids, change)

    def set_due(self, ids: Iterable[int], spec: str) -> ActionResult:
        """Due on a study day from today (``parse_due_spec``); new cards are refused."""
        lo, hi = parse_due_spec(spec)
        today = self.ctx.today()
        cal = self.ctx.calendar

        def change(card: Card) -> bool:
            if card.state == 0:
                raise ConflictError(f"card {card.id} is new; nothing was changed")
            # A range spreads the cards over its days, the same draw for a card on one day.
            days = random.Random(card.id * 7919 + today.toordinal()).randint(lo, hi)
            due: datetime = cal.day_start(today + timedelta(days=days))
            if card.state == 1 and days == 0 and card.due is not None:
                return False  # a learning card due today keeps its step's time
            card.due = due
            card.buried_until = None
            return True

        return self._apply("set-due", ids, change)

    def undo(self, result: ActionResult) -> int:
        """Put back the scheduling fields of the cards a result changed, in one transaction."""
        by_id = {snap.card_id: snap for snap in result.before}
        restored = 0
        with self.ctx.db.write() as s:
            for start in range(0, len(result.changed), 500):
                chunk = result.changed[start : start + 500]
                for card in s.scalars(select(Card).where(Card.id.in_(chunk))).all():
                    snap = by_id[card.id]
                    for name, value in zip(_FIELDS, snap.values, strict=True):
                        setattr(card, name, value)
                    restored += 1
        return restored
