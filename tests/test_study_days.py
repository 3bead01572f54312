"""The week report's fast study-day mapping agrees with StudyCalendar everywhere."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from studytui.core.services.time_stats import _StudyDays
from studytui.core.studyday import StudyCalendar

# Daylight saving, half- and quarter-hour offsets, a 30-minute DST shift, the date line.
ZONES = (
    "UTC", "Europe/Berlin", "America/New_York", "America/St_Johns", "Asia/Kathmandu",
    "Australia/Lord_Howe", "Pacific/Chatham", "Pacific/Kiritimati", "Pacific/Pago_Pago",
)  # fmt: skip


def stored(instant: datetime) -> str:
    return instant.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("hour", [0, 4, 23])
def test_study_day_of_stored_text_matches_the_calendar(zone: str, hour: int) -> None:
    cal = StudyCalendar(zone, hour)
    days = _StudyDays(hour)
    rng = random.Random(f"{zone}{hour}")
    for _ in range(2000):
        instant = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(
            seconds=rng.randrange(2 * 365 * 86400), microseconds=rng.randrange(10**6)
        )
        assert days(zone, stored(instant)) == cal.day_of(instant), instant
    first = date(2025, 1, 1)
    for i in range(0, 730, 3):  # around each day's start, DST changes included
        start = cal.day_start(first + timedelta(days=i))
        for delta in (timedelta(0), timedelta(microseconds=-1), timedelta(minutes=-15)):
            assert days(zone, stored(start + delta)) == cal.day_of(start + delta), start + delta
