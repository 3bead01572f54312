"""An honest screen for an area that is not built yet."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class PlaceholderScreen(Screen[None]):
    def __init__(self, title: str, purpose: str) -> None:
        super().__init__()
        self.area_title = title
        self.purpose = purpose

    def compose(self) -> ComposeResult:
        yield Header()
        with Middle(), Center():
            yield Static(
                f"{self.area_title}\n\n{self.purpose}\n\nNot built yet in this version.",
                markup=False,
                classes="placeholder",
            )
        yield Footer()
