"""Settings: documented defaults, clear errors, in-place edits that keep comments."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from studytui.core.config import load_settings, set_config_values
from studytui.core.errors import InputError


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    s = load_settings(tmp_path / "none.yaml")
    assert s.curriculum == "ml-ai-senior-12w"
    assert s.day_rollover_hour == 4
    assert (s.pomodoro.work_minutes, s.pomodoro.short_break_minutes) == (25, 5)
    assert (s.pomodoro.long_break_minutes, s.pomodoro.long_break_every) == (15, 4)
    assert s.review.desired_retention == 0.9
    assert s.timezone == "Europe/Berlin"  # from TZ, set by the autouse fixture


def test_full_config(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(
        "curriculum: ai-ml-2025\nstart_date: 2026-11-02\ntimezone: America/New_York\n"
        "week_start: sunday\nday_rollover_hour: 5\n"
        "target_split: {hands-on: 60, theory: 30, community: 10}\n"
        "pomodoro: {work_minutes: 50, long_break_every: 3}\n"
        "review: {new_cards_per_day: 5, learning_steps: [30s, 5m], desired_retention: 0.85}\n"
        "keys: {review.again: 'j'}\n",
        encoding="utf-8",
    )
    s = load_settings(path)
    assert s.start_date == date(2026, 11, 2)
    assert s.week_start_index == 6
    assert s.target_split is not None
    assert str(s.target_split) == "60/30/10"
    assert s.pomodoro.work_minutes == 50
    assert s.pomodoro.short_break_minutes == 5
    assert s.review.learning_steps == (timedelta(seconds=30), timedelta(minutes=5))
    assert s.keymap == {"review.again": "j"}


@pytest.mark.parametrize(
    ("text", "line", "field", "words"),
    [
        ("colour: red\n", 1, "colour", "allowed:"),
        ("day_rollover_hour: 25\n", 1, "day_rollover_hour", "0 to 23"),
        ("timezone: Mars/Olympus\n", 1, "timezone", "IANA"),
        ("week_start: someday\n", 1, "week_start", "monday"),
        ("pomodoro:\n  work_minutes: lots\n", 2, "pomodoro.work_minutes", "whole number"),
        ("pomodoro:\n  wrk_minutes: 20\n", 2, "pomodoro.wrk_minutes", "unknown key"),
        ("target_split: {hands-on: 50, theory: 20, community: 10}\n", 1, "target_split", "100"),
        ("review:\n  learning_steps: [1x]\n", 2, "review.learning_steps[0]", "step"),
        ("review:\n  desired_retention: 2\n", 2, "review.desired_retention", "range"),
        ("start_date: 21/11/2026\n", 1, "start_date", "YYYY-MM-DD"),
        ("- a\n", 1, "", "mapping"),
    ],
)
def test_bad_values_name_file_line_key_and_allowed(
    tmp_path: Path, text: str, line: int, field: str, words: str
) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_settings(path)
    problem = info.value.problems[0]
    assert (problem.file, problem.line, problem.field) == (str(path), line, field)
    assert words in problem.message


def test_set_values_keeps_comments_and_other_lines(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    original = "# my notes\ncurriculum: ai-ml-2025  # old\ntheme: nord\n# end\n"
    path.write_text(original, encoding="utf-8")
    set_config_values(path, {"curriculum": "ml-ai-expert", "start_date": "2026-12-01"})
    text = path.read_text(encoding="utf-8")
    assert (
        text == "# my notes\ncurriculum: ml-ai-expert\ntheme: nord\n# end\nstart_date: 2026-12-01\n"
    )


def test_set_values_refuses_to_write_an_invalid_file(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    original = "theme: nord\n"
    path.write_text(original, encoding="utf-8")
    with pytest.raises(InputError):
        set_config_values(path, {"day_rollover_hour": "99"})
    assert path.read_text(encoding="utf-8") == original
