"""The writing half of the review screen: ratings queued by the session, written by a worker,
and what the screen says while they cannot be written.

A rating that could not be written (a full disk, a read-only folder) stays queued in the session.
A line under the counts says how many are not saved and why; they are retried with the next
rating, every ``RETRY_SECONDS`` (a timer that posts ``RetrySaving``, so tests drive it with the
message) and on ctrl+s; leaving the screen says they are kept, and quitting asks before losing
them (``ui/unsaved.py``). Nothing on the way out raises.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from studytui.core.errors import StudyError
from studytui.core.services.review import ReviewSession
from studytui.core.write_failure import reason
from studytui.ui import unsaved
from studytui.ui.screens.review_messages import RatingsSaved, RetrySaving, SavingFailed
from studytui.ui.screens.review_render import unsaved_text
from studytui.ui.workers import work

# Seconds between tries to write ratings that could not be written.
RETRY_SECONDS = 30.0


class RatingsScreen(Screen[None]):
    """A screen with a ``ReviewSession`` whose writes it makes and whose failures it shows;
    the subclass composes a ``#review-unsaved`` Static for the line."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "retry_saving", "Save now", id="review.save"),
    ]

    session: ReviewSession | None = None
    _retry: Timer | None = None
    _discarded = False  # the user chose to quit without the unsaved ratings

    def __init__(self) -> None:
        super().__init__()
        self._after_save: list[Callable[[], None]] = []  # waiting for the next save attempt
        self._leeches_told: set[tuple[int, int]] = set()  # (card, lapses) announced

    def on_mount(self) -> None:
        unsaved.register(self.app, self)

    def on_screen_suspend(self) -> None:
        summary = self.unsaved_summary()
        if summary:
            self.app.notify(
                f"{summary} not saved yet: kept and retried; quitting asks first.",
                severity="warning",
                timeout=10,
                markup=False,
            )

    def on_unmount(self) -> None:
        unsaved.unregister(self.app, self)
        if self.session is not None and self.session.pending and not self._discarded:
            # A last try on the way out; what fails was offered in the quit question.
            with contextlib.suppress(StudyError):
                self.session.flush()

    def unsaved_summary(self) -> str | None:
        session = self.session
        if session is None or not session.pending:
            return None
        ratings = session.unsaved_ratings
        others = session.pending - ratings
        parts = [f"{ratings} rating{'s' if ratings != 1 else ''}"] if ratings else []
        if others:
            parts.append(f"{others} other review change{'s' if others != 1 else ''}")
        return " and ".join(parts)

    def unsaved_reason(self) -> str | None:
        return self.session.last_error if self.session is not None else None

    def retry_unsaved(self, then: Callable[[], None]) -> None:
        if self.session is None or not self.session.pending:
            then()
            return
        self._after_save.append(then)
        self.save_ratings(self.session)

    def discard_unsaved(self) -> None:
        self._discarded = True

    def render_unsaved(self) -> None:
        """Show or hide the not-saved line, and run the retry timer while it shows."""
        session = self.session
        line = self.query_one("#review-unsaved", Static)
        failing = session is not None and session.pending > 0 and session.last_error is not None
        line.set_class(not failing, "hidden")
        if session is not None and failing:
            ratings = session.unsaved_ratings
            others = session.pending - ratings
            line.update(unsaved_text(ratings, others, session.last_error, RETRY_SECONDS))
            if self._retry is None:
                self._retry = self.set_interval(
                    RETRY_SECONDS, lambda: self.post_message(RetrySaving()), name="review-retry"
                )
        elif self._retry is not None:
            self._retry.stop()
            self._retry = None
        self.refresh_bindings()

    def on_retry_saving(self, _message: RetrySaving) -> None:
        if self.session is not None and self.session.pending:
            self.save_ratings(self.session)

    def action_retry_saving(self) -> None:
        self.post_message(RetrySaving())

    @work(thread=True, group="review-write", doing="saving ratings")
    def save_ratings(self, session: ReviewSession) -> None:
        try:
            count = session.flush()
        except Exception as exc:  # flush keeps what failed queued
            self.post_message(SavingFailed(reason(exc)))
            return
        self.post_message(RatingsSaved(count))

    def _save_attempt_over(self) -> None:
        self.render_unsaved()
        waiting, self._after_save = self._after_save, []
        for then in waiting:
            then()

    def on_ratings_saved(self, _message: RatingsSaved) -> None:
        self._save_attempt_over()
        self._announce_leeches()

    def _announce_leeches(self) -> None:
        """Say once per leech that a card has become one (Anki's leech notice)."""
        session = self.session
        if session is None:
            return
        told = self._leeches_told
        for card_id, lapses, suspended in session.leeches:
            if (card_id, lapses) in told:
                continue
            told.add((card_id, lapses))
            action = "suspended" if suspended else "kept in review"
            self.notify(
                f"Card {card_id} is a leech: forgotten {lapses} times; {action}. Rewrite it "
                "(e) or split it; `studytui decks leeches` lists them all.",
                title="Leech",
                severity="warning",
                timeout=12,
                markup=False,
            )

    def on_saving_failed(self, message: SavingFailed) -> None:
        first = self._retry is None
        self._save_attempt_over()
        if first:  # the line stays; the toast says it once
            self.notify(
                f"Not saved: {message.error}. Kept and retried.",
                severity="error",
                timeout=10,
                markup=False,
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry_saving":
            return self.session is not None and self.session.last_error is not None
        return True
