"""The big timer: phase, countdown digits, a progress bar and what the pomodoro is about.

Everything is re-computed from the controller's state and ``clock.now()`` on each tick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Digits, ProgressBar, Static

from studytui.core.timer import Phase, TimerState
from studytui.ui.widgets.timer_status import PHASE_STYLE, clock_text, target_text

if TYPE_CHECKING:
    from studytui.ui.timer_controller import TimerChanged, TimerController


class TimerPanel(Vertical):
    DEFAULT_CSS = """
    TimerPanel {
        height: auto;
        padding: 1 2 0 2;
    }
    TimerPanel > Static, TimerPanel > Digits {
        width: 100%;
        text-align: center;
    }
    TimerPanel > ProgressBar {
        width: 100%;
        align-horizontal: center;
    }
    TimerPanel.work #timer-digits { color: $error; }
    TimerPanel.break #timer-digits { color: $success; }
    TimerPanel.paused #timer-digits { color: $warning; }
    """

    def __init__(self, controller: TimerController) -> None:
        super().__init__(id="timer-panel")
        self.controller = controller

    def compose(self) -> ComposeResult:
        yield Static("", id="timer-phase", markup=False)
        yield Digits("25:00", id="timer-digits")
        yield ProgressBar(total=100, show_eta=False, show_percentage=True, id="timer-bar")
        yield Static("", id="timer-detail", markup=False)

    def on_mount(self) -> None:
        self.controller.changed.subscribe(self, self._changed)
        self.show(self.controller.state)

    def _changed(self, event: TimerChanged) -> None:
        self.show(event.state)

    def show(self, state: TimerState) -> None:
        c = self.controller
        now = c.clock.now()
        config = c.services.sessions.config
        run = state.run
        phase_line = Text()
        detail = Text()
        self.set_class(state.in_work, "work")
        self.set_class(state.in_break, "break")
        self.set_class(state.is_paused, "paused")
        goal = c.services.ctx.settings.pomodoro.daily_goal
        if run is None and state.waiting_break is not None:
            remaining = config.length(state.waiting_break)
            progress = 0.0
            phase_line.append(f"{state.waiting_break.label} ready", style="bold")
            phase_line.append(" — press s", style="bold")
            detail.append("s ", style="bold")
            detail.append("starts the break · n skips it")
        elif run is None:
            remaining = config.work
            progress = 0.0
            phase_line.append(f"Ready for pomodoro {state.pomodoro_number()}", style="bold")
            more = config.until_long_break(state.completed_today)
            phase_line.append(f" · long break after {more} more", style="dim")
            detail.append("s ", style="bold")
            detail.append("to start")
            if state.target is not None:
                detail.append(" · last: ", style="dim")
                detail.append_text(target_text(state.target, c.topic_titles))
            if not c.ready:
                detail = Text("Checking for an unfinished pomodoro…", style="dim")
        else:
            remaining = run.remaining(now)
            progress = run.progress(now)
            phase_line.append(run.phase.label, style=PHASE_STYLE[run.phase])
            if run.phase is Phase.WORK:
                phase_line.append(f" · pomodoro {state.pomodoro_number()}", style="bold")
                more = config.until_long_break(state.completed_today)
                phase_line.append(f" · long break after {more}", style="dim")
                detail.append_text(target_text(state.target, c.topic_titles))
                detail.append("  ")
            if run.is_paused:
                phase_line.append("  PAUSED", style="bold yellow")
                detail.append("paused · p to resume", style="yellow")
            else:
                end = c.calendar.local(run.planned_end(now))
                detail.append(f"until {end:%H:%M}", style="dim")
        if goal:  # the same count as the cycle's: today's completed pomodoros
            phase_line.append(f" · today {state.completed_today}/{goal}", style="dim")
        self.query_one("#timer-phase", Static).update(phase_line)
        self.query_one("#timer-digits", Digits).update(clock_text(remaining))
        self.query_one("#timer-bar", ProgressBar).update(
            total=100, progress=round(progress * 100, 1)
        )
        self.query_one("#timer-detail", Static).update(detail)
