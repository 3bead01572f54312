"""Reading durations (``45m``, ``1h30m``) and local wall-clock times typed by the user."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

from studytui.core.errors import ArgumentError, InputError
from studytui.core.records import MAX_FOCUS, MIN_FOCUS
from studytui.core.studyday import StudyCalendar

DURATION_RE = re.compile(
    r"^\s*(?:(?P<h>\d+(?:\.\d+)?)\s*h)?\s*(?:(?P<m>\d+(?:\.\d+)?)\s*m(?:in)?)?\s*$", re.IGNORECASE
)
CLOCK_RE = re.compile(r"^\s*(?P<h>\d{1,2}):(?P<m>\d{2})\s*$")


def parse_duration(text: str, field: str = "DURATION") -> timedelta:
    """``45m``, ``1h``, ``1h30m``, ``1.5h``, ``1:30`` (hours:minutes) or ``90`` (minutes).

    A logged session holds at least one second and at most 24 hours of focus (the record rules
    of ``core/records.py``): anything outside that, or too long a number, is an input error
    naming ``field`` and the allowed range, not a traceback or a 0-second session.
    """
    raw = text.strip()
    allowed = "allowed: 1s (0.02m) to 24h"
    try:
        if len(raw) > 20:
            raise OverflowError
        if re.match(r"-\.?\d", raw):  # '-5m': argparse hands it over as a value, not an option
            raise InputError.single(field, None, "", f"'{text[:40]}' is negative; {allowed}")
        if re.fullmatch(r"\d+(?:\.\d+)?", raw):
            value = timedelta(minutes=float(raw))
        elif (clock := CLOCK_RE.match(raw)) is not None:
            value = timedelta(hours=int(clock.group("h")), minutes=int(clock.group("m")))
        else:
            match = DURATION_RE.match(raw)
            if match is None or not (match.group("h") or match.group("m")):
                raise InputError.single(
                    field, None, "", f"'{text[:40]}' is not a duration; write it like 45m, "
                    "1h30m or 1:30"
                )  # fmt: skip
            hours = float(match.group("h") or 0)
            minutes = float(match.group("m") or 0)
            value = timedelta(hours=hours, minutes=minutes)
    except (OverflowError, ValueError):
        raise InputError.single(
            field, None, "", f"'{text[:40]}' is out of range; {allowed}"
        ) from None
    if not MIN_FOCUS <= value <= MAX_FOCUS:
        raise InputError.single(
            field, None, "", f"'{text[:40]}' must be at least 1 second and at most 24 hours; "
            f"{allowed}"
        )  # fmt: skip
    return value


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
            raise ArgumentError(f"'{text[:40]}' is not a time of day", "START")
        naive = datetime.combine(today, time(hour, minute))
    else:
        try:
            parsed = datetime.fromisoformat(raw)
        except ValueError:
            raise ArgumentError(
                f"'{text[:40]}' is not a time; write it like '2026-11-20 20:00' (your local time)",
                "START",
            ) from None
        if not 1970 <= parsed.year <= 9998:  # outside it, converting zones overflows the calendar
            raise InputError.single(
                "START", None, "", f"'{text[:40]}' is out of range; allowed: 1970 to now"
            )
        if parsed.tzinfo is not None:
            return parsed.astimezone(UTC)
        naive = parsed
    aware = naive.replace(tzinfo=calendar.zone)
    if aware.astimezone(UTC).astimezone(calendar.zone).replace(tzinfo=None) != naive:
        raise ArgumentError(
            f"{naive:%Y-%m-%d %H:%M} does not exist in {calendar.zone_name} "
            "(the clocks skip it for daylight saving time)",
            "START",
        )
    return aware.astimezone(UTC)
