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
