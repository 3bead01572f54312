"""The pomodoro cycle as a pure state machine: work, short break, long break.

Nothing here counts down. A phase is its start instant, its planned length, the seconds it
has spent paused and the instant a current pause began; everything the UI shows (remaining
time, progress, the planned end) is computed from those and an instant passed in by the
caller, so the numbers are right after a suspend, a crash or a clock that jumped.

No I/O: the sessions service stores work phases and calls these functions with
``clock.now()``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from studytui.core.categories import Category
from studytui.core.config import PomodoroSettings
from studytui.core.errors import ConflictError

ZERO = timedelta(0)
# A break that ended longer ago than this when the app noticed (a suspended laptop, a closed
# lid) does not start the next pomodoro by itself: nobody was there, and a night's suspend
# would otherwise log a row of pomodoros nobody worked.
AUTO_START_GRACE = timedelta(minutes=2)


class Phase(StrEnum):
    WORK = "work"
    SHORT_BREAK = "short-break"
    LONG_BREAK = "long-break"

    @property
    def label(self) -> str:
        return {"work": "Work", "short-break": "Short break", "long-break": "Long break"}[
            self.value
        ]

    @property
    def is_break(self) -> bool:
        return self is not Phase.WORK


@dataclass(frozen=True)
class CycleConfig:
    """Phase lengths and how often the long break comes."""

    work: timedelta = timedelta(minutes=25)
    short_break: timedelta = timedelta(minutes=5)
    long_break: timedelta = timedelta(minutes=15)
    long_break_every: int = 4
    auto_start_breaks: bool = True  # False: a finished pomodoro's break waits for ``s``
    auto_start_work: bool = False  # True: a finished break's pomodoro starts by itself

    @classmethod
    def from_settings(cls, p: PomodoroSettings) -> CycleConfig:
        return cls(
            work=timedelta(minutes=p.work_minutes),
            short_break=timedelta(minutes=p.short_break_minutes),
            long_break=timedelta(minutes=p.long_break_minutes),
            long_break_every=p.long_break_every,
            auto_start_breaks=p.auto_start_breaks,
            auto_start_work=p.auto_start_work,
        )

    def length(self, phase: Phase) -> timedelta:
        return {
            Phase.WORK: self.work,
            Phase.SHORT_BREAK: self.short_break,
            Phase.LONG_BREAK: self.long_break,
        }[phase]

    def break_after(self, completed_work: int) -> Phase:
        """The break that follows when ``completed_work`` pomodoros are done today."""
        if completed_work > 0 and completed_work % self.long_break_every == 0:
            return Phase.LONG_BREAK
        return Phase.SHORT_BREAK

    def until_long_break(self, completed_work: int) -> int:
        """Work sessions still to complete before the next long break (1 … long_break_every)."""
        return self.long_break_every - completed_work % self.long_break_every


@dataclass(frozen=True)
class PhaseRun:
    """One phase in progress: computed from stored instants, never decremented."""

    phase: Phase
    started_at: datetime
    planned: timedelta
    paused: timedelta = ZERO  # finished pauses
    paused_at: datetime | None = None  # start of the current pause

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    def paused_total(self, now: datetime) -> timedelta:
        current = max(ZERO, now - self.paused_at) if self.paused_at is not None else ZERO
        return self.paused + current

    def elapsed(self, now: datetime) -> timedelta:
        """Time spent in the phase, pauses excluded (never negative if the clock jumps back)."""
        return max(ZERO, now - self.started_at - self.paused_total(now))

    def remaining(self, now: datetime) -> timedelta:
        return max(ZERO, self.planned - self.elapsed(now))

    def progress(self, now: datetime) -> float:
        if self.planned <= ZERO:
            return 1.0
        return min(1.0, self.elapsed(now) / self.planned)

    def planned_end(self, now: datetime) -> datetime:
        """When the phase ends if it runs on from ``now`` (a current pause counts up to now)."""
        return self.started_at + self.planned + self.paused_total(now)

    def is_due(self, now: datetime) -> bool:
        return self.elapsed(now) >= self.planned

    def pause(self, now: datetime) -> PhaseRun:
        if self.paused_at is not None:
            raise ConflictError("the timer is already paused")
        return replace(self, paused_at=now)

    def resume(self, now: datetime) -> PhaseRun:
        if self.paused_at is None:
            raise ConflictError("the timer is not paused")
        return replace(self, paused=self.paused_total(now), paused_at=None)

    def end(self, now: datetime) -> PhaseEnd:
        """Where the phase ends if stopped at ``now``.

        A paused phase ends where its pause began (the trailing pause is not part of it); a
        phase already past its planned end ends at the planned end, complete.
        """
        if self.is_due(now):
            # Due while paused means the pause began after the planned end: finished pauses
            # alone place the end.
            at = self.started_at + self.planned + self.paused
            return PhaseEnd(at=at, paused=self.paused, completed=True)
        at = self.paused_at if self.paused_at is not None else now
        return PhaseEnd(at=max(at, self.started_at), paused=self.paused, completed=False)


@dataclass(frozen=True)
class PhaseEnd:
    """The instant a phase ended, its pause seconds, and whether it ran its full length."""

    at: datetime
    paused: timedelta
    completed: bool


@dataclass(frozen=True)
class WorkTarget:
    """What a work session is about."""

    category: Category
    topic_id: str | None = None
    note: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class TimerState:
    """The whole timer: the current phase (None when idle), its stored session and the cycle.

    ``completed_today`` is the number of pomodoros completed this study day, loaded from the
    database, so the cycle position survives a restart. ``waiting_break`` is a break that is due
    but not counting (``auto_start_breaks: false``): ``s`` starts it.
    """

    run: PhaseRun | None = None
    session_id: int | None = None
    target: WorkTarget | None = None
    completed_today: int = 0
    waiting_break: Phase | None = None

    @property
    def is_idle(self) -> bool:
        return self.run is None

    @property
    def phase(self) -> Phase | None:
        return self.run.phase if self.run is not None else None

    @property
    def in_work(self) -> bool:
        return self.run is not None and self.run.phase is Phase.WORK

    @property
    def in_break(self) -> bool:
        return self.run is not None and self.run.phase.is_break

    @property
    def is_paused(self) -> bool:
        return self.run is not None and self.run.is_paused

    def pomodoro_number(self) -> int:
        """The number of the current (or next) pomodoro today, counting from 1."""
        return self.completed_today + (0 if self.in_break else 1)

    # -- transitions (pure) ----------------------------------------------------------------

    def working(self, session_id: int, run: PhaseRun, target: WorkTarget) -> TimerState:
        return replace(self, run=run, session_id=session_id, target=target)

    def on_break(self, at: datetime, config: CycleConfig, completed_today: int) -> TimerState:
        phase = config.break_after(completed_today)
        run = PhaseRun(phase, at, config.length(phase))
        return replace(
            self, run=run, session_id=None, completed_today=completed_today, waiting_break=None
        )

    def break_waiting(self, config: CycleConfig, completed_today: int) -> TimerState:
        """Work is over and its break waits for ``s``: nothing counts meanwhile."""
        phase = config.break_after(completed_today)
        return replace(
            self, run=None, session_id=None, completed_today=completed_today, waiting_break=phase
        )

    def start_waiting_break(self, now: datetime, config: CycleConfig) -> TimerState:
        """``s`` on a waiting break: it starts now, with the length it has now."""
        if self.waiting_break is None:
            return self
        run = PhaseRun(self.waiting_break, now, config.length(self.waiting_break))
        return replace(self, run=run, session_id=None, waiting_break=None)

    def auto_work(self, at: datetime, config: CycleConfig) -> TimerState:
        """The next pomodoro, started by itself at ``at`` on the last target; its session row
        is not written yet (``session_id`` None): the sessions service writes it."""
        run = PhaseRun(Phase.WORK, at, config.work)
        return replace(self, run=run, session_id=None, waiting_break=None)

    def idle(self, completed_today: int | None = None) -> TimerState:
        done = self.completed_today if completed_today is None else completed_today
        return replace(self, run=None, session_id=None, completed_today=done, waiting_break=None)

    @property
    def needs_row(self) -> bool:
        """A work phase started by itself whose session row is still to be written."""
        return self.in_work and self.session_id is None

    def with_run(self, run: PhaseRun) -> TimerState:
        return replace(self, run=run)


@dataclass(frozen=True)
class PhaseEnded:
    """A phase reached its planned end (a fact for the UI: ring, notify)."""

    phase: Phase
    at: datetime
    session_id: int | None
    next_phase: Phase | None
    auto: bool = False  # the next phase started by itself (False: it waits for ``s``, or none)


def advance(
    state: TimerState, now: datetime, config: CycleConfig
) -> tuple[TimerState, list[PhaseEnded]]:
    """Move past every phase that has reached its planned end by ``now``.

    A finished work phase completes at its planned end and its break starts right there
    (``auto_start_breaks``), or waits for ``s``. A finished break leaves the timer idle, ready
    for the next pomodoro, or (``auto_start_work``, with a last target, noticed within
    ``AUTO_START_GRACE``) starts it at the break's end; that work phase still needs its row, so
    the loop stops there. After a long suspend a work phase and its break may both have ended:
    both are reported, in order.
    """
    ended: list[PhaseEnded] = []
    while state.run is not None and state.run.is_due(now) and not state.needs_row:
        run = state.run
        finish = run.end(now).at
        if run.phase is Phase.WORK:
            done = state.completed_today + 1
            if config.auto_start_breaks:
                next_state = state.on_break(finish, config, done)
                nxt = next_state.phase
            else:
                next_state = state.break_waiting(config, done)
                nxt = next_state.waiting_break
            ended.append(
                PhaseEnded(
                    Phase.WORK,
                    finish,
                    state.session_id,
                    nxt,
                    auto=nxt is not None and config.auto_start_breaks,
                )
            )
        else:
            auto = (
                config.auto_start_work
                and state.target is not None
                and now - finish <= AUTO_START_GRACE
            )
            next_state = state.auto_work(finish, config) if auto else state.idle()
            ended.append(
                PhaseEnded(run.phase, finish, None, Phase.WORK if auto else None, auto=auto)
            )
        state = next_state
    return state, ended
