"""Today's pomodoros against the daily goal (``pomodoro.daily_goal``).

One count for everything that shows it: the timer's cycle (which pomodoro of the day, when the
long break comes), the dashboard's "Pomodoros today 3/8" and the timer screen's. A pomodoro is
a timer session completed (it ran its full length) and kept, started within the study day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from studytui.core.context import AppContext
from studytui.core.services.session_log import SessionSource, SessionStatus
from studytui.core.storage.models import StudySession


def completed_pomodoros(s: Session, ctx: AppContext, day: date) -> int:
    """Timer sessions completed and kept that started on the study day ``day``."""
    start, end = ctx.calendar.day_bounds(day)
    count = s.scalar(
        select(func.count(StudySession.id)).where(
            StudySession.source == SessionSource.TIMER.value,
            StudySession.status == SessionStatus.COMPLETED.value,
            StudySession.deleted_at.is_(None),
            StudySession.started_at >= start,
            StudySession.started_at < end,
        )
    )
    return int(count or 0)


@dataclass(frozen=True)
class PomodoroDay:
    """Completed pomodoros of a study day and the goal (0: no goal set)."""

    day: date
    completed: int
    goal: int

    @property
    def has_goal(self) -> bool:
        return self.goal > 0

    @property
    def reached(self) -> bool:
        return self.has_goal and self.completed >= self.goal

    @property
    def label(self) -> str:
        """``3/8`` against a goal, else the count alone."""
        return f"{self.completed}/{self.goal}" if self.has_goal else str(self.completed)


class PomodoroDayService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def today(self) -> PomodoroDay:
        day = self.ctx.today()
        with self.ctx.db.read() as s:
            done = completed_pomodoros(s, self.ctx, day)
        return PomodoroDay(day, done, self.ctx.settings.pomodoro.daily_goal)
