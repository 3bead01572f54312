"""Where the week's focus time went: the split against the target, topics, days, streaks.

A week is the roadmap week counted from the curriculum's start date while today falls inside
the curriculum, otherwise the calendar week from the configured start day; ``--week`` may name
a roadmap week number or an ISO week (``2026-W47``). Days roll over at the configured hour, and a
session counts, whole, for the study day it started on (in the zone it was logged in).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from studytui.core.categories import CATEGORIES, Category, TimeSplit
from studytui.core.context import AppContext
from studytui.core.errors import ArgumentError, InputError, NotFoundError, StudyError
from studytui.core.minutes import minutes_of
from studytui.core.services.session_log import SessionLog, SessionView, sessions_seconds_by_day
from studytui.core.studyday import (
    StudyCalendar,
    iso_week_label,
    parse_iso_week,
    roadmap_week,
    roadmap_week_start,
)


@dataclass(frozen=True)
class WeekSpan:
    """Seven study days, named the way the user asked for them."""

    kind: str  # "roadmap", "calendar" or "iso"
    first_day: date
    number: int | None = None  # the roadmap week
    last_number: int | None = None  # the curriculum's last week

    @property
    def last_day(self) -> date:
        return self.first_day + timedelta(days=6)

    @property
    def days(self) -> tuple[date, ...]:
        return tuple(self.first_day + timedelta(days=i) for i in range(7))

    @property
    def iso_label(self) -> str:
        return iso_week_label(self.first_day + timedelta(days=3))

    @property
    def key(self) -> int | str:
        """What JSON calls ``week``: the roadmap week number, else the ISO week label."""
        return self.number if self.kind == "roadmap" and self.number is not None else self.iso_label

    @property
    def label(self) -> str:
        if self.kind == "roadmap":
            return f"Week {self.number} of {self.last_number}"
        if self.kind == "iso":
            return f"ISO week {self.iso_label}"
        return f"Week of {self.first_day:%a %d %b %Y}"

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


def resolve_week(ctx: AppContext, text: str | None = None) -> WeekSpan:
    """This week, a roadmap week number, or an ISO week such as ``2026-W47``."""
    today = ctx.today()
    cal = ctx.calendar
    try:
        cur = ctx.curriculum()
    except StudyError:
        cur = None
    if text is None:
        if cur is not None:
            week = roadmap_week(ctx.start_date(), cur.first_week, today)
            if cur.first_week <= week <= cur.last_week:
                first = roadmap_week_start(ctx.start_date(), cur.first_week, week)
                return WeekSpan("roadmap", first, week, cur.last_week)
        return WeekSpan("calendar", cal.calendar_week_start(today))
    text = text.strip()
    monday = parse_iso_week(text)
    if monday is not None:
        return WeekSpan("iso", monday)
    if text.lstrip("-").isdigit():
        if cur is None:
            raise NotFoundError("no active curriculum to count roadmap weeks in")
        n = int(text)
        if not cur.first_week <= n <= cur.last_week:
            raise ArgumentError(
                f"week {n} is not in '{cur.id}' (weeks {cur.first_week} to {cur.last_week})",
                "WEEK",
            )
        first = roadmap_week_start(ctx.start_date(), cur.first_week, n)
        return WeekSpan("roadmap", first, n, cur.last_week)
    raise InputError.single(
        "WEEK", None, "", f"'{text[:40]}' is not a week: give a roadmap week number such as 3 "
        "or an ISO week from 1970-W01 to 9998-W52 such as 2026-W47"
    )  # fmt: skip


@dataclass(frozen=True)
class CategoryShare:
    """One category's minutes against its target share."""

    category: Category
    minutes: float
    percent: float | None  # of the week's focus; None when that shows as 0 min
    target_percent: int
    deviation_pp: float | None  # percent - target, in percentage points
    needed_minutes: float  # to add so the week meets the target split


@dataclass(frozen=True)
class TopicTime:
    topic_id: str | None
    title: str
    minutes: float


@dataclass(frozen=True)
class DayTime:
    day: date
    minutes: float


@dataclass(frozen=True)
class Streak:
    """Consecutive study days with at least ``threshold_minutes`` of focus."""

    current: int
    best: int
    threshold_minutes: int
    today_done: bool  # today already counts (else the current streak runs to yesterday)


