"""Destructive timer keys ask first, and a quit during a pomodoro is never taken for a crash."""

from __future__ import annotations

import contextlib

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from studytui.core.categories import Category
from studytui.core.clock import ManualClock
from studytui.core.context import AppContext
from studytui.core.services.kept_running import marker_path
from studytui.core.services.session_log import SessionStatus
from studytui.core.services.sessions import SessionsService
from studytui.core.timer import Phase, WorkTarget
from studytui.ui.app import StudyApp
from studytui.ui.screens.dashboard import DashboardScreen
from studytui.ui.screens.recovery import RecoveryScreen
from studytui.ui.screens.review import ReviewScreen
from studytui.ui.timer_keys import ConfirmCancel, QuitDuringPomodoro


async def settle(app: StudyApp, pilot: Pilot[None]) -> None:
    for _ in range(3):
        with contextlib.suppress(WorkerCancelled):
            await app.workers.wait_for_complete()
        await pilot.pause()


async def running(app: StudyApp, pilot: Pilot[None]) -> None:
    await settle(app, pilot)
    app.timer.start(WorkTarget(Category.THEORY, "numpy"))
    await settle(app, pilot)
    assert app.timer.state.in_work


async def test_cancel_asks_and_keeping_is_the_default(ctx: AppContext, clock: ManualClock) -> None:
    app = StudyApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await running(app, pilot)
        clock.advance(minutes=12)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmCancel)
        assert "12 min of focus so far will not be logged" in str(
            app.screen.query_one("#choice-text").render()
        )
        await pilot.press("escape")  # keep it
        await settle(app, pilot)
        assert app.timer.state.in_work
        await pilot.press("c", "y")
        await settle(app, pilot)
        assert app.timer.state.is_idle
    assert SessionsService(ctx).all_kept() == []


async def quit_choosing(ctx: AppContext, key: str) -> StudyApp:
    app = StudyApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await running(app, pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, QuitDuringPomodoro)
        await pilot.press(key)
        await settle(app, pilot)
    return app


async def test_quit_stop_and_log_logs_the_focus(ctx: AppContext, clock: ManualClock) -> None:
    app = StudyApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await running(app, pilot)
        clock.advance(minutes=10)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, QuitDuringPomodoro)
        await pilot.press("escape")  # stay
        await pilot.pause()
        assert not isinstance(app.screen, QuitDuringPomodoro)
        assert app.is_running
        await pilot.press("ctrl+q", "x")
        await settle(app, pilot)
    kept = SessionsService(ctx).all_kept()
    assert [(v.status, v.focus_seconds) for v in kept] == [(SessionStatus.INTERRUPTED, 600)]
    app = StudyApp(ctx)  # the next start asks nothing
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)


async def test_quit_discard_logs_nothing(ctx: AppContext, clock: ManualClock) -> None:
    await quit_choosing(ctx, "d")
    assert SessionsService(ctx).all_kept() == []


async def test_kept_running_goes_on_at_the_next_start(ctx: AppContext, clock: ManualClock) -> None:
    await quit_choosing(ctx, "k")
    [left] = SessionsService(ctx).reads.open_kept()
    assert left.is_detached
    assert left.started_via == "app"
    assert not marker_path(ctx.paths.data_dir).exists()  # schema 9: no marker file any more
    clock.advance(minutes=10)  # studytui closed for ten minutes
    app = StudyApp(ctx, start_mode="timer")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert not isinstance(app.screen, RecoveryScreen)  # no "crashed" question
        assert app.timer.state.in_work
        run = app.timer.state.run
        assert run is not None
        assert round(run.elapsed(clock.now()).total_seconds()) == 600  # the time away counted
        assert any("goes on" in n.message for n in app._notifications)
    [held] = SessionsService(ctx).reads.open_kept()
    assert not held.is_detached  # held by the app again


async def test_a_marker_of_the_previous_version_still_means_kept_running(
    ctx: AppContext, clock: ManualClock
) -> None:
    """Quit with "keep running" under schema 8 (a marker file), then upgraded: no question."""
    from studytui.core.services.kept_running import write_marker

    old = SessionsService(ctx)
    state = old.start(old.load_timer(), WorkTarget(Category.THEORY, None))
    old.release()
    assert state.session_id is not None
    write_marker(ctx.paths.data_dir, state.session_id, clock.now())
    clock.advance(minutes=5)
    app = StudyApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert not isinstance(app.screen, RecoveryScreen)
        assert app.timer.state.in_work
    assert not marker_path(ctx.paths.data_dir).exists()


