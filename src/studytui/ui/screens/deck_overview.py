"""Anki's deck list for the roadmap: grouped decks with new / learning / due, type to filter.

``f`` on the review screen opens it. The first choice studies this week's decks as one, the
second every deck; then each group of the roadmap (``DeckOverviewService``). Typing narrows the
list to the decks whose title, name or topic has the text; ``up``/``down`` move while typing,
``enter`` studies the highlighted choice, ``esc`` closes.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from studytui.core.services.deck_overview import DeckOverview, OverviewDeck, QueueTotals
from studytui.core.services.review import ReviewFilter

COUNT_WIDTH = 6


def counts_text(new: int, learning: int, review: int) -> Text:
    """Anki's three numbers in its colours: new blue, learning red, due green; 0 dimmed."""
    out = Text()
    for value, style in ((new, "bold blue"), (learning, "bold red"), (review, "bold green")):
        out.append(f"{value:>{COUNT_WIDTH}}", style=style if value else "dim")
    return out


def _line(title: str, counts: Text, width: int) -> Text:
    label = Text(title)
    label.truncate(max(10, width - 3 * COUNT_WIDTH - 2), overflow="ellipsis")
    label.pad_right(max(0, width - 3 * COUNT_WIDTH - label.cell_len))
    return label + counts


class DeckOverviewScreen(ModalScreen[ReviewFilter | None]):
    DEFAULT_CSS = """
    DeckOverviewScreen { align: center middle; }
    DeckOverviewScreen #ov-body {
        width: 90%;
        max-width: 96;
        height: 90%;
        border: round $primary;
        background: $surface;
    }
    DeckOverviewScreen #ov-head { height: 1; padding: 0 1; color: $text-muted; }
    DeckOverviewScreen OptionList { height: 1fr; border: none; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close", id="decks.close"),
        Binding("ctrl+r", "reschedule", "Reschedule custom study", id="decks.reschedule"),
        Binding("down", "move(1)", "Down", show=False, priority=True),
        Binding("up", "move(-1)", "Up", show=False, priority=True),
        Binding("pagedown", "move(10)", "Page down", show=False, priority=True),
        Binding("pageup", "move(-10)", "Page up", show=False, priority=True),
    ]

    def __init__(self, overview: DeckOverview) -> None:
        super().__init__()
        self.overview = overview
        self.choices: dict[str, ReviewFilter] = {}
        self.reschedule = False  # custom study answers change the schedule (Anki's option)

    def compose(self) -> ComposeResult:
        with Vertical(id="ov-body"):
            yield Input(placeholder="Type to filter decks", id="ov-filter", compact=True)
            yield Static("", id="ov-head")
            yield OptionList(id="ov-list")

    def on_mount(self) -> None:
        self.query_one("#ov-filter", Input).focus()
        self._fill("")

    def on_resize(self, _event: events.Resize) -> None:
        self._fill(self.query_one("#ov-filter", Input).value)

    def _width(self) -> int:
        return max(40, self.query_one(OptionList).scrollable_content_region.width - 1)

    def _fill(self, text: str) -> None:
        width = self._width()
        head = Text("".ljust(width - 3 * COUNT_WIDTH))
        for name in ("new", "learn", "due"):
            head.append(f"{name:>{COUNT_WIDTH}}")
        self.query_one("#ov-head", Static).update(head)
        wanted = text.strip().casefold()
        options: list[Option] = []
        self.choices = {}
        ov = self.overview

        def add(
            key: str, title: str, totals: QueueTotals | OverviewDeck, flt: ReviewFilter
        ) -> None:
            self.choices[key] = flt
            counts = counts_text(totals.new, totals.learning, totals.review)
            options.append(Option(_line(title, counts, width), id=key))

        if not wanted:
            if ov.this_week is not None:
                add("week", f"Study this week's decks (week {ov.week})", ov.this_week,
                    ReviewFilter(this_week=True))  # fmt: skip
            add("all", "All decks", ov.everything, ReviewFilter())
        if not wanted and ov.custom:
            how = "answers reschedule" if self.reschedule else "no schedule changes"
            title = Text(f"Custom study ({how}; ctrl+r switches)", style="bold underline")
            options.append(Option(title, id="group:custom", disabled=True))
            for key, label, search in ov.custom:
                self.choices[f"custom:{key}"] = ReviewFilter(
                    search=search, custom_label=label, reschedule=self.reschedule
                )
                options.append(Option(Text(f"  {label}"), id=f"custom:{key}"))
        for g, group in enumerate(ov.groups):
            decks = [
                d for d in group.decks
                if not wanted or wanted in f"{d.title} {d.name} {d.topic_id or ''}".casefold()
            ]  # fmt: skip
            if not decks:
                continue
            options.append(Option(Text(group.title, style="bold underline"), id=f"group:{g}",
                                  disabled=True))  # fmt: skip
            for d in decks:
                add(f"deck:{d.name}", f"  {d.title}", d, ReviewFilter(deck=d.name))
        option_list = self.query_one(OptionList)
        option_list.clear_options()
        option_list.add_options(options)
        first = next((i for i, o in enumerate(options) if not o.disabled), None)
        option_list.highlighted = first
        if first is None and wanted:
            option_list.add_option(Option(Text(f"No deck matches '{text}'."), disabled=True))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        option_list = self.query_one(OptionList)
        index = option_list.highlighted
        if index is None:
            return
        option = option_list.get_option_at_index(index)
        if option.id in self.choices:
            self.dismiss(self.choices[option.id])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id in self.choices:
            self.dismiss(self.choices[event.option.id])

    def action_move(self, step: int) -> None:
        option_list = self.query_one(OptionList)
        count = option_list.option_count
        if not count:
            return
        index = option_list.highlighted if option_list.highlighted is not None else -1
        direction = 1 if step > 0 else -1
        for _ in range(abs(step)):
            nxt = index + direction
            while 0 <= nxt < count and option_list.get_option_at_index(nxt).disabled:
                nxt += direction
            if not 0 <= nxt < count:
                break
            index = nxt
        if index >= 0:
            option_list.highlighted = index

    def action_reschedule(self) -> None:
        self.reschedule = not self.reschedule
        option_list = self.query_one(OptionList)
        kept = option_list.highlighted
        self._fill(self.query_one("#ov-filter", Input).value)
        option_list.highlighted = kept

    def action_cancel(self) -> None:
        self.dismiss(None)
