"""The timer from the command line: start, stop, status, cancel, detached sessions, the waiter,
and the app taking over a session the CLI started (issue: live CLI timer)."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from studytui.cli import run
from studytui.cli.waiter import wait_for_end
from studytui.core.categories import Category
from studytui.core.clock import ManualClock
from studytui.core.context import AppContext
from studytui.core.lockfile import OwnerLock
from studytui.core.services.live_timer import LiveTimer
from studytui.core.services.session_log import SessionStatus, SessionView
from studytui.core.services.sessions import LOCK_NAME, SessionsService
from studytui.ui.app import StudyApp
from studytui.ui.screens.recovery import RecoveryScreen


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def kept(ctx: AppContext) -> list[SessionView]:
    return SessionsService(ctx).all_kept()


def ask_at_end(ctx: AppContext) -> None:
    config = ctx.paths.config_file
    config.write_text(
        config.read_text(encoding="utf-8") + "pomodoro:\n  detached_end: ask\n", encoding="utf-8"
    )


# -- the command line ------------------------------------------------------------------------


def test_start_status_stop(capsys: pytest.CaptureFixture[str], cli_clock: ManualClock) -> None:
    code, out, err = cli(capsys, "start", "theory", "+paper", "+reading", "--topic", "numpy",
                         "--note", "ch. 2")  # fmt: skip
    assert code == 0, err
    assert "Started session 1: 25 min of theory · numpy +paper +reading at 10:00, ends 10:25" in out
    cli_clock.advance(minutes=7)
    code, out, _ = cli(capsys, "status", "--json")
    data = json.loads(out)
    assert data["running"] is True
    assert (data["id"], data["category"], data["topic"], data["tags"]) == (
        1, "theory", "numpy", ["paper", "reading"],
    )  # fmt: skip
    assert data["focus_seconds"] == 420
    assert data["remaining_seconds"] == 1080
    assert data["planned_end"] == "2026-11-21T10:25:00+01:00"
    assert data["held_by"] is None
    assert data["started_via"] == "cli"
    assert data["detached_since"] == "2026-11-21T10:00:00+01:00"
    code, out, _ = cli(capsys, "status")
    assert "started from the command line at 10:00, detached since 10:00" in out
    assert "Focus 07:00 of 25:00, 18:00 left, planned end 10:25" in out

    code, _, err = cli(capsys, "start", "hands-on")
    assert code == 1
    assert "a timer is already running: session 1 (theory · numpy +paper +reading" in err

    cli_clock.advance(minutes=5)
    code, out, err = cli(capsys, "stop")
    assert code == 0, err
    assert "Logged 12 min (interrupted): session 1" in out
    code, out, _ = cli(capsys, "status", "--json")
    assert json.loads(out) == {"running": False}
    code, out, _ = cli(capsys, "status")
    assert out == "No session running.\n"
    code, _, err = cli(capsys, "stop")
    assert code == 2
    assert "no session is running" in err


def test_stop_at_a_given_time_and_its_bounds(
    capsys: pytest.CaptureFixture[str], cli_clock: ManualClock
) -> None:
    assert cli(capsys, "start", "hands-on", "--for", "50m")[0] == 0
    cli_clock.advance(minutes=40)
    code, _, err = cli(capsys, "stop", "--at", "09:59")
    assert code == 2
    assert "--at cannot be before it" in err
    code, _, err = cli(capsys, "stop", "--at", "10:41")
    assert code == 2
    assert "is in the future" in err
    code, out, err = cli(capsys, "stop", "--at", "10:30")
    assert code == 0, err
    assert "Logged 30 min (interrupted)" in out


def test_a_bad_length_or_tag_is_refused_and_nothing_starts(
    capsys: pytest.CaptureFixture[str], cli_clock: ManualClock, ctx: AppContext
) -> None:
    code, _, err = cli(capsys, "start", "theory", "--for", "25h")
    assert code == 2
    assert "--for" in err
    code, _, err = cli(capsys, "start", "theory", "+bad tag")
    assert code == 2
    assert "'bad tag' is not a tag" in err
    code, _, err = cli(capsys, "start", "theory", "+" + "x" * 41)
    assert code == 2
    assert "longer than 40" in err
    assert SessionsService(ctx).reads.open_kept() == []


def test_the_next_command_logs_a_detached_session_at_its_planned_end(
    capsys: pytest.CaptureFixture[str], cli_clock: ManualClock, ctx: AppContext
) -> None:
    assert cli(capsys, "start", "community")[0] == 0
    cli_clock.advance(hours=3)  # nothing ran at 10:25
    code, out, err = cli(capsys, "sessions", "--json")
    assert code == 0
    assert "logged the detached pomodoro at its planned end: session 1" in err
    [row] = json.loads(out)  # stdout is the JSON alone
    assert (row["status"], row["minutes"], row["end"]) == (
        "completed", 25, "2026-11-21T10:25:00+01:00",
    )  # fmt: skip
    # and a new start is free
    assert cli(capsys, "start", "theory")[0] == 0


def test_detached_end_ask_leaves_it_to_the_user(
    capsys: pytest.CaptureFixture[str], cli_clock: ManualClock, ctx: AppContext
) -> None:
    assert cli(capsys, "start", "community")[0] == 0
    ask_at_end(ctx)
    cli_clock.advance(hours=1)
    code, out, err = cli(capsys, "status")
    assert code == 0
    assert "logged" not in err
    assert "Its planned end has passed: `studytui stop` logs it up to then" in out
    code, out, _ = cli(capsys, "stop")
    assert "Logged 25 min (completed)" in out  # up to its planned end, not to now


def test_cancel_discards(
    capsys: pytest.CaptureFixture[str], cli_clock: ManualClock, ctx: AppContext
) -> None:
    assert cli(capsys, "start", "theory")[0] == 0
    cli_clock.advance(minutes=3)
    code, out, _ = cli(capsys, "cancel")
    assert code == 0
    assert "Cancelled, not logged: session 1" in out
    assert kept(ctx) == []
    code, _, err = cli(capsys, "cancel")
    assert code == 2
    assert "no session is running" in err


def test_a_session_the_app_holds_shows_and_is_not_changed_from_the_cli(
    capsys: pytest.CaptureFixture[str], cli_clock: ManualClock, ctx: AppContext
) -> None:
    app_side = SessionsService(ctx)  # an app's timer: it holds timer.lock
    from studytui.core.timer import WorkTarget

    app_side.start(app_side.load_timer(), WorkTarget(Category.HANDS_ON, "numpy"))
    try:
        cli_clock.advance(minutes=4)
        code, out, _ = cli(capsys, "status", "--json")
        data = json.loads(out)
        assert (data["held_by"], data["started_via"], data["detached_since"]) == (
            "app", "app", None,
        )  # fmt: skip
        assert data["focus_seconds"] == 240
        for command in ("stop", "cancel"):
            code, _, err = cli(capsys, command)
            assert code == 1
            assert f"is running in the app; {command} it there" in err
        assert SessionsService(ctx).reads.open_kept()[0].status is SessionStatus.RUNNING
    finally:
        app_side.release()


def test_tags_on_log_sessions_and_edit(
    capsys: pytest.CaptureFixture[str], cli_clock: ManualClock
) -> None:
    code, _, err = cli(capsys, "log", "30m", "theory", "+Paper", "+paper", "+ml/islr",
                       "--at", "2026-11-21 08:00")  # fmt: skip
    assert code == 0, err
    code, out, _ = cli(capsys, "sessions", "--json", "--tag", "PAPER")
    [row] = json.loads(out)
    assert row["tags"] == ["Paper", "ml/islr"]  # each once, as first typed
    code, out, _ = cli(capsys, "sessions", "--csv")
    assert out.splitlines()[1].endswith(",Paper ml/islr")
    code, out, err = cli(capsys, "sessions", "edit", "1", "--tags", "+video", "--duration", "20m")
    assert code == 0, err
    assert "+video" in out
    assert "20 min" in out
    code, out, _ = cli(capsys, "sessions", "--json", "--tag", "paper")
    assert json.loads(out) == []


def test_sessions_edit_delete_restore_refuse_overlaps(
    capsys: pytest.CaptureFixture[str], cli_clock: ManualClock
) -> None:
    assert cli(capsys, "log", "30m", "theory", "--at", "2026-11-21 08:00")[0] == 0
    assert cli(capsys, "log", "30m", "hands-on", "--at", "2026-11-21 09:00")[0] == 0
    code, _, err = cli(capsys, "sessions", "edit", "2", "--start", "2026-11-21 08:15")
    assert code == 1
    assert "overlaps session 1 (theory, Sat 21 Nov 2026 08:00–08:30); nothing was changed" in err
    code, out, _ = cli(capsys, "sessions", "delete", "1")
    assert code == 0
    assert "`studytui sessions restore 1` brings it back" in out
    assert cli(capsys, "sessions", "edit", "2", "--start", "2026-11-21 08:15")[0] == 0
    code, _, err = cli(capsys, "sessions", "restore", "1")
    assert code == 1
    assert "overlaps session 2" in err
    code, _, err = cli(capsys, "sessions", "edit", "9", "--note", "x")
    assert code == 2
    assert "no session 9" in err
    code, _, err = cli(capsys, "sessions", "edit", "2", "--category", "gardening")
    assert code == 2
    assert "'gardening' is not a category" in err


# -- the waiter --------------------------------------------------------------------------------


def test_the_waiter_rings_once_at_the_end_and_logs_it(ctx: AppContext, clock: ManualClock) -> None:
    view = LiveTimer(ctx).start(Category.THEORY)
    slept: list[float] = []
    rung: list[int] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.advance(seconds=seconds)

    outcome = wait_for_end(ctx, view.id, sleep, lambda v: rung.append(v.id))
    assert outcome == "rang"
    assert rung == [view.id]
    assert max(slept) <= 60
    assert sum(slept) == 25 * 60
    [done] = kept(ctx)
    assert (done.status, done.focus_seconds) == (SessionStatus.COMPLETED, 1500)


def test_the_waiter_leaves_quietly_when_stopped_or_taken_over(
    ctx: AppContext, clock: ManualClock
) -> None:
    timer = LiveTimer(ctx)
    view = timer.start(Category.THEORY)
    rung: list[int] = []

    def stop_meanwhile(seconds: float) -> None:
        clock.advance(minutes=5)
        LiveTimer(ctx).stop()

    assert wait_for_end(ctx, view.id, stop_meanwhile, lambda v: rung.append(v.id)) == "ended"
    view = timer.start(Category.THEORY)
    app_lock = OwnerLock(ctx.paths.data_dir / LOCK_NAME)

    def app_takes_over(seconds: float) -> None:
        assert app_lock.acquire()

    try:
        assert wait_for_end(ctx, view.id, app_takes_over, lambda v: rung.append(v.id)) == "app"
    finally:
        app_lock.release()
    assert rung == []


def test_start_notify_spawns_the_waiter_for_the_session(
    capsys: pytest.CaptureFixture[str], cli_clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    spawned: list[list[str]] = []

    class FakePopen:
        pid = 4242

        def __init__(self, command: list[str], **kwargs: object) -> None:
            assert kwargs["start_new_session"] is True
            spawned.append(command)

    monkeypatch.setattr("studytui.cli.waiter.subprocess.Popen", FakePopen)
    code, out, err = cli(capsys, "start", "theory", "--notify")
    assert code == 0, err
    assert "A waiter (pid 4242) rings at 10:25." in out
    [command] = spawned
    assert command[1:4] == ["-m", "studytui.cli.waiter", "1"]


# -- the app -------------------------------------------------------------------------------------


async def settle(app: StudyApp, pilot: Pilot[None]) -> None:
    for _ in range(3):
        with contextlib.suppress(WorkerCancelled):
            await app.workers.wait_for_complete()
        await pilot.pause()


async def test_the_app_takes_over_a_session_started_from_the_cli(
    ctx: AppContext, clock: ManualClock
) -> None:
    view = LiveTimer(ctx).start(Category.THEORY, tags=("paper",))
    clock.advance(minutes=10)
    app = StudyApp(ctx, start_mode="timer")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert not isinstance(app.screen, RecoveryScreen)  # not a crash
        assert app.timer.state.session_id == view.id
        assert app.timer.state.in_work
        run_ = app.timer.state.run
        assert run_ is not None
        assert round(run_.elapsed(clock.now()).total_seconds()) == 600
        assert any("started from the command line at 10:00 goes on here" in n.message
                   for n in app._notifications)  # fmt: skip
        [held] = SessionsService(ctx).reads.open_kept()
        assert not held.is_detached
        assert LiveTimer(ctx).status().held_by_app


async def test_an_open_app_picks_up_a_cli_start(ctx: AppContext, clock: ManualClock) -> None:
    app = StudyApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert app.timer.state.is_idle
        view = LiveTimer(ctx).start(Category.HANDS_ON)  # from another terminal
        clock.advance(seconds=6)
        app.timer.tick()
        await settle(app, pilot)
        assert app.timer.state.session_id == view.id


async def test_a_detached_session_past_its_end_with_ask_asks(
    ctx: AppContext, clock: ManualClock, tmp_path: Path
) -> None:
    ask_at_end(ctx)
    from studytui.core.context import open_context

    asking = open_context(ctx.paths, clock)
    try:
        LiveTimer(asking).start(Category.THEORY)
        clock.advance(hours=2)
        app = StudyApp(asking)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            assert isinstance(app.screen, RecoveryScreen)
            facts = str(app.screen.query_one("#recovery-facts").render())
            assert "A detached pomodoro passed its planned end" in facts
            assert "started from the command line" in facts
            await pilot.press("e")
            await settle(app, pilot)
        [done] = kept(asking)
        assert (done.status, done.focus_seconds) == (SessionStatus.COMPLETED, 1500)
    finally:
        asking.close()


async def test_tags_in_the_apps_note_field(ctx: AppContext, clock: ManualClock) -> None:
    """Start and the session form take tags as +words in the note field, Watson-style."""
    from textual.widgets import Input

    from studytui.ui.screens.timer_dialogs import StartDialog

    app = StudyApp(ctx, start_mode="timer")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, StartDialog)
        app.screen.query_one("#note", Input).value = "+bad!tag chapter 2"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, StartDialog)  # refused in the dialog, nothing started
        assert "is not a tag" in str(app.screen.query_one("#start-error").render())
        app.screen.query_one("#note", Input).value = "chapter 2 +paper +Reading"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        [running] = SessionsService(ctx).reads.open_kept()
        assert (running.note, running.tags) == ("chapter 2", ("paper", "Reading"))
        await pilot.press("x")
        await settle(app, pilot)
        await pilot.press("s")  # the next offer keeps the note and tags of the same topic
        await pilot.pause()
        assert app.screen.query_one("#note", Input).value == "chapter 2 +paper +Reading"
