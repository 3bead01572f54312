"""The sessions services' common ground: the lock, views, topics, overlaps, the stored timer.

``sessions.py`` (the timer), ``session_recovery.py`` (open sessions left behind) and
``session_edits.py`` (manual entries, edits, deletion) build on ``SessionsBase``, one module per
job; ``SessionsService`` is all of them.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from studytui.core.categories import Category
from studytui.core.context import AppContext
from studytui.core.errors import (
    ConflictError,
    NotFoundError,
    StudyError,
)
from studytui.core.lockfile import OwnerLock
from studytui.core.services.pomodoro_day import completed_pomodoros
from studytui.core.services.session_log import (
    OPEN_STATUSES,
    SessionLog,
    SessionStatus,
    SessionView,
)
from studytui.core.storage.models import StudySession
from studytui.core.studyday import roadmap_week
from studytui.core.tags import tags_of
from studytui.core.timer import (
    CycleConfig,
    PhaseRun,
    TimerState,
    WorkTarget,
)

HEARTBEAT_EVERY = timedelta(seconds=30)
MAX_SESSION = timedelta(hours=24)
LOCK_NAME = "timer.lock"


@dataclass(frozen=True)
class TopicChoice:
    id: str
    title: str
    this_week: bool
    open: bool = True  # neither done nor skipped: what a pomodoro is offered for first


class SessionsBase:
    """Use-cases of the time log; each call is one transaction."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.lock = OwnerLock(ctx.paths.data_dir / LOCK_NAME)
        self.reads = SessionLog(ctx)

    # -- helpers -------------------------------------------------------------------------

    @property
    def config(self) -> CycleConfig:
        return CycleConfig.from_settings(self.ctx.settings.pomodoro)

    def _now(self) -> datetime:
        return self.ctx.clock.now()

    def _topic_titles(self) -> dict[str, str]:
        return self.reads.topic_titles()

    def view(self, row: StudySession, titles: dict[str, str] | None = None) -> SessionView:
        return self.reads.view(row, titles)

    def check_topic(self, topic_id: str | None) -> str | None:
        """A topic id of the active curriculum (or None); unknown ids are refused with hints."""
        if topic_id is None or not topic_id.strip():
            return None
        topic_id = topic_id.strip()
        cur = self.ctx.curriculum()
        if cur.topic(topic_id) is not None:
            return topic_id
        by_title = {t.title.casefold(): t.id for t in cur.topics}
        if topic_id.casefold() in by_title:
            return by_title[topic_id.casefold()]
        ids = [t.id for t in cur.topics]
        close = difflib.get_close_matches(topic_id, ids, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise NotFoundError(f"no topic '{topic_id}' in the curriculum '{cur.id}'{hint}")

    def topic_choices(self) -> tuple[TopicChoice, ...]:
        """The active curriculum's topics, this week's first."""
        try:
            cur = self.ctx.curriculum()
        except StudyError:
            return ()
        week = cur.clamp_week(roadmap_week(self.ctx.start_date(), cur.first_week, self.ctx.today()))
        plan = cur.plan(week)
        first = list(plan.topics) if plan is not None else []
        first_ids = {t.id for t in first}
        rest = [t for t in cur.topics if t.id not in first_ids]
        from studytui.core.services.roadmap import RoadmapService
        from studytui.core.topic_status import TopicStatus

        statuses = RoadmapService(self.ctx).topic_statuses([t.id for t in first])
        closed = (TopicStatus.DONE, TopicStatus.SKIPPED)
        return tuple(
            [TopicChoice(t.id, t.title, True, statuses[t.id] not in closed) for t in first]
            + [TopicChoice(t.id, t.title, False) for t in rest]
        )

    def _completed_today(self, s: Session) -> int:
        return completed_pomodoros(s, self.ctx, self.ctx.today())

    @staticmethod
    def _open_row(s: Session) -> StudySession | None:
        return s.scalars(
            select(StudySession).where(StudySession.status.in_(OPEN_STATUSES)).limit(1)
        ).first()

    def overlapping(
        self, s: Session, start: datetime, end: datetime, exclude: int | None = None
    ) -> StudySession | None:
        """A kept session whose time overlaps [start, end); an open one reaches to now."""
        q = select(StudySession).where(
            StudySession.deleted_at.is_(None),
            StudySession.status != SessionStatus.CANCELLED.value,
            StudySession.started_at < end,
            or_(StudySession.ended_at.is_(None), StudySession.ended_at > start),
        )
        if exclude is not None:
            q = q.where(StudySession.id != exclude)
        return s.scalars(q.order_by(StudySession.started_at).limit(1)).first()

    def _refuse_overlap(
        self, s: Session, start: datetime, end: datetime, exclude: int | None = None
    ) -> None:
        other = self.overlapping(s, start, end, exclude)
        if other is not None:
            raise ConflictError(
                f"overlaps {self.view(other).describe(self.ctx.calendar)}; nothing was changed"
            )

    def _state_from_db(self, s: Session, keep: TimerState | None = None) -> TimerState:
        """The timer as the database has it; a break in ``keep`` survives if nothing is open."""
        done = self._completed_today(s)
        row = self._open_row(s)
        base = keep or TimerState()
        if row is None:
            if base.in_break or base.waiting_break is not None:
                return TimerState(run=base.run, target=base.target, completed_today=done,
                                  waiting_break=base.waiting_break)  # fmt: skip
            return TimerState(target=base.target or self._last_target(s), completed_today=done)
        view = self.view(row)
        target = WorkTarget(view.category, view.topic_id, view.note, view.tags)
        return TimerState(run=view.run(), session_id=row.id, target=target, completed_today=done)

    @staticmethod
    def _last_target(s: Session) -> WorkTarget | None:
        row = s.scalars(
            select(StudySession)
            .where(StudySession.deleted_at.is_(None))
            .order_by(StudySession.started_at.desc())
            .limit(1)
        ).first()
        if row is None:
            return None
        return WorkTarget(Category(row.category), row.topic_id, row.note, tags_of(row.tags))

    def _close(self, row: StudySession, run: PhaseRun, at: datetime) -> bool:
        """Close an open row as if stopped at ``at``; True when it ran its full length."""
        end = run.end(at)
        row.status = (
            SessionStatus.COMPLETED.value if end.completed else SessionStatus.INTERRUPTED.value
        )
        row.ended_at = end.at
        row.paused_seconds = round(end.paused.total_seconds())
        row.paused_at = None
        return end.completed
