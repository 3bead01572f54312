"""Settings: documented defaults, clear errors, in-place edits that keep comments."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from studytui.core.config import load_settings, parse_start_date, set_config_values
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
    assert text == (
        "# my notes\ncurriculum: ml-ai-expert  # old\ntheme: nord\n# end\nstart_date: 2026-12-01\n"
    )


@pytest.mark.parametrize(
    ("line", "comment"),
    [
        ("curriculum: a-b  # my roadmap\n", "  # my roadmap"),
        ("start_date: 2026-01-01 # since January\n", " # since January"),
        ("theme: 'a # b'  # quoted hash\n", "  # quoted hash"),
        ('theme: "x\\" #"  # escaped quote\n', "  # escaped quote"),
        ("curriculum: a#b\n", ""),
        ("curriculum: plain\n", ""),
    ],
)
def test_an_inline_comment_survives_a_changed_value(
    tmp_path: Path, line: str, comment: str
) -> None:
    """`curriculum use` rewrites one value; the note the user wrote after it stays."""
    path = tmp_path / "config.yaml"
    path.write_text(line, encoding="utf-8")
    key = line.split(":")[0]
    value = "2026-02-02" if key == "start_date" else "nord" if key == "theme" else "ml-ai-expert"
    set_config_values(path, {key: value})
    assert path.read_text(encoding="utf-8") == f"{key}: {value}{comment}\n"


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("9999-12-31", "9999-12-31 is out of range; allowed: 1970-01-01 to 2199-12-31"),
        ("1969-12-31", "out of range"),
        ("2026-02-30", "is not a date"),
        ("20261116", "write it as YYYY-MM-DD"),
        ("2026-W47-1", "write it as YYYY-MM-DD"),
        (datetime(2026, 11, 16, 9, 0, tzinfo=UTC), "is a date and time"),
    ],
)
def test_a_start_date_is_a_plain_date_in_range(raw: object, words: str) -> None:
    result = parse_start_date(raw)
    assert isinstance(result, str)
    assert words in result


def test_start_date_edges_are_accepted() -> None:
    assert parse_start_date("1970-01-01") == date(1970, 1, 1)
    assert parse_start_date(date(2199, 12, 31)) == date(2199, 12, 31)


def test_set_values_refuses_to_write_an_invalid_file(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    original = "theme: nord\n"
    path.write_text(original, encoding="utf-8")
    with pytest.raises(InputError):
        set_config_values(path, {"day_rollover_hour": "99"})
    assert path.read_text(encoding="utf-8") == original
