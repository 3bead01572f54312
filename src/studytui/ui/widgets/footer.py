"""Textual's Footer, rebuilt only when what it shows changes.

Textual's Footer recomposes itself for every binding change it hears of. While a screen starts,
focus and the screen stack change several times, and each change rebuilt the whole footer: six
rebuilds of ~50 ms each on the UI thread while the dashboard's week was loading. Here changes
that arrive before a pending rebuild share it, and a rebuild that would show the same keys
(same key, label, action, state and tooltip) is skipped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import Footer as TextualFooter

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.screen import Screen

Shown = tuple[tuple[str, str, str, bool, str], ...]


class Footer(TextualFooter):
    _rebuild_pending = False
    _composed: Shown | None = None

    def _shown(self) -> Shown:
        """What compose would draw: the visible active bindings, keymap applied."""
        return tuple(
            (self.app.get_key_display(b), b.description, b.action, enabled, tooltip)
            for _node, b, enabled, tooltip in self.screen.active_bindings.values()
            if b.show
        )

    def compose(self) -> ComposeResult:
        self._composed = self._shown() if self._bindings_ready else None
        yield from super().compose()

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if self._rebuild_pending:
            return
        self._rebuild_pending = True
        self.call_after_refresh(self._rebuild, screen)

    def _rebuild(self, screen: Screen[Any]) -> None:
        self._rebuild_pending = False
        if self._composed is not None and self.is_attached and self._shown() == self._composed:
            return
        super().bindings_changed(screen)
