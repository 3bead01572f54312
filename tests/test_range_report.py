"""``studytui report``: ranges, groupings, filters and the target split, against totals worked
out by hand over the night the clocks go back in Berlin (25 Oct 2026)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from studytui.cli import run
from studytui.core.clock import ManualClock
from studytui.core.services.range_report import period_range

# (start as typed, duration, category, tags): study days roll over at 04:00, Europe/Berlin.
SESSIONS = (
    ("2026-10-24 23:30", "60m", "hands-on", ()),  # past midnight: still Sat 24
    ("2026-10-25 02:30", "45m", "theory", ()),  # first 02:30 (CEST): before 04:00, so Sat 24
    ("2026-10-25 02:30+01:00", "30m", "community", ()),  # the second 02:30 (CET): Sat 24 too
    ("2026-10-25 10:00", "50m", "hands-on", ("+paper",)),  # Sun 25
    ("2026-10-26 09:00", "20m", "theory", ("+paper", "+reading")),  # Mon 26
    ("2026-11-01 09:00", "40m", "hands-on", ()),  # Sun 1 Nov
)


@pytest.fixture
def logged(
    monkeypatch: pytest.MonkeyPatch, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("studytui.cli.common.SystemClock", lambda: clock)
    for start, duration, category, tags in SESSIONS:
        assert run(["log", duration, category, *tags, "--at", start]) == 0
    capsys.readouterr()


def report(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert run(["report", *args, "--json"]) == 0
    data: dict[str, object] = json.loads(capsys.readouterr().out)
    return data


def rows(data: dict[str, object]) -> dict[str, float]:
    return {r["key"]: r["minutes"] for r in data["rows"]}  # type: ignore[attr-defined]


def test_by_day_over_the_dst_night(logged: None, capsys: pytest.CaptureFixture[str]) -> None:
    data = report(capsys, "--from", "2026-10-24", "--to", "2026-10-26", "--by", "day")
    assert rows(data) == {"2026-10-24": 135, "2026-10-25": 50, "2026-10-26": 20}
    total = data["total"]
    assert total == {  # 110/65/30 against 70/20/10: theory sets the goal (65 / 20% = 325 min)
        "key": "total", "label": "Total", "sessions": 5, "minutes": 205,
        "by_category": {"hands-on": 110, "theory": 65, "community": 30},
        "percent": {"hands-on": 53.7, "theory": 31.7, "community": 14.6},
        "needed_minutes": 120,  # hands-on 227.5 - 110, community 32.5 - 30
    }  # fmt: skip
    assert data["days"] == 3
    assert data["target"] == {"hands-on": 70, "theory": 20, "community": 10}


def test_by_week_and_month_clip_to_the_range(
    logged: None, capsys: pytest.CaptureFixture[str]
) -> None:
    weeks = report(capsys, "--from", "2026-10-24", "--to", "2026-10-31", "--by", "week")
    assert rows(weeks) == {"2026-10-24": 185, "2026-10-26": 20}  # Sat–Sun, then Mon–Sat
    months = report(capsys, "--from", "2026-10-01", "--to", "2026-11-30", "--by", "month")
    assert rows(months) == {"2026-10": 205, "2026-11": 40}


def test_filters_by_tag_category_and_topic(
    logged: None, capsys: pytest.CaptureFixture[str]
) -> None:
    span = ("--from", "2026-10-01", "--to", "2026-11-30")
    assert report(capsys, *span, "--tag", "PAPER")["total"]["minutes"] == 70  # type: ignore[index]
    both = report(capsys, *span, "--tag", "paper", "--tag", "reading")
    assert both["total"]["minutes"] == 20  # type: ignore[index]
    assert both["filter"] == {"categories": [], "topics": [], "tags": ["paper", "reading"]}
    hands_on = report(capsys, *span, "--category", "hands-on")
    assert hands_on["total"]["minutes"] == 150  # type: ignore[index]
    by_tag = report(capsys, *span, "--by", "tag")
    assert rows(by_tag) == {"": 175, "paper": 70, "reading": 20}


def test_periods_of_today(
    logged: None, capsys: pytest.CaptureFixture[str], clock: ManualClock
) -> None:
    clock.set(clock.now().replace(year=2026, month=10, day=25, hour=20))  # Sun 25 Oct, 21:00
    assert rows(report(capsys, "--day")) == {"hands-on": 50, "theory": 0, "community": 0}
    week = report(capsys, "--week")  # Mon 19 – Sun 25 Oct
    assert (week["from"], week["to"], week["total"]["minutes"]) == (  # type: ignore[index]
        "2026-10-19", "2026-10-25", 185,
    )  # fmt: skip
    month = report(capsys, "--month")
    assert (month["from"], month["to"]) == ("2026-10-01", "2026-10-31")
    assert report(capsys, "--year")["total"]["minutes"] == 245  # type: ignore[index]


def test_text_and_csv(logged: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["report", "--from", "2026-10-24", "--to", "2026-10-26"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Sat 24 Oct 2026 → Mon 26 Oct 2026 (3 days)\n")
    assert "Total 205 min in 5 sessions · split 54/32/15 against 70/20/10" in out
    assert "To meet the target split: 120 more minutes (hands-on 117.5, community 2.5)." in out
    assert run(["report", "--from", "2026-10-24", "--to", "2026-10-26", "--by", "day",
                "--csv"]) == 0  # fmt: skip
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["key"], r["minutes"], r["hands-on"]) for r in table] == [
        ("2026-10-24", "135", "60"), ("2026-10-25", "50", "50"), ("2026-10-26", "20", "0"),
    ]  # fmt: skip


def test_bad_ranges_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["report", "--from", "2026-10-26", "--to", "2026-10-24"]) == 2
    assert "--to 2026-10-24 is before --from 2026-10-26" in capsys.readouterr().err
    assert run(["report", "--from", "yesterday"]) == 2
    assert "'yesterday' is not a date" in capsys.readouterr().err
    assert run(["report", "--week", "--from", "2026-10-01"]) == 2
    assert run(["report", "--by", "colour"]) == 2


def test_period_range_edges() -> None:
    assert period_range("week", date(2026, 10, 25), 6) == period_range(
        "week", date(2026, 10, 31), 6
    )
    assert period_range("week", date(2026, 10, 25), 6).first_day == date(2026, 10, 25)  # Sunday
    assert period_range("month", date(2028, 2, 10), 0).last_day == date(2028, 2, 29)
    assert period_range("month", date(2026, 12, 31), 0).last_day == date(2026, 12, 31)
    assert period_range("year", date(2026, 5, 1), 0).days == 365