@dataclass(frozen=True)
class WeekStats:
    week: WeekSpan
    target: TimeSplit
    total_minutes: float
    categories: tuple[CategoryShare, ...]
    needed_minutes: float
    topics: tuple[TopicTime, ...]
    days: tuple[DayTime, ...]
    streak: Streak
    sessions: int

    def share(self, category: Category) -> CategoryShare:
        return next(c for c in self.categories if c.category is category)


def allocation(minutes: dict[Category, float], target: TimeSplit) -> tuple[CategoryShare, ...]:
    """Minutes, percent, deviation and minutes still needed per category.

    The minutes still needed are the least time to add so every category reaches its target
    share: the week must grow to ``max(minutes / share)`` over the categories with a share.
    A category whose target is 0 % cannot be balanced by adding time and needs nothing. A week
    whose focus shows as 0 minutes (``core/minutes.py``) has no percent and no deviation.
    """
    total = sum(minutes.values())
    shown = minutes_of(total) > 0  # focus that shows as "0 min" has no split to show
    goal_total = max(
        (minutes.get(c, 0.0) * 100 / target.percent(c) for c in CATEGORIES if target.percent(c)),
        default=0.0,
    )
    out: list[CategoryShare] = []
    for c in CATEGORIES:
        m = minutes.get(c, 0.0)
        pct = m * 100 / total if shown else None
        want = target.percent(c)
        needed = max(0.0, goal_total * want / 100 - m) if want else 0.0
        out.append(
            CategoryShare(
                category=c,
                minutes=m,
                percent=pct,
                target_percent=want,
                deviation_pp=pct - want if pct is not None else None,
                needed_minutes=needed,
            )
        )
    return tuple(out)


def streak(seconds_by_day: dict[date, int], today: date, threshold_minutes: int) -> Streak:
    """Current and best runs of days with enough focus; today only extends, never breaks."""
    need = threshold_minutes * 60
    good = {d for d, secs in seconds_by_day.items() if secs >= need}
    best = 0
    run = 0
    previous: date | None = None
    for d in sorted(good):
        run = run + 1 if previous is not None and d - previous == timedelta(days=1) else 1
        best = max(best, run)
        previous = d
    today_done = today in good
    day = today if today_done else today - timedelta(days=1)
    current = 0
    while day in good:
        current += 1
        day -= timedelta(days=1)
    return Streak(
        current=current, best=best, threshold_minutes=threshold_minutes, today_done=today_done
    )


class _StudyDays:
    """Maps (zone, stored UTC start text) to a study day, with little zone arithmetic per date.

    Within one UTC date, a session belongs to the latest study day that started at or before
    it; stored timestamps are fixed-width text, so comparing text compares instants. Where and
    which study days start during a UTC date depends only on the zone's offset when the offset
    holds all day, so that layout is worked out once per (zone, offset) and reused; dates with
    an offset change (daylight saving) are worked out exactly.
    """

    def __init__(self, rollover_hour: int) -> None:
        self.rollover_hour = rollover_hour
        self._dates: dict[tuple[str, str], list[tuple[str, date]]] = {}
        self._layouts: dict[tuple[str, timedelta | None], list[tuple[str, int]]] = {}

    def __call__(self, zone: str, started: str) -> date:
        key = (zone, started[:10])
        starts = self._dates.get(key)
        if starts is None:
            starts = self._dates[key] = self._starts(zone, started[:10])
        for first, day in starts:
            if started >= first:
                return day
        return starts[-1][1]  # not reached: the last start is at or before midnight

    def _starts(self, zone: str, utc_date: str) -> list[tuple[str, date]]:
        """Study days running during a UTC date, latest first, with their start as stored text."""
        midnight = datetime.fromisoformat(utc_date).replace(tzinfo=UTC)
        tz = ZoneInfo(zone)
        offset = midnight.astimezone(tz).utcoffset()
        if offset != (midnight + timedelta(days=1)).astimezone(tz).utcoffset():
            return self._exact(zone, midnight)
        base = midnight.date()
        layout = self._layouts.get((zone, offset))
        if layout is None:  # (time of day of each start, study day minus the UTC date)
            exact = self._exact(zone, midnight)
            layout = self._layouts[(zone, offset)] = [(t[10:], (d - base).days) for t, d in exact]
        return [(utc_date + tail if tail else "", base + timedelta(days=n)) for tail, n in layout]

    def _exact(self, zone: str, midnight: datetime) -> list[tuple[str, date]]:
        cal = StudyCalendar(zone, self.rollover_hour)
        day = cal.day_of(midnight + timedelta(days=1) - timedelta(microseconds=1))
        out: list[tuple[str, date]] = []
        while True:
            start = cal.day_start(day)
            if start <= midnight:
                out.append(("", day))
                return out
            out.append((start.replace(tzinfo=None).isoformat(" ", "microseconds"), day))
            day -= timedelta(days=1)


