"""Review: flashcards with Anki's keys.

Space or Enter shows the answer (and, on the answer side, rates Good); 1 Again, 2 Hard, 3 Good,
4 Easy (each button shows its next interval); ctrl+z or u undoes; - buries; @ suspends; e edits
the card. The queue lives in memory (``ReviewSession``): the next card shows at once, and the
rating is written by a thread worker. Card text is shown as plain text, never as markup.

Writing the ratings, and what the screen says while they cannot be written (a full disk, a
read-only folder), is the base class's job (``review_saving.py``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import Button, Header, Static

from studytui.core.errors import StudyError
from studytui.core.scheduling import Rating
from studytui.core.services.facade import Services
from studytui.core.services.review import (
    LEARN_AHEAD,
    CardView,
    ReviewFilter,
    ReviewSession,
    ReviewSummary,
)
from studytui.core.write_failure import reason
from studytui.ui.screens.review_editing import CardEditing
from studytui.ui.screens.review_messages import (
    DeckChoicesLoaded,
    OverviewLoaded,
    QueueCompleted,
    QueueFailed,
    QueueLoaded,
    QueueRestFailed,
    SavingFailed,
    SummaryLoaded,
)
from studytui.ui.screens.review_render import (
    card_body,
    card_meta,
    counts_text,
    summary_text,
    summary_title,
)
from studytui.ui.widgets.footer import Footer
from studytui.ui.workers import work

RATING_LABELS = {
    Rating.Again: "Again",
    Rating.Hard: "Hard",
    Rating.Good: "Good",
    Rating.Easy: "Easy",
}


# -- the screen ---------------------------------------------------------------------------------


UNDONE = {"rate": "the rating", "bury": "the bury", "suspend": "the suspension"}


class ReviewScreen(CardEditing):
    DEFAULT_CSS = """
    ReviewScreen #review-counts {
        height: 1;
        padding: 0 2;
        background: $boost;
    }
    ReviewScreen #review-unsaved {
        height: auto;
        padding: 0 2;
        background: $error;
        color: $text;
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
        # As in Anki: on the answer side, space or enter mean Good (the same keys, shown so).
        Binding("space,enter", "answer_good", "Good", id="review.good-space"),
        Binding("escape,q", "leave", "Dashboard", id="review.leave"),
        Binding("1", "rate(1)", "Again", id="review.again", show=False),
        Binding("2", "rate(2)", "Hard", id="review.hard", show=False),
        Binding("3", "rate(3)", "Good", id="review.good", show=False),
        Binding("4", "rate(4)", "Easy", id="review.easy", show=False),
        Binding("ctrl+z,u", "undo", "Undo", id="review.undo"),
        Binding("minus", "bury", "Bury", id="review.bury"),
        Binding("at", "suspend", "Suspend", id="review.suspend"),
        Binding("e", "edit", "Edit", id="review.edit"),
        Binding("a", "add", "Add card", id="review.add"),
        Binding("f", "filter", "Decks", id="review.filter"),
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
        yield Static("", id="review-unsaved", classes="hidden")
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
        self.set_focus(None)  # the keys are the screen's: a focused button would take enter
        self.load()  # RatingsScreen.on_mount registers it for the quit question

    def on_screen_resume(self) -> None:
        if self.session is not None and self.card is None:
            self.load()

    # -- workers ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="review-load")
    def load(self) -> None:
        old = self.session
        if old is not None and old.pending:
            try:
                old.flush()
            except StudyError as exc:  # keep the session and its queue: nothing is dropped
                self.post_message(SavingFailed(str(exc)))
                return
        try:
            self.services.decks.sync_once()
            session = self.services.review.start_head(self.filter)
        except Exception as exc:  # reported on screen, never a crash
            self.post_message(QueueFailed(reason(exc)))
            return
        if session.complete:
            self.post_message(QueueLoaded(session))
            return
        # The first card shows now; the whole queue is read meanwhile, with this session's
        # writes held so that it counts what the session started from (ReviewSession.adopt).
        with session.writes_held():
            self.post_message(QueueLoaded(session))
            try:
                whole = self.services.review.start(session.filter)
            except Exception as exc:
                self.post_message(QueueRestFailed(session, reason(exc)))
                return
        self.post_message(QueueCompleted(session, whole))

    @work(thread=True, exclusive=True, group="review-summary")
    def load_summary(self, session: ReviewSession) -> None:
        if session.pending:
            try:
                session.flush()
            except Exception as exc:  # the figures below then lack what is unsaved
                self.post_message(SavingFailed(reason(exc)))
        try:
            summary = self.services.review.summary(session.filter)
        except Exception as exc:
            self.post_message(QueueFailed(reason(exc)))
            return
        self.post_message(SummaryLoaded(summary))

    @work(thread=True, exclusive=True, group="review-decks")
    def load_deck_choices(self, purpose: str) -> None:
        """The deck overview (``f``) or the decks a card can be added to (``a``)."""
        try:
            if purpose == "filter":
                self.post_message(OverviewLoaded(self.services.deck_overview.overview()))
                return
            decks = self.services.review.deck_choices()
        except Exception as exc:
            self.post_message(QueueFailed(reason(exc)))
            return
        self.post_message(DeckChoicesLoaded(decks, purpose, None))

    # -- facts -----------------------------------------------------------------------------

    def on_queue_loaded(self, message: QueueLoaded) -> None:
        self.session = message.session
        self.sub_title = message.session.label
        self.card = None
        self.summary = None
        self.show_next()
        self.render_unsaved()

    def on_queue_completed(self, message: QueueCompleted) -> None:
        if message.session is not self.session:  # a reload replaced it meanwhile
            return
        message.session.adopt(message.whole)
        if self.card is None:
            self.show_next()
        else:
            self.render_counts()

    def on_queue_rest_failed(self, message: QueueRestFailed) -> None:
        if message.session is not self.session:
            return
        message.session.adopt_failed()
        self.notify(
            f"Could not load the rest of today's cards: {message.error} (r reloads)",
            severity="error",
            markup=False,
        )
        if self.card is None:
            self.show_next()
        else:
            self.render_counts()

    def on_queue_failed(self, message: QueueFailed) -> None:
        self.query_one("#review-meta", Static).update(Text("Could not load cards", style="bold"))
        self.query_one("#review-body", Static).update(Text(message.error))
        self.notify(message.error, severity="error", markup=False)

    def on_summary_loaded(self, message: SummaryLoaded) -> None:
        self.summary = message.summary
        if self.card is None:
            self.render_summary()

    def on_overview_loaded(self, message: OverviewLoaded) -> None:
        from studytui.ui.screens.deck_overview import DeckOverviewScreen

        self.app.push_screen(DeckOverviewScreen(message.overview), self._filter_chosen)

    # -- showing ---------------------------------------------------------------------------

    def show_next(self) -> None:
        if self._wake is not None:
            self._wake.stop()
            self._wake = None
        session = self.session
        self.card = session.next_card() if session is not None else None
        self.revealed = False
        self.render_counts()
        if self.card is None and session is not None and session.loading:
            self.query_one("#review-meta", Static).update(Text("Loading more cards…"))
            self.query_one("#review-body", Static).update("")
        elif self.card is None:
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
        self.query_one("#review-counts", Static).update(counts_text(self.session))

    def render_card(self) -> None:
        card = self.card
        if card is None:
            return
        self.query_one("#review-meta", Static).update(card_meta(card))
        self.query_one("#review-body", Static).update(card_body(card, self.revealed))
        self.query_one("#review-show", Button).set_class(self.revealed, "hidden")
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
        self.query_one("#review-meta", Static).update(summary_title(self.session))
        self.query_one("#review-body", Static).update(summary_text(self.summary, self.services))

    # -- actions ---------------------------------------------------------------------------

    @property
    def taken_digits(self) -> tuple[str, ...]:
        """While a card is shown, 1-4 are ratings; those area digits step aside (5, F2-F6 and
        escape still leave)."""
        return ("1", "2", "3", "4") if self.card is not None else ()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reveal":
            return self.card is not None and not self.revealed
        if action == "answer_good":
            return self.card is not None and self.revealed
        if action in ("rate", "bury", "suspend", "edit"):
            # Without a card, 1-4 are free for the app (they switch areas again).
            return self.card is not None
        if action == "undo":
            return self.session is not None and self.session.can_undo
        return super().check_action(action, parameters)

    def action_reveal(self) -> None:
        if self.card is None or self.revealed:
            return
        self.revealed = True
        self.render_card()
        self.refresh_bindings()

    def action_answer_good(self) -> None:
        self.action_rate(int(Rating.Good))

    def action_leave(self) -> None:
        """Escape or q: back to the dashboard (ratings are saved as they are given)."""
        self.app.switch_mode("dashboard")

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
        self.render_unsaved()
        self.refresh_bindings()
        what = UNDONE.get(undone.kind, undone.kind)
        self.notify(f"Undone: {what}; the card is back", timeout=2)

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

    def action_filter(self) -> None:
        self.load_deck_choices("filter")

    def _filter_chosen(self, result: ReviewFilter | None) -> None:
        if result is None:
            return
        self.filter = result
        self.load()

    def action_reload(self) -> None:
        self.load()
