"""The card browser's table: a line per card, drawn only for the lines on screen.

A ``DataTable`` builds a row object for every card it is given; at 100k cards that is seconds
of work and memory before the first frame. This table holds the search result (frozen rows)
and renders each visible line on demand through Textual's line API (``render_line``), so a
search of any size shows at once and scrolls at the same speed. Card text is drawn literally
(one line, control characters escaped), never read as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from studytui.core.cardsearch.matcher import CardRow
from studytui.core.plaintext import printable

# (title, width): the front takes what is left.
COLUMNS: tuple[tuple[str, int], ...] = (
    (" ", 2), ("deck", 20), ("state", 10), ("due", 10), ("ivl", 6), ("D", 5), ("lps", 4),
    ("revs", 5),
)  # fmt: skip


def row_cells(row: CardRow) -> list[str]:
    flags = "S" if row.suspended else "B" if row.buried else ""
    due = row.due_day.isoformat() if row.due_day is not None and row.state != 0 else "-"
    shown = row.interval_days is not None and row.state in (2, 3)
    ivl = f"{row.interval_days}d" if shown else "-"
    diff = f"{(row.difficulty - 1) / 9:.0%}" if row.difficulty is not None else "-"
    return [flags, row.deck, row.state_name, due, ivl, diff, str(row.lapses), str(row.reps)]


# Below this width the difficulty, lapse and review columns give way to the front.
NARROW = 110
_NARROW_KEEP = (0, 1, 2, 3, 4)
_NARROW_WIDTHS = {1: 14, 2: 9}


def columns(width: int) -> list[tuple[int, str, int]]:
    """(index into ``row_cells``, title, width) of the columns that fit ``width``."""
    if width >= NARROW:
        return [(i, t, w) for i, (t, w) in enumerate(COLUMNS)]
    return [(i, COLUMNS[i][0], _NARROW_WIDTHS.get(i, COLUMNS[i][1])) for i in _NARROW_KEEP]


def header_text(width: int) -> str:
    head = "".join(set_cell_size(title, w + 1) for _, title, w in columns(width))
    return set_cell_size(head + "front", width)


def line_text(row: CardRow, width: int, selected: bool) -> str:
    cells = row_cells(row)
    cells[0] = ("✓" if selected else " ") + (cells[0] or " ")
    text = "".join(set_cell_size(cells[i], w + 1) for i, _, w in columns(width))
    front = printable(" ".join(row.front.split()), inline=True)
    return set_cell_size(text + front, width)


class Highlighted(Message):
    """The cursor is on another card (or on none)."""

    def __init__(self, row: CardRow | None) -> None:
        super().__init__()
        self.row = row


class CardTable(ScrollView, can_focus=True):
    """Rows of cards with a cursor and a selection (space, ctrl+a)."""

    DEFAULT_CSS = """
    CardTable { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "to(0)", "First", show=False),
        Binding("end", "to(-1)", "Last", show=False),
        Binding("space", "toggle_selected", "Select", id="browser.select"),
        Binding("ctrl+a", "select_all", "Select all", id="browser.select-all"),
    ]
    cursor: reactive[int] = reactive(0, always_update=True)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: tuple[CardRow, ...] = ()
        self.selected: set[int] = set()
        self._last_posted: int | None = -1

    # -- data ---------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[CardRow], keep_cursor_on: int | None = None) -> None:
        """Show a new result; the cursor stays on ``keep_cursor_on`` if it is still there."""
        self.rows = tuple(rows)
        ids = {r.id for r in self.rows}
        self.selected &= ids
        index = 0
        if keep_cursor_on is not None:
            index = next((i for i, r in enumerate(self.rows) if r.id == keep_cursor_on), 0)
        self.virtual_size = Size(0, len(self.rows))  # no sideways scrolling
        self._last_posted = -1
        self.cursor = index
        self.refresh()

    def replace_rows(self, changed: Sequence[CardRow]) -> None:
        """The same result, with these cards as they are now (after an action)."""
        by_id = {r.id: r for r in changed}
        self.rows = tuple(by_id.get(r.id, r) for r in self.rows)
        self._last_posted = -1
        self.cursor = self.cursor
        self.refresh()

    @property
    def current(self) -> CardRow | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def targets(self) -> list[int]:
        """The selected cards, or the one under the cursor when none is selected."""
        if self.selected:
            return [r.id for r in self.rows if r.id in self.selected]
        return [self.current.id] if self.current is not None else []

    # -- drawing ------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if index >= len(self.rows):
            return Strip.blank(width)
        row = self.rows[index]
        style = Style()
        if row.id in self.selected:
            style = Style(bold=True)
        if index == self.cursor:
            style += Style(reverse=True) if self.has_focus else Style(underline=True)
        text = line_text(row, max(width, 1), row.id in self.selected)
        return Strip([Segment(text, style)], max(width, 1))

    def on_resize(self) -> None:
        self.virtual_size = Size(0, len(self.rows))  # no sideways scrolling

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # -- the cursor ---------------------------------------------------------------------------

    def watch_cursor(self, value: int) -> None:
        if self.rows:
            self.scroll_to_region_visible(value)
        self.refresh()
        if self._last_posted != value:
            self._last_posted = value
            self.post_message(Highlighted(self.current))

    def scroll_to_region_visible(self, index: int) -> None:
        top = self.scroll_offset.y
        height = max(1, self.scrollable_content_region.height)
        if index < top:
            self.scroll_to(y=index, animate=False)
        elif index >= top + height:
            self.scroll_to(y=index - height + 1, animate=False)

    def action_move(self, step: int) -> None:
        if self.rows:
            self.cursor = max(0, min(len(self.rows) - 1, self.cursor + step))

    def action_page(self, step: int) -> None:
        self.action_move(step * max(1, self.scrollable_content_region.height - 1))

    def action_to(self, index: int) -> None:
        if self.rows:
            self.cursor = len(self.rows) - 1 if index < 0 else 0

    def action_toggle_selected(self) -> None:
        row = self.current
        if row is None:
            return
        self.selected ^= {row.id}
        self.action_move(1)
        self.refresh()

    def action_select_all(self) -> None:
        everything = {r.id for r in self.rows}
        self.selected = set() if self.selected >= everything else everything
        self.refresh()