class TimeStatsService:
    """Read-only statistics of the time log."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.sessions = SessionLog(ctx)
        # Where study days start depends only on the zone and the rollover hour: kept across calls.
        self._study_days: dict[int, _StudyDays] = {}

    def week_span(self, text: str | None = None) -> WeekSpan:
        return resolve_week(self.ctx, text)

    def streak(self, seconds_by_day: dict[date, int] | None = None) -> Streak:
        """Current and best streak; pass ``seconds_by_day`` when the caller already has it."""
        if seconds_by_day is None:
            seconds_by_day = self.seconds_by_day()
        return streak(seconds_by_day, self.ctx.today(), self.ctx.settings.streak_minutes)

    def seconds_by_day(self) -> dict[date, int]:
        """Focus seconds per study day over the whole log, as ``sessions_seconds_by_day`` gives
        for ``all_kept()``, without making an object per session: SQL computes each closed
        session's focus, Python only files it under its day (20k sessions: ~0.8 s to ~40 ms).

        Closed sessions count ``ended - started - paused`` rounded to the second, as
        ``SessionView.focus_seconds`` does; open ones (at most one) go through ``SessionView``.
        """
        settings = self.ctx.settings
        hour = settings.day_rollover_hour
        closed = (
            "SELECT coalesce(timezone, ?), started_at, "
            "max(0, round((julianday(ended_at) - julianday(started_at)) * 86400 - paused_seconds)) "
            "FROM study_session "
            "WHERE deleted_at IS NULL AND status != 'cancelled' AND ended_at IS NOT NULL"
        )
        with self.ctx.db.query() as conn:
            rows = conn.execute(closed, (settings.timezone,)).fetchall()
            open_views = self.sessions.open_kept()
        out = sessions_seconds_by_day(open_views, hour)
        day_of = self._study_days.get(hour)
        if day_of is None:
            day_of = self._study_days[hour] = _StudyDays(hour)
        for zone_name, start_text, secs in rows:
            day = day_of(zone_name, start_text)
            out[day] = out.get(day, 0) + int(secs)
        return out

    def week(
        self, text: str | None = None, seconds_by_day: dict[date, int] | None = None
    ) -> WeekStats:
        span = resolve_week(self.ctx, text)
        views = self.sessions.between(span.first_day, span.last_day)
        return self.summarize(span, views, seconds_by_day)

    def summarize(
        self,
        span: WeekSpan,
        views: Sequence[SessionView],
        seconds_by_day: dict[date, int] | None = None,
    ) -> WeekStats:
        hour = self.ctx.settings.day_rollover_hour
        target = self.ctx.target_split()
        seconds: dict[Category, int] = dict.fromkeys(CATEGORIES, 0)
        topics: dict[str | None, tuple[str, int]] = {}
        for v in views:
            seconds[v.category] += v.focus_seconds
            title = v.topic_title or v.topic_id or "(no topic)"
            _, before = topics.get(v.topic_id, (title, 0))
            topics[v.topic_id] = (title, before + v.focus_seconds)
        minutes = {c: s / 60 for c, s in seconds.items()}
        shares = allocation(minutes, target)
        by_day = sessions_seconds_by_day(views, hour)
        return WeekStats(
            week=span,
            target=target,
            total_minutes=sum(seconds.values()) / 60,  # from the seconds, not rounded parts
            categories=shares,
            needed_minutes=sum(c.needed_minutes for c in shares),
            topics=tuple(
                TopicTime(tid, title, secs / 60)
                for tid, (title, secs) in sorted(
                    topics.items(), key=lambda kv: (-kv[1][1], kv[1][0])
                )
            ),
            days=tuple(DayTime(d, by_day.get(d, 0) / 60) for d in span.days),
            streak=self.streak(seconds_by_day),
            sessions=len(views),
        )
