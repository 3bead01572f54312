"""The card browser's two questions: reset the selection? due in how many days?"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

_CSS = """
    align: center middle;
    #bd-dialog {
        width: 90%;
        max-width: 72;
        height: auto;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    #bd-buttons { height: auto; align-horizontal: right; }
    #bd-error { color: $error; }
"""


class ConfirmReset(ModalScreen[bool]):
    """Reset is the one browser action that loses scheduling; it asks first."""

    DEFAULT_CSS = f"ConfirmReset {{ {_CSS} }}"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Reset", id="browser.reset-yes"),
        Binding("escape", "answer(False)", "Keep", id="browser.reset-no"),
    ]

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count

    def compose(self) -> ComposeResult:
        cards = "card" if self.count == 1 else "cards"
        with Vertical(id="bd-dialog"):
            yield Static(
                Text(
                    f"Reset {self.count} {cards} to new? Their schedule and memory state go; "
                    "their review history is kept (and `u` undoes this)."
                )
            )
            with Horizontal(id="bd-buttons"):
                yield Button("Reset (y)", id="bd-yes", variant="error", compact=True)
                yield Button("Keep (esc)", id="bd-no", compact=True)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "bd-yes")


class AskDueDays(ModalScreen[str | None]):
    """Anki's "Set due date": 0 today, 3 in three days, 1-7 spread over a range."""

    DEFAULT_CSS = f"AskDueDays {{ {_CSS} }}"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="browser.due-cancel"),
    ]

    def __init__(self, count: int, check: object) -> None:
        super().__init__()
        self.count = count
        self.check = check  # parse_due_spec: raises with the reason

    def compose(self) -> ComposeResult:
        cards = "card" if self.count == 1 else "cards"
        with Vertical(id="bd-dialog"):
            yield Static(Text(f"Set the due date of {self.count} {cards}", style="bold"))
            yield Static(
                Text("Days from today: 0 today, 3 in three days, 1-7 spread over a range.")
            )
            yield Input(placeholder="1-7", id="bd-days")
            yield Static("", id="bd-error")
            with Horizontal(id="bd-buttons"):
                yield Button("Set (enter)", id="bd-yes", variant="primary", compact=True)
                yield Button("Cancel (esc)", id="bd-no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#bd-days", Input).focus()

    def _submit(self) -> None:
        text = self.query_one("#bd-days", Input).value
        try:
            self.check(text)  # type: ignore[operator]
        except Exception as exc:  # the reason, in the dialog; nothing changes
            self.query_one("#bd-error", Static).update(Text(str(exc)))
            return
        self.dismiss(text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "bd-yes":
            self._submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
