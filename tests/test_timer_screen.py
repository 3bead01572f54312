"""Pilot tests of the timer: real keys, a ManualClock moved by hand, workers awaited."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Digits, Input, Static

from studytui.core.categories import Category
from studytui.core.clock import ManualClock
from studytui.core.context import AppContext
from studytui.core.errors import StudyError
from studytui.core.notify import desktop_notify
from studytui.core.services.session_log import SessionStatus
from studytui.core.services.sessions import SessionsService
from studytui.core.timer import Phase, WorkTarget
from studytui.ui.app import StudyApp
from studytui.ui.screens.dashboard import DashboardScreen
from studytui.ui.screens.recovery import RecoveryScreen
from studytui.ui.screens.timer import TimerScreen
from studytui.ui.screens.timer_dialogs import SessionForm, StartDialog
from studytui.ui.widgets.timer_status import TimerStatusLine


class Recorder:
    """Keeps the app's notifications and bells for assertions."""

    def __init__(self, app: StudyApp) -> None:
        self.notes: list[tuple[str, dict[str, Any]]] = []
        self.bells = 0
        notify = app.notify

        def record(message: str, **kw: Any) -> None:
            self.notes.append((message, kw))
            notify(message, **kw)

        def bell() -> None:
            self.bells += 1

        app.notify = record  # type: ignore[method-assign]
        app.bell = bell  # type: ignore[method-assign]

    def titles(self) -> list[str]:
        return [str(kw.get("title", "")) for _, kw in self.notes]


async def settle(app: StudyApp, pilot: Pilot[None]) -> None:
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def tick(app: StudyApp, pilot: Pilot[None]) -> None:
    """What the one-second interval does, without waiting a second."""
    app.timer.tick()
    await settle(app, pilot)


def digits(app: StudyApp) -> str:
    return app.screen.query_one("#timer-digits", Digits).value


async def test_start_pause_resume_and_phase_end(ctx: AppContext, clock: ManualClock) -> None:
    app = StudyApp(ctx, start_mode="timer")
    rec = Recorder(app)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, TimerScreen)
        assert digits(app) == "25:00"
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, StartDialog)
        await pilot.press("down", "enter")  # the category: theory
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, TimerScreen)
        state = app.timer.state
        assert state.in_work
        assert state.target is not None
        assert state.target.category is Category.THEORY
        assert state.session_id is not None
        # The row is in the database already, running.
        assert SessionsService(ctx).get(state.session_id).status is SessionStatus.RUNNING

        clock.advance(minutes=10)
        await tick(app, pilot)
        assert digits(app) == "15:00"
        await pilot.press("p")
        await settle(app, pilot)
        assert app.timer.state.is_paused
        clock.advance(minutes=30)
        await tick(app, pilot)
        assert digits(app) == "15:00"  # frozen while paused
        await pilot.press("space")
        await settle(app, pilot)
        assert not app.timer.state.is_paused
        clock.advance(minutes=14, seconds=59)
        await tick(app, pilot)
        assert digits(app) == "00:01"
        clock.advance(seconds=30)  # the tick comes late: the phase still ends at its plan
        await tick(app, pilot)
        assert app.timer.state.phase is Phase.SHORT_BREAK
        assert "Pomodoro done" in rec.titles()
        assert rec.bells == 1
        view = SessionsService(ctx).get(state.session_id)
        assert view.status is SessionStatus.COMPLETED
        assert view.focus_seconds == 25 * 60
        assert digits(app) == "04:31"  # the break began at the planned end, 29 s ago

        clock.advance(minutes=5)
        await tick(app, pilot)
        assert app.timer.state.is_idle
        assert "Short break over" in rec.titles()
        assert rec.bells == 2
        table = app.screen.query_one("#sessions-table", DataTable)
        assert table.row_count == 1


async def test_stopped_early_is_logged_interrupted(ctx: AppContext, clock: ManualClock) -> None:
    app = StudyApp(ctx, start_mode="timer")
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        session_id = app.timer.state.session_id
        assert session_id is not None
        clock.advance(minutes=12)
        await pilot.press("x")
        await settle(app, pilot)
        assert app.timer.state.is_idle
        view = SessionsService(ctx).get(session_id)
        assert (view.status, view.focus_seconds) == (SessionStatus.INTERRUPTED, 12 * 60)


