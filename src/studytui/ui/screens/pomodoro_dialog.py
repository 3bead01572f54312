"""The timer screen's ``m`` dialog: pomodoro lengths, the long-break rhythm and the daily goal.

Values are checked with the ranges config.yaml has (``core.config.POMODORO_RANGES``) and written
into config.yaml's ``pomodoro:`` section in place, as the theme is, keeping the user's comments
and other keys. They apply from the next phase: a running one keeps the length it started with.
A failed write keeps the dialog open, says why, and is never shown as saved.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from studytui.core.config import POMODORO_RANGES, PomodoroSettings, pomodoro_number
from studytui.core.services.facade import Services
from studytui.ui.saving import save_in_worker

FIELDS = (
    ("work_minutes", "Work, minutes"),
    ("short_break_minutes", "Short break, minutes"),
    ("long_break_minutes", "Long break, minutes"),
    ("long_break_every", "Long break every … pomodoros"),
    ("daily_goal", "Daily goal, pomodoros"),
)


class PomodoroDialog(ModalScreen[PomodoroSettings | None]):
    """Five numbers, one row each, so the dialog fits an 80x24 terminal."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Cancel", id="pomodoro-settings.cancel"),
        Binding("ctrl+s", "save", "Save", id="pomodoro-settings.save", priority=True),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services

    def compose(self) -> ComposeResult:
        current = self.services.ctx.settings.pomodoro
        with Vertical(id="pomodoro-dialog", classes="dialog"):
            yield Static("Pomodoro lengths and daily goal", classes="dialog-title")
            for key, label in FIELDS:
                lo, hi = POMODORO_RANGES[key]
                with Horizontal(classes="pomodoro-row"):
                    off = ", 0: none" if key == "daily_goal" else ""
                    yield Label(f"{label} ({lo}-{hi}{off})")
                    yield Input(str(getattr(current, key)), id=key, compact=True)
            yield Static(
                "Saved to config.yaml; applies from the next phase.",
                id="pomodoro-note",
                markup=False,
            )
            yield Static("", id="form-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#work_minutes", Input).focus()

    def values(self) -> dict[str, int] | list[str]:
        """The numbers typed, or one reason per field refused."""
        found: dict[str, int] = {}
        problems: list[str] = []
        for key, label in FIELDS:
            checked = pomodoro_number(key, self.query_one(f"#{key}", Input).value)
            if isinstance(checked, str):
                problems.append(f"{label}: {checked}")
            else:
                found[key] = checked
        return problems or found

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        checked = self.values()
        if isinstance(checked, list):
            self._show_error("\n".join(checked))
            return
        current = self.services.ctx.settings.pomodoro
        changed = {k: v for k, v in checked.items() if getattr(current, k) != v}
        if not changed:  # nothing to write: config.yaml stays as it is
            self.notify("Nothing changed.", markup=False)
            self.dismiss(None)
            return
        settings = self.services.settings
        save_in_worker(
            self,
            "The pomodoro settings",
            lambda: settings.save_pomodoro(changed),
            saved=self._saved,
            failed=lambda why: self._show_error(f"Not saved: {why}"),
            group="pomodoro-settings",
        )

    def _saved(self, pomodoro: PomodoroSettings) -> None:
        self.dismiss(pomodoro)

    def _show_error(self, text: str) -> None:
        self.query_one("#form-error", Static).update(text)

    @on(Button.Pressed, "#cancel")
    def action_dismiss_none(self) -> None:
        self.dismiss(None)
