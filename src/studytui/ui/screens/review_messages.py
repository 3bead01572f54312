"""Messages of the review screen: facts reported by its workers, and the retry request."""

from __future__ import annotations

from textual.message import Message

from studytui.core.services.deck_overview import DeckOverview
from studytui.core.services.review import CardView, DeckChoice, ReviewSession, ReviewSummary


class QueueLoaded(Message):
    def __init__(self, session: ReviewSession) -> None:
        super().__init__()
        self.session = session


class QueueCompleted(Message):
    """The whole queue, read while ``session`` showed its head (``ReviewSession.adopt``)."""

    def __init__(self, session: ReviewSession, whole: ReviewSession) -> None:
        super().__init__()
        self.session = session
        self.whole = whole


class QueueRestFailed(Message):
    """The rest of the queue could not be read: ``session`` keeps its head."""

    def __init__(self, session: ReviewSession, error: str) -> None:
        super().__init__()
        self.session = session
        self.error = error


class QueueFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class RatingsSaved(Message):
    """A flush wrote everything that was queued (``count`` changes)."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count


class SavingFailed(Message):
    """A flush stopped: the changes from the failed one on are still queued."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class RetrySaving(Message):
    """Time to try writing the queued changes again (posted by the retry timer)."""


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


class OverviewLoaded(Message):
    def __init__(self, overview: DeckOverview) -> None:
        super().__init__()
        self.overview = overview


class CardsAdded(Message):
    def __init__(self, cards: list[CardView]) -> None:
        super().__init__()
        self.cards = cards
