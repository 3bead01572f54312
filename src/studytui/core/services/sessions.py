"""Study sessions: the pomodoro timer's stored work phases, manual entries, recovery, undo.

A work phase is written the moment it starts (status ``running``) and its ``heartbeat_at`` is
refreshed while it runs, so a crash loses at most one heartbeat interval and the next start of
the app can ask what to do with it. Breaks are not focus time and are not stored; the position
in the cycle comes from the number of pomodoros completed this study day.

The service is split by job: ``sessions_base.py`` (shared helpers), ``session_edits.py`` (the log
by hand), ``session_recovery.py`` (sessions left open); this module adds the timer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from studytui.core.errors import ArgumentError, ConflictError, StudyError
from studytui.core.services.session_log import (
    OPEN_STATUSES,
    SessionSource,
    SessionStatus,
)
from studytui.core.services.session_recovery import (
    AbandonedSession,
    RecoveryChoice,
    SessionRecovery,
    settle,
)
from studytui.core.services.sessions_base import (
    HEARTBEAT_EVERY,
    LOCK_NAME,
    MAX_SESSION,
    TopicChoice,
)
from studytui.core.storage.models import StudySession
from studytui.core.tags import normalize_tags, tags_column
from studytui.core.timer import (
    Phase,
    PhaseEnded,
    PhaseRun,
    TimerState,
    WorkTarget,
    advance,
)


class SessionsService(SessionRecovery):
    """Use-cases of the time log; each call is one transaction."""

    # -- the timer -------------------------------------------------------------------------

    def load_timer(self, keep: TimerState | None = None) -> TimerState:
        """The timer as stored (an open session, today's count); no writes."""
        with self.ctx.db.read() as s:
            return self._state_from_db(s, keep)

    def start(
        self,
        state: TimerState,
        target: WorkTarget,
        *,
        tags: Sequence[str] = (),
        planned: timedelta | None = None,
        via: str = "app",
        at: datetime | None = None,
    ) -> TimerState:
        """Start a pomodoro: its row is written (status running) before this returns.

        ``via="cli"`` starts it detached: no app holds it (``live_timer.py``), and no lock is
        taken. ``at``: a pomodoro started by itself at its break's end (a moment ago)."""
        topic = self.check_topic(target.topic_id)
        note = target.note.strip() if target.note and target.note.strip() else None
        chosen = normalize_tags(tags or target.tags)
        target = WorkTarget(target.category, topic, note, chosen)
        tag_text = tags_column(chosen)
        now = self._now() if at is None else min(at, self._now())
        planned = self.config.work if planned is None else planned
        if not timedelta(minutes=1) <= planned <= MAX_SESSION:
            raise ArgumentError("a pomodoro lasts from 1 minute to 24 hours", "--for")
        try:
            with self.ctx.db.write() as s:
                row = self._open_row(s)
                if row is not None:
                    raise ConflictError(
                        f"a timer is already running: {self.view(row).describe(self.ctx.calendar)}"
                    )
                self._refuse_overlap(s, now, now + timedelta(seconds=1))
                row = StudySession(
                    category=target.category.value,
                    topic_id=topic,
                    curriculum_id=self.ctx.settings.curriculum if topic else None,
                    note=note,
                    source=SessionSource.TIMER.value,
                    status=SessionStatus.RUNNING.value,
                    started_at=now,
                    timezone=self.ctx.settings.timezone,
                    planned_seconds=round(planned.total_seconds()),
                    paused_seconds=0,
                    heartbeat_at=now,
                    tags=tag_text,
                    started_via=via,
                    detached_at=now if via == "cli" else None,
                )
                s.add(row)
                s.flush()
                session_id = row.id
                done = self._completed_today(s)
        except IntegrityError as exc:  # another process started one between check and insert
            raise ConflictError("a timer is already running in another studytui") from exc
        if via != "cli":
            self.lock.acquire()
        run = PhaseRun(Phase.WORK, now, planned)
        return TimerState(completed_today=done).working(session_id, run, target)

    def _work_row(self, s: Session, state: TimerState) -> StudySession | None:
        if state.session_id is None:
            return None
        row = s.get(StudySession, state.session_id)
        if row is None or row.status not in OPEN_STATUSES:
            return None
        return row

    def pause(self, state: TimerState) -> TimerState:
        if state.run is None:
            raise ConflictError("the timer is not running")
        now = self._now()
        if not state.in_work:
            return state.with_run(state.run.pause(now))
        with self.ctx.db.write() as s:
            row = self._work_row(s, state)
            if row is None:
                return self._state_from_db(s)
            if row.status == SessionStatus.PAUSED.value:
                return self._state_from_db(s)
            row.status = SessionStatus.PAUSED.value
            row.paused_at = now
            row.heartbeat_at = now
            s.flush()
            return self._state_from_db(s)

    def resume(self, state: TimerState) -> TimerState:
        if state.run is None:
            raise ConflictError("the timer is not running")
        now = self._now()
        if not state.in_work:
            return state.with_run(state.run.resume(now))
        with self.ctx.db.write() as s:
            row = self._work_row(s, state)
            if row is None or row.status != SessionStatus.PAUSED.value or row.paused_at is None:
                return self._state_from_db(s)
            row.paused_seconds = (row.paused_seconds or 0) + round(
                max(timedelta(0), now - row.paused_at).total_seconds()
            )
            row.paused_at = None
            row.status = SessionStatus.RUNNING.value
            row.heartbeat_at = now
            s.flush()
            return self._state_from_db(s)

    def stop(self, state: TimerState) -> TimerState:
        """Stop now: a work phase is logged with its real minutes (interrupted if short)."""
        if state.run is None:
            return state
        if not state.in_work:
            return state.idle()
        now = self._now()
        with self.ctx.db.write() as s:
            row = self._work_row(s, state)
            if row is not None:
                self._close(row, self.view(row).run(), now)
                s.flush()
            new = self._state_from_db(s).idle()
        self.lock.release()
        return new

    def cancel(self, state: TimerState) -> TimerState:
        """Throw the current phase away: a work session is not logged."""
        if state.run is None:
            return state
        if not state.in_work:
            return state.idle()
        now = self._now()
        with self.ctx.db.write() as s:
            row = self._work_row(s, state)
            if row is not None:
                row.status = SessionStatus.CANCELLED.value
                row.ended_at = max(now, row.started_at)
                row.paused_at = None
                row.deleted_at = now
                s.flush()
            new = self._state_from_db(s).idle()
        self.lock.release()
        return new

    def skip(self, state: TimerState) -> TimerState:
        """Go to the next phase now: work ends (interrupted if short) and its break starts;
        a break ends and the next pomodoro starts on the same category and topic."""
        if state.run is None:
            raise ConflictError("the timer is not running")
        if state.in_break:
            target = state.target
            if target is None:
                return state.idle()
            return self.start(state.idle(), target)
        now = self._now()
        with self.ctx.db.write() as s:
            row = self._work_row(s, state)
            if row is not None:
                self._close(row, self.view(row).run(), now)
                s.flush()
            done = self._completed_today(s)
        self.lock.release()
        return state.on_break(now, self.config, done)

    def advance(self, state: TimerState) -> tuple[TimerState, list[PhaseEnded]]:
        """Complete every phase that reached its planned end (called by the ticking UI)."""
        now = self._now()
        new, ended = advance(state, now, self.config)
        finished = [e for e in ended if e.phase is Phase.WORK and e.session_id is not None]
        if finished:
            with self.ctx.db.write() as s:
                for event in finished:
                    row = s.get(StudySession, event.session_id)
                    if row is None or row.status not in OPEN_STATUSES:
                        continue
                    self._close(row, self.view(row).run(), now)
            self.lock.release()
        if new.needs_row and new.run is not None and new.target is not None:
            new, ended = self._auto_start(new, new.target, new.run.started_at, ended)
        return new, ended

    def _auto_start(
        self, state: TimerState, target: WorkTarget, at: datetime, ended: list[PhaseEnded]
    ) -> tuple[TimerState, list[PhaseEnded]]:
        """Write the row of a pomodoro that started by itself (``auto_start_work``); if it
        cannot start (its topic left the curriculum, another session runs), the timer waits
        idle for ``s`` instead, and the break's end says so (no next phase)."""
        try:
            return self.start(state.idle(), target, at=at), ended
        except StudyError:
            last = ended[-1] if ended else None
            if last is not None:
                ended = [*ended[:-1], replace(last, next_phase=None, auto=False)]
            return state.idle(), ended

    def heartbeat(self, state: TimerState) -> TimerState:
        """Record that the timer is alive and pick up changes made by another studytui."""
        now = self._now()
        with self.ctx.db.write() as s:
            row = self._open_row(s)
            if row is not None and row.detached_at is not None and row.id != state.session_id:
                # Held by no app: the app takes it over through ``abandoned`` and ``recover``,
                # which say so (or ask), not silently here.
                return self._state_from_db(s, state)
            if row is not None:
                row.heartbeat_at = now
                row.detached_at = None
                s.flush()
            new = self._state_from_db(s, state)
        # Whoever keeps the timer alive holds the lock, so a studytui started meanwhile does
        # not take it for abandoned (if the app that started it has quit).
        if row is not None:
            self.lock.acquire()
        else:
            self.lock.release()
        return new


__all__ = [
    "HEARTBEAT_EVERY", "LOCK_NAME", "MAX_SESSION", "AbandonedSession", "RecoveryChoice",
    "SessionsService", "TopicChoice", "settle",
]  # fmt: skip
