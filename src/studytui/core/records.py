"""What a stored session, card or review may hold: one set of rules for every way data enters.

The app's own writes (logging and editing a session), an import of an export or of Watson frames
and a restore of a database file all check records against these functions, so nothing can be
imported or restored that the app itself would refuse to store, and nothing the app stores is
refused when it comes back. Each rule returns ``(field, message)`` pairs; callers turn them into
``file:line: field: message`` or ``file: table[row].field: message`` problems.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
"""No study session, review or card state is older than this (Unix time 0)."""
MAX_FOCUS = timedelta(hours=24)
"""The longest focus time one session may hold; longer work is logged in parts."""
MAX_SPAN = timedelta(days=7)
"""The longest a session may stay open, pauses included (a pomodoro paused over a weekend)."""
MIN_FOCUS = timedelta(seconds=1)
"""Stored durations are whole seconds: anything shorter would be stored as nothing."""
OPEN_STATUSES = ("running", "paused")
SESSION_STATUSES = ("running", "paused", "completed", "interrupted", "cancelled")
MIN_DIFFICULTY, MAX_DIFFICULTY = 1.0, 10.0
MAX_STABILITY = 1e6
"""Days; FSRS caps intervals at 36,500 days, so a stability far beyond that is corrupt data."""

Found = list[tuple[str, str]]


@dataclass(frozen=True)
class SessionFacts:
    """The parts of a session that the rules look at, from whatever record it came in."""

    status: str
    started_at: datetime
    ended_at: datetime | None
    paused_seconds: int
    paused_at: datetime | None = None
    deleted_at: datetime | None = None


def time_problems(field: str, value: datetime | None, now: datetime | None) -> Found:
    """A stored time must be aware, not before 1970 and, where ``now`` is given, not ahead of it."""
    if value is None:
        return []
    if value.tzinfo is None:
        return [(field, "has no time zone")]
    if value < EARLIEST:
        return [(field, f"{value.date().isoformat()} is before 1970")]
    if now is not None and value > now:
        return [(field, f"{value:%Y-%m-%d %H:%M} UTC is in the future")]
    return []


def session_problems(facts: SessionFacts, now: datetime | None) -> Found:
    """A session's times, length and pauses as the app would have stored them."""
    found: Found = []
    for name in ("started_at", "ended_at", "paused_at", "deleted_at"):
        found += time_problems(name, getattr(facts, name), now)
    if found:
        return found
    if facts.status not in SESSION_STATUSES:
        return [("status", f"'{facts.status}'; allowed: {', '.join(SESSION_STATUSES)}")]
    if facts.paused_seconds < 0:
        return [("paused_seconds", f"{facts.paused_seconds} is below zero")]
    end = facts.ended_at
    if end is None:
        if facts.status not in OPEN_STATUSES:
            return [("ended_at", f"a {facts.status} session needs an end")]
        return []
    span = end - facts.started_at
    if span < timedelta(0):
        return [("ended_at", "ends before it starts")]
    if span > MAX_SPAN:
        return [("ended_at", f"lasts {span.total_seconds() / 3600:.1f} hours; at most 7 days")]
    if facts.paused_seconds > span.total_seconds():
        return [
            (
                "paused_seconds",
                f"paused {facts.paused_seconds} s of a {int(span.total_seconds())} s span",
            )
        ]
    focus = span - timedelta(seconds=facts.paused_seconds)
    # A pomodoro stopped or cancelled at once is kept as it happened (interrupted, 0 s); only a
    # completed session must hold time.
    if facts.status == "completed" and focus < MIN_FOCUS:
        return [("ended_at", "lasts no time; a session needs at least one second of focus")]
    if focus > MAX_FOCUS:
        hours = focus.total_seconds() / 3600
        return [("ended_at", f"holds {hours:.1f} hours of focus; at most 24 (log it in parts)")]
    return []


def finite(value: float | None) -> bool:
    return value is None or (isinstance(value, int | float) and math.isfinite(value))


def card_problems(
    stability: float | None, difficulty: float | None, step: int | None, state: int | None = None
) -> Found:
    """FSRS memory state: stability a positive number of days, difficulty within 1..10."""
    found: Found = []
    if stability is not None and not (finite(stability) and 0 < stability <= MAX_STABILITY):
        found.append(("stability", f"{stability} is not a stability (above 0, in days)"))
    if difficulty is not None and not (
        finite(difficulty) and MIN_DIFFICULTY <= difficulty <= MAX_DIFFICULTY
    ):
        found.append(("difficulty", f"{difficulty} is out of range; allowed: 1 to 10"))
    if step is not None and step < 0:
        found.append(("step", f"{step} is below zero"))
    if state is not None and state not in (0, 1, 2, 3):
        found.append(("state", f"{state} is not an FSRS state (0 new, 1-3 learning/review)"))
    return found


def rating_problems(rating: int) -> Found:
    return [] if rating in (1, 2, 3, 4) else [("rating", f"{rating}; ratings run from 1 to 4")]
