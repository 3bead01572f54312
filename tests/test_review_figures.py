"""Figures the review screens show agree with the CLI's: again counts and the new-card limit."""

from __future__ import annotations

from studytui.core.clock import ManualClock
from studytui.core.context import AppContext
from studytui.core.scheduling import Rating
from studytui.core.services.deck_stats import DeckStatsService
from studytui.core.services.review import ReviewFilter, ReviewService
from test_review_service import demo_deck

DECK = ReviewFilter(deck="demo")


def test_summary_counts_every_again(ctx: AppContext, clock: ManualClock) -> None:
    """Several Again ratings are several agains (SQL once summed a Boolean: any number was 1)."""
    demo_deck(ctx, 6)
    service = ReviewService(ctx)
    session = service.start(DECK)
    ratings = [Rating.Again, Rating.Good, Rating.Again, Rating.Again, Rating.Easy, Rating.Again]
    for rating in ratings:
        assert session.next_card() is not None
        clock.advance(seconds=5)
        session.rate(rating)
    session.flush()
    summary = service.summary(DECK)
    today = DeckStatsService(ctx).stats().per_day[-1]
    assert today.day == ctx.today()
    assert (summary.reviewed, summary.again) == (today.reviews, today.again) == (6, 4)
    assert summary.again_rate == today.again / today.reviews
