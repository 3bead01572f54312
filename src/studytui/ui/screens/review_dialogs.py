"""Dialogs of the review screen: edit a card, add a card (the deck overview is its own module)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Label, Select, Static, TextArea

from studytui.core.services.review import DeckChoice


@dataclass(frozen=True)
class CardText:
    front: str
    back: str


@dataclass(frozen=True)
class NewCard:
    deck: str
    front: str
    back: str
    reverse: bool


_DIALOG_CSS = """
    align: center middle;
    #dialog {
        width: 90%;
        max-width: 100;
        height: auto;
        max-height: 100%;
        overflow-y: auto;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    #dialog TextArea {
        height: 6;
    }
    #dialog-buttons {
        height: auto;
        align-horizontal: right;
    }
    #dialog-error {
        color: $error;
    }
"""


class EditCardScreen(ModalScreen[CardText | None]):
    """Edit the front and back of a card; its history stays with it."""

    DEFAULT_CSS = f"EditCardScreen {{ {_DIALOG_CSS} }}"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="card.save"),
        Binding("escape", "cancel", "Cancel", id="card.cancel"),
    ]

    def __init__(self, title: str, front: str, back: str) -> None:
        super().__init__()
        self.dialog_title = title
        self.front = front
        self.back = back

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(self.dialog_title, style="bold"))
            yield Label("Front")
            yield TextArea(self.front, id="card-front", soft_wrap=True)
            yield Label("Back")
            yield TextArea(self.back, id="card-back", soft_wrap=True)
            yield Static("", id="dialog-error")
            with Horizontal(id="dialog-buttons"):
                yield Button("Save (ctrl+s)", id="card-save", variant="primary", compact=True)
                yield Button("Cancel (esc)", id="card-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#card-front", TextArea).focus()

    def _values(self) -> CardText | None:
        front = self.query_one("#card-front", TextArea).text.strip()
        back = self.query_one("#card-back", TextArea).text.strip()
        if not front or not back:
            self.query_one("#dialog-error", Static).update("A card needs a front and a back.")
            return None
        return CardText(front, back)

    def action_save(self) -> None:
        values = self._values()
        if values is not None:
            self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "card-save":
            self.action_save()
        else:
            self.action_cancel()


class AddCardScreen(ModalScreen[NewCard | None]):
    """Add a card to a deck (with its reverse, if asked)."""

    DEFAULT_CSS = f"AddCardScreen {{ {_DIALOG_CSS} }}"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="card.add-save"),
        Binding("escape", "cancel", "Cancel", id="card.add-cancel"),
    ]

    def __init__(self, decks: list[DeckChoice], deck: str | None) -> None:
        super().__init__()
        self.decks = decks
        self.deck = deck if deck in {d.name for d in decks} else None

    def compose(self) -> ComposeResult:
        options = [(f"{d.title} ({d.name}, {d.cards} cards)", d.name) for d in self.decks]
        with Vertical(id="dialog"):
            yield Static(Text("Add a card", style="bold"))
            yield Select(
                options,
                value=self.deck if self.deck is not None else Select.BLANK,
                prompt="Deck",
                id="card-deck",
                compact=True,
            )
            yield Label("Front")
            yield TextArea("", id="card-front", soft_wrap=True)
            yield Label("Back")
            yield TextArea("", id="card-back", soft_wrap=True)
            yield Checkbox(
                "Also add the reverse card (back → front)", id="card-reverse", compact=True
            )
            yield Static("", id="dialog-error")
            with Horizontal(id="dialog-buttons"):
                yield Button("Add (ctrl+s)", id="card-save", variant="primary", compact=True)
                yield Button("Cancel (esc)", id="card-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#card-front", TextArea).focus()

    def action_save(self) -> None:
        deck = self.query_one("#card-deck", Select).value
        front = self.query_one("#card-front", TextArea).text.strip()
        back = self.query_one("#card-back", TextArea).text.strip()
        error = self.query_one("#dialog-error", Static)
        if not isinstance(deck, str):
            error.update("Choose a deck.")
            return
        if not front or not back:
            error.update("A card needs a front and a back.")
            return
        reverse = self.query_one("#card-reverse", Checkbox).value
        self.dismiss(NewCard(deck, front, back, reverse))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "card-save":
            self.action_save()
        else:
            self.action_cancel()
