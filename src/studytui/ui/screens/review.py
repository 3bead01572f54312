"""Review: flashcards with Anki's keys.

Space or Enter shows the answer (and, on the answer side, rates Good); 1 Again, 2 Hard, 3 Good,
4 Easy (each button shows its next interval); ctrl+z or u undoes; - buries; @ suspends; e edits
the card. The queue lives in memory (``ReviewSession``): the next card shows at once, and the
rating is written by a thread worker. Card text is shown as plain text, never as markup.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from rich.console import Group
from rich.rule import Rule
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, Header, Static

from studytui.core.scheduling import Rating
from studytui.core.services.facade import Services
from studytui.core.services.review import (
    LEARN_AHEAD,
    CardView,
    DeckChoice,
    ReviewFilter,
    ReviewSession,
    ReviewSummary,
)
from studytui.ui.screens.review_dialogs import (
    AddCardScreen,
    CardText,
    EditCardScreen,
    FilterScreen,
    NewCard,
)
from studytui.ui.widgets.footer import Footer
from studytui.ui.workers import work

RATING_LABELS = {
    Rating.Again: "Again",
    Rating.Hard: "Hard",
    Rating.Good: "Good",
    Rating.Easy: "Easy",
}


# -- messages: facts reported by workers ----------------------------------------------------------


class QueueLoaded(Message):
    def __init__(self, session: ReviewSession) -> None:
        super().__init__()
        self.session = session


class QueueFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class RatingsSaved(Message):
    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count


class SavingFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class SummaryLoaded(Message):
    def __init__(self, summary: ReviewSummary) -> None:
        super().__init__()
        self.summary = summary


class DeckChoicesLoaded(Message):
    def __init__(self, decks: list[DeckChoice], purpose: str, week: int | None) -> None:
        super().__init__()
        self.decks = decks
        self.purpose = purpose
        self.week = week


class CardsAdded(Message):
    def __init__(self, cards: list[CardView]) -> None:
        super().__init__()
        self.cards = cards


# -- the screen ---------------------------------------------------------------------------------


class ReviewScreen(Screen[None]):
    DEFAULT_CSS = """
    ReviewScreen #review-counts {
        height: 1;
        padding: 0 2;
        background: $boost;
    }
    ReviewScreen #review-card {
        height: 1fr;
        padding: 1 4;
    }
    ReviewScreen #review-meta {
        color: $text-muted;
        margin-bottom: 1;
    }
    ReviewScreen #review-bar {
        height: 3;
        align-horizontal: center;
    }
    ReviewScreen #review-bar Button {
        margin: 0 1;
        min-width: 14;
    }
    ReviewScreen .hidden {
        display: none;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,enter", "reveal", "Show answer", id="review.reveal"),
        Binding("1", "rate(1)", "Again", id="review.again", show=False),
        Binding("2", "rate(2)", "Hard", id="review.hard", show=False),
        Binding("3", "rate(3)", "Good", id="review.good", show=False),
        Binding("4", "rate(4)", "Easy", id="review.easy", show=False),
        Binding("ctrl+z,u", "undo", "Undo", id="review.undo"),
        Binding("minus", "bury", "Bury", id="review.bury"),
        Binding("at", "suspend", "Suspend", id="review.suspend"),
        Binding("e", "edit", "Edit", id="review.edit"),
        Binding("a", "add", "Add card", id="review.add"),
        Binding("f", "filter", "Filter", id="review.filter"),
        Binding("r", "reload", "Reload", id="review.reload"),
    ]

    def __init__(self, services: Services, **options: Any) -> None:
        super().__init__()
        self.services = services
        self.filter = ReviewFilter.from_options(options)
        self.session: ReviewSession | None = None
        self.card: CardView | None = None
        self.revealed = False
        self.summary: ReviewSummary | None = None
        self._wake: Timer | None = None

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="review-counts")
        with VerticalScroll(id="review-card", can_focus=False):
            yield Static("Loading cards…", id="review-meta")
            yield Static("", id="review-body")
        with Horizontal(id="review-bar"):
            yield Button("Show answer (space)", id="review-show", variant="primary")
            for rating, label in RATING_LABELS.items():
                yield Button(label, id=f"rate-{int(rating)}", classes="hidden rate")
        yield Footer()

    def on_mount(self) -> None:
        for button in self.query(Button):
            button.can_focus = False
        self.load()

    def on_screen_resume(self) -> None:
        if self.session is not None and self.card is None:
            self.load()

    def on_unmount(self) -> None:
        if self.session is not None:
            self.session.flush()  # never lose a rating on quit

    # -- workers ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="review-load")
    def load(self) -> None:
        old = self.session
        try:
            if old is not None:
                old.flush()
            self.services.decks.sync_once()
            session = self.services.review.start(self.filter)
        except Exception as exc:  # reported on screen, never a crash
            self.post_message(QueueFailed(str(exc)))
            return
        self.post_message(QueueLoaded(session))

    @work(thread=True, group="review-write")
    def save_ratings(self, session: ReviewSession) -> None:
        try:
            count = session.flush()
        except Exception as exc:
            self.post_message(SavingFailed(str(exc)))
            return
        self.post_message(RatingsSaved(count))

    @work(thread=True, exclusive=True, group="review-summary")
    def load_summary(self, session: ReviewSession) -> None:
        try:
            session.flush()
            summary = self.services.review.summary(session.filter)
        except Exception as exc:
            self.post_message(QueueFailed(str(exc)))
            return
        self.post_message(SummaryLoaded(summary))

    @work(thread=True, group="review-edit")
    def save_edit(self, card_id: int, text: CardText) -> None:
        try:
            self.services.review.edit(card_id, text.front, text.back)
        except Exception as exc:
            self.post_message(SavingFailed(f"the edit was not saved: {exc}"))

    @work(thread=True, group="review-edit")
    def save_new_card(self, card: NewCard) -> None:
        try:
            cards = self.services.review.add(card.deck, card.front, card.back, card.reverse)
        except Exception as exc:
            self.post_message(SavingFailed(f"the card was not added: {exc}"))
            return
        self.post_message(CardsAdded(cards))

    @work(thread=True, exclusive=True, group="review-decks")
    def load_deck_choices(self, purpose: str) -> None:
        try:
            decks = self.services.review.deck_choices()
            week = self.services.review.week_topics(None)[0] if purpose == "filter" else None
        except Exception as exc:
            self.post_message(QueueFailed(str(exc)))
            return
        self.post_message(DeckChoicesLoaded(decks, purpose, week))

    # -- facts -----------------------------------------------------------------------------

    def on_queue_loaded(self, message: QueueLoaded) -> None:
        self.session = message.session
        self.sub_title = message.session.label
        self.card = None
        self.summary = None
        self.show_next()

    def on_queue_failed(self, message: QueueFailed) -> None:
        self.query_one("#review-meta", Static).update(Text("Could not load cards", style="bold"))
        self.query_one("#review-body", Static).update(Text(message.error))
        self.notify(message.error, severity="error", markup=False)

    def on_ratings_saved(self, message: RatingsSaved) -> None:
        pass

    def on_saving_failed(self, message: SavingFailed) -> None:
        self.notify(
            f"{message.error} (it will be retried with the next rating)",
            severity="error",
            timeout=10,
            markup=False,
        )

    def on_summary_loaded(self, message: SummaryLoaded) -> None:
        self.summary = message.summary
        if self.card is None:
            self.render_summary()

    def on_deck_choices_loaded(self, message: DeckChoicesLoaded) -> None:
        if message.purpose == "filter":
            self.app.push_screen(FilterScreen(message.decks, message.week), self._filter_chosen)
        else:
            deck = self.card.deck if self.card is not None else self.filter.deck
            if deck is None and self.filter.topic:
                deck = next(
                    (d.name for d in message.decks if d.topic_id == self.filter.topic), None
                )
            self.app.push_screen(AddCardScreen(message.decks, deck), self._card_added)

    def on_cards_added(self, message: CardsAdded) -> None:
        deck = message.cards[0].deck_title if message.cards else ""
        self.notify(
            f"Added {len(message.cards)} card(s) to {deck}; they are new cards from the next "
            "reload on.",
            markup=False,
        )

    # -- showing ---------------------------------------------------------------------------

    def show_next(self) -> None:
        if self._wake is not None:
            self._wake.stop()
            self._wake = None
        session = self.session
        self.card = session.next_card() if session is not None else None
        self.revealed = False
        self.render_counts()
        if self.card is None:
            self.render_summary()
            if session is not None:
                self.load_summary(session)
                self._schedule_wake(session)
        else:
            self.render_card()
        self.refresh_bindings()

    def _schedule_wake(self, session: ReviewSession) -> None:
        due = session.next_learning_due()
        if due is None:
            return
        delay = (due - LEARN_AHEAD - self.services.ctx.clock.now()).total_seconds()
        if 0 < delay < 24 * 3600:
            self._wake = self.set_timer(delay, self.show_next)

    def render_counts(self) -> None:
        counts = self.session.counts() if self.session is not None else None
        text = Text()
        if counts is not None:
            source = self.session.current_source if self.session is not None else None
            for name, value, style in (
                ("new", counts.new, "bold blue"),
                ("learning", counts.learning, "bold red"),
                ("review", counts.review, "bold green"),
            ):
                part_style = f"{style} underline" if name == source else style
                text.append(f"{name.capitalize()} ", style="dim")
                text.append(str(value), style=part_style)
                text.append("   ")
            text.append(f"· {self.session.label if self.session else ''}", style="dim")
        self.query_one("#review-counts", Static).update(text)

    def render_card(self) -> None:
        card = self.card
        assert card is not None
        meta = Text(card.deck_title, style="bold")
        if card.prompt:
            meta.append(f" · {card.prompt}", style="italic")
        if card.tags:
            meta.append(" · " + " ".join(card.tags), style="dim")
        if card.edited:
            meta.append(" · edited", style="dim")
        self.query_one("#review-meta", Static).update(meta)
        parts: list[Any] = [Text(card.front)]
        if self.revealed:
            parts += [Rule(style="dim"), Text(card.back)]
        self.query_one("#review-body", Static).update(Group(*parts))
        show = self.query_one("#review-show", Button)
        show.set_class(self.revealed, "hidden")
        previews = self.session.previews() if self.revealed and self.session else {}
        for rating, label in RATING_LABELS.items():
            button = self.query_one(f"#rate-{int(rating)}", Button)
            button.set_class(not self.revealed, "hidden")
            interval = previews.get(rating, "")
            button.label = f"{int(rating)} {label}  {interval}"
        self.query_one("#review-card", VerticalScroll).scroll_home(animate=False)

    def render_summary(self) -> None:
        self.query_one("#review-show", Button).add_class("hidden")
        for button in self.query(".rate"):
            button.add_class("hidden")
        s = self.summary
        title = Text("Done for now", style="bold")
        if self.session is not None:
            title.append(f" · {self.session.label}", style="dim")
        self.query_one("#review-meta", Static).update(title)
        lines = Text()
        if s is None:
            lines.append("Counting today's reviews…")
        else:
            lines.append(f"Reviewed today: {s.reviewed} card(s)")
            if s.reviewed:
                minutes = s.seconds / 60
                lines.append(f" in {minutes:.0f} min" if minutes >= 1 else f" in {s.seconds:.0f} s")
                lines.append(f", again-rate {s.again_rate:.0%}" if s.again_rate is not None else "")
            lines.append("\n")
            cal = self.services.ctx.calendar
            if s.next_learning is not None:
                local = cal.local(s.next_learning)
                lines.append(f"Next learning card: {local:%H:%M} ({local:%a %d %b})\n")
            if s.next_review_day is not None:
                lines.append(f"Next reviews due: {_day_label(s.next_review_day, cal, self)}\n")
            if s.limited:
                lines.append(
                    f"{s.new_waiting} new card(s) wait; today's limit of "
                    f"{self.services.ctx.settings.review.new_cards_per_day} new cards is reached.\n"
                )
            elif not s.new_waiting and s.next_learning is None and s.next_review_day is None:
                lines.append(
                    "No cards here yet. Add one with a, write a deck file (docs/decks.md), or "
                    "give the topic concepts in your curriculum.\n"
                )
            lines.append("\nr reload · f choose decks · a add a card", style="dim")
        self.query_one("#review-body", Static).update(lines)

    # -- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("rate", "reveal", "bury", "suspend", "edit"):
            # Without a card, let the keys through (1-4 switch areas again).
            return self.card is not None
        if action == "undo":
            return self.session is not None and self.session.can_undo
        return True

    def action_reveal(self) -> None:
        if self.card is None:
            return
        if self.revealed:  # as in Anki: space or enter on the answer side means Good
            self.action_rate(int(Rating.Good))
            return
        self.revealed = True
        self.render_card()

    def action_rate(self, rating: int) -> None:
        if self.card is None or self.session is None or not self.revealed:
            return  # like Anki: a rating key on the question side does nothing
        self.session.rate(Rating(rating))
        self.save_ratings(self.session)
        self.show_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "review-show":
            self.action_reveal()
        elif event.button.id and event.button.id.startswith("rate-"):
            self.action_rate(int(event.button.id.removeprefix("rate-")))

    def action_undo(self) -> None:
        if self.session is None:
            return
        undone = self.session.undo()
        if undone is None:
            self.notify("Nothing to undo")
            return
        self.save_ratings(self.session)
        self.card = self.session.current
        self.revealed = False
        self.render_counts()
        self.render_card()
        self.refresh_bindings()
        self.notify(f"Undone: {undone.kind}", timeout=2)

    def action_bury(self) -> None:
        if self.session is None or self.card is None:
            return
        self.session.bury()
        self.save_ratings(self.session)
        self.notify("Buried until tomorrow (ctrl+z to undo)", timeout=3)
        self.show_next()

    def action_suspend(self) -> None:
        if self.session is None or self.card is None:
            return
        self.session.suspend()
        self.save_ratings(self.session)
        self.notify(
            "Suspended (ctrl+z to undo; `studytui decks unsuspend` brings cards back)", timeout=4
        )
        self.show_next()

    def action_edit(self) -> None:
        card = self.card
        if card is None:
            return
        title = f"Edit card · {card.deck_title} (its review history is kept)"
        self.app.push_screen(EditCardScreen(title, card.front, card.back), self._edited)

    def _edited(self, result: CardText | None) -> None:
        card = self.card
        if result is None or card is None or self.session is None:
            return
        self.session.replace_text(card.id, result.front, result.back)
        self.card = self.session.current
        self.save_edit(card.id, result)
        self.render_card()

    def action_add(self) -> None:
        self.load_deck_choices("add")

    def _card_added(self, result: NewCard | None) -> None:
        if result is not None:
            self.save_new_card(result)

    def action_filter(self) -> None:
        self.load_deck_choices("filter")

    def _filter_chosen(self, result: ReviewFilter | None) -> None:
        if result is None:
            return
        self.filter = result
        self.load()

    def action_reload(self) -> None:
        self.load()


def _day_label(day: Any, cal: Any, screen: ReviewScreen) -> str:
    today = screen.services.ctx.today()
    if day <= today:
        return "today"
    if day == today + timedelta(days=1):
        return f"tomorrow ({day:%a %d %b})"
    return f"{day:%a %d %b %Y}"
