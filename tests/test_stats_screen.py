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
