"""Memory states recomputed from the review history, as Anki does after new FSRS parameters.

A card's stability and difficulty are the result of every review it had under the parameters in
force at the time. Fitting new parameters (``studytui decks optimize``) only changes how future
reviews move them unless every card is replayed: its reviews, in order, through the scheduler
with the new parameters, from a new card. That is what Anki does when parameters change, and so
does this module. The due dates stay as they are unless rescheduling is asked for (Anki's
"Reschedule cards on change"): then a card in review falls due where its last review would have
put it under the new parameters and desired retention (never before today, so nothing already
done comes back as overdue).

One transaction for every card, so a failure changes nothing. Plain ``sqlite3``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from studytui.core.context import AppContext
from studytui.core.scheduling import CardState, ReviewScheduler, Status
from studytui.core.storage.sqltypes import db_datetime, stored_datetime

_LOGS = (
    "SELECT review_log.card_id, review_log.rating, review_log.reviewed_at FROM review_log"
    " JOIN card ON card.id = review_log.card_id WHERE card.retired_at IS NULL"
    " ORDER BY review_log.card_id, review_log.reviewed_at, review_log.id"
)
_STATE = "SELECT state, step, stability, difficulty, due, last_review FROM card WHERE id = ?"


@dataclass(frozen=True)
class MemoryUpdate:
    cards: int  # cards with a history, replayed
    changed: int  # whose stored memory state changed
    rescheduled: int  # whose due date moved (only when asked)


def _histories(
    rows: Sequence[tuple[int, int, str]],
) -> list[tuple[int, list[tuple[int, datetime]]]]:
    out: list[tuple[int, list[tuple[int, datetime]]]] = []
    for card_id, rating, at in rows:
        if not out or out[-1][0] != card_id:
            out.append((card_id, []))
        out[-1][1].append((int(rating), stored_datetime(at)))
    return out


def recompute_memory(
    ctx: AppContext,
    parameters: Sequence[float],
    *,
    reschedule: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> MemoryUpdate:
    """Replay every live card's reviews under ``parameters``; store its memory state (and, with
    ``reschedule``, its due date)."""
    scheduler = ReviewScheduler(ctx.settings.review, ctx.calendar, parameters)
    today_start = ctx.calendar.day_start(ctx.calendar.day_of(ctx.clock.now()))
    changed = rescheduled = 0
    with ctx.db.change() as conn:
        histories = _histories(conn.execute(_LOGS).fetchall())
        for n, (card_id, reviews) in enumerate(histories, 1):
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
