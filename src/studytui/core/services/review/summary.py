"""What the review screen shows when the queue is empty: today's reviews and what comes next."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import case, func, select

from studytui.core.scheduling import Rating, Status
from studytui.core.services.review.limits import day_limits
from studytui.core.services.review.rows import raw_connection
from studytui.core.services.review.views import (
    ReviewFilter,
    ReviewSummary,
    active_clause,
    deck_labels,
    deck_members,
    in_decks,
)
from studytui.core.storage.models import Card, ReviewLog

if TYPE_CHECKING:
    from studytui.core.services.review.service import ReviewService


def summarize(service: ReviewService, flt: ReviewFilter | None = None) -> ReviewSummary:
    flt = flt or ReviewFilter()
    cal = service.ctx.calendar
    now = service.ctx.clock.now()
    today = cal.day_of(now)
    day_start, day_end = cal.day_bounds(today)
    settings = service.ctx.settings.review
    with service.ctx.db.read() as s:
        decks, label = service.resolve(s, flt)
        ids = [d.id for d in decks]
        row = s.execute(
            in_decks(
                select(
                    func.count(ReviewLog.id),
                    func.coalesce(func.sum(ReviewLog.duration_ms), 0),
                    func.coalesce(
                        func.sum(case((ReviewLog.rating == int(Rating.Again), 1), else_=0)), 0
                    ),
                )
                .join(Card, Card.id == ReviewLog.card_id)
                .where(ReviewLog.reviewed_at >= day_start, ReviewLog.reviewed_at < day_end),
                ids,
                flt,
            )
        ).one()
        active = active_clause(today)
        next_learning = s.scalar(
            in_decks(
                select(func.min(Card.due)).where(
                    Card.state.in_((int(Status.LEARNING), int(Status.RELEARNING))), active
                ),
                ids,
                flt,
            )
        )
        next_review = s.scalar(
            in_decks(
                select(func.min(Card.due)).where(
                    Card.state == int(Status.REVIEW), Card.due >= day_end, active
                ),
                ids,
                flt,
            )
        )
        new_waiting = s.scalar(
            in_decks(
                select(func.count(Card.id)).where(Card.state == int(Status.NEW), active),
                ids,
                flt,
            )
        )
        limits = day_limits(service, raw_connection(s), deck_labels(s), day_start, day_end)
        # Which decks' own limits hold the new cards back: asked only when the total does not.
        with_new = (
            [
                (d.id, d.name)
                for d in decks
                if s.scalar(
                    select(func.count(Card.id)).where(
                        deck_members([d.id]), Card.state == int(Status.NEW), active
                    )
                )
            ]
            if new_waiting and limits.new_room() > 0
            else []
        )
    # New cards wait for tomorrow when the total's room is gone, or every deck's own room.
    label = f"{settings.new_cards_per_day} new cards a day"
    limited = bool(new_waiting) and (
        limits.new_room() <= 0 or all(limits.new_room(deck_id) <= 0 for deck_id, _ in with_new)
    )
    if limited and limits.new_room() > 0 and len(with_new) == 1:
        name = with_new[0][1]
        own = settings.for_deck(name)
        label = (f"{own.new_cards_per_day} new cards a day in deck {name}, preset "
                 f"{settings.preset_of(name)}")  # fmt: skip
    elif limited and limits.new_room() > 0:
        label = "each deck's own new cards a day (review.presets)"
    return ReviewSummary(
        label=label,
        reviewed=int(row[0] or 0),
        seconds=int(row[1] or 0) / 1000,
        again=int(row[2] or 0),
        next_learning=next_learning,
        next_review_day=cal.day_of(next_review) if next_review is not None else None,
        new_waiting=int(new_waiting or 0),
        limited=limited,
        limit_label=label,
    )
