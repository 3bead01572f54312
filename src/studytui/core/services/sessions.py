"""Study sessions: the pomodoro timer's stored work phases, manual entries, recovery, undo.

A work phase is written the moment it starts (status ``running``) and its ``heartbeat_at`` is
refreshed while it runs, so a crash loses at most one heartbeat interval and the next start of
the app can ask what to do with it. Breaks are not focus time and are not stored; the position
in the cycle comes from the number of pomodoros completed this study day.

Sessions never overlap: a new, edited or restored session that would overlap another is refused
with a message naming the other one. Deletion is soft (``deleted_at``) and can be undone.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from studytui.core.categories import Category
from studytui.core.context import AppContext
from studytui.core.errors import (
    ArgumentError,
    ConflictError,
    InputError,
    NotFoundError,
    StudyError,
)
from studytui.core.lockfile import OwnerLock
from studytui.core.records import EARLIEST
from studytui.core.services.kept_running import clear_marker, read_marker
from studytui.core.services.pomodoro_day import completed_pomodoros
from studytui.core.services.session_log import (
    OPEN_STATUSES,
    SessionLog,
    SessionSource,
    SessionStatus,
    SessionView,
)
from studytui.core.storage.models import StudySession
from studytui.core.studyday import roadmap_week
from studytui.core.tags import normalize_tags, tags_column
from studytui.core.timer import (
    CycleConfig,
    Phase,
    PhaseEnd,
    PhaseEnded,
    PhaseRun,
    TimerState,
    WorkTarget,
    advance,
)

HEARTBEAT_EVERY = timedelta(seconds=30)
MAX_SESSION = timedelta(hours=24)
LOCK_NAME = "timer.lock"


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


@dataclass(frozen=True)
class TopicChoice:
    id: str
    title: str
    this_week: bool
    open: bool = True  # neither done nor skipped: what a pomodoro is offered for first


class SessionsService:
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
        target = WorkTarget(view.category, view.topic_id, view.note)
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
        return WorkTarget(Category(row.category), row.topic_id, row.note)

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
        target = WorkTarget(target.category, topic, note)
        tag_text = tags_column(normalize_tags(tags))
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
