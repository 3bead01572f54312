"""Pilot tests of the dashboard and roadmap flows: status changes, ticks, topic detail."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input, Static

from studytui.core.clock import ManualClock
from studytui.core.context import AppContext
from studytui.core.services.facade import Services
from studytui.core.services.roadmap import RoadmapService, TopicStatus
from studytui.ui.app import StudyApp
from studytui.ui.screens.roadmap import RoadmapScreen
from studytui.ui.screens.topic import TopicScreen
from studytui.ui.widgets.checklist import Checklist
from studytui.ui.widgets.topic_list import TopicList


async def test_change_topic_status_from_dashboard(ctx: AppContext) -> None:
    app = StudyApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.focused is app.screen.query_one(TopicList)
        await pilot.press("down", "l")  # second topic: Python setup → learning
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("up", "d")  # first topic → done
        await app.workers.wait_for_complete()
        await pilot.pause()
        statuses = RoadmapService(ctx).topic_statuses(["math-for-ml", "python-setup"])
        assert statuses == {"math-for-ml": TopicStatus.DONE, "python-setup": TopicStatus.LEARNING}
        pace = str(app.screen.query_one("#dash-pace", Static).content)
        # 6 of the default roadmap's 35 topics are in no week: the weekly plan counts 29.
        assert "1/29 scheduled topics" in pace
        assert "6 unscheduled topics not counted" in pace


async def test_tick_milestone_from_dashboard(ctx: AppContext) -> None:
    app = StudyApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        checklist = app.screen.query_one(Checklist)
        checklist.focus()
        await pilot.press("space")
        await app.workers.wait_for_complete()
        await pilot.pause()
        item = RoadmapService(ctx).next_milestone(1)
        assert item is not None
        assert item.items[0].done is True
        assert item.items[1].done is False


async def test_open_topic_detail_and_set_status(ctx: AppContext) -> None:
    app = StudyApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # NumPy
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, TopicScreen)
        await pilot.press("k")  # skip (x stops a pomodoro, everywhere)
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = str(app.screen.query_one("#topic-text", Static).content)
        assert "Status: skipped" in text
        assert "Status history" in text
        await pilot.press("escape")
        await pilot.pause()
    assert RoadmapService(ctx).topic_statuses(["numpy"])["numpy"] is TopicStatus.SKIPPED


async def test_roadmap_switch_curriculum(ctx: AppContext) -> None:
    app = StudyApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, RoadmapScreen)
        await pilot.press("u")
        await app.workers.wait_for_complete()
        await pilot.pause()
        # ml-ai-senior-12w is highlighted; move to the 48-week one (last in the list) and accept.
        await pilot.press("end", "tab")
        field = app.screen.query_one(Input)
        assert app.focused is field
        field.value = ""
        await pilot.press(*"2026-11-16", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert ctx.settings.curriculum == "senior-ai-ml-48w"
    assert ctx.start_date().isoformat() == "2026-11-16"


async def open_numpy(app: StudyApp, pilot: Pilot[None]) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("down", "down", "enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, TopicScreen)


async def test_topic_detail_shows_deck_and_time(ctx: AppContext) -> None:
    from datetime import timedelta

    from studytui.core.categories import Category
    from studytui.core.services.sessions import SessionsService

    SessionsService(ctx).log(timedelta(minutes=40), Category.HANDS_ON, topic_id="numpy")
    app = StudyApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_numpy(app, pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = str(app.screen.query_one("#topic-text", Static).content)
        assert "Time invested: 40 min (Hands-on 40 min)" in text
        assert "cards" in text


async def test_review_a_topic_from_its_detail(ctx: AppContext) -> None:
    from studytui.ui.screens.review import ReviewScreen

    app = StudyApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_numpy(app, pilot)
        await pilot.press("v")
        for _ in range(5):
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.filter.topic == "numpy"


async def test_start_pomodoro_on_a_topic(ctx: AppContext) -> None:
    from studytui.ui.screens.timer_dialogs import StartDialog

    app = StudyApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_numpy(app, pilot)
        await pilot.press("s")  # the timer's start key, with the topic shown offered
        await pilot.pause()
        assert isinstance(app.screen, StartDialog)
        await pilot.press("ctrl+s")
        for _ in range(5):
            await app.workers.wait_for_complete()
            await pilot.pause()
    from studytui.core.services.sessions import SessionsService

    running = [v for v in SessionsService(ctx).all_kept() if v.is_open]
    assert [v.topic_id for v in running] == ["numpy"]


async def test_next_week_and_days_only_when_there_is_room(ctx: AppContext) -> None:
    app = StudyApp(ctx)
    async with app.run_test(size=(160, 50)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        nxt = app.screen.query_one("#dash-next", Static)
        assert nxt.display
        assert "Week 2 of 12" in str(nxt.content)
        assert "Data visualization" in str(nxt.content)
        assert app.screen.query_one("#dash-days", Static).display
        assert "This week by day" in str(app.screen.query_one("#dash-days", Static).content)
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert not nxt.display


def test_the_last_week_has_no_next_week(ctx: AppContext, clock: ManualClock) -> None:
    clock.advance(days=7 * 11)  # week 12 of 12
    plan = Services(ctx).dashboard.plan()
    assert plan.week.number == 12
    assert plan.next_week is None


async def test_dashboard_says_when_the_roadmap_starts(ctx: AppContext) -> None:
    from datetime import timedelta

    RoadmapService(ctx).use("ml-ai-senior-12w", ctx.today() + timedelta(days=3))
    app = StudyApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        week = str(app.screen.query_one("#dash-week", Static).content)
        assert week.startswith(
            "Starts in 3 days, on Tue 24 Nov 2026. Its first week:\nWeek 1 of 12"
        )
        await pilot.resize_terminal(80, 24)  # narrow: the summary line says it too
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        summary = str(app.screen.query_one("#dash-summary", Static).content)
        assert summary.startswith("Week 1 of 12 · starts in 3 days")


async def test_dashboard_says_the_roadmap_is_finished_and_what_next(
    ctx: AppContext, clock: ManualClock
) -> None:
    clock.advance(days=7 * 12)  # the day after week 12 of 12
    app = StudyApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        week = str(app.screen.query_one("#dash-week", Static).content)
        assert week.startswith("Finished: its last week ended Fri 12 Feb 2027.\nWhat next?")
        assert "2 (Roadmap) then u, or ctrl+p › Switch curriculum" in week
        summary = str(app.screen.query_one("#dash-summary", Static).content)
        assert summary.startswith("Week 12 of 12 · finished 1 day ago")


async def test_topic_detail_says_its_status_is_shared(ctx: AppContext) -> None:
    app = StudyApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_numpy(app, pilot)
        text = str(app.screen.query_one("#topic-text", Static).content)
        assert (
            "Status shared with other roadmaps: Machine Learning and AI Expert Roadmap, "
            "Senior AI/ML Developer Roadmap — 48 Weeks"
        ) in text


async def test_80x24_shows_the_split_and_due_cards_and_pages_down(
    ctx: AppContext, clock: ManualClock
) -> None:
    """At the standard terminal size the summary carries the week's split against its target
    and the due count; PageDown scrolls the stacked panels even with the topic list focused."""
    from datetime import timedelta

    from studytui.core.categories import Category
    from studytui.core.services.sessions import SessionsService

    sessions = SessionsService(ctx)
    sessions.log(timedelta(minutes=50), Category.HANDS_ON)
    sessions.log(timedelta(minutes=25), Category.THEORY, start=clock.now() - timedelta(hours=2))
    app = StudyApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        summary = app.screen.query_one("#dash-summary", Static)
        text = str(summary.content)
        assert "due" in text
        assert "split 67/33/0 % (target 70/20/10)" in text
        assert summary.region.bottom <= 24 - 1  # on screen, above the footer
        dash = app.screen.query_one("#dash")
        assert app.focused is app.screen.query_one(TopicList)
        await pilot.press("pagedown")
        await pilot.pause()
        assert dash.scroll_y > 0
        await pilot.press("pageup")
        await pilot.pause()
        assert dash.scroll_y == 0


async def test_ticked_and_open_items_differ_without_colour(ctx: AppContext) -> None:
    app = StudyApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        checklist = app.screen.query_one(Checklist)
        checklist.focus()
        await pilot.press("space")  # tick the first item
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        first, second = (checklist.render_line(y).text for y in (0, 1))
        assert first.startswith("▐✓▌")
        assert second.startswith("▐ ▌")
