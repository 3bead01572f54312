"""Figures the review screens show agree with the CLI's: again counts and the new-card limit."""

from __future__ import annotations

from studytui.core.clock import ManualClock
from studytui.core.context import AppContext
from studytui.core.scheduling import Rating
from studytui.core.services.deck_stats import DeckStatsService
from studytui.core.services.review import ReviewFilter, ReviewService
from test_review_service import demo_deck, limits

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


def dashboard_new(ctx: AppContext) -> int:
    """New cards the dashboard offers today: its deck table and its review panel."""
    stats = DeckStatsService(ctx)
    by_deck = {r.deck: r.new for r in stats.decks()}["demo"]
    assert stats.stats(retention_days=0).new_available == by_deck
    return by_deck


def test_bury_and_suspend_use_no_new_card_slot(ctx: AppContext, clock: ManualClock) -> None:
    """Only a first rating introduces a new card (as in Anki): with 3 a day and 5 new cards,
    burying one and suspending another still brings 3 new cards that day."""
    demo_deck(ctx, 5)
    limits(ctx, new_cards_per_day=3)
    service = ReviewService(ctx)
    session = service.start(DECK)
    assert session.counts().new == dashboard_new(ctx) == 3
    first = session.next_card()
    assert first is not None
    session.bury()
    assert session.counts().new == 3  # the next new card took its place
    second = session.next_card()
    assert second is not None
    session.suspend()
    session.flush()
    assert session.counts().new == dashboard_new(ctx) == 3
    rated = []
    while (card := session.next_card()) is not None:
        rated.append(card.id)
        session.rate(Rating.Easy)
        session.flush()
        assert session.counts().new == dashboard_new(ctx)
    assert len(rated) == 3
    assert first.id not in rated
    assert second.id not in rated
    assert dashboard_new(ctx) == 0
    assert service.start(DECK).counts().new == 0
    assert service.summary(DECK).new_waiting == 0  # the buried one is back tomorrow


def test_undoing_a_bury_gives_back_the_card_it_brought(ctx: AppContext) -> None:
    demo_deck(ctx, 5)
    limits(ctx, new_cards_per_day=2)
    session = ReviewService(ctx).start(DECK)
    first = session.next_card()
    assert first is not None
    session.bury()
    assert session.counts().new == 2
    session.undo()
    assert session.current == first
    assert session.counts().new == 2
    ids = []
    while (card := session.next_card()) is not None:
        ids.append(card.id)
        session.rate(Rating.Easy)
    assert len(ids) == 2
    assert ids[0] == first.id
    session.flush()
    assert ReviewService(ctx).start(DECK).counts().new == 0
