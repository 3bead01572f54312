"""Checklist items (milestones, week tasks) that can be ticked; text shown literally."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.text import Text
from textual.strip import Strip
from textual.widgets import SelectionList
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.selection_list import Selection

from studytui.ui.messages import ChecklistToggled

if TYPE_CHECKING:
    from studytui.core.services.roadmap import ChecklistItem

SEP = "\x1f"


class Checklist(SelectionList[str]):
    """Space or click ticks an item; the change is posted as ChecklistToggled.

    A ticked item shows ✓ and an open one a blank box, so the two differ without colour
    (Textual draws the same X in both, told apart by colour alone).
    """

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 3 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip
        style = segments[1].style
        index = style.meta.get("option") if style is not None else None
        if not isinstance(index, int):
            return strip
        value = self.get_option_at_index(index).value
        segments[1] = Segment("✓" if value in self.selected else " ", style)
        return Strip(segments, strip.cell_length)

    def show(self, items: tuple[ChecklistItem, ...]) -> None:
        self._loading = True
        highlighted = self.highlighted
        self.clear_options()
        self.add_options(
            [Selection(Text(i.text), f"{i.list_id}{SEP}{i.text}", i.done) for i in items]
        )
        if items:
            self.highlighted = min(highlighted or 0, len(items) - 1)
        self._loading = False

    def on_selection_list_selection_toggled(
        self, event: SelectionList.SelectionToggled[str]
    ) -> None:
        event.stop()
        if getattr(self, "_loading", False):
            return
        list_id, item = event.selection.value.split(SEP, 1)
        done = event.selection.value in self.selected
        self.post_message(ChecklistToggled(list_id, item, done))