async def test_timer_runs_on_and_shows_on_other_screens(
    ctx: AppContext, clock: ManualClock
) -> None:
    app = StudyApp(ctx, start_mode="timer")
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(app, pilot)
        assert not app.screen.query(TimerStatusLine)  # the big timer is here
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("1")
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        line = app.screen.query_one(TimerStatusLine)
        clock.advance(minutes=3)
        await tick(app, pilot)
        text = str(line.content)
        assert "Work 22:00" in text
        assert "Hands-on" in text
        clock.advance(minutes=22)
        await tick(app, pilot)  # the phase ends while the user is elsewhere
        assert app.timer.state.phase is Phase.SHORT_BREAK
        assert "Short break 05:00" in str(line.content)
        await pilot.press("3")
        await settle(app, pilot)
        assert isinstance(app.screen, TimerScreen)
        assert digits(app) == "05:00"


def crash(ctx: AppContext, clock: ManualClock, heartbeat_after: int = 8) -> int:
    """A pomodoro whose process died after a heartbeat at minute ``heartbeat_after``."""
    dead = SessionsService(ctx)
    state = dead.start(dead.load_timer(), WorkTarget(Category.THEORY, "transformers", "notes"))
    clock.advance(minutes=heartbeat_after)
    dead.heartbeat(state)
    dead.release()
    assert state.session_id is not None
    return state.session_id


@pytest.mark.parametrize(
    ("key", "status", "minutes"),
    [("h", SessionStatus.INTERRUPTED, 8), ("e", SessionStatus.COMPLETED, 25), ("d", None, 0)],
)
async def test_recovery_dialog_stops_or_discards(
    ctx: AppContext, clock: ManualClock, key: str, status: SessionStatus | None, minutes: int
) -> None:
    session_id = crash(ctx, clock)
    clock.advance(hours=3)
    app = StudyApp(ctx)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, RecoveryScreen)
        facts = str(app.screen.query_one("#recovery-facts", Static).content)
        assert "Transformers" in facts
        assert "8 min of focus" in facts
        await pilot.press(key)
        await settle(app, pilot)
        assert not isinstance(app.screen, RecoveryScreen)
        assert app.timer.state.is_idle
        assert app.timer.ready
    kept = SessionsService(ctx).all_kept()
    if status is None:
        assert kept == []
    else:
        assert [(v.id, v.status, v.focus_seconds) for v in kept] == [
            (session_id, status, minutes * 60)
        ]


async def test_recovery_resume_continues_the_countdown(ctx: AppContext, clock: ManualClock) -> None:
    session_id = crash(ctx, clock)
    clock.advance(minutes=30)
    app = StudyApp(ctx, start_mode="timer")
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, RecoveryScreen)
        await pilot.press("r")
        await settle(app, pilot)
        assert isinstance(app.screen, TimerScreen)
        assert app.timer.state.session_id == session_id
        assert digits(app) == "17:00"
        clock.advance(minutes=17)
        await tick(app, pilot)
        assert app.timer.state.phase is Phase.SHORT_BREAK
    assert SessionsService(ctx).get(session_id).status is SessionStatus.COMPLETED


async def test_no_question_without_an_abandoned_session(ctx: AppContext) -> None:
    app = StudyApp(ctx)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.timer.ready
        assert not app.screen.query_one(TimerStatusLine).display  # hidden while idle


async def fill_form(app: StudyApp, pilot: Pilot[None], start: str, duration: str) -> None:
    assert isinstance(app.screen, SessionForm)
    app.screen.query_one("#start", Input).value = start
    app.screen.query_one("#duration", Input).value = duration
    await pilot.press("ctrl+s")
    await settle(app, pilot)


