"""Quitting with changes not saved yet (ratings queued while the disk was full): ask first.

A screen that holds such changes registers itself (``register``); quitting (ctrl+q, the command
palette) goes through ``request_quit``, which quits at once when nothing is unsaved and otherwise
says what would be lost and lets the user retry, quit anyway, or stay.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from functools import partial
from typing import Any, ClassVar, Protocol

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class HoldsUnsaved(Protocol):
    def unsaved_summary(self) -> str | None:
        """What is not saved, e.g. "2 ratings" (None when everything is saved)."""

    def unsaved_reason(self) -> str | None:
        """Why the last write failed."""

    def retry_unsaved(self, then: Callable[[], None]) -> None:
        """Try writing again; call ``then`` on the UI thread when the attempt is over."""

    def discard_unsaved(self) -> None:
        """The user chose to quit without them: do not try again on the way out."""


_holders: weakref.WeakKeyDictionary[App[Any], weakref.WeakSet[Any]] = weakref.WeakKeyDictionary()


def register(app: App[Any], holder: HoldsUnsaved) -> None:
    _holders.setdefault(app, weakref.WeakSet()).add(holder)


def unregister(app: App[Any], holder: HoldsUnsaved) -> None:
    _holders.get(app, weakref.WeakSet()).discard(holder)


def unsaved(app: App[Any]) -> list[tuple[HoldsUnsaved, str]]:
    found = []
    for holder in list(_holders.get(app, ())):
        summary = holder.unsaved_summary()
        if summary:
            found.append((holder, summary))
    return found


class QuitWithUnsaved(ModalScreen[str]):
    """Retry, quit anyway (losing what is listed) or stay."""

    DEFAULT_CSS = """
    QuitWithUnsaved { align: center middle; }
    QuitWithUnsaved #quit-dialog {
        width: 80; height: auto; border: round $error; background: $surface; padding: 1 2;
    }
    QuitWithUnsaved #quit-buttons { height: auto; align-horizontal: right; margin-top: 1; }
    QuitWithUnsaved Button { margin-left: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "choose('retry')", "Retry", id="quit.retry"),
        Binding("q", "choose('quit')", "Quit anyway", id="quit.anyway"),
        Binding("escape", "choose('stay')", "Stay", id="quit.stay"),
    ]

    def __init__(self, lost: str, why: str | None) -> None:
        super().__init__()
        self.lost = lost
        self.why = why

    def compose(self) -> ComposeResult:
        text = Text(f"Not saved: {self.lost}.", style="bold")
        if self.why:
            text.append(f"\nThe last try failed: {self.why}.")
        text.append(
            "\n\nRetry once the disk has room or the folder can be written; quitting now "
            f"loses {self.lost}."
        )
        with Vertical(id="quit-dialog"):
            yield Static(text, id="quit-text")
            with Horizontal(id="quit-buttons"):
                yield Button("Retry (r)", id="quit-retry", variant="primary")
                yield Button(f"Quit, losing {self.lost} (q)", id="quit-quit", variant="error")
                yield Button("Stay (esc)", id="quit-stay")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss((event.button.id or "quit-stay").removeprefix("quit-"))

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)


def request_quit(app: App[Any]) -> None:
    """Quit, or ask first when changes are not saved."""
    found = unsaved(app)
    if not found:
        app.exit()
        return
    if isinstance(app.screen, QuitWithUnsaved):
        return
    lost = ", ".join(summary for _, summary in found)
    why = next((r for h, _ in found if (r := h.unsaved_reason())), None)

    def chosen(choice: str | None) -> None:
        if choice == "quit":
            for holder, _ in found:
                holder.discard_unsaved()
            app.exit()
        elif choice == "retry":
            left = [h for h, _ in found]

            def attempt_over(holder: HoldsUnsaved) -> None:
                if holder in left:
                    left.remove(holder)
                if not left:
                    request_quit(app)  # quits if all were saved, else asks again

            for holder in list(left):
                holder.retry_unsaved(partial(attempt_over, holder))

    app.push_screen(QuitWithUnsaved(lost, why), chosen)
