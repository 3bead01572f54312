"""The split's shares and deviations: none without focus, never "+0 pp" or "−0 pp"."""

from __future__ import annotations

from datetime import timedelta

import pytest

from studytui.cli import run
from studytui.core.categories import Category, TimeSplit, deviation_text, share_text
from studytui.core.clock import ManualClock
from studytui.core.context import AppContext
from studytui.core.services.sessions import SessionsService
from studytui.core.services.time_stats import TimeStatsService, allocation
from studytui.ui.widgets.bars import split_bar


@pytest.mark.parametrize(
    ("percent", "target", "share", "deviation"),
    [
        (100.0, 70, "100%", "+30 pp"),
        (42.5, 70, "43%", "−27 pp"),  # the deviation is the shown share's: 43 − 70
        (69.6, 70, "70%", "±0 pp"),
        (70.4, 70, "70%", "±0 pp"),
        (70.0, 70, "70%", "±0 pp"),
        (0.2, 0, "0%", "±0 pp"),
        (None, 70, "—", "—"),
    ],
)
def test_share_and_deviation_text(
    percent: float | None, target: int, share: str, deviation: str
) -> None:
    assert share_text(percent) == share
    assert deviation_text(percent, target) == deviation
    assert deviation_text(percent, target, compact=True) == deviation.replace(" pp", "pp")


def test_split_bar_without_focus_has_no_figures() -> None:
    text = split_bar("Hands-on", None, 70).plain
    assert "—" in text
    assert "target 70%" in text
    assert "pp" not in text
    assert "0%" not in text.replace("70%", "")
    compact = split_bar("Hands-on", None, 70, width=14, compact=True).plain
    assert compact.endswith("— /70%")
    assert split_bar("Theory", 20.3, 20).plain.endswith("20%  target 20%  ±0 pp")


def test_focus_that_shows_as_zero_minutes_has_no_split() -> None:
    split = TimeSplit()
    tiny = allocation({Category.HANDS_ON: 2 / 60}, split)  # 2 s: "0 min"
    assert [(c.percent, c.deviation_pp) for c in tiny] == [(None, None)] * 3
    assert [c.percent for c in allocation({}, split)] == [None] * 3
    some = allocation({Category.HANDS_ON: 3 / 60}, split)  # 3 s: "0.1 min"
    assert [c.percent for c in some] == [100.0, 0.0, 0.0]


def test_stats_with_seconds_of_focus(
    ctx: AppContext, clock: ManualClock, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    SessionsService(ctx).log(timedelta(seconds=2), Category.HANDS_ON)
    week = TimeStatsService(ctx).week()
    assert week.sessions == 1
    assert all(c.percent is None for c in week.categories)
    monkeypatch.setattr("studytui.cli.common.SystemClock", lambda: clock)
    assert run(["stats"]) == 0
    out = capsys.readouterr().out
    assert "Focus 0m in 1 session" in out
    rows = [line for line in out.splitlines() if line.startswith(("hands-on", "theory"))]
    assert len(rows) == 2
    assert all("pp" not in row and "%" in row and "—" in row for row in rows)
    assert "100%" not in out
    assert "+30" not in out
    assert "Nothing logged this week yet." in out
