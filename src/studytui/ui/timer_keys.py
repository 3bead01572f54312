"""The pomodoro's keys: the same letters mean the same thing on every screen.

``s`` start · ``p`` pause/resume · ``n`` next phase · ``x`` stop and log · ``c`` cancel (asks).
They are App bindings, so every full screen has them; no screen or widget binds these letters
to anything else (``tests/test_key_scheme.py`` checks every binding chain). Each is hidden while
it does not apply, and a text input keeps its letters. Quitting during a pomodoro asks what to
do with it (``QuitDuringPomodoro``), so a clean quit is never taken for a crash.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

if TYPE_CHECKING:
    from textual.app import App

    from studytui.core.timer import WorkTarget
    from studytui.ui.timer_controller import TimerController


def timer_bindings(*, show_all: bool) -> list[BindingType]:
    """The timer keys; ``show_all`` also puts next/stop/cancel in the footer (timer screen)."""
    return [
        Binding("s", "app.timer_start", "Start pomodoro", id="timer.start"),
        Binding("p", "app.timer_pause", "Pause/resume", id="timer.pause"),
        Binding("n", "app.timer_next", "Next phase", id="timer.skip", show=show_all),
        Binding("x", "app.timer_stop", "Stop & log", id="timer.stop", show=show_all),
        Binding("c", "app.timer_cancel", "Cancel pomodoro", id="timer.cancel", show=show_all),
    ]


TIMER_ACTIONS = ("timer_start", "timer_pause", "timer_next", "timer_stop", "timer_cancel")


def timer_action_state(controller: TimerController, action: str) -> bool:
    """Whether a timer key applies now (False hides it and lets the key through).

    Start shows even before the start-up check is done (a footer that changes while the app
    opens is redrawn for nothing); pressed then, it says to wait.
    """
    state = controller.state
    if action == "timer_start":
        return not state.in_work
    waiting = state.waiting_break is not None and action != "timer_pause"
    return controller.ready and (not state.is_idle or waiting)


def start_pomodoro(app: App[Any], controller: TimerController) -> None:
    """Ask what the pomodoro is about and start it; the topic offered is the screen's.

    A screen offers one with ``pomodoro_topic`` (the highlighted or shown topic); otherwise the
    last pomodoro's topic, else this week's first open topic.
    """
    from studytui.core.categories import Category
    from studytui.core.timer import WorkTarget
    from studytui.ui.screens.timer_dialogs import StartDialog

    if not timer_action_state(controller, "timer_start"):
        return
    if not controller.ready:
        app.notify("The timer is still checking for an unfinished pomodoro; try again.")
        return
    if controller.state.waiting_break is not None:
        controller.start_break()
        return
    screen: Any = app.screen
    offered: str | None = getattr(screen, "pomodoro_topic", None)
    previous = controller.state.target
    category = previous.category if previous is not None else Category.HANDS_ON
    topic = offered or (previous.topic_id if previous is not None else None)
    if topic is None:
        topic = next((t.id for t in controller.topics if t.this_week and t.open), None)
    same = previous is not None and previous.topic_id == topic
    note = previous.note if same and previous is not None else None
    tags = previous.tags if same and previous is not None else ()
    minutes = app.services.ctx.settings.pomodoro.work_minutes  # type: ignore[attr-defined]
    started = getattr(screen, "pomodoro_started", None)

    def chosen(target: WorkTarget | None) -> None:
        if target is not None:
            controller.start(target)
            if callable(started):
                started()

    offer = WorkTarget(category, topic, note, tags)
    app.push_screen(StartDialog(controller.topics, offer, minutes), chosen)


def _elapsed_minutes(controller: TimerController) -> int:
    run = controller.state.run
    if run is None:
        return 0
    return round(run.elapsed(controller.clock.now()).total_seconds() / 60)


class ChoiceDialog(ModalScreen[str]):
    """A question with a few answers, each a button and a key; escape is the harmless one."""

    DEFAULT_CSS = """
    ChoiceDialog { align: center middle; }
    ChoiceDialog #choice-dialog {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: round $warning; background: $surface; padding: 1 2;
    }
    ChoiceDialog #choice-buttons { height: auto; margin-top: 1; }
    ChoiceDialog Button { margin: 0 1 0 0; }
    """
    KEYS: ClassVar[tuple[tuple[str, str, str], ...]] = ()  # (choice, key, label)

    def __init__(self, text: Text) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-dialog"):
            yield Static(self.text, id="choice-text")
            with Horizontal(id="choice-buttons"):
                for index, (choice, key, label) in enumerate(self.KEYS):
                    yield Button(f"{label} ({key})", id=f"choice-{choice}",
                                 variant="primary" if index == 0 else "default")  # fmt: skip

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss((event.button.id or "").removeprefix("choice-"))

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)


class ConfirmCancel(ChoiceDialog):
    """Cancel drops the pomodoro unlogged: asked first, keeping it is the default."""

    KEYS = (("keep", "esc", "Keep it"), ("cancel", "y", "Cancel, log nothing"))
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "choose('keep')", "Keep it", id="cancel-pomodoro.keep"),
        Binding("y", "choose('cancel')", "Cancel it", id="cancel-pomodoro.confirm"),
    ]


class QuitDuringPomodoro(ChoiceDialog):
    """Quitting with a work phase open: keep it running, stop and log it, discard it, or stay."""

    KEYS = (
        ("keep", "k", "Keep running"),
        ("stop", "x", "Stop & log"),
        ("discard", "d", "Discard"),
        ("stay", "esc", "Stay"),
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "choose('keep')", "Keep running", id="quit-pomodoro.keep"),
        Binding("x", "choose('stop')", "Stop & log", id="quit-pomodoro.stop"),
        Binding("d", "choose('discard')", "Discard", id="quit-pomodoro.discard"),
        Binding("escape", "choose('stay')", "Stay", id="quit-pomodoro.stay"),
    ]


def confirm_cancel(app: App[Any], controller: TimerController) -> None:
    if controller.state.is_idle and controller.state.waiting_break is not None:
        controller.cancel()  # a break not started yet: nothing to lose, so no question
        return
    if controller.state.is_idle or isinstance(app.screen, ConfirmCancel):
        return
    minutes = _elapsed_minutes(controller)
    in_work = controller.state.in_work
    text = Text("Cancel this pomodoro?" if in_work else "Cancel this break?", style="bold")
    if in_work:
        text.append(f"\n\n{minutes} min of focus so far will not be logged. ")
        text.append("To log it, stop instead (x).")

    def chosen(choice: str | None) -> None:
        if choice == "cancel":
            controller.cancel()
            app.notify("Cancelled: nothing was logged.", timeout=4)

    app.push_screen(ConfirmCancel(text), chosen)


def quit_with_pomodoro(app: App[Any], controller: TimerController, quit_now: Any) -> bool:
    """Ask what to do with an open work phase before quitting; False when there is none."""
    state = controller.state
    if state.session_id is None or not state.in_work:
        return False
    if isinstance(app.screen, QuitDuringPomodoro):
        return True
    text = Text("A pomodoro is running.", style="bold")
    text.append(f" {_elapsed_minutes(controller)} min of focus so far.\n\n")
    text.append("Keep running: it goes on while studytui is closed; the next start carries on ")
    text.append("with it (or logs it at its planned end).\n")
    text.append("Stop & log: log the focus so far.   Discard: log nothing.")

    def chosen(choice: str | None) -> None:
        if choice == "keep":
            try:
                controller.keep_running_on_quit()
            except Exception as exc:  # not marked: say so and stay, never a crash next time
                from studytui.core.write_failure import reason

                app.notify(f"{reason(exc)}; still running here", severity="error", markup=False)
                return
            quit_now()
        elif choice in ("stop", "discard"):
            controller.finish_then(choice, quit_now)

    app.push_screen(QuitDuringPomodoro(text), chosen)
    return True
