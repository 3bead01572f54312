"""The day's limits: the review limit caps new cards too (Anki's v3 rule), one count everywhere."""

from __future__ import annotations

from studytui.core.clock import ManualClock
from studytui.core.config import ReviewSettings, set_config_values
from studytui.core.context import AppContext
from studytui.core.daily_limits import DayLimits
from studytui.core.services.deck_stats import DeckStatsService
from studytui.core.services.review import ReviewService
from test_presets import make_due
from test_review_service import DECK, demo_deck


def allowance(
    settings: ReviewSettings, *, due_reviews: int, done_reviews: int, done_new: int
) -> tuple[int, int]:
    """(reviews, new cards) today's limits leave over all decks: ``DayLimits`` with one deck."""
    limits = DayLimits(settings, {0: (done_new, done_reviews)}, lambda _deck: settings)
    return limits.take_reviews(0, due_reviews), limits.new_room()


def test_reviews_due_past_the_limit_leave_no_new_cards() -> None:
    settings = ReviewSettings(new_cards_per_day=20, reviews_per_day=200)
    assert allowance(settings, due_reviews=250, done_reviews=0, done_new=0) == (200, 0)
    assert allowance(settings, due_reviews=190, done_reviews=0, done_new=0) == (190, 10)
    assert allowance(settings, due_reviews=50, done_reviews=0, done_new=0) == (50, 20)
    # new cards introduced today count towards the review limit
    assert allowance(settings, due_reviews=150, done_reviews=30, done_new=15) == (150, 5)


def test_new_cards_can_ignore_the_review_limit() -> None:
    settings = ReviewSettings(
        new_cards_per_day=20, reviews_per_day=200, new_cards_ignore_review_limit=True
    )
    assert allowance(settings, due_reviews=250, done_reviews=0, done_new=0) == (200, 20)
    assert allowance(settings, due_reviews=250, done_reviews=0, done_new=5) == (200, 15)


def test_the_queue_and_the_dashboard_count_the_same(ctx: AppContext, clock: ManualClock) -> None:
    set_config_values(
        ctx.paths.config_file, {"review": "{new_cards_per_day: 5, reviews_per_day: 12}"}
    )
    ctx.reload_settings()
    demo_deck(ctx, 30)
    make_due(ctx, clock, "demo", 10)
    queue = ReviewService(ctx).start(DECK).counts()
    stats = DeckStatsService(ctx).stats()
    assert (queue.review, queue.new) == (10, 2)  # 12 - 10 reviews leaves 2 new cards
    assert (stats.due_today, stats.new_available) == (queue.review, queue.new)
    set_config_values(
        ctx.paths.config_file, {"review": "{new_cards_per_day: 5, reviews_per_day: 8}"}
    )
    ctx.reload_settings()
    queue = ReviewService(ctx).start(DECK).counts()
    stats = DeckStatsService(ctx).stats()
    assert (queue.review, queue.new) == (8, 0)
    assert (stats.due_today, stats.due_beyond_limit, stats.new_available) == (8, 2, 0)


def test_siblings_count_once_in_the_dashboard_as_in_the_queue(
    ctx: AppContext, clock: ManualClock
) -> None:
    # Six concepts (two cards each): the queue introduces one card per concept a day, so six
    # new cards, not the twelve the limit of 20 would allow; after one is rated, five.
    concepts = "".join(
        f"  - {{id: c{i}, term: Term {i}, definition: Meaning number {i}.}}\n" for i in range(6)
    )
    demo_deck(ctx, 0, extra="concepts:\n" + concepts)
    # Limits high enough for every deck's new cards: the all-decks figure counts groups too.
    set_config_values(
        ctx.paths.config_file, {"review": "{new_cards_per_day: 9999, reviews_per_day: 9999}"}
    )
    ctx.reload_settings()
    stats = DeckStatsService(ctx)
    session = ReviewService(ctx).start(DECK)
    assert session.counts().new == 6
    assert stats.due_counts()["demo"].new == 6
    every_deck = ReviewService(ctx).start().counts().new
    overview = stats.stats(retention_days=0)
    assert overview.new_available == every_deck < overview.states.new
    session.next_card()
    session.rate(3)
    session.flush()
    assert ReviewService(ctx).start(DECK).counts().new == 5
    assert stats.due_counts()["demo"].new == 5
    assert stats.stats(retention_days=0).new_available == ReviewService(ctx).start().counts().new
