"""One rule for focus minutes: tenths, half up, from the seconds; totals from summed seconds."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from textual.widgets import DataTable, Static

from studytui.cli import run
from studytui.core.categories import Category
from studytui.core.clock import ManualClock
from studytui.core.context import AppContext
from studytui.core.minutes import (
    minutes_label,
    minutes_of,
    minutes_text,
    shown_minutes,
    tenths_of_minute,
)
from studytui.core.services.sessions import SessionsService
from studytui.ui.app import StudyApp


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (0, 0), (2, 0), (3, 0.1), (12, 0.2), (21, 0.4), (24, 0.4), (66, 1.1), (90, 1.5),
        (102, 1.7), (117, 2), (120, 2), (150, 2.5), (3600, 60), (-5, 0),
    ],
)  # fmt: skip
def test_shown_minutes(seconds: float, shown: float) -> None:
    assert shown_minutes(seconds) == shown
    assert type(shown_minutes(seconds)) is type(shown)  # a whole number has no ".0"
    assert minutes_text(seconds) == str(shown)
    # From a value in minutes (seconds / 60, a float) it is the same figure.
    assert minutes_of(seconds / 60) == shown
    assert minutes_label(seconds / 60) == str(shown)


def test_half_up_not_to_even() -> None:
    # round() would take 0.25 and 0.35 minutes to 0.2 and 0.4 (to even, or float error).
    assert tenths_of_minute(15) == 3
    assert tenths_of_minute(21) == 4
    assert tenths_of_minute(0.35 * 60) == 4


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert run(list(args)) == 0
    return capsys.readouterr().out


def test_sessions_and_stats_show_the_same_minutes(
    capsys: pytest.CaptureFixture[str], cli_clock: ManualClock
) -> None:
    """24 s, 12 s and 66 s: `sessions` said 0.4/0.2/1.1 while `stats` said 2 (1.7 rounded)."""
    for duration, at in (("0.4m", "06:00"), ("0.2m", "07:00"), ("1.1m", "08:00")):
        cli(capsys, "log", duration, "hands-on", "--at", f"2026-11-21 {at}")
    listed = [line.split()[5] for line in cli(capsys, "sessions").splitlines()[1:]]
    assert listed == ["0.4", "0.2", "1.1"]
    stats = cli(capsys, "stats")
    assert "Focus 1.7m in 3 sessions" in stats
    assert "    1.7 min" in stats  # today's line in Days
    data = json.loads(cli(capsys, "stats", "--json"))
    assert data["total_minutes"] == data["minutes"]["hands-on"] == data["days"][0]["minutes"] == 1.7
    rows = json.loads(cli(capsys, "sessions", "--json"))
    assert [r["minutes"] for r in rows] == [0.4, 0.2, 1.1]


async def test_timer_table_and_header_agree(ctx: AppContext, clock: ManualClock) -> None:
    """The timer's table showed 0/0/1 under a header saying 2 min (1.7 rounded)."""
    sessions = SessionsService(ctx)
    for seconds, hour in ((24, 6), (12, 7), (66, 8)):
        start = clock.now().replace(hour=hour - 1)  # 06:00, 07:00, 08:00 in Berlin
        sessions.log(timedelta(seconds=seconds), Category.HANDS_ON, start=start)
    app = StudyApp(ctx, start_mode="timer")
    async with app.run_test(size=(110, 40)) as pilot:
        for _ in range(3):
            await pilot.pause()
            await app.workers.wait_for_complete()
        table = app.screen.query_one("#sessions-table", DataTable)
        shown = [str(table.get_row_at(i)[2]) for i in range(table.row_count)]
        assert shown == ["1.1", "0.2", "0.4"]  # newest first
        header = str(app.screen.query_one("#timer-split", Static).content)
        assert "focus 1.7 min" in header
