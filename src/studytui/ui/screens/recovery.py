"""The question asked at start-up when a pomodoro was left open by a crash or a closed terminal
(or a detached one passed its end and ``pomodoro.detached_end`` asks)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from studytui.core.minutes import minutes_text
from studytui.core.services.sessions import AbandonedSession, RecoveryChoice
from studytui.core.studyday import StudyCalendar
from studytui.core.timer import WorkTarget
from studytui.ui.widgets.timer_status import clock_text, target_text

KEYS = {
    RecoveryChoice.RESUME: "r",
    RecoveryChoice.STOP_AT_HEARTBEAT: "h",
    RecoveryChoice.STOP_AT_PLANNED_END: "e",
    RecoveryChoice.DISCARD: "d",
}


def _minutes(seconds: float) -> str:
    return f"{minutes_text(seconds)} min"


class RecoveryScreen(ModalScreen[RecoveryChoice]):
    """Resume, stop at the last heartbeat, stop at the planned end, or discard."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "choose('resume')", "Resume", id="recovery.resume"),
        Binding("h", "choose('stop-at-heartbeat')", "Stop at heartbeat", id="recovery.heartbeat"),
        Binding("e", "choose('stop-at-planned-end')", "Stop at planned end", id="recovery.end"),
        Binding("d", "choose('discard')", "Discard", id="recovery.discard"),
    ]

    def __init__(self, found: AbandonedSession, calendar: StudyCalendar) -> None:
        super().__init__()
        self.found = found
        self.calendar = calendar

    def compose(self) -> ComposeResult:
        f = self.found
        v = f.session
        local = self.calendar.local
        heartbeat = f.outcome(RecoveryChoice.STOP_AT_HEARTBEAT)
        planned = f.outcome(RecoveryChoice.STOP_AT_PLANNED_END)
        facts = Text()
        if f.kept_running:  # detached, past its end, and pomodoro.detached_end asks
            facts.append("A detached pomodoro passed its planned end", style="bold")
            how = "started from the command line" if v.started_via == "cli" else "left running"
            facts.append(f" (it was {how}; no app held it).\n\n")
        else:
            facts.append("A pomodoro was left open", style="bold")
            facts.append(" (studytui crashed, was killed, or its terminal closed).\n\n")
        titles = {v.topic_id: v.topic_title} if v.topic_id and v.topic_title else {}
        facts.append_text(target_text(WorkTarget(v.category, v.topic_id, v.note), titles))
        facts.append(f"\nStarted {local(v.started_at):%a %d %b %H:%M}")
        facts.append(f", last heartbeat {local(f.last_heartbeat):%H:%M:%S}")
        facts.append(f" with {_minutes(f.focus_at_heartbeat.total_seconds())} of focus")
        facts.append(f"; planned end {local(f.planned_end):%H:%M}.")
        if v.paused_at is not None:
            facts.append(f"\nIt was paused at {local(v.paused_at):%H:%M}.")
        facts.append("\n\nWhat should happen to it?")
        if f.planned_end_passed:
            end_label = (
                f"Stop at the planned end ({local(planned.at):%H:%M}): log "
                f"{_minutes(f.focus(planned).total_seconds())}"
            )
        else:
            end_label = (
                f"Stop now (the planned end {local(f.planned_end):%H:%M} is still ahead): log "
                f"{_minutes(f.focus(planned).total_seconds())}"
            )
        with Vertical(id="recovery-body"):
            yield Static(facts, id="recovery-facts")
            yield Button(
                f"r  Resume with {clock_text(f.remaining_at_heartbeat)} left "
                "(the time since the heartbeat counts as a pause)",
                id="recovery-resume",
                variant="primary",
                compact=True,  # one line each: all four fit at 80x24
            )
            yield Button(
                f"h  Stop at the last heartbeat ({local(heartbeat.at):%H:%M}): log "
                f"{_minutes(f.focus(heartbeat).total_seconds())}",
                id="recovery-stop-at-heartbeat",
                compact=True,
            )
            yield Button(f"e  {end_label}", id="recovery-stop-at-planned-end", compact=True)
            yield Button(
                "d  Discard: log nothing", id="recovery-discard", variant="error", compact=True
            )

    def on_mount(self) -> None:
        self.query_one("#recovery-resume", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id:
            self.action_choose(event.button.id.removeprefix("recovery-"))

    def action_choose(self, choice: str) -> None:
        self.dismiss(RecoveryChoice(choice))
