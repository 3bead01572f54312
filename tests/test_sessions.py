"""The time log: the timer's stored sessions, crash recovery, manual entries, overlap, undo, DST.

Every test moves a ManualClock; nothing sleeps.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from studytui.cli import run
from studytui.core.categories import Category
from studytui.core.clock import ManualClock
from studytui.core.context import AppContext
from studytui.core.errors import ConflictError, NotFoundError, StudyError
from studytui.core.services.session_log import SessionSource, SessionStatus
from studytui.core.services.sessions import RecoveryChoice, SessionsService
from studytui.core.timeparse import parse_duration, parse_local_time
from studytui.core.timer import Phase, WorkTarget

MIN = timedelta(minutes=1)
THEORY = WorkTarget(Category.THEORY, "transformers", "attention paper")
HANDS_ON = WorkTarget(Category.HANDS_ON)


def rows(ctx: AppContext) -> list[tuple[int, str, str | None, str | None]]:
    """What another process would read from the file right now."""
    conn = sqlite3.connect(ctx.paths.database)
    try:
        return conn.execute(
            "SELECT id, status, ended_at, deleted_at FROM study_session ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def use_zone(ctx: AppContext, zone: str) -> None:
    ctx.settings = replace(ctx.settings, timezone=zone)


@pytest.fixture
def svc(ctx: AppContext) -> SessionsService:
    service = SessionsService(ctx)
    yield service  # type: ignore[misc]
    service.release()


# -- the timer ---------------------------------------------------------------------------


def test_start_writes_the_row_before_returning(ctx: AppContext, svc: SessionsService) -> None:
    state = svc.start(svc.load_timer(), THEORY)
    assert state.in_work
    assert state.session_id is not None
    assert rows(ctx) == [(state.session_id, "running", None, None)]
    view = svc.get(state.session_id)
    assert view.heartbeat_at == ctx.clock.now()
    assert view.planned_seconds == 25 * 60
    assert view.timezone == "Europe/Berlin"
    assert (view.category, view.topic_id, view.note) == (
        Category.THEORY,
        "transformers",
        "attention paper",
    )


def test_at_most_one_running_session(ctx: AppContext, svc: SessionsService) -> None:
    state = svc.start(svc.load_timer(), THEORY)
    with pytest.raises(ConflictError, match="already running"):
        svc.start(state.idle(), HANDS_ON)
    other = SessionsService(ctx)  # a second studytui
    with pytest.raises(ConflictError, match="already running"):
        other.start(other.load_timer(), HANDS_ON)
    assert len(rows(ctx)) == 1


def test_heartbeat_pause_and_resume_are_stored(
    ctx: AppContext, clock: ManualClock, svc: SessionsService
) -> None:
    state = svc.start(svc.load_timer(), THEORY)
    assert state.session_id is not None
    clock.advance(minutes=1)
    state = svc.heartbeat(state)
    assert svc.get(state.session_id).heartbeat_at == clock.now()
    clock.advance(minutes=9)
    state = svc.pause(state)
    assert rows(ctx)[0][1] == "paused"
    clock.advance(minutes=30)
    assert state.run is not None
    assert state.run.remaining(clock.now()) == 15 * MIN
    state = svc.resume(state)
    assert svc.get(state.session_id).paused_seconds == 30 * 60
    assert state.run is not None
    assert state.run.remaining(clock.now()) == 15 * MIN
    assert state.run.planned_end(clock.now()) == clock.now() + 15 * MIN


def test_stopped_early_is_interrupted_with_its_real_minutes(
    clock: ManualClock, svc: SessionsService
) -> None:
    start = clock.now()
    state = svc.start(svc.load_timer(), THEORY)
    clock.advance(minutes=10)
    state = svc.pause(state)
    clock.advance(minutes=5)
    state = svc.resume(state)
    clock.advance(minutes=2)
    session_id = state.session_id
    assert session_id is not None
    state = svc.stop(state)
    assert state.is_idle
    view = svc.get(session_id)
    assert view.status is SessionStatus.INTERRUPTED
    assert view.focus_seconds == 12 * 60
    assert view.ended_at == start + 17 * MIN


def test_stopped_while_paused_ends_where_the_pause_began(
    clock: ManualClock, svc: SessionsService
) -> None:
    start = clock.now()
    state = svc.start(svc.load_timer(), THEORY)
    clock.advance(minutes=7)
    state = svc.pause(state)
    clock.advance(minutes=40)
    session_id = state.session_id
    assert session_id is not None
    svc.stop(state)
    view = svc.get(session_id)
    assert (view.ended_at, view.focus_seconds) == (start + 7 * MIN, 7 * 60)


def test_cycle_completes_at_planned_end_and_survives_restart(
    ctx: AppContext, clock: ManualClock, svc: SessionsService
) -> None:
    state = svc.load_timer()
    phases = []
    for i in range(4):
        state = svc.start(state, THEORY)
        started = clock.now()
        clock.advance(minutes=25, seconds=40)  # the tick noticed 40 s late
        state, ended = svc.advance(state)
        assert [e.phase for e in ended] == [Phase.WORK]
        assert ended[0].at == started + 25 * MIN
        phases.append(state.phase)
        assert state.completed_today == i + 1
        assert state.run is not None
        clock.advance(state.run.planned)
        state, ended = svc.advance(state)
        assert state.is_idle
    assert phases == [Phase.SHORT_BREAK] * 3 + [Phase.LONG_BREAK]
    views = svc.between(date(2026, 11, 21), date(2026, 11, 21))
    assert [v.status for v in views] == [SessionStatus.COMPLETED] * 4
    assert all(v.focus_seconds == 25 * 60 for v in views)
    # A restart: the cycle position comes back from the database.
    fresh = SessionsService(ctx).load_timer()
    assert fresh.completed_today == 4
    assert fresh.pomodoro_number() == 5
    assert fresh.target == THEORY


def test_skip_work_then_skip_break(clock: ManualClock, svc: SessionsService) -> None:
    state = svc.start(svc.load_timer(), THEORY)
    first = state.session_id
    assert first is not None
    clock.advance(minutes=20)
    state = svc.skip(state)
    assert state.phase is Phase.SHORT_BREAK
    assert svc.get(first).status is SessionStatus.INTERRUPTED
    assert svc.get(first).focus_seconds == 20 * 60
    clock.advance(minutes=1)
    state = svc.skip(state)
    assert state.in_work
    assert state.session_id not in (None, first)
    assert state.target == THEORY


def test_cancel_logs_nothing(ctx: AppContext, clock: ManualClock, svc: SessionsService) -> None:
    state = svc.start(svc.load_timer(), THEORY)
    clock.advance(minutes=3)
    state = svc.cancel(state)
    assert state.is_idle
    assert svc.all_kept() == []
    assert rows(ctx)[0][1] == "cancelled"
    # …and it does not block the time it covered.
    svc.log(3 * MIN, Category.COMMUNITY)


def test_a_second_app_picks_up_changes_at_its_heartbeat(
    ctx: AppContext, clock: ManualClock, svc: SessionsService
) -> None:
    other = SessionsService(ctx)
    watching = other.load_timer()
    mine = svc.start(svc.load_timer(), THEORY)
    watching = other.heartbeat(watching)
    assert watching.session_id == mine.session_id
    clock.advance(minutes=2)
    svc.stop(mine)
    watching = other.heartbeat(watching)
    assert watching.is_idle


# -- crash recovery ----------------------------------------------------------------------


def crashed(ctx: AppContext, clock: ManualClock) -> tuple[int, datetime]:
    """A pomodoro started, heartbeat at minute 8, then the process died (lock released)."""
    dead = SessionsService(ctx)
    start = clock.now()
    state = dead.start(dead.load_timer(), THEORY)
    clock.advance(minutes=8)
    dead.heartbeat(state)
    dead.release()  # the kernel drops the lock of a killed process
    assert state.session_id is not None
    return state.session_id, start


def test_abandoned_session_is_found_with_its_facts(ctx: AppContext, clock: ManualClock) -> None:
    session_id, start = crashed(ctx, clock)
    clock.advance(hours=2)
    svc = SessionsService(ctx)
    found = svc.abandoned()
    assert found is not None
    assert found.session.id == session_id
    assert found.last_heartbeat == start + 8 * MIN
    assert found.planned_end == start + 25 * MIN
    assert found.planned_end_passed
    assert found.focus_at_heartbeat == 8 * MIN
    svc.release()


def test_no_question_while_another_studytui_runs_the_timer(
    ctx: AppContext, svc: SessionsService
) -> None:
    svc.start(svc.load_timer(), THEORY)  # holds the owner lock
    assert SessionsService(ctx).abandoned() is None


def test_recover_resume_continues_from_the_last_heartbeat(
    ctx: AppContext, clock: ManualClock
) -> None:
    session_id, _ = crashed(ctx, clock)
    clock.advance(hours=2)
    svc = SessionsService(ctx)
    assert svc.abandoned() is not None
    state = svc.recover(session_id, RecoveryChoice.RESUME)
    assert state.session_id == session_id
    assert state.run is not None
    assert state.run.remaining(clock.now()) == 17 * MIN  # as at the last heartbeat
    clock.advance(minutes=17)
    state, ended = svc.advance(state)
    assert [e.phase for e in ended] == [Phase.WORK]
    view = svc.get(session_id)
    assert view.status is SessionStatus.COMPLETED
    assert view.focus_seconds == 25 * 60
    svc.release()


@pytest.mark.parametrize(
    ("choice", "minutes", "status"),
    [
        (RecoveryChoice.STOP_AT_HEARTBEAT, 8, SessionStatus.INTERRUPTED),
        (RecoveryChoice.STOP_AT_PLANNED_END, 25, SessionStatus.COMPLETED),
    ],
)
def test_recover_by_stopping(
    ctx: AppContext,
    clock: ManualClock,
    choice: RecoveryChoice,
    minutes: int,
    status: SessionStatus,
) -> None:
    session_id, start = crashed(ctx, clock)
    clock.advance(hours=2)
    svc = SessionsService(ctx)
    assert svc.abandoned() is not None
    state = svc.recover(session_id, choice)
    assert state.is_idle
    view = svc.get(session_id)
    assert view.status is status
    assert view.focus_seconds == minutes * 60
    assert view.ended_at == start + minutes * MIN
    assert SessionsService(ctx).abandoned() is None


def test_recover_stop_at_planned_end_not_yet_reached_stops_now(
    ctx: AppContext, clock: ManualClock
) -> None:
    session_id, start = crashed(ctx, clock)
    clock.advance(minutes=2)  # restarted at minute 10 of 25
    svc = SessionsService(ctx)
    found = svc.abandoned()
    assert found is not None
    assert not found.planned_end_passed
    svc.recover(session_id, RecoveryChoice.STOP_AT_PLANNED_END)
    view = svc.get(session_id)
    assert (view.ended_at, view.status) == (start + 10 * MIN, SessionStatus.INTERRUPTED)


def test_recover_discard(ctx: AppContext, clock: ManualClock) -> None:
    session_id, _ = crashed(ctx, clock)
    svc = SessionsService(ctx)
    assert svc.abandoned() is not None
    state = svc.recover(session_id, RecoveryChoice.DISCARD)
    assert state.is_idle
    assert svc.all_kept() == []
    with pytest.raises(NotFoundError):
        svc.recover(session_id, RecoveryChoice.RESUME)


def test_recover_a_paused_session(ctx: AppContext, clock: ManualClock) -> None:
    dead = SessionsService(ctx)
    start = clock.now()
    state = dead.start(dead.load_timer(), THEORY)
    clock.advance(minutes=5)
    state = dead.pause(state)
    clock.advance(minutes=3)
    dead.heartbeat(state)
    dead.release()
    assert state.session_id is not None
    clock.advance(hours=1)
    svc = SessionsService(ctx)
    svc.abandoned()
    svc.recover(state.session_id, RecoveryChoice.STOP_AT_HEARTBEAT)
    view = svc.get(state.session_id)
    assert (view.ended_at, view.focus_seconds) == (start + 5 * MIN, 5 * 60)


# -- manual entries ----------------------------------------------------------------------


def at(ctx: AppContext, text: str) -> datetime:
    return parse_local_time(text, ctx.calendar, ctx.clock.now())


def test_log_ends_now_without_start(ctx: AppContext, svc: SessionsService) -> None:
    view = svc.log(45 * MIN, Category.THEORY, topic_id="transformers", note="chapter 3")
    assert view.ended_at == ctx.clock.now()
    assert view.started_at == ctx.clock.now() - 45 * MIN
    assert view.source is SessionSource.MANUAL
    assert view.status is SessionStatus.COMPLETED
    assert view.topic_title == "Transformers"


def test_overlap_is_refused_naming_the_other(ctx: AppContext, svc: SessionsService) -> None:
    first = svc.log(
        45 * MIN, Category.THEORY, topic_id="transformers", start=at(ctx, "2026-11-20 20:00")
    )
    with pytest.raises(ConflictError) as err:
        svc.log(30 * MIN, Category.HANDS_ON, start=at(ctx, "2026-11-20 20:30"))
    message = str(err.value)
    assert f"session {first.id}" in message
    assert "theory · transformers" in message
    assert "Fri 20 Nov 2026 20:00–20:45" in message
    with pytest.raises(ConflictError):  # fully inside
        svc.log(10 * MIN, Category.HANDS_ON, start=at(ctx, "2026-11-20 20:10"))
    with pytest.raises(ConflictError):  # fully around
        svc.log(3 * 60 * MIN, Category.HANDS_ON, start=at(ctx, "2026-11-20 19:00"))
    # Touching is not overlapping; nothing was trimmed.
    svc.log(15 * MIN, Category.COMMUNITY, start=at(ctx, "2026-11-20 20:45"))
    svc.log(15 * MIN, Category.COMMUNITY, start=at(ctx, "2026-11-20 19:45"))
    assert [v.minutes for v in svc.all_kept()] == [15, 45, 15]


def test_log_during_a_running_timer_is_refused(ctx: AppContext, svc: SessionsService) -> None:
    state = svc.start(svc.load_timer(), THEORY)
    ctx.clock.advance(minutes=10)  # type: ignore[attr-defined]
    with pytest.raises(ConflictError, match=f"session {state.session_id} .*running since"):
        svc.log(5 * MIN, Category.COMMUNITY)


def test_log_refuses_the_future_zero_and_unknown_topics(
    ctx: AppContext, svc: SessionsService
) -> None:
    with pytest.raises(StudyError, match="future"):
        svc.log(30 * MIN, Category.THEORY, start=ctx.clock.now() - 10 * MIN)
    with pytest.raises(StudyError, match="above zero"):
        svc.log(timedelta(0), Category.THEORY)
    with pytest.raises(NotFoundError, match="did you mean transformers"):
        svc.log(30 * MIN, Category.THEORY, topic_id="transformer")
    assert svc.all_kept() == []


def test_edit_moves_a_session_and_refuses_overlap(ctx: AppContext, svc: SessionsService) -> None:
    a = svc.log(30 * MIN, Category.THEORY, start=at(ctx, "2026-11-20 08:00"))
    b = svc.log(30 * MIN, Category.HANDS_ON, start=at(ctx, "2026-11-20 09:00"))
    with pytest.raises(ConflictError, match=f"session {a.id}"):
        svc.edit(b.id, start=at(ctx, "2026-11-20 08:15"), duration=30 * MIN,
                 category=Category.HANDS_ON, topic_id=None, note=None)  # fmt: skip
    edited = svc.edit(b.id, start=at(ctx, "2026-11-20 08:30"), duration=50 * MIN,
                      category=Category.COMMUNITY, topic_id="rag", note="meetup")  # fmt: skip
    assert edited.minutes == 50
    assert (edited.category, edited.topic_id, edited.note) == (Category.COMMUNITY, "rag", "meetup")
    assert svc.get(b.id).ended_at == at(ctx, "2026-11-20 09:20")


def test_delete_and_undo(ctx: AppContext, svc: SessionsService) -> None:
    a = svc.log(30 * MIN, Category.THEORY, start=at(ctx, "2026-11-20 08:00"))
    svc.delete(a.id)
    assert svc.all_kept() == []
    assert rows(ctx)[0][3] is not None  # soft: the row is still there
    restored = svc.undo_delete(a.id)
    assert restored.deleted_at is None
    assert [v.id for v in svc.all_kept()] == [a.id]
    # If the slot was taken meanwhile, the undo is refused rather than overlapping.
    svc.delete(a.id)
    b = svc.log(20 * MIN, Category.HANDS_ON, start=at(ctx, "2026-11-20 08:10"))
    with pytest.raises(ConflictError, match=f"session {b.id}"):
        svc.undo_delete(a.id)
    with pytest.raises(NotFoundError):
        svc.delete(a.id)


def test_running_session_cannot_be_edited_or_deleted(svc: SessionsService) -> None:
    state = svc.start(svc.load_timer(), THEORY)
    assert state.session_id is not None
    with pytest.raises(ConflictError, match="still running"):
        svc.delete(state.session_id)


# -- time zones and study days -----------------------------------------------------------


def test_berlin_night_of_2026_10_25_timer_has_its_true_length(
    ctx: AppContext, clock: ManualClock, svc: SessionsService
) -> None:
    # 02:50 CEST; the clocks go back from 03:00 CEST to 02:00 CET at 01:00 UTC.
    clock.set(datetime(2026, 10, 25, 0, 50, tzinfo=UTC))
    state = svc.start(svc.load_timer(), THEORY)
    clock.advance(minutes=25)
    state, ended = svc.advance(state)
    view = svc.get(ended[0].session_id or 0)
    local_start = ctx.calendar.local(view.started_at)
    local_end = ctx.calendar.local(view.ended_at or view.started_at)
    assert (local_start.hour, local_start.minute) == (2, 50)
    assert (local_end.hour, local_end.minute) == (2, 15)  # "earlier" on the wall clock
    assert view.focus_seconds == 25 * 60


def test_berlin_night_of_2026_10_25_manual_entry(ctx: AppContext, svc: SessionsService) -> None:
    ctx.clock.set(datetime(2026, 10, 26, 12, 0, tzinfo=UTC))  # type: ignore[attr-defined]
    view = svc.log(3 * 60 * MIN, Category.THEORY, start=at(ctx, "2026-10-25 01:30"))
    assert view.started_at == datetime(2026, 10, 24, 23, 30, tzinfo=UTC)
    assert ctx.calendar.local(view.ended_at or view.started_at).strftime("%H:%M %Z") == "03:30 CET"
    assert view.minutes == 180  # 3 hours although the wall clock moved 2
    assert view.study_day(4) == date(2026, 10, 24)
    # 02:30 happened twice that night: without an offset it is the first (CEST) one.
    assert at(ctx, "2026-10-25 02:30") == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert at(ctx, "2026-10-25 02:30+01:00") == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    with pytest.raises(StudyError, match="does not exist"):
        at(ctx, "2026-03-29 02:30")


def test_new_york_night_of_2026_11_01_timer(
    ctx: AppContext, clock: ManualClock, svc: SessionsService
) -> None:
    use_zone(ctx, "America/New_York")
    # 01:50 EDT; at 06:00 UTC the clocks go back from 02:00 EDT to 01:00 EST.
    clock.set(datetime(2026, 11, 1, 5, 50, tzinfo=UTC))
    state = svc.start(svc.load_timer(), HANDS_ON)
    clock.advance(minutes=25)
    state, ended = svc.advance(state)
    timer = svc.get(ended[0].session_id or 0)
    local_end = ctx.calendar.local(timer.ended_at or timer.started_at)
    assert local_end.strftime("%H:%M %Z") == "01:15 EST"
    assert timer.focus_seconds == 25 * 60
    assert timer.timezone == "America/New_York"
    assert timer.study_day(4) == date(2026, 10, 31)  # before the 04:00 rollover


def test_new_york_night_of_2026_11_01_manual_entry(
    ctx: AppContext, clock: ManualClock, svc: SessionsService
) -> None:
    use_zone(ctx, "America/New_York")
    clock.set(datetime(2026, 11, 2, 12, 0, tzinfo=UTC))
    manual = svc.log(2 * 60 * MIN, Category.THEORY, start=at(ctx, "2026-11-01 00:30"))
    assert manual.started_at == datetime(2026, 11, 1, 4, 30, tzinfo=UTC)
    assert manual.minutes == 120
    local_end = ctx.calendar.local(manual.ended_at or manual.started_at)
    assert local_end.strftime("%H:%M %Z") == "01:30 EST"
    # 00:30 is before the 04:00 rollover: it counts for Saturday 31 October.
    assert manual.study_day(4) == date(2026, 10, 31)
    # 01:30 happened twice; the second one (EST) is free, the first (EDT) is taken.
    with pytest.raises(ConflictError, match=f"session {manual.id}"):
        svc.log(20 * MIN, Category.THEORY, start=at(ctx, "2026-11-01 01:10"))
    svc.log(20 * MIN, Category.THEORY, start=at(ctx, "2026-11-01 01:30-05:00"))


def test_late_night_counts_for_the_day_before(ctx: AppContext, svc: SessionsService) -> None:
    ctx.clock.set(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))  # type: ignore[attr-defined]
    late = svc.log(45 * MIN, Category.THEORY, start=at(ctx, "2026-11-22 01:30"))
    early = svc.log(45 * MIN, Category.THEORY, start=at(ctx, "2026-11-22 04:30"))
    assert late.study_day(4) == date(2026, 11, 21)
    assert early.study_day(4) == date(2026, 11, 22)
    assert [v.id for v in svc.between(date(2026, 11, 21), date(2026, 11, 21))] == [late.id]


def test_parse_duration() -> None:
    assert parse_duration("45m") == 45 * MIN
    assert parse_duration("1h30m") == 90 * MIN
    assert parse_duration("1.5h") == 90 * MIN
    assert parse_duration("1:30") == 90 * MIN
    assert parse_duration("90") == 90 * MIN
    assert parse_duration("2h") == 120 * MIN
    with pytest.raises(StudyError):
        parse_duration("soon")


# -- the command line --------------------------------------------------------------------


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_log_sessions_json_and_csv(
    capsys: pytest.CaptureFixture[str], cli_clock: ManualClock
) -> None:
    code, out, err = cli(capsys, "log", "45m", "theory", "--topic", "transformers",
                         "--at", "2026-11-20 20:00", "--note", "attention")  # fmt: skip
    assert code == 0, err
    assert "Logged 45 min of theory" in out
    code, out, err = cli(capsys, "log", "30m", "hands-on")
    assert code == 0, err
    code, _, err = cli(capsys, "log", "30m", "theory", "--at", "2026-11-20 20:30")
    assert code == 1
    assert "overlaps session 1 (theory · transformers, Fri 20 Nov 2026 20:00–20:45)" in err
    assert "Traceback" not in err
    code, _, err = cli(capsys, "log", "30m", "gardening")
    assert code == 2  # run() returns argparse's status, it does not raise SystemExit
    assert "studytui: CATEGORY: 'gardening' is not a category" in err

    code, out, _ = cli(capsys, "sessions", "--week", "2026-W47", "--json")
    assert code == 0
    data = json.loads(out)
    assert [d["id"] for d in data] == [1, 2]
    first = data[0]
    assert first["start"] == "2026-11-20T20:00:00+01:00"
    assert first["end"] == "2026-11-20T20:45:00+01:00"
    assert first["minutes"] == 45
    assert (first["category"], first["topic"], first["status"]) == (
        "theory",
        "transformers",
        "completed",
    )
    assert data[1]["end"] == "2026-11-21T10:00:00+01:00"  # ends now

    code, out, _ = cli(capsys, "sessions", "--all", "--csv")
    table = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in table] == ["1", "2"]
    assert table[0]["note"] == "attention"
    assert table[1]["topic"] == ""

    code, out, _ = cli(capsys, "sessions")  # this roadmap week: started today
    assert "Week 1 of 12" in out
    assert "hands-on" in out
    assert "transformers" not in out


def test_cli_sessions_show_the_year_when_not_all_this_year(
    capsys: pytest.CaptureFixture[str], cli_clock: ManualClock
) -> None:
    assert cli(capsys, "log", "45m", "theory", "--at", "2026-11-20 20:00")[0] == 0
    code, out, _ = cli(capsys, "sessions", "--all")
    assert code == 0
    assert "Fri 20 Nov 20:00–20:45" in out  # this year only: no year
    assert "2026" not in out
    assert cli(capsys, "log", "30m", "hands-on", "--at", "2025-12-30 19:00")[0] == 0
    code, out, _ = cli(capsys, "sessions", "--all")
    lines = out.splitlines()
    assert "Tue 30 Dec 2025 19:00–19:30" in lines[0]
    assert "Fri 20 Nov 2026 20:00–20:45" in lines[1]
    code, out, _ = cli(capsys, "sessions", "--week", "2026-W01")  # last year's day alone
    assert out.splitlines()[0] == "ISO week 2026-W01 · Mon 29 Dec 2025 – Sun 04 Jan 2026"
    assert "Tue 30 Dec 2025 19:00–19:30" in out


def test_cli_stats_json(capsys: pytest.CaptureFixture[str], cli_clock: ManualClock) -> None:
    for args in (("60m", "hands-on", "--at", "2026-11-21 06:00"),
                 ("30m", "theory", "--topic", "rag", "--at", "2026-11-21 08:00"),
                 ("10m", "community", "--at", "2026-11-21 09:00")):  # fmt: skip
        assert cli(capsys, "log", *args)[0] == 0
    code, out, _ = cli(capsys, "stats", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["week"] == 1
    assert data["minutes"] == {"hands-on": 60, "theory": 30, "community": 10}
    assert data["target"] == {"hands-on": 70, "theory": 20, "community": 10}
    assert data["percent"] == {"hands-on": 60.0, "theory": 30.0, "community": 10.0}
    assert data["deviation_pp"] == {"hands-on": -10.0, "theory": 10.0, "community": 0.0}
    # To reach 70/20/10 the week must grow to 150 minutes: +45 hands-on, +5 community.
    assert data["needed_minutes"] == {"hands-on": 45, "theory": 0, "community": 5}
    assert data["needed_total_minutes"] == 50
    assert data["topics"][0] == {"id": None, "title": "(no topic)", "minutes": 70}
    assert data["days"][0] == {"date": "2026-11-21", "minutes": 100}
    assert data["streak"]["current"] == 1
    code, out, _ = cli(capsys, "stats", "--week", "2026-W47", "--json")
    assert json.loads(out)["week"] == "2026-W47"
    code, out, _ = cli(capsys, "stats")
    assert "hands-on" in out
    assert "To meet the target split: 50 more minutes" in out
    code, _, err = cli(capsys, "stats", "--week", "99")
    assert code == 2
    assert "week 99 is not in" in err
    code, _, err = cli(capsys, "stats", "--week", "next")
    assert code == 2
    assert "not a week" in err


def test_the_app_that_keeps_the_timer_alive_takes_over_the_lock(
    ctx: AppContext, svc: SessionsService
) -> None:
    viewer = SessionsService(ctx)
    watching = viewer.load_timer()
    state = svc.start(svc.load_timer(), THEORY)
    viewer.heartbeat(watching)  # the owner is alive: the viewer cannot take the lock
    assert SessionsService(ctx).abandoned() is None
    svc.release()  # the app that started it quits; the viewer keeps running
    viewer.heartbeat(watching)
    assert SessionsService(ctx).abandoned() is None
    viewer.release()
    third = SessionsService(ctx)
    found = third.abandoned()
    assert found is not None
    assert found.session.id == state.session_id
    third.release()
