"""Pomodoro conventions, pure layer: auto-start, the daily goal's settings, the sound setting
and the in-place edit of ``pomodoro:`` in config.yaml. Instants are given, nothing sleeps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from studytui.core.categories import Category
from studytui.core.config import PomodoroSettings, load_settings
from studytui.core.config_section import set_section_values
from studytui.core.errors import InputError
from studytui.core.timer import (
    AUTO_START_GRACE,
    CycleConfig,
    Phase,
    PhaseRun,
    TimerState,
    WorkTarget,
    advance,
)

T0 = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)
TARGET = WorkTarget(Category.THEORY, "transformers", "attention paper")


def working(config: CycleConfig, done: int = 0) -> TimerState:
    run = PhaseRun(Phase.WORK, T0, config.work)
    return TimerState(completed_today=done).working(1, run, TARGET)


# -- auto-start -----------------------------------------------------------------------------


def test_by_default_the_break_starts_by_itself_and_the_next_pomodoro_waits() -> None:
    config = CycleConfig.from_settings(PomodoroSettings())
    assert (config.auto_start_breaks, config.auto_start_work) == (True, False)
    state, ended = advance(working(config), T0 + 25 * MIN, config)
    assert state.phase is Phase.SHORT_BREAK
    assert ended[0].auto
    assert ended[0].next_phase is Phase.SHORT_BREAK
    state, ended = advance(state, T0 + 30 * MIN, config)
    assert state.is_idle
    assert state.waiting_break is None
    assert ended[0].next_phase is None
    assert not ended[0].auto


def test_a_break_can_wait_for_s_without_counting() -> None:
    config = CycleConfig(auto_start_breaks=False)
    state, ended = advance(working(config, done=3), T0 + 26 * MIN, config)
    assert state.is_idle
    assert state.waiting_break is Phase.LONG_BREAK  # the 4th pomodoro of the day
    assert (ended[0].next_phase, ended[0].auto) == (Phase.LONG_BREAK, False)
    assert state.completed_today == 4
    # An hour later nothing has counted: the break starts when s is pressed, full length.
    later = T0 + 90 * MIN
    assert advance(state, later, config) == (state, [])
    started = state.start_waiting_break(later, config)
    assert started.phase is Phase.LONG_BREAK
    assert started.waiting_break is None
    assert started.run is not None
    assert started.run.remaining(later) == 15 * MIN


def test_the_next_pomodoro_can_start_by_itself_on_the_same_target() -> None:
    config = CycleConfig(auto_start_work=True)
    state, _ = advance(working(config), T0 + 25 * MIN, config)
    state, ended = advance(state, T0 + 30 * MIN + 1 * MIN, config)  # noticed a minute late
    assert state.in_work
    assert state.needs_row
    assert state.target == TARGET  # category, topic and note kept
    assert state.run is not None
    assert state.run.started_at == T0 + 30 * MIN
    assert (ended[-1].phase, ended[-1].next_phase, ended[-1].auto) == (
        Phase.SHORT_BREAK,
        Phase.WORK,
        True,
    )
    # The loop stops at a work phase without its row, even when that one is due as well.
    assert advance(state, T0 + 3 * 60 * MIN, config) == (state, [])


def test_no_pomodoro_starts_by_itself_after_a_suspend_or_without_a_target() -> None:
    config = CycleConfig(auto_start_work=True)
    on_break, _ = advance(working(config), T0 + 25 * MIN, config)
    late = T0 + 30 * MIN + AUTO_START_GRACE + timedelta(seconds=1)
    state, ended = advance(on_break, late, config)
    assert state.is_idle
    assert ended[-1].next_phase is None
    no_target = TimerState(run=PhaseRun(Phase.SHORT_BREAK, T0, 5 * MIN))
    state, _ = advance(no_target, T0 + 5 * MIN, config)
    assert state.is_idle


def test_idle_and_a_new_break_clear_a_waiting_break() -> None:
    config = CycleConfig(auto_start_breaks=False)
    waiting, _ = advance(working(config), T0 + 25 * MIN, config)
    assert waiting.idle().waiting_break is None
    assert waiting.on_break(T0, config, 1).waiting_break is None


# -- settings -------------------------------------------------------------------------------


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_new_pomodoro_keys_parse_with_their_defaults(tmp_path: Path) -> None:
    p = load_settings(write(tmp_path, "theme: nord\n")).pomodoro
    assert (p.auto_start_breaks, p.auto_start_work, p.daily_goal, p.sound) == (
        True,
        False,
        0,
        None,
    )
    assert p.phase_sound == "bell"
    text = (
        "pomodoro:\n  auto_start_breaks: false\n  auto_start_work: true\n"
        "  daily_goal: 8\n  sound: ~/ding.wav\n"
    )
    p = load_settings(write(tmp_path, text)).pomodoro
    assert (p.auto_start_breaks, p.auto_start_work, p.daily_goal) == (False, True, 8)
    assert p.phase_sound == "~/ding.wav"


@pytest.mark.parametrize(
    ("bell", "sound", "plays"),
    [(None, None, "bell"), (False, None, "none"), (True, "none", "none"),
     (False, "bell", "bell"), (True, "/x.wav", "/x.wav")],
)  # fmt: skip
def test_sound_decides_when_set_else_the_old_bell_switch(
    bell: bool | None, sound: str | None, plays: str
) -> None:
    p = PomodoroSettings(bell=True if bell is None else bell, sound=sound)
    assert p.phase_sound == plays


def test_an_old_config_loads_unchanged(tmp_path: Path) -> None:
    old = "pomodoro:\n  work_minutes: 50\n  bell: false\n  desktop_notifications: true\n"
    p = load_settings(write(tmp_path, old)).pomodoro
    assert (p.work_minutes, p.bell, p.desktop_notifications, p.phase_sound) == (
        50,
        False,
        True,
        "none",
    )


@pytest.mark.parametrize(
    ("text", "line", "key", "words"),
    [
        ("pomodoro:\n  daily_goal: 51\n", 2, "pomodoro.daily_goal", "0"),
        ("pomodoro:\n  daily_goal: -1\n", 2, "pomodoro.daily_goal", "50"),
        ("pomodoro:\n  auto_start_work: often\n", 2, "pomodoro.auto_start_work", "true"),
        ("pomodoro:\n\n  sound:\n", 3, "pomodoro.sound", "empty"),
        ("pomodoro:\n  auto_start: true\n", 2, "pomodoro.auto_start", "unknown key"),
    ],
)
def test_bad_new_keys_name_file_line_and_key(
    tmp_path: Path, text: str, line: int, key: str, words: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as err:
        load_settings(path)
    problem = err.value.problems[0]
    assert (problem.file, problem.line, problem.field) == (str(path), line, key)
    assert words in problem.message


# -- writing pomodoro: back -----------------------------------------------------------------


def test_a_block_section_keeps_comments_order_and_other_keys(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "# mine\ntheme: nord\npomodoro:  # my cycle\n  work_minutes: 25  # classic\n"
        "  bell: false\n\n# after\nbackups_keep: 3\n",
    )
    set_section_values(path, "pomodoro", {"work_minutes": "50", "daily_goal": "6"})
    assert path.read_text(encoding="utf-8") == (
        "# mine\ntheme: nord\npomodoro:  # my cycle\n  work_minutes: 50  # classic\n"
        "  bell: false\n  daily_goal: 6\n\n# after\nbackups_keep: 3\n"
    )
    assert load_settings(path).pomodoro.daily_goal == 6


def test_a_missing_section_is_added_and_the_commented_template_stays(tmp_path: Path) -> None:
    path = write(tmp_path, "theme: nord\n# pomodoro:\n#   work_minutes: 25")
    set_section_values(path, "pomodoro", {"work_minutes": "30"})
    assert path.read_text(encoding="utf-8") == (
        "theme: nord\n# pomodoro:\n#   work_minutes: 25\npomodoro:\n  work_minutes: 30\n"
    )


def test_a_flow_section_is_rewritten_with_its_other_keys(tmp_path: Path) -> None:
    path = write(tmp_path, "pomodoro: {work_minutes: 50, detached_end: ask}  # note\n")
    set_section_values(path, "pomodoro", {"long_break_every": "3", "work_minutes": "45"})
    assert path.read_text(encoding="utf-8") == (
        "pomodoro: {work_minutes: 45, detached_end: ask, long_break_every: 3}  # note\n"
    )


def test_an_invalid_value_leaves_the_file_untouched(tmp_path: Path) -> None:
    original = "pomodoro:\n  work_minutes: 25\n"
    path = write(tmp_path, original)
    with pytest.raises(InputError):
        set_section_values(path, "pomodoro", {"daily_goal": "99"})
    assert path.read_text(encoding="utf-8") == original


@pytest.mark.parametrize(
    ("key", "text", "result"),
    [
        ("work_minutes", " 50 ", 50),
        ("daily_goal", "0", 0),
        ("long_break_every", "21", "21 is out of range; allowed: 1-20"),
        ("work_minutes", "2.5", "'2.5' is not a whole number; allowed: 1-240"),
        ("daily_goal", "", "'' is not a whole number; allowed: 0-50"),
    ],
)
def test_the_dialog_checks_numbers_with_the_config_ranges(
    key: str, text: str, result: int | str
) -> None:
    from studytui.core.config import pomodoro_number

    assert pomodoro_number(key, text) == result


def test_the_day_label_against_the_goal() -> None:
    from datetime import date

    from studytui.core.services.pomodoro_day import PomodoroDay

    day = date(2026, 11, 21)
    assert PomodoroDay(day, 3, 8).label == "3/8"
    assert not PomodoroDay(day, 3, 8).reached
    assert PomodoroDay(day, 8, 8).reached
    assert PomodoroDay(day, 3, 0).label == "3"
    assert not PomodoroDay(day, 9, 0).reached
