"""Today's pomodoros against the daily goal (``pomodoro.daily_goal``).

One count for everything that shows it: the timer's cycle (which pomodoro of the day, when the
long break comes), the dashboard's "Pomodoros today 3/8" and the timer screen's. A pomodoro is
a timer session completed (it ran its full length) and kept, started within the study day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from studytui.core.context import AppContext
from studytui.core.services.session_log import SessionSource, SessionStatus
from studytui.core.storage.sqltypes import db_datetime

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# The rule, once, in SQL: run on plain sqlite3 for the dashboard (whose data path stays clear
# of SQLAlchemy's import, tests/test_startup.py) and inside the sessions service's ORM
# transaction (which must see its own uncommitted changes).
COMPLETED_SQL = (
    "SELECT count(*) FROM study_session "
    f"WHERE source = '{SessionSource.TIMER.value}' "
    f"AND status = '{SessionStatus.COMPLETED.value}' "
    "AND deleted_at IS NULL AND started_at >= :start AND started_at < :end"
)


def _bounds(ctx: AppContext, day: date) -> dict[str, str]:
    start, end = ctx.calendar.day_bounds(day)
    return {"start": db_datetime(start), "end": db_datetime(end)}


def completed_pomodoros(s: Session, ctx: AppContext, day: date) -> int:
    """Timer sessions completed and kept that started on the study day ``day`` (in ``s``)."""
    from sqlalchemy import text

    return int(s.execute(text(COMPLETED_SQL), _bounds(ctx, day)).scalar() or 0)


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
        with self.ctx.db.query() as conn:
            (done,) = conn.execute(COMPLETED_SQL, _bounds(self.ctx, day)).fetchone()
        return PomodoroDay(day, int(done or 0), self.ctx.settings.pomodoro.daily_goal)
