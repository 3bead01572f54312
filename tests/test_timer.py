"""The pure pomodoro state machine: times come from stored instants and a given ``now``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from studytui.core.categories import Category
from studytui.core.config import PomodoroSettings
from studytui.core.errors import ConflictError
from studytui.core.timer import CycleConfig, Phase, PhaseRun, TimerState, WorkTarget, advance

T0 = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)
CONFIG = CycleConfig()
TARGET = WorkTarget(Category.THEORY, "transformers")


def work(at: datetime = T0) -> TimerState:
    return TimerState().working(1, PhaseRun(Phase.WORK, at, CONFIG.work), TARGET)


def test_config_from_settings_and_defaults() -> None:
    cfg = CycleConfig.from_settings(PomodoroSettings(work_minutes=50, long_break_every=2))
    assert cfg.work == 50 * MIN
    assert cfg.short_break == 5 * MIN
    assert cfg.long_break == 15 * MIN
    assert CONFIG.length(Phase.WORK) == 25 * MIN


@pytest.mark.parametrize(
    ("completed", "phase"),
    [(0, Phase.SHORT_BREAK), (1, Phase.SHORT_BREAK), (3, Phase.SHORT_BREAK),
     (4, Phase.LONG_BREAK), (5, Phase.SHORT_BREAK), (8, Phase.LONG_BREAK)],
)  # fmt: skip
def test_long_break_every_fourth(completed: int, phase: Phase) -> None:
    assert CONFIG.break_after(completed) is phase


def test_remaining_is_computed_from_the_clock_not_counted_down() -> None:
    run = PhaseRun(Phase.WORK, T0, 25 * MIN)
    assert run.remaining(T0) == 25 * MIN
    assert run.remaining(T0 + 10 * MIN) == 15 * MIN
    # A laptop suspended for 20 minutes: the next reading is simply right.
    assert run.remaining(T0 + 30 * MIN) == timedelta(0)
    assert run.is_due(T0 + 25 * MIN)
    assert not run.is_due(T0 + 25 * MIN - timedelta(seconds=1))
    assert run.progress(T0 + 5 * MIN) == pytest.approx(0.2)
    assert run.planned_end(T0) == T0 + 25 * MIN


def test_clock_jumping_back_never_gives_negative_time() -> None:
    run = PhaseRun(Phase.WORK, T0, 25 * MIN)
    assert run.elapsed(T0 - 5 * MIN) == timedelta(0)
    assert run.remaining(T0 - 5 * MIN) == 25 * MIN


def test_pause_freezes_and_resume_shifts_the_end() -> None:
    run = PhaseRun(Phase.WORK, T0, 25 * MIN)
    paused = run.pause(T0 + 10 * MIN)
    assert paused.is_paused
    assert paused.remaining(T0 + 40 * MIN) == 15 * MIN  # frozen while paused
    assert paused.planned_end(T0 + 40 * MIN) == T0 + 55 * MIN
    resumed = paused.resume(T0 + 40 * MIN)
    assert resumed.paused == 30 * MIN
    assert resumed.remaining(T0 + 45 * MIN) == 10 * MIN
    assert resumed.planned_end(T0 + 45 * MIN) == T0 + 55 * MIN
    with pytest.raises(ConflictError):
        resumed.resume(T0 + 46 * MIN)
    with pytest.raises(ConflictError):
        paused.pause(T0 + 41 * MIN)


def test_end_of_a_phase_stopped_early_paused_or_late() -> None:
    run = PhaseRun(Phase.WORK, T0, 25 * MIN)
    early = run.end(T0 + 12 * MIN)
    assert (early.at, early.completed) == (T0 + 12 * MIN, False)
    # Stopped during a pause: the trailing pause is not part of the session.
    in_pause = run.pause(T0 + 12 * MIN).end(T0 + 30 * MIN)
    assert (in_pause.at, in_pause.completed) == (T0 + 12 * MIN, False)
    # Stopped long after the planned end: complete, at the planned end.
    late = run.pause(T0 + 5 * MIN).resume(T0 + 8 * MIN).end(T0 + 3 * 60 * MIN)
    assert (late.at, late.paused, late.completed) == (T0 + 28 * MIN, 3 * MIN, True)


def test_advance_work_then_break_then_idle() -> None:
    state = work()
    same, ended = advance(state, T0 + 24 * MIN, CONFIG)
    assert same == state
    assert ended == []
    on_break, ended = advance(state, T0 + 25 * MIN + timedelta(seconds=3), CONFIG)
    assert [e.phase for e in ended] == [Phase.WORK]
    assert ended[0].at == T0 + 25 * MIN  # the planned end, not when the tick noticed
    assert ended[0].session_id == 1
    assert ended[0].next_phase is Phase.SHORT_BREAK
    assert on_break.in_break
    assert on_break.session_id is None
    assert on_break.completed_today == 1
    assert on_break.run is not None
    assert on_break.run.started_at == T0 + 25 * MIN
    idle, ended = advance(on_break, T0 + 30 * MIN, CONFIG)
    assert [e.phase for e in ended] == [Phase.SHORT_BREAK]
    assert idle.is_idle
    assert idle.target == TARGET  # the next pomodoro starts on the same topic
    assert idle.pomodoro_number() == 2


def test_a_long_suspend_ends_work_and_break_in_one_step() -> None:
    state, ended = advance(work(), T0 + 3 * 60 * MIN, CONFIG)
    assert [e.phase for e in ended] == [Phase.WORK, Phase.SHORT_BREAK]
    assert [e.at for e in ended] == [T0 + 25 * MIN, T0 + 30 * MIN]
    assert state.is_idle


def test_full_cycle_has_a_long_break_after_the_fourth() -> None:
    now = T0
    state = TimerState()
    breaks = []
    for i in range(5):
        state = state.working(i + 1, PhaseRun(Phase.WORK, now, CONFIG.work), TARGET)
        assert state.pomodoro_number() == i + 1
        now += CONFIG.work
        state, _ = advance(state, now, CONFIG)
        assert state.phase is not None
        breaks.append(state.phase)
        now += CONFIG.length(state.phase)
        state, _ = advance(state, now, CONFIG)
        assert state.is_idle
    assert breaks == [Phase.SHORT_BREAK] * 3 + [Phase.LONG_BREAK, Phase.SHORT_BREAK]
    assert CONFIG.until_long_break(0) == 4
    assert CONFIG.until_long_break(3) == 1


def test_paused_break_does_not_end() -> None:
    state = work()
    state, _ = advance(state, T0 + 25 * MIN, CONFIG)
    assert state.run is not None
    state = state.with_run(state.run.pause(T0 + 26 * MIN))
    state, ended = advance(state, T0 + 60 * MIN, CONFIG)
    assert ended == []
    assert state.is_paused
