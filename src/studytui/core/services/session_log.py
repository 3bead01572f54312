"""Reading the time log without SQLAlchemy: the session's value types and the reads that the
dashboard and the statistics need first (see ``Database.query``).

``sessions.py`` holds the use-cases that write (timer, manual entries, recovery, undo) and
re-exports these names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from studytui.core.categories import Category
from studytui.core.context import AppContext
from studytui.core.errors import StudyError
from studytui.core.storage.sqltypes import db_datetime, utc_datetime
from studytui.core.studyday import StudyCalendar
from studytui.core.tags import tags_of
from studytui.core.timer import Phase, PhaseRun

if TYPE_CHECKING:  # the ORM's rows fit too; the module itself never imports SQLAlchemy
    from studytui.core.storage.models import StudySession


class SessionStatus(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    COMPLETED = "completed"
    INTERRUPTED = "interrupted"
    CANCELLED = "cancelled"  # a timer cancelled or discarded: kept, never counted


OPEN_STATUSES = (SessionStatus.RUNNING.value, SessionStatus.PAUSED.value)


class SessionSource(StrEnum):
    TIMER = "timer"
    MANUAL = "manual"


@dataclass(frozen=True)
class SessionView:
    """One stored session as the UI and the CLI see it."""

    id: int
    category: Category
    topic_id: str | None
    topic_title: str | None
    note: str | None
    source: SessionSource
    status: SessionStatus
    started_at: datetime
    ended_at: datetime | None
    planned_seconds: int | None
    paused_seconds: int
    paused_at: datetime | None
    heartbeat_at: datetime | None
    deleted_at: datetime | None
    timezone: str
    focus_seconds: int
    tags: tuple[str, ...] = ()
    started_via: str | None = None  # "app" or "cli"; None: the app, before schema 9
    detached_at: datetime | None = None  # open and held by no app since then

    @property
    def is_detached(self) -> bool:
        """Open and held by no app: started from the CLI, or left running at a quit."""
        return self.is_open and self.detached_at is not None

    @property
    def is_open(self) -> bool:
        return self.status in (SessionStatus.RUNNING, SessionStatus.PAUSED)

    @property
    def minutes(self) -> float:
        return self.focus_seconds / 60

    def run(self) -> PhaseRun:
        return PhaseRun(
            Phase.WORK,
            self.started_at,
            timedelta(seconds=self.planned_seconds or 0),
            timedelta(seconds=self.paused_seconds),
            self.paused_at,
        )

    def end_or_last_sign(self) -> datetime:
        """The end, or for an open session the last instant it was known to run."""
        if self.ended_at is not None:
            return self.ended_at
        return self.paused_at or self.heartbeat_at or self.started_at

    def study_day(self, rollover_hour: int) -> date:
        return StudyCalendar(self.timezone, rollover_hour).day_of(self.started_at)

    def describe(self, calendar: StudyCalendar) -> str:
        """``session 7 (theory · transformers, Fri 20 Nov 2026 20:00–20:45)`` in local time."""
        start = calendar.local(self.started_at)
        what = self.category.value + (f" · {self.topic_id}" if self.topic_id else "")
        what += "".join(f" +{t}" for t in self.tags)
        if self.ended_at is None:
            when = f"{self.status.value} since {start:%a %d %b %Y %H:%M}"
        else:
            end = calendar.local(self.ended_at)
            fmt = "%H:%M" if end.date() == start.date() else "%a %d %b %H:%M"
            when = f"{start:%a %d %b %Y %H:%M}–{end.strftime(fmt)}"
        return f"session {self.id} ({what}, {when})"


@dataclass(frozen=True)
class SessionRow:
    """A ``study_session`` row read with plain sqlite3 (fields named as the columns)."""

    id: int
    category: str
    topic_id: str | None
    note: str | None
    source: str
    status: str
    started_at: datetime
    ended_at: datetime | None
    planned_seconds: int | None
    paused_seconds: int
    paused_at: datetime | None
    heartbeat_at: datetime | None
    deleted_at: datetime | None
    timezone: str | None
    tags: str
    started_via: str | None
    detached_at: datetime | None


_FIELDS = tuple(f.name for f in fields(SessionRow))  # named as the table's columns
_TIMES = ("started_at", "ended_at", "paused_at", "heartbeat_at", "deleted_at", "detached_at")
_COLUMNS = ", ".join(_FIELDS)
_KEPT = "deleted_at IS NULL AND status != 'cancelled'"


def _row(values: tuple[Any, ...]) -> SessionRow:
    row = dict(zip(_FIELDS, values, strict=True))
    for name in _TIMES:
        row[name] = utc_datetime(row[name])
    row["paused_seconds"] = row["paused_seconds"] or 0
    return SessionRow(**row)


def session_view(
    row: SessionRow | StudySession, titles: dict[str, str], default_zone: str
) -> SessionView:
    """The view of a stored row; an open session counts up to its last sign of life, never
    beyond its plan."""
    paused = row.paused_seconds or 0
    if row.ended_at is not None:
        focus = max(0.0, (row.ended_at - row.started_at).total_seconds() - paused)
    else:
        run = PhaseRun(
            Phase.WORK,
            row.started_at,
            timedelta(seconds=row.planned_seconds or 0),
            timedelta(seconds=paused),
            row.paused_at,
        )
        last = row.heartbeat_at or row.started_at
        focus = min(run.planned, run.elapsed(last)).total_seconds()
    return SessionView(
        id=row.id,
        category=Category(row.category),
        topic_id=row.topic_id,
        topic_title=titles.get(row.topic_id) if row.topic_id else None,
        note=row.note,
        source=SessionSource(row.source),
        status=SessionStatus(row.status),
        started_at=row.started_at,
        ended_at=row.ended_at,
        planned_seconds=row.planned_seconds,
        paused_seconds=paused,
        paused_at=row.paused_at,
        heartbeat_at=row.heartbeat_at,
        deleted_at=row.deleted_at,
        timezone=row.timezone or default_zone,
        focus_seconds=round(focus),
        tags=tags_of(row.tags),
        started_via=row.started_via,
        detached_at=row.detached_at,
    )


def sessions_seconds_by_day(sessions: Sequence[SessionView], rollover_hour: int) -> dict[date, int]:
    out: dict[date, int] = {}
    for v in sessions:
        day = v.study_day(rollover_hour)
        out[day] = out.get(day, 0) + v.focus_seconds
    return out


def latest_free_start(
    sessions: Sequence[SessionView], duration: timedelta, now: datetime
) -> datetime:
    """The start of the latest span of ``duration`` ending by ``now`` that no session covers.

    "Add a session" offers it: ``now - 25 min`` collided with the pomodoro just finished.
    Sessions never overlap, so walking them from the latest start back finds the first gap
    that is long enough; an open session counts up to ``now``.
    """
    end = now
    for view in sorted(sessions, key=lambda v: v.started_at, reverse=True):
        ends = view.ended_at or now
        if ends <= end - duration:
            break  # the gap after this session holds the span
        end = min(end, view.started_at)
    return end - duration


class SessionLog:
    """Read-only queries of the time log, each one snapshot."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def topic_titles(self) -> dict[str, str]:
        try:
            return {t.id: t.title for t in self.ctx.curriculum().topics}
        except StudyError:
            return {}

    def view(
        self, row: SessionRow | StudySession, titles: dict[str, str] | None = None
    ) -> SessionView:
        titles = self.topic_titles() if titles is None else titles
        return session_view(row, titles, self.ctx.settings.timezone)

    def _views(self, where: str, params: Sequence[object] = ()) -> list[SessionView]:
        sql = f"SELECT {_COLUMNS} FROM study_session WHERE {where} ORDER BY started_at"
        with self.ctx.db.query() as conn:
            rows = [_row(r) for r in conn.execute(sql, params)]
        titles = self.topic_titles()
        return [self.view(r, titles) for r in rows]

    def between(self, first_day: date, last_day: date) -> list[SessionView]:
        """Kept sessions whose study day (in their own zone) is within the days, by start."""
        cal = self.ctx.calendar
        # Widen by a day each side: a session's own zone may differ from today's.
        lo = cal.day_start(first_day) - timedelta(days=2)
        hi = cal.day_start(last_day + timedelta(days=1)) + timedelta(days=2)
        views = self._views(
            f"{_KEPT} AND started_at >= ? AND started_at < ?", (db_datetime(lo), db_datetime(hi))
        )
        hour = self.ctx.settings.day_rollover_hour
        return [v for v in views if first_day <= v.study_day(hour) <= last_day]

    def all_kept(self) -> list[SessionView]:
        """Every kept session, oldest first."""
        return self._views(_KEPT)

    def open_kept(self) -> list[SessionView]:
        """Kept sessions still open (at most one)."""
        return self._views(f"{_KEPT} AND ended_at IS NULL")
