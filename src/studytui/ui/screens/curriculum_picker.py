"""Choose the active curriculum and its start date.

The start date offered is the current one for the active curriculum and today for any other:
keeping the old date would place a newly chosen roadmap weeks into its plan, or past its end.
Once the user edits the date, their date stays whatever they highlight.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from studytui.core.config import parse_start_date
from studytui.core.curriculum.catalog import CatalogEntry


class CurriculumPicker(ModalScreen[tuple[str, date] | None]):
    """Returns (curriculum id, start date) or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="picker.cancel"),
    ]

    def __init__(
        self, entries: list[CatalogEntry], active: str, start: date, today: date | None = None
    ) -> None:
        super().__init__()
        self.entries = entries
        self.active = active
        self.start = start
        self.today = today or start
        self._offered = start.isoformat()  # the date last filled in for the user

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label("Curriculum (enter to choose)")
            options = [
                Option(
                    Text.assemble(
                        ("● " if e.id == self.active else "  ", "green"),
                        (e.title, "bold"),
                        (f"\n  {e.weeks} weeks, {e.topics} topics · {e.origin}", "dim"),
                    ),
                    id=e.id,
                )
                for e in self.entries
            ]
            yield OptionList(*options, id="picker-list")
            yield Label("Start date (first day of the first week)")
            yield Input(self.start.isoformat(), placeholder="YYYY-MM-DD", id="picker-start")
            yield Label("", id="picker-error")

    def on_mount(self) -> None:
        picker = self.query_one(OptionList)
        ids = [e.id for e in self.entries]
        if self.active in ids:
            picker.highlighted = ids.index(self.active)
        picker.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        field = self.query_one(Input)
        if field.value.strip() != self._offered:
            return  # the user's own date
        chosen = self.start if event.option.id == self.active else self.today
        self._offered = chosen.isoformat()
        field.value = self._offered

    def _finish(self) -> None:
        picker = self.query_one(OptionList)
        if picker.highlighted is None:
            return
        chosen = picker.get_option_at_index(picker.highlighted).id
        text = self.query_one(Input).value.strip()
        start = parse_start_date(text)
        if isinstance(start, str):
            self.query_one("#picker-error", Label).update(Text(start, style="red"))
            return
        if chosen is not None:
            self.dismiss((chosen, start))

    def on_option_list_option_selected(self, _event: OptionList.OptionSelected) -> None:
        self._finish()

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self._finish()
