"""The day's limits: the review limit caps new cards too (Anki's v3 rule), one count everywhere."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from studytui.core.clock import ManualClock
from studytui.core.config import ReviewSettings, set_config_values
from studytui.core.context import AppContext
from studytui.core.daily_limits import DailyAllowance, allowance
from studytui.core.scheduling import Status
from studytui.core.services.deck_stats import DeckStatsService
from studytui.core.services.review import ReviewService
from studytui.core.storage.models import Card, Deck
from test_review_service import DECK, demo_deck


def test_reviews_due_past_the_limit_leave_no_new_cards() -> None:
    settings = ReviewSettings(new_cards_per_day=20, reviews_per_day=200)
    assert allowance(settings, due_reviews=250, done_reviews=0, done_new=0) == (
        DailyAllowance(200, 0)
    )
    assert allowance(settings, due_reviews=190, done_reviews=0, done_new=0) == (
        DailyAllowance(190, 10)
    )
    assert allowance(settings, due_reviews=50, done_reviews=0, done_new=0) == (
        DailyAllowance(50, 20)
    )
    # new cards introduced today count towards the review limit
    assert allowance(settings, due_reviews=150, done_reviews=30, done_new=15) == (
        DailyAllowance(150, 5)
    )


def test_new_cards_can_ignore_the_review_limit() -> None:
    settings = ReviewSettings(
        new_cards_per_day=20, reviews_per_day=200, new_cards_ignore_review_limit=True
    )
    assert allowance(settings, due_reviews=250, done_reviews=0, done_new=0) == (
        DailyAllowance(200, 20)
    )
    assert allowance(settings, due_reviews=250, done_reviews=0, done_new=5) == (
        DailyAllowance(200, 15)
    )


def test_the_queue_and_the_dashboard_count_the_same(ctx: AppContext, clock: ManualClock) -> None:
    set_config_values(
        ctx.paths.config_file, {"review": "{new_cards_per_day: 5, reviews_per_day: 12}"}
    )
    ctx.reload_settings()
    demo_deck(ctx, 30)
    due = clock.now() - timedelta(days=1)
    with ctx.db.write() as s:
        demo = s.scalar(select(Deck.id).where(Deck.name == "demo"))
        ids = list(s.scalars(select(Card.id).where(Card.deck_id == demo).limit(10)))
        s.execute(
            update(Card)
            .where(Card.id.in_(ids))
            .values(state=int(Status.REVIEW), stability=5.0, difficulty=5.0, due=due,
                    last_review=due - timedelta(days=5))
        )  # fmt: skip
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
