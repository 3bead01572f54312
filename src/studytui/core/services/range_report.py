"""Focus time over any range of study days, grouped, against the target split per period.

``studytui report`` in the shape of ``watson report`` and ``timew summary``: a range (a day, the
calendar week, month or year, or ``--from``/``--to``), optional filters (categories, topics,
tags), and rows by category, topic, tag, day, week or month. Every row carries its minutes per
category and what it would take to meet the target split, so a month reads as four weeks each
held against 70/20/10, not only as one total.

A session counts, whole, for the study day it started on in the zone it was logged in (the
rule of ``time_stats.py``), so a DST night or a session past midnight is counted once, on the
day the user would name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from studytui.core.categories import CATEGORIES, Category, TimeSplit
from studytui.core.context import AppContext
from studytui.core.errors import ArgumentError
from studytui.core.services.session_log import SessionLog, SessionView
from studytui.core.services.time_stats import CategoryShare, allocation
from studytui.core.tags import has_tags, normalize_tags

GROUPS = ("category", "topic", "tag", "day", "week", "month")
PERIODS = ("day", "week", "month", "year")
MAX_DAYS = 366 * 30  # a range longer than 30 years is a typo


@dataclass(frozen=True)
class ReportRange:
    first_day: date
    last_day: date

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


@dataclass(frozen=True)
class ReportRow:
    """One group: its minutes per category and its split against the target."""

    key: str
    label: str
    sessions: int
    total_minutes: float
    categories: tuple[CategoryShare, ...]
    needed_minutes: float  # to add so this row meets the target split


@dataclass(frozen=True)
class ReportFilter:
    categories: tuple[Category, ...] = ()
    topics: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    def admits(self, v: SessionView) -> bool:
        if self.categories and v.category not in self.categories:
            return False
        if self.topics and v.topic_id not in self.topics:
            return False
        return has_tags(v.tags, self.tags)

    def as_dict(self) -> dict[str, list[str]]:
        return {
            "categories": [c.value for c in self.categories],
            "topics": list(self.topics),
            "tags": list(self.tags),
        }


@dataclass(frozen=True)
class RangeReport:
    range: ReportRange
    group_by: str
    filter: ReportFilter
    target: TimeSplit
    total: ReportRow
    rows: tuple[ReportRow, ...]


def period_range(period: str, today: date, week_start: int) -> ReportRange:
    """The calendar day, week (from ``week_start``, 0 = Monday), month or year of ``today``."""
    if period == "day":
        return ReportRange(today, today)
    if period == "week":
        first = today - timedelta(days=(today.weekday() - week_start) % 7)
        return ReportRange(first, first + timedelta(days=6))
    if period == "month":
        first = today.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return ReportRange(first, following - timedelta(days=1))
    if period == "year":
        return ReportRange(date(today.year, 1, 1), date(today.year, 12, 31))
    raise ValueError(period)


def checked_range(first: date, last: date) -> ReportRange:
    if last < first:
        raise ArgumentError(f"--to {last} is before --from {first}", "--to")
    span = ReportRange(first, last)
    if span.days > MAX_DAYS:
        raise ArgumentError(f"{span.days} days; a report covers at most 30 years", "--from")
    return span


def _row(key: str, label: str, views: Sequence[SessionView], target: TimeSplit) -> ReportRow:
    seconds: dict[Category, int] = dict.fromkeys(CATEGORIES, 0)
    for v in views:
        seconds[v.category] += v.focus_seconds
    shares = allocation({c: s / 60 for c, s in seconds.items()}, target)
    return ReportRow(
        key=key,
        label=label,
        sessions=len(views),
        total_minutes=sum(seconds.values()) / 60,
        categories=shares,
        needed_minutes=sum(c.needed_minutes for c in shares),
    )


def _periods(span: ReportRange, group: str, week_start: int) -> list[tuple[date, date]]:
    """The consecutive periods of ``group`` that cover the range (clipped to it)."""
    out: list[tuple[date, date]] = []
    day = span.first_day
    while day <= span.last_day:
        if group == "day":
            end = day
        elif group == "week":
            end = period_range("week", day, week_start).last_day
        else:
            end = period_range("month", day, week_start).last_day
        end = min(end, span.last_day)
        out.append((day, end))
        day = end + timedelta(days=1)
    return out


def _period_label(group: str, first: date, last: date) -> tuple[str, str]:
    if group == "day":
        return first.isoformat(), f"{first:%a %d %b %Y}"
    if group == "week":
        return first.isoformat(), f"{first:%a %d %b} – {last:%a %d %b %Y}"
    return f"{first:%Y-%m}", f"{first:%B %Y}"


def build_report(
    views: Sequence[SessionView],
    span: ReportRange,
    group: str,
    rollover_hour: int,
    week_start: int,
    target: TimeSplit,
    keep: ReportFilter = ReportFilter(),
) -> RangeReport:
    """The report of the kept sessions ``views`` (any range; those outside are left out)."""
    if group not in GROUPS:
        raise ArgumentError(f"'{group}' is not a grouping; use {', '.join(GROUPS)}", "--by")
    dated = [
        (v.study_day(rollover_hour), v)
        for v in views
        if keep.admits(v) and span.first_day <= v.study_day(rollover_hour) <= span.last_day
    ]
    chosen = [v for _, v in dated]
    rows: list[ReportRow] = []
    if group == "category":
        for c in CATEGORIES:
            rows.append(_row(c.value, c.value, [v for v in chosen if v.category is c], target))
    elif group == "topic":
        topics: dict[str | None, list[SessionView]] = {}
        for v in chosen:
            topics.setdefault(v.topic_id, []).append(v)
        for tid, items in topics.items():
            title = items[0].topic_title or tid or "(no topic)"
            rows.append(_row(tid or "", title, items, target))
        rows.sort(key=lambda r: (-r.total_minutes, r.label))
    elif group == "tag":
        tagged: dict[str, tuple[str, list[SessionView]]] = {}
        for v in chosen:
            for tag in v.tags or ("",):
                name, items = tagged.setdefault(tag.casefold(), (tag, []))
                items.append(v)
        for fold, (name, items) in tagged.items():
            rows.append(_row(fold, f"+{name}" if name else "(no tag)", items, target))
        rows.sort(key=lambda r: (-r.total_minutes, r.label))
    else:
        for first, last in _periods(span, group, week_start):
            key, label = _period_label(group, first, last)
            items = [v for d, v in dated if first <= d <= last]
            rows.append(_row(key, label, items, target))
    return RangeReport(
        range=span,
        group_by=group,
        filter=keep,
        target=target,
        total=_row("total", "Total", chosen, target),
        rows=tuple(rows),
    )


class RangeReportService:
    """Reads the sessions of a range and builds its report."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.log = SessionLog(ctx)

    def period(self, period: str) -> ReportRange:
        return period_range(period, self.ctx.today(), self.ctx.settings.week_start_index)

    def report(
        self,
        span: ReportRange,
        group: str = "category",
        *,
        categories: Sequence[Category] = (),
        topics: Sequence[str] = (),
        tags: Sequence[str] = (),
    ) -> RangeReport:
        keep = ReportFilter(tuple(categories), tuple(topics), normalize_tags(tags))
        settings = self.ctx.settings
        return build_report(
            self.log.between(span.first_day, span.last_day),
            span,
            group,
            settings.day_rollover_hour,
            settings.week_start_index,
            self.ctx.target_split(),
            keep,
        )
