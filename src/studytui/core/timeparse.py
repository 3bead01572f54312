"""Reading durations (``45m``, ``1h30m``) and local wall-clock times typed by the user."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

from studytui.core.errors import StudyError
from studytui.core.studyday import StudyCalendar

DURATION_RE = re.compile(
    r"^\s*(?:(?P<h>\d+(?:\.\d+)?)\s*h)?\s*(?:(?P<m>\d+(?:\.\d+)?)\s*m(?:in)?)?\s*$", re.IGNORECASE
)
CLOCK_RE = re.compile(r"^\s*(?P<h>\d{1,2}):(?P<m>\d{2})\s*$")


def parse_duration(text: str) -> timedelta:
    """``45m``, ``1h``, ``1h30m``, ``1.5h``, ``1:30`` (hours:minutes) or ``90`` (minutes)."""
    raw = text.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", raw):
        return timedelta(minutes=float(raw))
    clock = CLOCK_RE.match(raw)
    if clock is not None:
        return timedelta(hours=int(clock.group("h")), minutes=int(clock.group("m")))
    match = DURATION_RE.match(raw)
    if match is None or not (match.group("h") or match.group("m")):
        raise StudyError(f"'{text}' is not a duration; write it like 45m, 1h30m or 1:30")
    hours = float(match.group("h") or 0)
    minutes = float(match.group("m") or 0)
    return timedelta(hours=hours, minutes=minutes)


def format_duration(delta: timedelta) -> str:
    minutes = round(delta.total_seconds() / 60)
    hours, rest = divmod(minutes, 60)
    return f"{hours}h{rest:02d}m" if hours else f"{rest}m"


def parse_local_time(text: str, calendar: StudyCalendar, now: datetime) -> datetime:
    """A wall-clock time in the user's zone as a UTC instant.

    Accepts ``YYYY-MM-DD HH:MM`` (or with ``T`` and seconds), the same with an explicit UTC
    offset, or ``HH:MM`` for today's date. A time the clocks skip (spring forward) is refused;
    a time that happens twice (fall back) means the first one unless an offset is given.
    """
    raw = text.strip()
    clock = CLOCK_RE.match(raw)
    if clock is not None:
        today = calendar.local(now).date()
        hour, minute = int(clock.group("h")), int(clock.group("m"))
        if hour > 23 or minute > 59:
            raise StudyError(f"'{text}' is not a time of day")
        naive = datetime.combine(today, time(hour, minute))
    else:
        try:
            parsed = datetime.fromisoformat(raw)
        except ValueError:
            raise StudyError(
                f"'{text}' is not a time; write it like '2026-11-20 20:00' (your local time)"
            ) from None
        if parsed.tzinfo is not None:
            return parsed.astimezone(UTC)
        naive = parsed
    aware = naive.replace(tzinfo=calendar.zone)
    if aware.astimezone(UTC).astimezone(calendar.zone).replace(tzinfo=None) != naive:
        raise StudyError(
            f"{naive:%Y-%m-%d %H:%M} does not exist in {calendar.zone_name} "
            "(the clocks skip it for daylight saving time)"
        )
    return aware.astimezone(UTC)
