"""Memory states recomputed from the review history, as Anki does after new FSRS parameters.

A card's stability and difficulty are the result of every review it had under the parameters in
force at the time. Fitting new parameters (``studytui decks optimize``) only changes how future
reviews move them unless every card is replayed: its reviews, in order, through the scheduler
with the new parameters, from a new card. That is what Anki does when parameters change, and so
does this module. The due dates stay as they are unless rescheduling is asked for (Anki's
"Reschedule cards on change"): then a card in review falls due where its last review would have
put it under the new parameters and desired retention (never before today, so nothing already
done comes back as overdue).

Each card is replayed by its deck's preset (``review.presets``: its desired retention, steps and
maximum interval) with that preset's parameters; ``presets`` limits the replay to the cards of
some presets (after fitting one preset, only its cards change). One transaction for every card,
so a failure changes nothing. Plain ``sqlite3``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from studytui.core.context import AppContext
from studytui.core.scheduling import CardState, Status
from studytui.core.services.schedulers import Schedulers
from studytui.core.storage.sqltypes import db_datetime, stored_datetime

_LOGS = (
    "SELECT review_log.card_id, review_log.rating, review_log.reviewed_at, deck.name"
    " FROM review_log JOIN card ON card.id = review_log.card_id"
    " JOIN deck ON deck.id = card.deck_id WHERE card.retired_at IS NULL"
    " ORDER BY review_log.card_id, review_log.reviewed_at, review_log.id"
)
_STATE = "SELECT state, step, stability, difficulty, due, last_review FROM card WHERE id = ?"


@dataclass(frozen=True)
class MemoryUpdate:
    cards: int  # cards with a history, replayed
    changed: int  # whose stored memory state changed
    rescheduled: int  # whose due date moved (only when asked)


def _histories(
    rows: Sequence[tuple[int, int, str, str]],
) -> list[tuple[int, str, list[tuple[int, datetime]]]]:
    out: list[tuple[int, str, list[tuple[int, datetime]]]] = []
    for card_id, rating, at, deck in rows:
        if not out or out[-1][0] != card_id:
            out.append((card_id, deck, []))
        out[-1][2].append((int(rating), stored_datetime(at)))
    return out


def recompute_memory(
    ctx: AppContext,
    fitted: Mapping[str, Sequence[float]],
    *,
    presets: Collection[str] | None = None,
    reschedule: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> MemoryUpdate:
    """Replay every live card's reviews (of the decks in ``presets``, default all) under its
    preset's parameters in ``fitted`` (by preset name; a preset missing there uses the default
    preset's, else FSRS's); store its memory state (and, with ``reschedule``, its due date)."""
    settings = ctx.settings.review
    schedulers = Schedulers(settings, ctx.calendar, {k: tuple(v) for k, v in fitted.items()})
    today_start = ctx.calendar.day_start(ctx.calendar.day_of(ctx.clock.now()))
    changed = rescheduled = 0
    with ctx.db.change() as conn:
        histories = [
            (card_id, schedulers.for_deck(deck), reviews)
            for card_id, deck, reviews in _histories(conn.execute(_LOGS).fetchall())
            if presets is None or settings.preset_of(deck) in presets
        ]
        for n, (card_id, scheduler, reviews) in enumerate(histories, 1):
            state = CardState()
            for i, (rating, at) in enumerate(reviews):
                if reschedule and i == len(reviews) - 1:  # the last one sets the due date
                    state = scheduler.review(card_id, state, rating, at, i).after
                else:
                    state = scheduler.memory_after(card_id, state, rating, at)
            row = conn.execute(_STATE, (card_id,)).fetchone()
            if row is None:
                continue
            stored_status, _step, stability, difficulty, due, _last = row
            if (stability, difficulty) != (state.stability, state.difficulty):
                changed += 1
            new_due = due
            review_now = state.status == Status.REVIEW == Status(stored_status)
            if reschedule and review_now and state.due is not None:
                moved = max(state.due, today_start)
                if db_datetime(moved) != due:
                    new_due = db_datetime(moved)
                    rescheduled += 1
            conn.execute(
                "UPDATE card SET stability = ?, difficulty = ?, due = ? WHERE id = ?",
                (state.stability, state.difficulty, new_due, card_id),
            )
            if progress is not None and (n % 500 == 0 or n == len(histories)):
                progress(n, len(histories))
    return MemoryUpdate(len(histories), changed, rescheduled)
