"""Help: the keys of the app and of the screen underneath, with what each does."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f1,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(self._table(), id="help-table")

    def _table(self) -> Table:
        table = Table(title="studytui keys", expand=True, show_edge=False)
        table.add_column("Key", style="bold", no_wrap=True)
        table.add_column("Action")
        table.add_column("Binding id", style="dim")
        screen: Any = self.app.screen_stack[-1] if self.app.screen_stack else None
        if screen is self and len(self.app.screen_stack) > 1:
            screen = self.app.screen_stack[-2]
        seen: set[str] = set()
        sources: list[Any] = [screen, self.app] if screen is not None else [self.app]
        for source in sources:
            for key, binding in _bindings(source):
                if not binding.description or binding.id in seen:
                    continue
                seen.add(binding.id or key)
                display = self.app.get_key_display(binding)
                table.add_row(Text(display), Text(binding.description), Text(binding.id or ""))
        table.add_row(Text("ctrl+p"), Text("Command palette: every action by name"), Text(""))
        table.caption = "Remap keys in config.yaml under `keys:` by binding id."
        return table


def _bindings(node: Any) -> list[tuple[str, Binding]]:
    out: list[tuple[str, Binding]] = []
    for key, bindings in node._bindings.key_to_bindings.items():
        out.extend((key, b) for b in bindings)
    return out
