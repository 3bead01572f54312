"""Help: the keys that work right now, read from the bindings themselves.

The table is built from the binding chain of the focused widget on the screen underneath (the
widget, its containers, the screen, the app), so it lists exactly what a key press there would
do: the widget's own keys (a checklist's space), the screen's, and the app's area and timer
keys, each once, with its binding id for ``keys:`` in config.yaml (docs/keys.md).
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f1,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(self._table(), id="help-table")

    def _underneath(self) -> Screen[Any] | None:
        stack = self.app.screen_stack
        below = [s for s in stack if s is not self]
        return below[-1] if below else None

    def _table(self) -> Table:
        table = Table(title="studytui keys", expand=True, show_edge=False)
        table.add_column("Key", style="bold", no_wrap=True)
        table.add_column("Action")
        table.add_column("Where", style="dim", no_wrap=True)
        table.add_column("Binding id", style="dim")
        screen = self._underneath()
        for key, binding, where in active_keys(screen) if screen is not None else []:
            table.add_row(Text(key), Text(binding.description or binding.action),
                          Text(where), Text(binding.id or ""))  # fmt: skip
        table.caption = "Remap keys in config.yaml under `keys:` by binding id (docs/keys.md)."
        return table


def _where(node: DOMNode, screen: Screen[Any]) -> str:
    if node is screen.app:
        return "everywhere"
    if node is screen:
        return "this screen"
    return "focused list" if node is screen.focused else "this panel"


def active_keys(screen: Screen[Any]) -> list[tuple[str, Binding, str]]:
    """(key as shown, binding, where it comes from) for every binding a key press would reach
    now: disabled ones (check_action False) are left out, hidden ones (show=False) kept."""
    app = screen.app
    rows: dict[tuple[int, str], tuple[list[str], Binding, str]] = {}
    claimed: set[str] = set()  # a key reaches the first enabled binding: list only that one
    for node, bindings_map in screen._modal_binding_chain:
        for key, binding in bindings_map:
            if key in claimed or app._check_action_state(binding.action, node) is False:
                continue
            claimed.add(key)
            mark = (id(node), binding.id or f"{binding.action}/{binding.description}")
            keys, _, _ = rows.setdefault(mark, ([], binding, _where(node, screen)))
            keys.append(app.get_key_display(binding))
    found = [(" ".join(keys), binding, where) for keys, binding, where in rows.values()]
    # studytui's own keys (each has a binding id) first; Textual's navigation keys after them.
    return sorted(found, key=lambda row: row[1].id is None)
