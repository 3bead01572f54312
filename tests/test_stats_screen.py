"""The stats screen: this week's split against the target, past weeks, streak, reviews."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Static

from studytui.core.categories import Category
from studytui.core.clock import ManualClock
from studytui.core.context import AppContext
from studytui.core.services.facade import Services
from studytui.ui.app import StudyApp
from studytui.ui.screens.stats import StatsScreen


def log_week(services: Services, clock: ManualClock) -> None:
    now = clock.now()
    log = services.sessions.log
    log(timedelta(minutes=60), Category.HANDS_ON, start=now - timedelta(hours=5))
    log(timedelta(minutes=30), Category.THEORY, start=now - timedelta(hours=3))
    log(timedelta(minutes=30), Category.COMMUNITY, start=now - timedelta(days=8), topic_id="rag")


def test_report_history_and_split(ctx: AppContext, clock: ManualClock) -> None:
    services = Services.build(ctx)
    clock.advance(days=8)
    log_week(services, clock)
    report = services.stats.report()
    assert report.week.week.number == 2
    assert round(report.week.total_minutes) == 90
    assert [round(w.total_minutes) for w in report.history] == [30, 90]
    assert report.history[0].categories[2].percent == 100.0


async def test_stats_screen_shows_split(ctx: AppContext, clock: ManualClock) -> None:
    services = Services.build(ctx)
    log_week(services, clock)
    app = StudyApp(ctx, services=services)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        text = str(app.screen.query_one("#st-week", Static).content)
        assert "90 min focus in 2 sessions" in text
        assert "target 70%" in text
        await pilot.press("]")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Week 2 of 12" in str(app.screen.query_one("#st-week", Static).content)


async def test_weeks_before_the_roadmap_and_the_tabs_by_key(
    ctx: AppContext, clock: ManualClock
) -> None:
    """`[` on roadmap week 1 goes on into the calendar weeks before it; tab switches tabs."""
    from textual.widgets import TabbedContent

    from studytui.ui.screens.stats import whole_minute_ticks

    services = Services.build(ctx)
    log_week(services, clock)
    app = StudyApp(ctx, services=services, start_mode="stats")
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(2):
            await app.workers.wait_for_complete()
            await pilot.pause()
        week = app.screen.query_one("#st-week", Static)
        assert str(week.content).startswith("Week 1 of 12")
        await pilot.press("[")
        for _ in range(2):
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert "30 min focus in 1 sessions" in str(week.content)  # the calendar week before
        assert str(week.content).startswith("ISO week 2026-W46")
        await pilot.press("w")
        for _ in range(2):
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert str(week.content).startswith("Week 1 of 12")
        tabs = app.screen.query_one(TabbedContent)
        await pilot.press("tab")
        await pilot.pause()
        assert tabs.active == "stats-cards"
        await pilot.press("tab")
        await pilot.pause()
        assert tabs.active == "stats-time"

    class Recorder:
        def __init__(self) -> None:
            self.ticks: list[int] = []

        def yticks(self, ticks: list[int]) -> None:
            self.ticks = ticks

    plot = Recorder()
    whole_minute_ticks(plot, 197.5)
    assert plot.ticks == [0, 60, 120, 180, 240]
    whole_minute_ticks(plot, 7)
    assert plot.ticks == [0, 2, 4, 6, 8]
