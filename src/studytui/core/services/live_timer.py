"""The pomodoro timer from the command line: ``start``, ``stop``, ``status``, ``cancel``.

A session started here is the same ``study_session`` row the app's timer writes, so the app
shows it (and takes it over) and ``status`` shows the app's. No process holds it: it is
**detached** (``detached_at``), a named state and not a crash. The same state covers a pomodoro
the user left running when quitting the app. A detached session whose planned end passed is
logged *completed* at that end by the next command or app start (``pomodoro.detached_end:
ask`` leaves it to the user instead). The app asks its crash question only for a session that
an app held and lost.

While an app holds the timer (its lock on ``timer.lock``), ``stop`` and ``cancel`` here are
refused: the app owns the countdown, and changing its row under it would show a stale timer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from studytui.core.categories import Category
from studytui.core.context import AppContext
from studytui.core.errors import ArgumentError, ConflictError, NotFoundError
from studytui.core.services.session_log import SessionStatus, SessionView
from studytui.core.services.sessions import RecoveryChoice, SessionsService
from studytui.core.storage.models import StudySession
from studytui.core.timer import TimerState, WorkTarget


@dataclass(frozen=True)
class TimerStatus:
    """The open session (if any) as the command line shows it."""

    session: SessionView | None
    now: datetime
    held_by_app: bool = False
    planned_end: datetime | None = None
    focus_seconds: int = 0
    remaining_seconds: int = 0

    @property
    def running(self) -> bool:
        return self.session is not None

    @property
    def overdue(self) -> bool:
        """Past its planned end, detached, and left for the user to settle (``ask``)."""
        return self.planned_end is not None and self.planned_end <= self.now


class LiveTimer:
    """Use-cases of the command-line timer; each call is one transaction."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.sessions = SessionsService(ctx)

    def _now(self) -> datetime:
        return self.ctx.clock.now()

    def _take_lock(self) -> bool:
        """Hold the timer lock for this call; False when an app holds it."""
        return self.sessions.lock.acquire()

    def _open(self) -> SessionView | None:
        views = self.sessions.reads.open_kept()
        return views[0] if views else None

    def settle_detached(self) -> SessionView | None:
        """Log a detached session whose planned end has passed, completed at that end.

        Returns the logged session, or None when there was nothing to settle (no open
        session, one an app holds, one still within its plan, or ``detached_end: ask``).
        """
        view = self._open()
        if view is None or not view.is_detached:
            return None
        if self.ctx.settings.pomodoro.detached_end == "ask":
            return None
        if not self._take_lock():
            return None  # an app took it over; it ends it itself
        try:
            run = view.run()
            last = view.heartbeat_at or view.started_at
            if run.planned_end(last) > self._now():
                return None
            self.sessions.recover(view.id, RecoveryChoice.STOP_AT_PLANNED_END)
            return self.sessions.get(view.id)
        finally:
            self.sessions.lock.release()

    def start(
        self,
        category: Category,
        *,
        topic_id: str | None = None,
        note: str | None = None,
        tags: Sequence[str] = (),
        planned: timedelta | None = None,
    ) -> SessionView:
        """Start a detached pomodoro; refused while any session is open."""
        self.settle_detached()
        state = self.sessions.start(
            TimerState(),
            WorkTarget(category, topic_id, note),
            tags=tags,
            planned=planned,
            via="cli",
        )
        if state.session_id is None:  # start() writes a row or raises
            raise NotFoundError("the pomodoro was not stored")
        return self.sessions.get(state.session_id)

    def status(self) -> TimerStatus:
        """What runs now, who holds it, its focus so far and its planned end."""
        now = self._now()
        view = self._open()
        if view is None:
            return TimerStatus(None, now)
        held = not self._take_lock()
        if not held:
            self.sessions.lock.release()
        run = view.run()
        # Held by an app: its heartbeats are at most 30 s old; the countdown runs to now.
        # Detached: it runs on by itself, so now counts too (it is logged at its planned end).
        end = run.planned_end(now)
        focus = min(run.planned, run.elapsed(now))
        return TimerStatus(
            view,
            now,
            held_by_app=held,
            planned_end=end,
            focus_seconds=round(focus.total_seconds()),
            remaining_seconds=max(0, round((run.planned - focus).total_seconds())),
        )

    def _detached_for_change(self, verb: str) -> SessionView:
        view = self._open()
        if view is None:
            raise NotFoundError("no session is running")
        if not self._take_lock():
            raise ConflictError(
                f"{view.describe(self.ctx.calendar)} is running in the app; {verb} it there"
            )
        return view

    def stop(self, at: datetime | None = None) -> SessionView:
        """End the open session now (or at ``at``): *completed* if it reached its length; one
        past its planned end ends there (as the next command would have logged it)."""
        view = self._detached_for_change("stop")
        try:
            now = self._now()
            end_at = now if at is None else at
            if end_at > now:
                local = self.ctx.calendar.local(end_at)
                raise ArgumentError(f"{local:%a %d %b %H:%M} is in the future", "--at")
            if end_at < view.started_at:
                start = self.ctx.calendar.local(view.started_at)
                raise ArgumentError(
                    f"the session started at {start:%a %d %b %H:%M}; --at cannot be before it",
                    "--at",
                )
            with self.ctx.db.write() as s:
                row = s.get(StudySession, view.id)
                if row is None or row.status not in ("running", "paused"):
                    raise NotFoundError(f"session {view.id} is no longer open")
                end = view.run().end(end_at)
                row.status = (
                    SessionStatus.COMPLETED.value
                    if end.completed
                    else SessionStatus.INTERRUPTED.value
                )
                row.ended_at = end.at
                row.paused_seconds = round(end.paused.total_seconds())
                row.paused_at = None
                row.detached_at = None
        finally:
            self.sessions.lock.release()
        return self.sessions.get(view.id)

    def cancel(self) -> SessionView:
        """Discard the open session: kept as *cancelled*, never counted."""
        view = self._detached_for_change("cancel")
        try:
            self.sessions.recover(view.id, RecoveryChoice.DISCARD)
        finally:
            self.sessions.lock.release()
        return self.sessions.get(view.id)
