"""The card browser: search every card with Anki's syntax, sort, read a card's history, act.

Searches run in a worker (``CardSearchService``), and the table draws only the lines on screen,
so 100k cards open without a row object each. Actions apply to the selected cards (space,
ctrl+a), or to the one under the cursor: ``@`` suspend or unsuspend, ``-`` bury or unbury,
``!`` reset (asks), ``=`` set the due date, ``e`` edit; ``u`` undoes the last action. Every
write goes through ``save_in_worker``: a failed one is reported and the table shows the cards
as stored. Keys are listed in docs/keys.md.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Input, Static

from studytui.core.cardsearch.actions import ActionResult, parse_due_spec
from studytui.core.cardsearch.matcher import SORTS, CardRow
from studytui.core.cardsearch.service import ReviewEntry, SearchResult
from studytui.core.errors import StudyError
from studytui.core.services.facade import Services
from studytui.ui.saving import save_in_worker
from studytui.ui.widgets.card_table import CardTable, Highlighted, header_text
from studytui.ui.widgets.footer import Footer
from studytui.ui.workers import work

RATINGS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
STATES = {0: "new", 1: "learning", 2: "review", 3: "relearning"}


class Searched(Message):
    def __init__(self, result: SearchResult, keep_cursor_on: int | None) -> None:
        super().__init__()
        self.result = result
        self.keep_cursor_on = keep_cursor_on


class DetailLoaded(Message):
    def __init__(self, row: CardRow, history: tuple[ReviewEntry, ...]) -> None:
        super().__init__()
        self.row = row
        self.history = history


class BrowserScreen(Screen[None]):
    """Every card, searchable and sortable, with its history and the browser's actions."""

    DEFAULT_CSS = """
    BrowserScreen #browser-query { margin: 0 0; }
    BrowserScreen #browser-status { height: 1; color: $text-muted; padding: 0 1; }
    BrowserScreen #browser-head { height: 1; text-style: bold; padding: 0 0; }
    BrowserScreen #browser-detail { height: 9; border-top: solid $primary; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_query", "Search", id="browser.search"),
        Binding("at", "suspend", "Suspend", id="browser.suspend"),
        Binding("minus", "bury", "Bury", id="browser.bury"),
        Binding("exclamation_mark", "reset", "Reset", id="browser.reset"),
        Binding("equals_sign", "set_due", "Set due", id="browser.set-due"),
        Binding("e", "edit", "Edit", id="browser.edit"),
        Binding("v", "study", "Study these", id="browser.study"),
        Binding("u,ctrl+z", "undo", "Undo", id="browser.undo"),
        Binding("o", "sort(1)", "Sort", id="browser.sort"),
        Binding("O", "reverse", "Reverse", id="browser.reverse", show=False),
        Binding("escape,q", "leave", "Back", id="browser.leave"),
    ]

    def __init__(self, services: Services, query: str = "", **_: Any) -> None:
        super().__init__()
        self.services = services
        self.query_text = query
        self.sort = "due"
        self.descending = False
        self.last_action: ActionResult | None = None
        self.result: SearchResult | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Input(
                self.query_text,
                placeholder="deck:nlp is:due · prop:ivl>30 · rated:7:1 · -is:suspended · a or b",
                id="browser-query",
                compact=True,
            )
            yield Static("", id="browser-status")
            yield Static("", id="browser-head")
            yield CardTable(id="browser-table")
            yield Static("", id="browser-detail")
        yield Footer()

    @property
    def table(self) -> CardTable:
        return self.query_one(CardTable)

    def on_mount(self) -> None:
        # The search box has the keys on open, as in Anki's browser: a query typed straight
        # away lands there, and its letters never reach the timer's keys (n, s, x …).
        self.query_one("#browser-query", Input).focus()
        self.search()

    def on_resize(self) -> None:
        self.query_one("#browser-head", Static).update(Text(header_text(self.size.width)))

    # -- searching ----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="browser-search")
    def search(self, keep_cursor_on: int | None = None) -> None:
        try:
            result = self.services.cards.search(self.query_text, self.sort, self.descending)
        except StudyError as exc:  # a query that cannot be read: say why, keep the table
            self.app.call_from_thread(self._status, f"{exc}", error=True)
            return
        self.post_message(Searched(result, keep_cursor_on))

    def on_searched(self, message: Searched) -> None:
        self.result = message.result
        self.table.set_rows(message.result.rows, message.keep_cursor_on)
        self._status_line()

    def _status_line(self) -> None:
        r = self.result
        if r is None:
            return
        order = f"{self.sort} {'↓' if self.descending else '↑'}"
        chosen = len(self.table.selected)
        picked = f" · {chosen} selected" if chosen else ""
        self._status(f"{len(r.rows)} of {r.total_cards} cards · sorted by {order}{picked}")

    def _status(self, text: str, *, error: bool = False) -> None:
        self.query_one("#browser-status", Static).update(
            Text(text, style="bold red" if error else "")
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_text = event.value
        self.table.focus()
        self.search()

    def action_focus_query(self) -> None:
        self.query_one("#browser-query", Input).focus()

    def action_sort(self, step: int) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + step) % len(SORTS)]
        self.search(self._cursor_id())

    def action_reverse(self) -> None:
        self.descending = not self.descending
        self.search(self._cursor_id())

    def _cursor_id(self) -> int | None:
        current = self.table.current
        return current.id if current is not None else None

    # -- the card under the cursor ------------------------------------------------------------

    def on_highlighted(self, message: Highlighted) -> None:
        self._status_line()
        if message.row is None:
            self.query_one("#browser-detail", Static).update("")
            return
        self.load_detail(message.row)

    @work(thread=True, exclusive=True, group="browser-detail")
    def load_detail(self, row: CardRow) -> None:
        history = self.services.cards.history(row.id)
        self.post_message(DetailLoaded(row, history))

    def on_detail_loaded(self, message: DetailLoaded) -> None:
        current = self.table.current
        if current is None or current.id != message.row.id:
            return
        self.query_one("#browser-detail", Static).update(detail(message.row, message.history, self))

    # -- actions ------------------------------------------------------------------------------

    def _act(self, what: str, write: Any) -> None:
        ids = self.table.targets()
        if not ids:
            return

        def saved(result: ActionResult) -> None:
            self.last_action = result
            self.notify(f"{what}: {result.count} of {len(ids)} cards.", markup=False)
            self.search(self._cursor_id())

        def failed(_why: str) -> None:
            self.search(self._cursor_id())  # show the cards as stored

        save_in_worker(self, what, lambda: write(ids), saved=saved, failed=failed)

    def action_suspend(self) -> None:
        actions = self.services.card_actions
        rows = {r.id: r for r in self.table.rows}
        targets = self.table.targets()
        suspend = not all(rows[i].suspended for i in targets if i in rows)
        self._act("Suspended" if suspend else "Unsuspended",
                  lambda ids: actions.suspend(ids, suspend))  # fmt: skip

    def action_bury(self) -> None:
        actions = self.services.card_actions
        rows = {r.id: r for r in self.table.rows}
        targets = self.table.targets()
        bury = not all(rows[i].buried for i in targets if i in rows)
        self._act("Buried" if bury else "Unburied", lambda ids: actions.bury(ids, bury))

    def action_reset(self) -> None:
        count = len(self.table.targets())
        if not count:
            return
        from studytui.ui.screens.browser_dialogs import ConfirmReset

        def answered(yes: bool | None) -> None:
            if yes:
                self._act("Reset", self.services.card_actions.reset)

        self.app.push_screen(ConfirmReset(count), answered)

    def action_set_due(self) -> None:
        count = len(self.table.targets())
        if not count:
            return
        from studytui.ui.screens.browser_dialogs import AskDueDays

        def answered(spec: str | None) -> None:
            if spec:
                actions = self.services.card_actions
                self._act("Rescheduled", lambda ids: actions.set_due(ids, spec))

        self.app.push_screen(AskDueDays(count, parse_due_spec), answered)

    def action_edit(self) -> None:
        row = self.table.current
        if row is None:
            return
        from studytui.ui.screens.review_dialogs import CardText, EditCardScreen

        def edited(result: CardText | None) -> None:
            if result is None:
                return
            review = self.services.review

            def saved(_card: object) -> None:
                self.search(row.id)

            save_in_worker(
                self,
                "The edit",
                lambda: review.edit(row.id, result.front, result.back),
                saved=saved,
            )

        title = f"Edit card · {row.deck_title} (its review history is kept)"
        self.app.push_screen(EditCardScreen(title, row.front, row.back), edited)

    def action_study(self) -> None:
        """Custom study of the selection (else every card listed), changing no schedule."""
        from studytui.core.services.review import ReviewFilter

        ids = [r.id for r in self.table.rows if r.id in self.table.selected] or [
            r.id for r in self.table.rows
        ]
        if not ids:
            return
        where = "selected" if self.table.selected else "listed"
        plural = "s" if len(ids) != 1 else ""
        flt = ReviewFilter(cards=tuple(ids), custom_label=f"{len(ids)} {where} card{plural}")
        app: Any = self.app
        app.switch_mode("review")

        def refilter() -> None:
            screen: Any = app.screen
            if hasattr(screen, "filter") and hasattr(screen, "load"):
                screen.filter = flt
                screen.load()

        app.call_after_refresh(refilter)

    def action_undo(self) -> None:
        last = self.last_action
        if last is None:
            self.notify("Nothing to undo.", markup=False)
            return
        actions = self.services.card_actions

        def saved(count: int) -> None:
            self.last_action = None
            self.notify(f"Undone: {last.action} of {count} cards.", markup=False)
            self.search(self._cursor_id())

        save_in_worker(self, "The undo", lambda: actions.undo(last), saved=saved)

    def action_leave(self) -> None:
        focused = self.focused
        if isinstance(focused, Input):
            self.table.focus()
            return
        self.app.switch_mode("dashboard")


def detail(row: CardRow, history: tuple[ReviewEntry, ...], screen: BrowserScreen) -> Table:
    """The card's text and its review history, text drawn literally."""
    cal = screen.services.ctx.calendar
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row("Front", Text(" ".join(row.front.split())))
    grid.add_row("Back", Text(" ".join(row.back.split())))
    facts = [f"{row.deck} · {row.key}", row.state_name, f"{row.reps} reviews, {row.lapses} lapses"]
    if row.stability is not None:
        facts.append(f"stability {row.stability:.1f} d")
    grid.add_row("Card", Text(" · ".join(facts)))
    if history:
        recent = history[-4:]
        lines = [
            f"{cal.local(h.reviewed_at):%d %b %Y %H:%M} {RATINGS.get(h.rating, '?')}"
            f" ({STATES.get(h.state_before, '?')})"
            for h in recent
        ]
        more = f" (+{len(history) - len(recent)} earlier)" if len(history) > len(recent) else ""
        grid.add_row("History", Text(" · ".join(lines) + more))
    else:
        grid.add_row("History", Text("no reviews yet"))
    return grid
