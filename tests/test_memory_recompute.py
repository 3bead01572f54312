"""New parameters recompute every card's memory state from its history (Anki's behaviour)."""

from __future__ import annotations

from sqlalchemy import func, select

from studytui.core.clock import ManualClock
from studytui.core.context import AppContext
from studytui.core.scheduling import DEFAULT_PARAMETERS, CardState, Rating, ReviewScheduler
from studytui.core.services.memory import recompute_memory
from studytui.core.services.review import ReviewService
from studytui.core.storage.models import Card, ReviewLog
from test_review_service import DECK, demo_deck


def study(ctx: AppContext, clock: ManualClock, days: int) -> None:
    """Review the demo deck every other day, Good mostly, Again now and then."""
    service = ReviewService(ctx)
    for day in range(days):
        session = service.start(DECK)
        n = 0
        while session.next_card() is not None:
            session.rate(Rating.Again if (day + n) % 7 == 0 else Rating.Good)
            clock.advance(minutes=2)
            n += 1
        session.flush()
        clock.advance(days=2)


def stored(ctx: AppContext) -> dict[int, tuple[float | None, float | None, object]]:
    with ctx.db.read() as s:
        return {c.id: (c.stability, c.difficulty, c.due) for c in s.scalars(select(Card))}


def test_the_same_parameters_change_nothing(ctx: AppContext, clock: ManualClock) -> None:
    demo_deck(ctx, n=4)
    study(ctx, clock, 12)
    before = stored(ctx)
    update = recompute_memory(ctx, {"default": DEFAULT_PARAMETERS})
    assert update.cards == 4
    assert (update.changed, update.rescheduled) == (0, 0)
    assert stored(ctx) == before


def test_new_parameters_replay_each_history_and_keep_due_dates_unless_asked(
    ctx: AppContext, clock: ManualClock
) -> None:
    demo_deck(ctx, n=4)
    study(ctx, clock, 12)
    before = stored(ctx)
    with ctx.db.read() as s:
        logs_before = s.scalar(select(func.count()).select_from(ReviewLog))
        history = [
            (r.card_id, r.rating, r.reviewed_at)
            for r in s.scalars(select(ReviewLog).order_by(ReviewLog.card_id, ReviewLog.id))
        ]
    params = list(DEFAULT_PARAMETERS)
    params[0:4] = [p * 2 for p in params[0:4]]  # initial stabilities twice as long
    update = recompute_memory(ctx, {"default": params})
    assert (update.cards, update.changed, update.rescheduled) == (4, 4, 0)
    after = stored(ctx)
    scheduler = ReviewScheduler(ctx.settings.review, ctx.calendar, params)
    for card_id in after:
        state = CardState()
        for cid, rating, at in history:
            if cid == card_id:
                state = scheduler.memory_after(cid, state, rating, at)
        assert after[card_id][:2] == (state.stability, state.difficulty)
        assert after[card_id][2] == before[card_id][2]  # due dates kept
    with ctx.db.read() as s:
        assert s.scalar(select(func.count()).select_from(ReviewLog)) == logs_before
    moved = recompute_memory(ctx, {"default": params}, reschedule=True)
    assert moved.rescheduled > 0
    today = ctx.calendar.day_start(ctx.calendar.day_of(clock.now()))
    rescheduled = {i: v[2] for i, v in stored(ctx).items() if v[2] != after[i][2]}
    assert len(rescheduled) == moved.rescheduled
    assert all(due is not None and due >= today for due in rescheduled.values())