async def test_add_edit_delete_and_undo_in_the_app(ctx: AppContext, clock: ManualClock) -> None:
    app = StudyApp(ctx, start_mode="timer")
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        await fill_form(app, pilot, "2026-11-21 07:00", "45m")
        assert isinstance(app.screen, TimerScreen)
        table = app.screen.query_one("#sessions-table", DataTable)
        assert table.row_count == 1
        first = SessionsService(ctx).all_kept()[0]
        assert first.minutes == 45

        # An overlapping entry is refused in the form, naming the other session.
        await pilot.press("a")
        await pilot.pause()
        await fill_form(app, pilot, "2026-11-21 07:30", "30m")
        assert isinstance(app.screen, SessionForm)
        error = str(app.screen.query_one("#form-error", Static).content)
        assert f"overlaps session {first.id}" in error
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(SessionsService(ctx).all_kept()) == 1

        # Edit the selected session.
        table.focus()
        await pilot.press("e")
        await pilot.pause()
        await fill_form(app, pilot, "2026-11-21 07:00", "50m")
        assert SessionsService(ctx).get(first.id).minutes == 50

        await pilot.press("d")
        await settle(app, pilot)
        assert table.row_count == 0
        assert SessionsService(ctx).all_kept() == []
        await pilot.press("u")
        await settle(app, pilot)
        assert table.row_count == 1
        assert [v.id for v in SessionsService(ctx).all_kept()] == [first.id]


async def test_phase_end_desktop_notification_is_opt_in_and_bell_can_be_off(
    ctx: AppContext, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[tuple[str, str]] = []
    monkeypatch.setattr(
        "studytui.ui.phase_end.desktop_notify", lambda t, b: sent.append((t, b)) or True
    )
    pomodoro = replace(ctx.settings.pomodoro, bell=False, desktop_notifications=True)
    ctx.settings = replace(ctx.settings, pomodoro=pomodoro)
    app = StudyApp(ctx, start_mode="timer")
    rec = Recorder(app)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        clock.advance(minutes=25)
        await tick(app, pilot)
        assert sent == [("studytui: Pomodoro done", "Logged. Time for a short break.")]
        assert rec.bells == 0
        assert "Pomodoro done" in rec.titles()


def test_desktop_notify_without_a_notifier(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shutil.which", lambda _name: None)
    assert desktop_notify("studytui", "done") is False


def test_desktop_notify_with_notify_send(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out.txt"
    script = tmp_path / "notify-send"
    script.write_text(f'#!/bin/sh\necho "$@" > {out}\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr("sys.platform", "linux")
    assert desktop_notify("studytui: Pomodoro done", "Time for a break.") is True
    assert (
        out.read_text().strip() == "--app-name=studytui studytui: Pomodoro done Time for a break."
    )


async def test_a_failing_start_up_check_is_reported_not_fatal(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = StudyApp(ctx, start_mode="timer")

    def broken() -> None:
        raise StudyError("database is locked")

    monkeypatch.setattr(app.services.sessions, "abandoned", broken)
    rec = Recorder(app)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(app, pilot)
        assert app.timer.ready
        assert isinstance(app.screen, TimerScreen)
        assert ("database is locked", "Timer: start-up check failed") in [
            (m, str(kw.get("title"))) for m, kw in rec.notes
        ]


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_recovery_dialog_shows_every_option(
    ctx: AppContext, clock: ManualClock, size: tuple[int, int]
) -> None:
    """At 80x24 the last two options were below the screen's edge."""
    from textual.widgets import Button

    crash(ctx, clock)
    clock.advance(hours=1)
    app = StudyApp(ctx)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, RecoveryScreen)
        buttons = list(app.screen.query(Button))
        assert len(buttons) == 4
        for button in buttons:
            assert button.region.bottom <= size[1], button.label
            assert button.region.right <= size[0], button.label


def test_latest_free_start_skips_sessions_that_would_collide(
    ctx: AppContext, clock: ManualClock
) -> None:
    from datetime import timedelta

    from studytui.core.services.session_log import latest_free_start

    now = clock.now()
    sessions = SessionsService(ctx)
    pomodoro = sessions.log(
        timedelta(minutes=25), Category.THEORY, start=now - timedelta(minutes=27)
    )
    earlier = sessions.log(
        timedelta(minutes=50), Category.HANDS_ON, start=now - timedelta(minutes=90)
    )
    views = [pomodoro, earlier]
    slot = timedelta(minutes=25)
    # now-27..now-2 and now-90..now-40 are taken; the 13 minutes between are too short.
    assert latest_free_start(views, slot, now) == now - timedelta(minutes=90) - slot
    assert latest_free_start([], slot, now) == now - slot
    assert latest_free_start(views, timedelta(minutes=2), now) == now - timedelta(minutes=2)
