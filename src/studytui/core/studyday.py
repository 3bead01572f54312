"""Study days and weeks: local dates in the user's zone that roll over at a configured hour.

A study day is the local calendar date of ``instant - rollover``: with the default 04:00, work
at 01:30 on Tuesday counts for Monday. Roadmap weeks count whole study days from the curriculum's
start date; calendar weeks start on the configured weekday.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ISO_WEEK = re.compile(r"^(\d{4})-[Ww](\d{2})$")


@dataclass(frozen=True)
class StudyCalendar:
    """Converts UTC instants to study days and back for one zone and rollover hour."""

    zone_name: str = "UTC"
    rollover_hour: int = 4
    week_start: int = 0  # Monday

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.zone_name)

    def local(self, instant: datetime) -> datetime:
        return instant.astimezone(self.zone)

    def day_of(self, instant: datetime) -> date:
        """The study day an instant belongs to."""
        return (instant.astimezone(self.zone) - timedelta(hours=self.rollover_hour)).date()

    def day_start(self, day: date) -> datetime:
        """The UTC instant a study day begins (the rollover hour, local wall time)."""
        local = datetime.combine(day, time(self.rollover_hour), tzinfo=self.zone)
        # A rollover hour that falls into a DST gap resolves forward, as wall clocks do.
        return local.astimezone(UTC)

    def day_bounds(self, day: date) -> tuple[datetime, datetime]:
        return self.day_start(day), self.day_start(day + timedelta(days=1))

    def calendar_week_start(self, day: date) -> date:
        return day - timedelta(days=(day.weekday() - self.week_start) % 7)

    def local_to_utc(self, naive_local: datetime) -> datetime:
        """Interpret a wall-clock time typed by the user in their zone."""
        return naive_local.replace(tzinfo=self.zone).astimezone(UTC)


def roadmap_week(start: date, first_week: int, day: date) -> int:
    """The roadmap week number a study day falls in (may be before the first or after the last)."""
    return first_week + (day - start).days // 7


def roadmap_week_start(start: date, first_week: int, week: int) -> date:
    return start + timedelta(days=7 * (week - first_week))


def iso_week_label(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def parse_iso_week(text: str) -> date | None:
    """Monday of an ISO week written ``2026-W47``, or None when the text is not one (or lies
    outside 1970-9998, where a week's last day or its study-day bounds would not exist)."""
    match = ISO_WEEK.match(text.strip())
    if match is None or not 1970 <= int(match.group(1)) <= 9998:
        return None
    try:
        return date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        return None