async def test_kept_running_past_its_end_is_logged(ctx: AppContext, clock: ManualClock) -> None:
    await quit_choosing(ctx, "k")
    clock.advance(hours=2)
    app = StudyApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert not isinstance(app.screen, RecoveryScreen)
        assert app.timer.state.is_idle or app.timer.state.phase is not Phase.WORK
        assert any("was logged (25 min)" in n.message for n in app._notifications)
    kept = SessionsService(ctx).all_kept()
    assert [(v.status, v.focus_seconds) for v in kept] == [(SessionStatus.COMPLETED, 1500)]


async def test_a_crash_after_keep_running_of_another_session_still_asks(
    ctx: AppContext, clock: ManualClock
) -> None:
    """A marker naming another session (stale) is ignored: an open session is a crash."""
    from datetime import UTC, datetime

    from studytui.core.services.kept_running import write_marker

    dead = SessionsService(ctx)
    dead.start(dead.load_timer(), WorkTarget(Category.THEORY, None))
    dead.release()
    write_marker(ctx.paths.data_dir, 999, datetime(2026, 11, 21, tzinfo=UTC))
    app = StudyApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, RecoveryScreen)


async def test_review_escape_and_q_leave_and_the_footer_follows_the_side(
    ctx: AppContext,
) -> None:
    from test_review_screen import demo_deck

    demo_deck(ctx)
    for key in ("escape", "q"):
        app = StudyApp(ctx, start_mode="review", review={"deck": "demo"})
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            shown = {b.description for _n, b, _e, _t in screen.active_bindings.values() if b.show}
            assert "Show answer" in shown
            assert "Good" not in shown
            await pilot.press("space")
            await pilot.pause()
            shown = {b.description for _n, b, _e, _t in screen.active_bindings.values() if b.show}
            assert "Good" in shown
            assert "Show answer" not in shown
            await pilot.press("4")  # a rating here (Easy), never an area
            await pilot.pause()
            assert app.screen is screen
            assert screen.card is not None  # the next card, question side
            assert not screen.revealed
            await pilot.press("f6")  # the areas stay reachable by F-keys
            await pilot.pause()
            assert app.screen is not screen
            await app.switch_mode("review")
            await pilot.pause()
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, DashboardScreen)


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_timer_dialogs_fit_and_enter_on_the_category_starts(
    ctx: AppContext, size: tuple[int, int]
) -> None:
    from textual.widgets import Button, Input, RadioSet, Select

    from studytui.ui.screens.timer_dialogs import SessionForm, StartDialog

    app = StudyApp(ctx, start_mode="timer")
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        for opened, dialog in (("a", SessionForm), ("s", StartDialog)):
            await pilot.press(opened)
            await pilot.pause()
            assert isinstance(app.screen, dialog)
            for widget in app.screen.query("Button, Input, RadioSet, Select"):
                assert isinstance(widget, Button | Input | RadioSet | Select)
                assert widget.region.bottom <= size[1], (dialog, widget)
            if dialog is SessionForm:
                await pilot.press("escape")
                await pilot.pause()
        assert isinstance(app.screen, StartDialog)
        assert isinstance(app.focused, RadioSet)
        await pilot.press("down", "enter")  # theory, and go
        await settle(app, pilot)
        assert app.timer.state.in_work
        target = app.timer.state.target
        assert target is not None
        assert target.category is Category.THEORY


async def test_start_offers_the_highlighted_topic_else_this_weeks_first_open(
    ctx: AppContext,
) -> None:
    from textual.widgets import Select

    from studytui.core.services.roadmap import RoadmapService, TopicStatus
    from studytui.ui.screens.timer_dialogs import StartDialog

    week = RoadmapService(ctx).week(None)
    first, second = week.topics[0].topic.id, week.topics[1].topic.id
    RoadmapService(ctx).set_topic_status(first, TopicStatus.DONE)
    app = StudyApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "down", "s")  # the third topic is highlighted
        await pilot.pause()
        assert isinstance(app.screen, StartDialog)
        assert app.screen.query_one("#topic", Select).value == week.topics[2].topic.id
        await pilot.press("escape")
        await app.switch_mode("stats")  # no topic list here: this week's first open topic
        await settle(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, StartDialog)
        assert app.screen.query_one("#topic", Select).value == second
