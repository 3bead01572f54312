"""Weekly allocation against the target split, topics, days, streaks, and which week is which."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from studytui.core.categories import Category, TimeSplit
from studytui.core.clock import ManualClock
from studytui.core.context import AppContext
from studytui.core.errors import ArgumentError, StudyError
from studytui.core.services.sessions import SessionsService
from studytui.core.services.time_stats import (
    TimeStatsService,
    allocation,
    resolve_week,
    streak,
)
from studytui.core.timeparse import parse_local_time

MIN = timedelta(minutes=1)


def log(
    ctx: AppContext, minutes: int, category: Category, start: str, topic: str | None = None
) -> None:
    when = parse_local_time(start, ctx.calendar, ctx.clock.now())
    SessionsService(ctx).log(minutes * MIN, category, topic_id=topic, start=when)


def test_allocation_minutes_percent_deviation_and_needed() -> None:
    shares = allocation(
        {Category.HANDS_ON: 60.0, Category.THEORY: 30.0, Category.COMMUNITY: 10.0},
        TimeSplit(70, 20, 10),
    )
    by = {s.category: s for s in shares}
    assert by[Category.HANDS_ON].percent == pytest.approx(60)
    assert by[Category.HANDS_ON].deviation_pp == pytest.approx(-10)
    assert by[Category.THEORY].deviation_pp == pytest.approx(10)
    # Theory is over its share: the week must grow to 150 minutes to bring the rest up.
    assert by[Category.HANDS_ON].needed_minutes == pytest.approx(45)
    assert by[Category.THEORY].needed_minutes == pytest.approx(0)
    assert by[Category.COMMUNITY].needed_minutes == pytest.approx(5)


def test_allocation_of_an_empty_week_and_a_zero_target() -> None:
    empty = allocation({}, TimeSplit())
    assert all(s.percent is None and s.needed_minutes == 0 for s in empty)
    shares = allocation({Category.COMMUNITY: 30.0}, TimeSplit(80, 20, 0))
    by = {s.category: s for s in shares}
    assert by[Category.COMMUNITY].deviation_pp == pytest.approx(100)
    assert by[Category.COMMUNITY].needed_minutes == 0
    assert by[Category.HANDS_ON].needed_minutes == 0  # no share to match: nothing to add


def test_streak_current_and_best() -> None:
    today = date(2026, 11, 21)
    d = timedelta(days=1)
    days = {
        today - 10 * d: 1800, today - 9 * d: 1800, today - 8 * d: 1800, today - 7 * d: 1800,
        today - 3 * d: 1500, today - 2 * d: 1499, today - 1 * d: 3000, today: 600,
    }  # fmt: skip
    s = streak(days, today, 25)
    assert (s.best, s.current, s.today_done) == (4, 1, False)  # today is still in progress
    s = streak({**days, today: 1500}, today, 25)
    assert (s.current, s.today_done) == (2, True)
    assert streak({}, today, 25).current == 0


def test_default_week_is_the_roadmap_week(ctx: AppContext) -> None:
    span = resolve_week(ctx)
    assert (span.kind, span.number, span.first_day) == ("roadmap", 1, date(2026, 11, 21))
    assert span.label == "Week 1 of 12"
    assert resolve_week(ctx, "3").first_day == date(2026, 12, 5)


def test_calendar_week_outside_the_curriculum(ctx: AppContext) -> None:
    ctx.settings = replace(ctx.settings, start_date=date(2025, 1, 6), week_start="sunday")
    span = resolve_week(ctx)
    assert span.kind == "calendar"
    assert span.first_day == date(2026, 11, 15)  # the Sunday before Saturday 21 November
    assert span.key == "2026-W47"


def test_iso_week_and_bad_weeks(ctx: AppContext) -> None:
    span = resolve_week(ctx, "2026-W47")
    assert (span.kind, span.first_day, span.last_day) == (
        "iso",
        date(2026, 11, 16),
        date(2026, 11, 22),
    )
    with pytest.raises(ArgumentError, match="week 13 is not in"):
        resolve_week(ctx, "13")
    with pytest.raises(StudyError, match="not a week"):
        resolve_week(ctx, "last")


def test_week_stats_per_category_topic_and_day(ctx: AppContext, clock: ManualClock) -> None:
    clock.set(datetime(2026, 11, 24, 20, 0, tzinfo=UTC))
    log(ctx, 50, Category.HANDS_ON, "2026-11-21 10:00", "pytorch")
    log(ctx, 25, Category.THEORY, "2026-11-21 11:00", "transformers")
    log(ctx, 25, Category.THEORY, "2026-11-23 09:00", "transformers")
    log(ctx, 20, Category.COMMUNITY, "2026-11-23 18:00")
    log(ctx, 90, Category.HANDS_ON, "2026-11-20 10:00")  # the day before week 1
    st = TimeStatsService(ctx).week()
    assert st.week.number == 1
    assert st.sessions == 4
    assert st.total_minutes == pytest.approx(120)
    assert st.share(Category.HANDS_ON).minutes == pytest.approx(50)
    assert st.share(Category.THEORY).minutes == pytest.approx(50)
    assert st.share(Category.COMMUNITY).minutes == pytest.approx(20)
    assert st.target == TimeSplit(70, 20, 10)
    assert [(t.topic_id, round(t.minutes)) for t in st.topics] == [
        ("pytorch", 50), ("transformers", 50), (None, 20),
    ]  # fmt: skip
    assert st.topics[0].title == "PyTorch basics"
    assert [round(d.minutes) for d in st.days] == [75, 0, 45, 0, 0, 0, 0]
    assert st.streak.best == 2  # Fri 20 and Sat 21
    # Today (Tue 24) is empty so far, which does not break the run that ended yesterday.
    assert (st.streak.current, st.streak.today_done) == (1, False)


def test_late_night_study_counts_for_the_day_before(ctx: AppContext, clock: ManualClock) -> None:
    clock.set(datetime(2026, 11, 22, 12, 0, tzinfo=UTC))
    log(ctx, 40, Category.THEORY, "2026-11-22 01:30")  # Sunday 01:30 → Saturday's study day
    log(ctx, 30, Category.THEORY, "2026-11-22 04:10")  # after the 04:00 rollover → Sunday
    st = TimeStatsService(ctx).week()
    assert [round(d.minutes) for d in st.days[:2]] == [40, 30]
    ctx.settings = replace(ctx.settings, day_rollover_hour=0)
    st = TimeStatsService(ctx).week()
    assert [round(d.minutes) for d in st.days[:2]] == [0, 70]


def test_a_dst_night_has_its_true_length_in_the_week(ctx: AppContext, clock: ManualClock) -> None:
    ctx.settings = replace(ctx.settings, start_date=date(2026, 10, 19))
    clock.set(datetime(2026, 10, 26, 12, 0, tzinfo=UTC))
    log(ctx, 180, Category.HANDS_ON, "2026-10-25 01:30")  # ends 03:30 CET, 3 real hours
    st = TimeStatsService(ctx).week("1")
    assert st.share(Category.HANDS_ON).minutes == pytest.approx(180)
    assert round(st.days[5].minutes) == 180  # Saturday 24 October (before the rollover)
