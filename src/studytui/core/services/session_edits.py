"""Manual entries and changes to the log: log, edit, delete, undo a deletion, read back.

Sessions never overlap: a new, edited or restored session that would overlap another is refused
with a message naming the other one. Deletion is soft (``deleted_at``) and can be undone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from studytui.core.categories import Category
from studytui.core.errors import (
    ArgumentError,
    ConflictError,
    InputError,
    NotFoundError,
)
from studytui.core.records import EARLIEST
from studytui.core.services.session_log import (
    OPEN_STATUSES,
    SessionSource,
    SessionStatus,
    SessionView,
)
from studytui.core.services.sessions_base import MAX_SESSION, SessionsBase
from studytui.core.storage.models import StudySession
from studytui.core.tags import normalize_tags, tags_column


class SessionEdits(SessionsBase):
    # -- the log ---------------------------------------------------------------------------

    def _check_span(self, start: datetime, duration: timedelta) -> datetime:
        if start.tzinfo is None:
            raise ValueError("start must be tz-aware")
        if start < EARLIEST:
            raise InputError.single(
                "START",
                None,
                "",
                f"{start.date().isoformat()} is before 1970; allowed: 1970 to now",
            )
        if duration <= timedelta(0):
            raise ArgumentError("a session needs a duration above zero", "DURATION")
        if duration > MAX_SESSION:
            raise ArgumentError(
                "a session can last at most 24 hours; log longer work in parts", "DURATION"
            )
        end = start + duration
        if end > self._now():
            local = self.ctx.calendar.local(end)
            raise ArgumentError(
                f"that session would end in the future ({local:%a %d %b %Y %H:%M})", "START"
            )
        return end

    def log(
        self,
        duration: timedelta,
        category: Category,
        *,
        topic_id: str | None = None,
        start: datetime | None = None,
        note: str | None = None,
        tags: Sequence[str] = (),
    ) -> SessionView:
        """Log past focus time by hand; without ``start`` it ends now."""
        topic = self.check_topic(topic_id)
        tag_text = tags_column(normalize_tags(tags))
        now = self._now()
        begin = (start if start is not None else now - duration).astimezone(UTC)
        end = self._check_span(begin, duration)
        with self.ctx.db.write() as s:
            self._refuse_overlap(s, begin, end)
            row = StudySession(
                category=category.value,
                topic_id=topic,
                curriculum_id=self.ctx.settings.curriculum if topic else None,
                note=note.strip() if note and note.strip() else None,
                source=SessionSource.MANUAL.value,
                status=SessionStatus.COMPLETED.value,
                started_at=begin,
                timezone=self.ctx.settings.timezone,
                planned_seconds=round(duration.total_seconds()),
                ended_at=end,
                paused_seconds=0,
                tags=tag_text,
            )
            s.add(row)
            s.flush()
            return self.view(row)

    def edit(
        self,
        session_id: int,
        *,
        start: datetime,
        duration: timedelta,
        category: Category,
        topic_id: str | None,
        note: str | None,
        tags: Sequence[str] | None = None,
    ) -> SessionView:
        """Change a past session; ``duration`` is its focus time (its pauses are kept);
        ``tags=None`` keeps its tags."""
        topic = self.check_topic(topic_id)
        tag_text = None if tags is None else tags_column(normalize_tags(tags))
        with self.ctx.db.write() as s:
            row = s.get(StudySession, session_id)
            if row is None or row.deleted_at is not None:
                raise NotFoundError(f"no session {session_id}")
            if row.status in OPEN_STATUSES:
                raise ConflictError(f"session {session_id} is still running; stop the timer first")
            begin = start.astimezone(UTC)
            paused = timedelta(seconds=row.paused_seconds or 0)
            end = self._check_span(begin, duration + paused)
            self._refuse_overlap(s, begin, end, exclude=row.id)
            row.started_at = begin
            row.ended_at = end
            row.category = category.value
            if topic != row.topic_id:
                row.curriculum_id = self.ctx.settings.curriculum if topic else None
            row.topic_id = topic
            row.note = note.strip() if note and note.strip() else None
            if tag_text is not None:
                row.tags = tag_text
            seconds = round(duration.total_seconds())
            if row.source == SessionSource.MANUAL.value or not row.planned_seconds:
                row.planned_seconds = seconds
            else:  # a pomodoro: complete only if it reached its planned length
                full = seconds >= row.planned_seconds
                row.status = (
                    SessionStatus.COMPLETED.value if full else SessionStatus.INTERRUPTED.value
                )
            s.flush()
            return self.view(row)

    def delete(self, session_id: int) -> SessionView:
        """Soft-delete a past session; ``undo_delete`` brings it back."""
        now = self._now()
        with self.ctx.db.write() as s:
            row = s.get(StudySession, session_id)
            if row is None or row.deleted_at is not None:
                raise NotFoundError(f"no session {session_id}")
            if row.status in OPEN_STATUSES:
                raise ConflictError(
                    f"session {session_id} is still running; stop or cancel the timer instead"
                )
            row.deleted_at = now
            s.flush()
            return self.view(row)

    def undo_delete(self, session_id: int) -> SessionView:
        with self.ctx.db.write() as s:
            row = s.get(StudySession, session_id)
            if row is None or row.deleted_at is None:
                raise NotFoundError(f"no deleted session {session_id}")
            if row.status == SessionStatus.CANCELLED.value:
                raise ConflictError(f"session {session_id} was a cancelled timer")
            if row.ended_at is None:
                raise ConflictError(f"session {session_id} has no end; it cannot be restored")
            self._refuse_overlap(s, row.started_at, row.ended_at, exclude=row.id)
            row.deleted_at = None
            s.flush()
            return self.view(row)

    def get(self, session_id: int) -> SessionView:
        with self.ctx.db.read() as s:
            row = s.get(StudySession, session_id)
            if row is None:
                raise NotFoundError(f"no session {session_id}")
            return self.view(row)

    def between(self, first_day: date, last_day: date) -> list[SessionView]:
        """Kept sessions whose study day (in their own zone) is within the days, by start."""
        return self.reads.between(first_day, last_day)

    def all_kept(self) -> list[SessionView]:
        """Every kept session, oldest first."""
        return self.reads.all_kept()
