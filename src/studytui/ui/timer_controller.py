"""The app's one pomodoro timer, alive on every screen.

The controller holds the current ``TimerState`` (a pure value from ``core.timer``) and hands
every change to the sessions service in a thread worker, one operation after another, so the
database is written before the state the user sees moves on. Each second it asks only "is the
phase over, is a heartbeat due?" and publishes ``changed``; widgets render
``remaining = planned_end - clock.now()`` themselves, so nothing is ever counted down.

At start-up it looks for a session left open by a crash and asks what to do with it.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from textual.screen import ModalScreen, Screen
from textual.signal import Signal
from textual.widget import MountError

from studytui.core.studyday import StudyCalendar
from studytui.core.timer import PhaseEnded, TimerState, WorkTarget
from studytui.core.write_failure import reason
from studytui.ui.workers import run_reported

if TYPE_CHECKING:
    from textual.app import App

    from studytui.core.services.facade import Services
    from studytui.core.services.sessions import (
        AbandonedSession,
        RecoveryChoice,
        SessionsService,
        TopicChoice,
    )

Op = Callable[[TimerState], tuple[TimerState, list[PhaseEnded]]]


@dataclass(frozen=True)
class TimerChanged:
    """A fact for subscribers: the timer is now ``state`` (published on changes and ticks)."""

    state: TimerState
    busy: bool  # an operation is being written


class TimerController:
    TICK_SECONDS = 1.0
    DETACHED_POLL = timedelta(seconds=5)  # how soon a session started from the CLI shows

    def __init__(self, app: App[Any], services: Services) -> None:
        self.app = app
        self.services = services
        self.clock = services.ctx.clock
        self.state = TimerState()
        self.ready = False  # False until the start-up check (and any recovery) is settled
        self._startup_started = False
        self.changed: Signal[TimerChanged] = Signal(app, "timer-changed")
        self._queue: deque[tuple[str, Op]] = deque()
        self._lock = threading.Lock()
        self._draining = False
        self._pending: set[str] = set()
        self._then: dict[str, Callable[[], None]] = {}  # run once the named operation is written
        self._last_heartbeat: datetime | None = None
        self._last_poll: datetime | None = None
        self.topics: tuple[TopicChoice, ...] = ()
        self.topic_titles: dict[str, str] = {}

    @property
    def calendar(self) -> StudyCalendar:
        return self.services.ctx.calendar

    # -- lifecycle -------------------------------------------------------------------------

    def attach(self) -> None:
        """Called once the app is mounted: start ticking. The check for an abandoned session
        waits for ``check_startup`` (the first screen's data comes first)."""
        self.app.set_interval(self.TICK_SECONDS, self.tick, name="pomodoro-tick")
        self.app.screen_change_signal.subscribe(self.app, self._on_screen_change)

    def check_startup(self) -> None:
        """Look for a session left open by a crash (once; later calls do nothing)."""
        if self._startup_started:
            return
        self._startup_started = True
        run_reported(self.app, self._check_startup, group="timer-startup")

    def detach(self) -> None:
        """The app is closing: an open session stays open (the next start will ask)."""
        self.services.sessions.release()

    def _check_startup(self) -> None:
        sessions = self.services.sessions
        try:
            topics = sessions.topic_choices()
            found = sessions.abandoned()
            state = sessions.load_timer() if found is None else TimerState()
        except Exception as exc:  # say so and let the user carry on
            self._call(self._startup_failed, exc)
            return
        self._call(self._startup_checked, state, found, topics)

    def _startup_failed(self, exc: Exception) -> None:
        self.ready = True
        self._failed("start-up check", exc, write=False)

    def _startup_checked(
        self, state: TimerState, found: AbandonedSession | None, topics: tuple[TopicChoice, ...]
    ) -> None:
        self.set_topics(topics)
        if found is None:
            self.ready = True
            self._set(state)
            return
        settled = found.settled_choice
        if settled is not None:  # left running on purpose at the last quit: no question
            self._recover(found.session.id, settled)
            self._announce_kept(found, settled)
            return
        self._ask_recovery(found)

    def _announce_kept(self, found: AbandonedSession, choice: RecoveryChoice) -> None:
        from studytui.core.services.sessions import RecoveryChoice

        local = self.calendar.local
        v = found.session
        if v.started_via == "cli":
            what = f"The pomodoro started from the command line at {local(v.started_at):%H:%M}"
        else:
            what = f"The pomodoro left running at {local(found.last_heartbeat):%H:%M}"
        if choice is RecoveryChoice.CONTINUE:
            message = f"{what} goes on here."
        else:
            end = found.outcome(choice)
            minutes = round(found.focus(end).total_seconds() / 60)
            message = f"{what} ended at {local(end.at):%H:%M} and was logged ({minutes} min)."
        self.app.notify(message, title="Timer", timeout=15, markup=False)

    def keep_running_on_quit(self) -> None:
        """The user quits leaving the pomodoro running (on the UI thread: the app is closing)."""
        self.services.sessions.keep_running(self.state)

    def set_topics(self, topics: tuple[TopicChoice, ...]) -> None:
        """The active curriculum's topics (this week's first), for choosing and for titles."""
        self.topics = topics
        self.topic_titles = {t.id: t.title for t in topics}

    def _recover(self, session_id: int, choice: RecoveryChoice | None) -> None:
        from studytui.core.services.sessions import RecoveryChoice

        chosen = choice or RecoveryChoice.STOP_AT_HEARTBEAT

        def op(_: TimerState) -> tuple[TimerState, list[PhaseEnded]]:
            return self.services.sessions.recover(session_id, chosen), []

        self.ready = True
        self._submit("recover", op)

    def _adopt(self, state: TimerState) -> tuple[TimerState, list[PhaseEnded]]:
        """(In the timer's thread.) Take over a detached session, as at start-up: it carries
        on here, or is logged at its planned end, or (``detached_end: ask``) the user is asked.
        A crashed app's session is left to the next start-up's question."""
        sessions = self.services.sessions
        if state.session_id is not None:
            return state, []
        found = sessions.abandoned()
        if found is None:
            return state, []
        if not found.kept_running:
            sessions.release()
            return state, []
        settled = found.settled_choice
        if settled is None:
            self._call(self._ask_recovery, found)
            return state, []
        new = sessions.recover(found.session.id, settled)
        self._call(self._announce_kept, found, settled)
        return new, []

    def _ask_recovery(self, found: AbandonedSession) -> None:
        from studytui.ui.screens.recovery import RecoveryScreen

        self.app.push_screen(
            RecoveryScreen(found, self.services.ctx.calendar),
            lambda choice: self._recover(found.session.id, choice),
        )

    # -- actions ---------------------------------------------------------------------------

    def start(self, target: WorkTarget) -> None:
        def op(state: TimerState) -> tuple[TimerState, list[PhaseEnded]]:
            if state.in_work:
                return state, []
            return self.services.sessions.start(state.idle(), target), []

        self._submit("start", op)

    def start_break(self) -> None:
        """``s`` on a break that waits (``auto_start_breaks: false``): it starts now."""

        def op(state: TimerState) -> tuple[TimerState, list[PhaseEnded]]:
            config = self.services.sessions.config
            return state.start_waiting_break(self.clock.now(), config), []

        self._submit("start break", op)

    def toggle_pause(self) -> None:
        def op(state: TimerState) -> tuple[TimerState, list[PhaseEnded]]:
            if state.run is None:
                return state, []
            sessions = self.services.sessions
            return (sessions.resume(state) if state.is_paused else sessions.pause(state)), []

        self._submit("pause", op)

    def skip(self) -> None:
        self._simple("skip", lambda s: self.services.sessions.skip(s))

    def stop(self) -> None:
        self._simple("stop", lambda s: self.services.sessions.stop(s))

    def cancel(self) -> None:
        self._simple("cancel", lambda s: self.services.sessions.cancel(s))

    def finish_then(self, how: str, then: Callable[[], None]) -> None:
        """Stop (``"stop"``) or cancel (``"discard"``) the pomodoro, then call ``then`` once that
        is written; if the write fails, the error is shown and ``then`` is not called."""
        name = "stop" if how == "stop" else "cancel"
        self._then[name] = then
        if name == "stop":
            self.stop()
        else:
            self.cancel()

    def _simple(self, name: str, fn: Callable[[TimerState], TimerState]) -> None:
        def op(state: TimerState) -> tuple[TimerState, list[PhaseEnded]]:
            if state.run is None:
                return waiting_break_op(self.services.sessions, name, state), []
            return fn(state), []

        self._submit(name, op)

    # -- ticking ---------------------------------------------------------------------------

    def tick(self) -> None:
        """Once a second: finish a due phase, write a heartbeat when due, look for a session
        started from the command line while idle, re-render."""
        if self.ready:
            from studytui.core.services.sessions import HEARTBEAT_EVERY  # loaded by now

            now = self.clock.now()
            idle = self.state.session_id is None and not self.app.screen_stack[-1].is_modal
            poll_due = self._last_poll is None or now - self._last_poll >= self.DETACHED_POLL
            if idle and poll_due and "adopt" not in self._pending:
                self._last_poll = now
                self._submit("adopt", self._adopt)
            run = self.state.run
            if run is not None and run.is_due(now) and "advance" not in self._pending:
                self._submit("advance", lambda s: self.services.sessions.advance(s))
            due = self._last_heartbeat is None or now - self._last_heartbeat >= HEARTBEAT_EVERY
            if due and "heartbeat" not in self._pending:
                self._last_heartbeat = now
                self._submit("heartbeat", lambda s: (self.services.sessions.heartbeat(s), []))
        self._publish()

    # -- the queue -------------------------------------------------------------------------

    def _submit(self, name: str, op: Op) -> None:
        with self._lock:
            self._queue.append((name, op))
            self._pending.add(name)
            start = not self._draining
            self._draining = True
        if start:
            run_reported(self.app, self._drain, group="timer")
        self._publish()

    def _drain(self) -> None:
        """Run queued operations one after another (in a thread)."""
        while True:
            with self._lock:
                if not self._queue:
                    self._draining = False
                    return
                name, op = self._queue.popleft()
            try:
                new, ended = op(self.state)
            except Exception as exc:  # report, keep the timer alive
                self._call(self._failed, name, exc)
            else:
                self._call(self._applied, name, new, ended)

    def _call(self, fn: Callable[..., Any], *args: Any) -> None:
        if not self.app.is_running:  # closing: the database holds the result already
            return
        with contextlib.suppress(RuntimeError):  # the app has closed meanwhile
            self.app.call_from_thread(fn, *args)

    def _applied(self, name: str, state: TimerState, ended: list[PhaseEnded]) -> None:
        self._pending.discard(name)
        self._set(state)
        for event in ended:
            self._announce(event)
        then = self._then.pop(name, None)
        if then is not None:
            then()

    def _failed(self, name: str, exc: Exception, *, write: bool = True) -> None:
        """The operation changed nothing: the timer keeps showing the state it had."""
        self._pending.discard(name)
        self._then.pop(name, None)
        self.app.notify(
            f"{reason(exc)}; nothing was changed" if write else reason(exc),
            title=f"Timer: {name} failed",
            severity="error",
            timeout=20,
            markup=False,
        )
        self._publish()

    def _set(self, state: TimerState) -> None:
        self.state = state
        self._publish()

    def _publish(self) -> None:
        self.changed.publish(TimerChanged(self.state, bool(self._pending)))

    # -- phase ends ------------------------------------------------------------------------

    def _announce(self, event: PhaseEnded) -> None:
        from studytui.ui.phase_end import announce

        announce(self.app, self.services.ctx.settings, event)

    # -- the status line on other screens ----------------------------------------------------

    def _on_screen_change(self, screen: Screen[Any]) -> None:
        """Give every full screen a one-line timer, unless it shows the timer itself."""
        from studytui.ui.widgets.timer_status import TimerStatusLine

        if isinstance(screen, ModalScreen) or getattr(screen, "SHOWS_TIMER", False):
            return
        if not screen.is_attached or screen.query(TimerStatusLine):
            return
        with contextlib.suppress(MountError):  # the app quit while this screen was shown
            screen.mount(TimerStatusLine(self))


def waiting_break_op(sessions: SessionsService, name: str, state: TimerState) -> TimerState:
    """``n``, ``x`` or ``c`` on a break that waits for ``s``: next (``skip``) starts the next
    pomodoro on the same target, as skipping a running break does; stop and cancel drop the
    break. With no waiting break nothing changes."""
    if state.waiting_break is None:
        return state
    if name == "skip" and state.target is not None:
        return sessions.start(state.idle(), state.target)
    return state.idle()
