"""Open sessions no running studytui holds: a crash, a closed terminal, or a detached session.

The app asks about a crash; a detached session (started from the command line, or left running
at a quit) carries on, or is logged at its planned end (``live_timer.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from studytui.core.errors import (
    NotFoundError,
)
from studytui.core.services.kept_running import clear_marker, read_marker
from studytui.core.services.session_edits import SessionEdits
from studytui.core.services.session_log import (
    OPEN_STATUSES,
    SessionStatus,
    SessionView,
)
from studytui.core.storage.models import StudySession
from studytui.core.timer import (
    PhaseEnd,
    PhaseRun,
    TimerState,
)


class RecoveryChoice(StrEnum):
    """What to do with a timer session left open by a crash, a closed terminal or a quit."""

    RESUME = "resume"
    CONTINUE = "continue"  # left running on purpose at quit: the time away was focus
    STOP_AT_HEARTBEAT = "stop-at-heartbeat"
    STOP_AT_PLANNED_END = "stop-at-planned-end"
    DISCARD = "discard"


def settle(run: PhaseRun, last: datetime, now: datetime, choice: RecoveryChoice) -> PhaseEnd:
    """Where an abandoned work phase ends for a stopping choice.

    At the last heartbeat: as if stopped then (a pause in progress ends the session where it
    began). At the planned end: as if it had run on from the last heartbeat (a pause in progress
    ending there), but never later than now.
    """
    if choice is RecoveryChoice.STOP_AT_HEARTBEAT:
        return run.end(last)
    if choice is RecoveryChoice.STOP_AT_PLANNED_END:
        resumed = run.resume(last) if run.is_paused else run
        return resumed.end(min(resumed.planned_end(last), now))
    raise ValueError(f"{choice} does not stop the session")


@dataclass(frozen=True)
class AbandonedSession:
    """An open timer session that no running studytui owns."""

    session: SessionView
    last_heartbeat: datetime
    planned_end: datetime  # as known at the last heartbeat
    focus_at_heartbeat: timedelta
    now: datetime
    # Detached: started from the CLI, or the user quit choosing "keep running" (not a crash).
    kept_running: bool = False
    ask_at_end: bool = False  # ``pomodoro.detached_end: ask``

    @property
    def settled_choice(self) -> RecoveryChoice | None:
        """What to do without asking: a detached pomodoro carries on, or is logged at its
        planned end once that passed (unless the settings ask); a crash is asked about."""
        if not self.kept_running:
            return None
        if self.planned_end_passed:
            return None if self.ask_at_end else RecoveryChoice.STOP_AT_PLANNED_END
        return RecoveryChoice.CONTINUE

    @property
    def planned_end_passed(self) -> bool:
        return self.planned_end <= self.now

    def outcome(self, choice: RecoveryChoice) -> PhaseEnd:
        """What a stopping choice would log (the same rule ``recover`` applies)."""
        return settle(self.session.run(), self.last_heartbeat, self.now, choice)

    def focus(self, end: PhaseEnd) -> timedelta:
        return max(timedelta(0), end.at - self.session.started_at - end.paused)

    @property
    def remaining_at_heartbeat(self) -> timedelta:
        return max(timedelta(0), self.session.run().planned - self.focus_at_heartbeat)


class SessionRecovery(SessionEdits):
    # -- recovery --------------------------------------------------------------------------

    def abandoned(self) -> AbandonedSession | None:
        """An open session that no running studytui owns (it then becomes ours to settle)."""
        with self.ctx.db.read() as s:
            row = self._open_row(s)
            if row is None:
                return None
            view = self.view(row)
        if not self.lock.acquire():
            return None  # another studytui is running this timer
        now = self._now()
        last = view.heartbeat_at or view.started_at
        run = view.run()
        # Before schema 9 "keep running" wrote a marker file instead of ``detached_at``.
        marker = read_marker(self.ctx.paths.data_dir)
        legacy = marker is not None and marker.session_id == view.id
        return AbandonedSession(
            session=view,
            last_heartbeat=last,
            planned_end=run.planned_end(last),
            focus_at_heartbeat=min(run.planned, run.elapsed(last)),
            now=now,
            kept_running=view.detached_at is not None or legacy,
            ask_at_end=self.ctx.settings.pomodoro.detached_end == "ask",
        )

    def keep_running(self, state: TimerState) -> None:
        """The app quits and the user chose to leave the pomodoro running: it becomes detached,
        so the next start (or command) carries on with it instead of asking about a crash."""
        if state.session_id is None:
            return
        now = self._now()
        with self.ctx.db.write() as s:
            row = self._open_row(s)
            if row is None or row.id != state.session_id:
                return
            row.heartbeat_at = now
            row.detached_at = now

    def recover(self, session_id: int, choice: RecoveryChoice) -> TimerState:
        """Settle an abandoned session as the user chose."""
        now = self._now()
        with self.ctx.db.write() as s:
            row = s.get(StudySession, session_id)
            if row is None or row.status not in OPEN_STATUSES:
                raise NotFoundError(f"session {session_id} is no longer open")
            view = self.view(row)
            run = view.run()
            last = max(view.heartbeat_at or view.started_at, view.started_at)
            clear_marker(self.ctx.paths.data_dir)
            row.detached_at = None  # settled, or held by this app from now on
            if choice is RecoveryChoice.CONTINUE:
                row.heartbeat_at = now  # the time away counts: it was left running on purpose
                s.flush()
                return self._state_from_db(s)
            if choice is RecoveryChoice.RESUME:
                if row.status == SessionStatus.RUNNING.value and now > last:
                    # The time since the last sign of life was not focus: it becomes a pause.
                    gap = round((now - last).total_seconds())
                    row.paused_seconds = (row.paused_seconds or 0) + gap
                row.heartbeat_at = now
                s.flush()
                return self._state_from_db(s)
            if choice is not RecoveryChoice.DISCARD:
                end = settle(run, last, now, choice)
                row.status = (
                    SessionStatus.COMPLETED.value
                    if end.completed
                    else SessionStatus.INTERRUPTED.value
                )
                row.ended_at = end.at
                row.paused_seconds = round(end.paused.total_seconds())
                row.paused_at = None
            else:
                row.status = SessionStatus.CANCELLED.value
                row.ended_at = last
                row.paused_at = None
                row.deleted_at = now
            s.flush()
            state = self._state_from_db(s)
        self.lock.release()
        return state

    def release(self) -> None:
        """Let go of the timer (the app is closing); an open session stays open."""
        self.lock.release()
