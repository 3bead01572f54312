"""What the review screen shows and the queries that find it: filters, card views, counts.

Plain values shared by the queue, the session, the rating writer and the summary.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, func, literal_column, or_, select
from sqlalchemy.orm import Session

from studytui.core.decks.cards import PROMPTS
from studytui.core.errors import ConflictError
from studytui.core.scheduling import CardState, Status
from studytui.core.storage.models import Card, Deck, DeckInclude, ReviewLog

LEARN_AHEAD = timedelta(minutes=20)
MAX_ANSWER_MS = 60_000
MAX_CARD_TEXT = 20_000


@dataclass(frozen=True)
class ReviewFilter:
    """Which cards to review: one deck, one topic, the topics of a roadmap week, or everything."""

    deck: str | None = None
    topic: str | None = None
    week: int | None = None
    this_week: bool = False
    # Custom study (Anki's filtered decks): the cards a search matches, or these cards, whatever
    # their due dates; answers change no schedule unless ``reschedule`` (``custom.py``).
    search: str | None = None
    cards: tuple[int, ...] | None = None
    reschedule: bool = False
    custom_label: str | None = None

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> ReviewFilter:
        week = options.get("week")
        return cls(
            deck=options.get("deck"),
            topic=options.get("topic"),
            week=week if isinstance(week, int) else None,
            this_week=week == "current" or bool(options.get("this_week")),
            search=options.get("search"),
            reschedule=bool(options.get("reschedule")),
        )

    @property
    def is_custom(self) -> bool:
        return self.search is not None or self.cards is not None

    @property
    def is_all(self) -> bool:
        return (
            self.deck is None
            and self.topic is None
            and self.week is None
            and not self.this_week
            and not self.is_custom
        )


@dataclass(frozen=True)
class CardView:
    """A card as the review screen shows it."""

    id: int
    deck: str
    deck_title: str
    topic_id: str | None
    key: str
    kind: str
    front: str
    back: str
    tags: tuple[str, ...]
    origin: str
    state: CardState
    edited: bool = False
    reps: int = 0  # earlier reviews: with the id, the seed of the card's fuzz (as in Anki)
    lapses: int = 0  # Again ratings while in review (leeches)

    @property
    def prompt(self) -> str | None:
        return PROMPTS.get(self.kind)

    @property
    def status(self) -> Status:
        return self.state.status


@dataclass(frozen=True)
class QueueCounts:
    new: int
    learning: int
    review: int
    # False while the session shows the queue's head: new and review are then what it holds so
    # far, not the day's counts.
    complete: bool = True

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


@dataclass(frozen=True)
class ReviewSummary:
    """What the screen shows when the queue is empty (today, within the filter)."""

    label: str
    reviewed: int
    seconds: float
    again: int
    next_learning: datetime | None
    next_review_day: date | None
    new_waiting: int
    limited: bool
    # The limit that keeps them waiting, for the screen: "20 new cards a day", or a deck's own
    # ("2 new cards a day in deck calculus, preset maths").
    limit_label: str = ""

    @property
    def again_rate(self) -> float | None:
        return self.again / self.reviewed if self.reviewed else None


@dataclass(frozen=True)
class DeckChoice:
    name: str
    title: str
    topic_id: str | None
    cards: int


def put_state(card: Card, state: CardState) -> None:
    card.state = int(state.status)
    card.step = state.step
    card.stability = state.stability
    card.difficulty = state.difficulty
    card.due = state.due
    card.last_review = state.last_review


def state_of(card: Card) -> CardState:
    return CardState(
        status=Status(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )


def card_view(card: Card, deck: Deck) -> CardView:
    return CardView(
        id=card.id,
        deck=deck.name,
        deck_title=deck.title,
        topic_id=deck.topic_id,
        key=card.key,
        kind=card.kind,
        front=card.front,
        back=card.back,
        tags=tuple(card.tags.split()),
        origin=card.origin,
        state=state_of(card),
        edited=card.edited_at is not None,
    )


def active_clause(today: date | ColumnElement[date]) -> Any:
    """Cards that can be shown today: not retired, suspended or buried.

    ``suspended = 0`` is written as a literal so that SQLite can use the partial index
    ``ix_card_queue`` (a bound parameter would not prove the index's condition).
    """
    return and_(
        Card.retired_at.is_(None),
        Card.suspended == literal_column("0"),
        or_(Card.buried_until.is_(None), Card.buried_until <= today),
    )


# Columns a card view needs, selected as plain rows (much faster than ORM objects).
# A card's review count, for the queue's few hundred rows (the review log's card index).
_REPS = (
    select(func.count(ReviewLog.id))
    .where(ReviewLog.card_id == Card.id)
    .correlate(Card)
    .scalar_subquery()
    .label("reps")
)
# Its lapses (Again on a card in review; the partial index ix_review_log_lapse): the session
# knows at once that a lapse makes a card a leech, as Anki does, before the write says so.
_LAPSES = (
    select(func.count(ReviewLog.id))
    .where(ReviewLog.card_id == Card.id, ReviewLog.state_before == 2, ReviewLog.rating == 1)
    .correlate(Card)
    .scalar_subquery()
    .label("lapses")
)
CARD_COLUMNS = (
    Card.id, Card.deck_id, Card.key, Card.kind, Card.front, Card.back, Card.tags, Card.origin,
    Card.state, Card.step, Card.stability, Card.difficulty, Card.due, Card.last_review,
    Card.edited_at, _REPS, _LAPSES,
)  # fmt: skip


def row_view(row: Any, deck: tuple[str, str, str | None]) -> CardView:
    return CardView(
        id=row[0],
        deck=deck[0],
        deck_title=deck[1],
        topic_id=deck[2],
        key=row[2],
        kind=row[3],
        front=row[4],
        back=row[5],
        tags=tuple(row[6].split()),
        origin=row[7],
        state=CardState(Status(row[8]), row[9], row[10], row[11], row[12], row[13]),
        edited=row[14] is not None,
        reps=int(row[15]),
        lapses=int(row[16]),
    )


_Q = TypeVar("_Q", bound=Select[*tuple[Any, ...]])


def deck_members(ids: Iterable[int]) -> ColumnElement[bool]:
    """Cards of these decks: their own and the ones they include from another deck."""
    wanted = list(ids)
    included = select(DeckInclude.card_id).where(DeckInclude.deck_id.in_(wanted))
    return or_(Card.deck_id.in_(wanted), Card.id.in_(included))


def deck_labels(s: Session) -> dict[int, tuple[str, str, str | None]]:
    """deck id → (name, title, topic): an included card is shown with its home deck's."""
    rows = s.execute(select(Deck.id, Deck.name, Deck.title, Deck.topic_id))
    return {deck_id: (name, title, topic) for deck_id, name, title, topic in rows}


def in_decks(q: _Q, ids: Iterable[int], flt: ReviewFilter) -> _Q:
    """Restrict a card query to the filter's decks (no condition when the filter is everything)."""
    if flt.is_all:
        return q
    return q.where(deck_members(ids))


def check_text(front: str, back: str) -> tuple[str, str]:
    front, back = front.strip(), back.strip()
    if not front or not back:
        raise ConflictError("a card needs both a front and a back")
    if len(front) > MAX_CARD_TEXT or len(back) > MAX_CARD_TEXT:
        raise ConflictError(f"card text is limited to {MAX_CARD_TEXT} characters")
    return front, back
