"""Pomodoro conventions through the app (Pilot, real keys, a ManualClock moved by hand): the
``m`` dialog, the daily goal on the dashboard and the timer, auto-start, the phase-end sound."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Static

from studytui.core.categories import Category
from studytui.core.clock import ManualClock
from studytui.core.config import load_settings
from studytui.core.context import AppContext
from studytui.core.services.session_log import SessionStatus
from studytui.core.services.sessions import SessionsService
from studytui.core.sound import sound_warnings
from studytui.core.timer import Phase, WorkTarget
from studytui.ui.app import StudyApp
from studytui.ui.screens.dashboard import DashboardScreen
from studytui.ui.screens.pomodoro_dialog import PomodoroDialog
from studytui.ui.screens.timer import TimerScreen
from studytui.ui.widgets.timer_status import TimerStatusLine
from test_timer_screen import Recorder, digits, settle, tick

TARGET = WorkTarget(Category.THEORY, None, "paper")


def set_pomodoro(ctx: AppContext, **values: Any) -> None:
    ctx.settings = replace(ctx.settings, pomodoro=replace(ctx.settings.pomodoro, **values))


def typed(app: StudyApp, key: str, value: str) -> None:
    app.screen.query_one(f"#{key}", Input).value = value


async def test_the_dialog_writes_config_and_applies_from_the_next_phase(
    ctx: AppContext, clock: ManualClock
) -> None:
    config = ctx.paths.config_file
    config.write_text(
        config.read_text(encoding="utf-8") + "pomodoro:\n  work_minutes: 25  # mine\n",
        encoding="utf-8",
    )
    ctx.reload_settings()
    before = config.read_text(encoding="utf-8")
    app = StudyApp(ctx, start_mode="timer")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.timer.start(TARGET)  # a pomodoro already runs: it keeps its 25 minutes
        await settle(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
        assert isinstance(app.screen, PomodoroDialog)
        assert app.screen.query_one("#work_minutes", Input).value == "25"
        typed(app, "work_minutes", "241")
        typed(app, "daily_goal", "x")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        error = str(app.screen.query_one("#form-error", Static).render())
        assert "241 is out of range; allowed: 1-240" in error
        assert "'x' is not a whole number; allowed: 0-50" in error
        assert config.read_text(encoding="utf-8") == before  # nothing written
        typed(app, "work_minutes", "50")
        typed(app, "short_break_minutes", "10")
        typed(app, "daily_goal", "6")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, TimerScreen)
        text = config.read_text(encoding="utf-8")
        assert text.startswith(before.split("pomodoro:\n")[0])  # the user's file above kept
        assert "  work_minutes: 50  # mine\n" in text
        assert "  short_break_minutes: 10\n" in text
        assert "  daily_goal: 6\n" in text
        assert load_settings(config).pomodoro.work_minutes == 50
        run = app.timer.state.run
        assert run is not None
        assert run.planned.total_seconds() == 25 * 60  # the running one is not changed
        clock.advance(minutes=25)
        await tick(app, pilot)
        assert app.timer.state.phase is Phase.SHORT_BREAK
        assert digits(app) == "10:00"  # the next phase has the new length
        phase = str(app.screen.query_one("#timer-phase", Static).render())
        assert "today 1/6" in phase


async def test_a_failed_write_is_shown_as_failed(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_: Any) -> None:
        raise PermissionError(13, "Permission denied", str(ctx.paths.config_file))

    monkeypatch.setattr("studytui.core.services.settings.set_section_values", refuse)
    app = StudyApp(ctx, start_mode="timer")
    rec = Recorder(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
        typed(app, "work_minutes", "30")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, PomodoroDialog)  # kept open, never "saved"
        assert "Not saved" in str(app.screen.query_one("#form-error", Static).render())
        assert "Not saved" in rec.titles()
        assert not any("Saved to config.yaml" in m for m, _ in rec.notes)
        assert ctx.settings.pomodoro.work_minutes == 25


async def test_the_daily_goal_shows_on_the_dashboard(ctx: AppContext, clock: ManualClock) -> None:
    set_pomodoro(ctx, daily_goal=8)
    sessions = SessionsService(ctx)
    for _ in range(3):
        state = sessions.start(sessions.load_timer(), TARGET)
        clock.advance(minutes=25)
        sessions.advance(state)
        clock.advance(minutes=5)
    app = StudyApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        panel = str(app.screen.query_one("#dash-time", Static).render())
        assert "Pomodoros   today 3/8" in panel
        # A pomodoro completing while the dashboard is shown counts at once.
        await pilot.press("s")
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        clock.advance(minutes=25)
        await tick(app, pilot)
        await settle(app, pilot)
        panel = str(app.screen.query_one("#dash-time", Static).render())
        assert "today 4/8" in panel


async def test_no_goal_no_line(ctx: AppContext) -> None:
    app = StudyApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert "Pomodoros" not in str(app.screen.query_one("#dash-time", Static).render())


async def test_a_break_can_wait_for_s(ctx: AppContext, clock: ManualClock) -> None:
    set_pomodoro(ctx, auto_start_breaks=False)
    app = StudyApp(ctx, start_mode="timer")
    rec = Recorder(app)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        clock.advance(minutes=25)
        await tick(app, pilot)
        state = app.timer.state
        assert state.waiting_break is Phase.SHORT_BREAK
        assert state.run is None
        assert any("Short break ready — press s" in m for m, _ in rec.notes)
        phase = str(app.screen.query_one("#timer-phase", Static).render())
        assert "Short break ready — press s" in phase
        clock.advance(minutes=20)  # nothing counts meanwhile
        await tick(app, pilot)
        assert digits(app) == "05:00"
        await app.switch_mode("stats")  # the status line says so on other screens
        await settle(app, pilot)
        line = app.screen.query_one(TimerStatusLine)
        assert line.display
        assert "ready — press s" in str(line.render())
        await pilot.press("s")
        await settle(app, pilot)
        assert app.timer.state.phase is Phase.SHORT_BREAK
        run = app.timer.state.run
        assert run is not None
        assert run.started_at == clock.now()


async def test_n_on_a_waiting_break_starts_the_next_pomodoro(
    ctx: AppContext, clock: ManualClock
) -> None:
    set_pomodoro(ctx, auto_start_breaks=False)
    app = StudyApp(ctx, start_mode="timer")
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(app, pilot)
        app.timer.start(TARGET)
        await settle(app, pilot)
        clock.advance(minutes=25)
        await tick(app, pilot)
        assert app.timer.state.waiting_break is not None
        clock.advance(minutes=1)
        await tick(app, pilot)  # a heartbeat keeps the waiting break
        assert app.timer.state.waiting_break is not None
        await pilot.press("n")
        await settle(app, pilot)
        assert app.timer.state.in_work
        assert app.timer.state.target == TARGET


async def test_the_next_pomodoro_can_start_by_itself(ctx: AppContext, clock: ManualClock) -> None:
    set_pomodoro(ctx, auto_start_work=True)
    app = StudyApp(ctx, start_mode="timer")
    rec = Recorder(app)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        app.screen.query_one("#note", Input).value = "chapter 3"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        first = app.timer.state.session_id
        target = app.timer.state.target
        clock.advance(minutes=25)
        await tick(app, pilot)
        assert app.timer.state.phase is Phase.SHORT_BREAK
        clock.advance(minutes=5, seconds=1)
        await tick(app, pilot)
        state = app.timer.state
        assert state.in_work
        assert state.session_id not in (None, first)
        assert state.target == target
        assert any("The next pomodoro has started" in m for m, _ in rec.notes)
        assert state.session_id is not None
        view = SessionsService(ctx).get(state.session_id)
        assert view.status is SessionStatus.RUNNING
        assert view.note == "chapter 3"
        assert view.started_at == clock.now() - timedelta(seconds=1)  # at the break's end


async def test_a_sound_file_plays_in_a_worker_instead_of_the_bell(
    ctx: AppContext, clock: ManualClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    played: list[Path] = []
    monkeypatch.setattr("studytui.ui.phase_end.play_file", lambda p: played.append(p) or True)
    ding = tmp_path / "ding.wav"
    ding.write_bytes(b"RIFF")
    set_pomodoro(ctx, sound=str(ding))
    app = StudyApp(ctx, start_mode="timer")
    rec = Recorder(app)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(app, pilot)
        app.timer.start(TARGET)
        await settle(app, pilot)
        clock.advance(minutes=25)
        await tick(app, pilot)
        assert played == [ding]
        assert rec.bells == 0


def test_a_missing_sound_file_or_player_is_a_warning(tmp_path: Path) -> None:
    from studytui.core.config import PomodoroSettings

    config = str(tmp_path / "config.yaml")
    missing = PomodoroSettings(sound="sounds/ding.wav")
    warnings = sound_warnings(missing, config, which=lambda _: None)
    assert len(warnings) == 2
    assert f"{config}: pomodoro.sound: no sound file {tmp_path / 'sounds/ding.wav'}" in warnings[0]
    assert "no sound player found (paplay, aplay, afplay)" in warnings[1]
    assert sound_warnings(PomodoroSettings(), config, which=lambda _: None) == []
    assert sound_warnings(PomodoroSettings(bell=False), config) == []


async def test_x_and_c_drop_a_waiting_break(ctx: AppContext, clock: ManualClock) -> None:
    set_pomodoro(ctx, auto_start_breaks=False)
    app = StudyApp(ctx, start_mode="timer")
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(app, pilot)
        for key in ("x", "c"):
            app.timer.start(TARGET)
            await settle(app, pilot)
            clock.advance(minutes=25)
            await tick(app, pilot)
            assert app.timer.state.waiting_break is Phase.SHORT_BREAK
            await pilot.press(key)
            await settle(app, pilot)
            assert app.timer.state.is_idle, key
            assert app.timer.state.waiting_break is None, key
            assert app.timer.state.completed_today >= 1
