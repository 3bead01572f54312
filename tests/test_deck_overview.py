"""The deck overview (`f` on the review screen): the roadmap's grouping, Anki's counts, type to
filter, enter to study."""

from __future__ import annotations

import contextlib

from textual.pilot import Pilot
from textual.widgets import OptionList
from textual.worker import WorkerCancelled

from studytui.core.context import AppContext
from studytui.core.decks.sync import sync_decks
from studytui.core.services.facade import Services
from studytui.ui.app import StudyApp
from studytui.ui.screens.deck_overview import DeckOverviewScreen
from studytui.ui.screens.review import ReviewScreen


async def settle(app: StudyApp, pilot: Pilot[None]) -> None:
    for _ in range(4):
        with contextlib.suppress(WorkerCancelled):
            await app.workers.wait_for_complete()
        await pilot.pause()


def test_this_weeks_decks_come_first_then_the_phases_then_the_rest(ctx: AppContext) -> None:
    sync_decks(ctx)
    overview = Services.build(ctx).deck_overview.overview()
    assert overview.week == 1
    first = overview.groups[0]
    assert first.title == "This week · week 1"
    week_topics = set(Services.build(ctx).review.week_topics(None)[1])
    assert {d.topic_id for d in first.decks} <= week_topics
    names = [d.name for g in overview.groups for d in g.decks]
    assert len(names) == len(set(names)) == 95  # every deck once
    assert overview.groups[-1].title == "Other decks"
    # the two choices carry their queue's counts: today's limit of 20 new across decks
    assert overview.everything.new == 20
    assert overview.this_week is not None
    assert overview.this_week.new == 20
    assert all(d.new <= 20 for g in overview.groups for d in g.decks)


async def test_type_to_filter_and_enter_studies_that_deck(ctx: AppContext) -> None:
    sync_decks(ctx)
    app = StudyApp(ctx, start_mode="review")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, DeckOverviewScreen)
        options = screen.query_one(OptionList)
        first = options.get_option_at_index(0)
        assert first.id == "week"
        assert "Study this week's decks (week 1)" in str(first.prompt)
        await pilot.press(*"pandas")
        await pilot.pause()
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert "deck:pandas" in ids
        assert "all" not in ids  # filtering hides the two choices
        await pilot.press("enter")
        await settle(app, pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert review.filter.deck == "pandas"
        assert review.card is not None
        assert review.card.deck == "pandas"
        await pilot.press("f")
        await settle(app, pilot)
        await pilot.press("down", "enter")  # the second choice: all decks
        await settle(app, pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.filter.is_all


# -- custom study --------------------------------------------------------------------------------


def _stored(ctx: AppContext) -> list[tuple[int, int, object]]:
    from studytui.core.cardsearch.service import CardSearchService

    return [(r.id, r.state, r.due) for r in CardSearchService(ctx).search("deck:numpy").rows]


def test_custom_study_changes_no_schedule_unless_asked(ctx: AppContext) -> None:
    from sqlalchemy import func, select

    from studytui.core.scheduling import Rating
    from studytui.core.services.review import ReviewFilter, ReviewService
    from studytui.core.storage.models import ReviewLog

    sync_decks(ctx)
    before = _stored(ctx)
    service = ReviewService(ctx)
    session = service.start(ReviewFilter(search="deck:numpy", custom_label="numpy"))
    assert session.label == "custom study: numpy (no schedule changes)"
    total = session.counts().review
    assert total == len(before)  # every card, new ones too, outside the daily limits
    first = session.next_card()
    assert first is not None
    session.rate(Rating.Again)  # comes back at the end
    assert session.counts().review == total
    second = session.next_card()
    assert second is not None
    session.rate(Rating.Good)  # done for this sitting
    assert session.counts().review == total - 1
    assert session.flush() == 0
    assert _stored(ctx) == before
    with ctx.db.read() as s:
        assert s.scalar(select(func.count(ReviewLog.id))) == 0

    asked = service.start(ReviewFilter(search="deck:numpy", reschedule=True))
    card = asked.next_card()
    assert card is not None
    asked.rate(Rating.Good)
    asked.flush()
    with ctx.db.read() as s:
        assert s.scalar(select(func.count(ReviewLog.id))) == 1


async def test_the_overview_offers_custom_study_and_the_browser_studies_its_cards(
    ctx: AppContext,
) -> None:
    from textual.widgets import Input

    sync_decks(ctx)
    app = StudyApp(ctx, start_mode="review")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, DeckOverviewScreen)
        options = screen.query_one(OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert {"custom:ahead", "custom:forgotten", "custom:week-all"} <= set(ids)
        await pilot.press("ctrl+r")
        assert screen.choices["custom:week-all"].reschedule
        await pilot.press("ctrl+r")
        target = ids.index("custom:week-all")
        options.highlighted = target
        await pilot.press("enter")
        await settle(app, pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert review.filter.is_custom
        assert not review.filter.reschedule
        assert review.card is not None

        await pilot.press("6")
        await settle(app, pilot)
        browser = app.screen
        await pilot.press("slash")
        field = browser.query_one("#browser-query", Input)
        field.value = ""
        await pilot.press(*"deck:pandas", "enter")
        await settle(app, pilot)
        await pilot.press("space", "v")
        await settle(app, pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert review.filter.cards is not None
        assert len(review.filter.cards) == 1
        assert review.session is not None
        assert review.session.label == "custom study: 1 selected card (no schedule changes)"
