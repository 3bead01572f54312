"""The one-line timer shown on every screen, and the texts the timer screen shares with it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from studytui.core.studyday import StudyCalendar
from studytui.core.timer import Phase, TimerState, WorkTarget

if TYPE_CHECKING:
    from studytui.ui.timer_controller import TimerChanged, TimerController

PHASE_STYLE = {
    Phase.WORK: "bold red",
    Phase.SHORT_BREAK: "bold green",
    Phase.LONG_BREAK: "bold cyan",
}
PHASE_ICON = {Phase.WORK: "●", Phase.SHORT_BREAK: "◌", Phase.LONG_BREAK: "◎"}


def clock_text(delta: timedelta) -> str:
    """``24:59``; ``1:02:03`` past an hour. Rounds up, so 0:00 shows only at the very end."""
    seconds = max(0, int(-(-delta.total_seconds() // 1)))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def target_text(target: WorkTarget | None, titles: dict[str, str]) -> Text:
    """``hands-on · Transformers — note``, user text kept literal."""
    if target is None:
        return Text("")
    out = Text(target.category.label, style="bold")
    if target.topic_id:
        out.append(" · ")
        out.append(titles.get(target.topic_id, target.topic_id))
    if target.note:
        out.append(" — ", style="dim")
        out.append(target.note, style="italic")
    return out


def status_text(
    state: TimerState, now: datetime, calendar: StudyCalendar, titles: dict[str, str]
) -> Text:
    run = state.run
    if run is None and state.waiting_break is not None:
        phase = state.waiting_break
        return Text.assemble(
            (f"{PHASE_ICON[phase]} {phase.label} ready", PHASE_STYLE[phase]),
            (" — press s", "bold"),
        )
    if run is None:
        done = state.completed_today
        return Text.assemble(
            ("○ ", "dim"),
            ("No pomodoro running", "dim"),
            (f" · {done} done today" if done else "", "dim"),
        )
    out = Text()
    out.append(f"{PHASE_ICON[run.phase]} {run.phase.label} ", style=PHASE_STYLE[run.phase])
    out.append(clock_text(run.remaining(now)), style="bold")
    if run.is_paused:
        out.append("  paused", style="bold yellow")
    else:
        end = calendar.local(run.planned_end(now))
        out.append(f"  until {end:%H:%M}", style="dim")
    if run.phase is Phase.WORK:
        out.append("  ")
        out.append_text(target_text(state.target, titles))
    return out


class TimerStatusLine(Static):
    """Docked above the footer of every screen that does not show the big timer; hidden when
    no pomodoro or break is running."""

    DEFAULT_CSS = """
    TimerStatusLine {
        dock: bottom;
        height: 1;
        margin-bottom: 1;
        padding: 0 1;
        background: $panel;
    }
    """

    def __init__(self, controller: TimerController) -> None:
        super().__init__("", markup=False)
        self.controller = controller

    def on_mount(self) -> None:
        self.controller.changed.subscribe(self, self._changed)
        self._render_state(self.controller.state)

    def _changed(self, event: TimerChanged) -> None:
        self._render_state(event.state)

    def _render_state(self, state: TimerState) -> None:
        c = self.controller
        # Only while a pomodoro or a break runs, or a break waits for ``s``.
        self.display = state.run is not None or state.waiting_break is not None
        self.update(status_text(state, c.clock.now(), c.calendar, c.topic_titles))
