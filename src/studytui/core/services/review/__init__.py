"""Reviewing flashcards: the day's queue, rating, undo, bury, suspend, edit, add, summary.

Split by job: ``views`` (filters, card views, counts), ``queue`` (building the day's queue),
``session`` (one sitting in memory and its queued writes), ``writer`` (each write, computed from
the card's stored state), ``summary`` (the "done for now" figures), ``service`` (the use-cases).
The names below are the public ones, importable from here as before.
"""

from studytui.core.services.review.service import ReviewService
from studytui.core.services.review.session import ReviewSession, Undo
from studytui.core.services.review.views import (
    LEARN_AHEAD,
    MAX_ANSWER_MS,
    MAX_CARD_TEXT,
    CardView,
    DeckChoice,
    QueueCounts,
    ReviewFilter,
    ReviewSummary,
    active_clause,
)

__all__ = [
    "LEARN_AHEAD",
    "MAX_ANSWER_MS",
    "MAX_CARD_TEXT",
    "CardView",
    "DeckChoice",
    "QueueCounts",
    "ReviewFilter",
    "ReviewService",
    "ReviewSession",
    "ReviewSummary",
    "Undo",
    "active_clause",
]
