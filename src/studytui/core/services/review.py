"""Reviewing flashcards: the day's queue, rating, undo, bury, suspend, edit, add, summary.

A ``ReviewSession`` keeps the queue in memory, so the next card is known the moment a card is rated.
Each change it makes is also queued as a database operation; ``flush()`` writes them in order, each
in one transaction (a rating writes the new card state and its review log together). The UI calls
``flush()`` from a thread worker, so rating never waits on the disk.

Daily limits (``review.new_cards_per_day``, ``review.reviews_per_day``) count the study day's
review logs: a card rated for the first time counts as new, a rating of a card in the Review state
as a review. New cards come in roadmap order: this week's topics first, then earlier weeks (the most
recent first), then later weeks, then topics outside the roadmap; within a deck in file order. Two
cards made from the same concept, statement or card (siblings) are not both introduced on one day.
"""

from __future__ import annotations

import functools
import json
import threading
import uuid
from bisect import insort
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any, Protocol, TypeVar

from sqlalchemy import ColumnElement, Select, and_, func, literal_column, or_, select
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import Session

from studytui.core.context import AppContext
from studytui.core.decks.cards import KIND_BASIC, KIND_BASIC_REV, PROMPTS, sibling_group
from studytui.core.decks.sync import ORIGIN_USER
from studytui.core.errors import ConflictError, NotFoundError, StudyError
from studytui.core.scheduling import (
    CardState,
    Outcome,
    Rating,
    ReviewScheduler,
    Status,
    format_interval,
)
from studytui.core.storage.models import Card, Deck, ReviewLog, SchedulerParams
from studytui.core.studyday import roadmap_week

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

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> ReviewFilter:
        week = options.get("week")
        return cls(
            deck=options.get("deck"),
            topic=options.get("topic"),
            week=week if isinstance(week, int) else None,
            this_week=week == "current" or bool(options.get("this_week")),
        )

    @property
    def is_all(self) -> bool:
        return not (self.deck or self.topic or self.week is not None or self.this_week)


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

    @property
    def again_rate(self) -> float | None:
        return self.again / self.reviewed if self.reviewed else None


@dataclass(frozen=True)
class DeckChoice:
    name: str
    title: str
    topic_id: str | None
    cards: int


# -- database operations queued by a session ---------------------------------------------------


class _Op(Protocol):
    def run(self, s: Session) -> None: ...


# A rating's two writes as SQL text on the DB-API cursor: SQLAlchemy's per-statement work was
# most of a rating's cost (bench/, rate + next card + commit: ORM objects ~1.2 ms, prebuilt Core
# statements ~0.5 ms, this ~0.3 ms). Times are stored exactly as the models' column type does.
_SET_STATE_SQL = (
    "UPDATE card SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?, "
    "last_review = ? WHERE id = ?"
)
_ADD_LOG_SQL = (
    "INSERT INTO review_log (card_id, rating, reviewed_at, duration_ms, state_before, "
    "state_after, card_before, due_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


@functools.lru_cache(maxsize=4)
def _time_binder(dialect: Dialect) -> Callable[[datetime | None], Any]:
    """How a UTCDateTime column turns an aware datetime into what the driver stores."""
    bind = Card.__table__.c.due.type.dialect_impl(dialect).bind_processor(dialect)
    return bind if bind is not None else (lambda value: value)


@dataclass
class _RateOp:
    card_id: int
    outcome: Outcome
    duration_ms: int
    log_id: int | None = None

    def run(self, s: Session) -> None:
        self.write(s.connection())

    def write(self, conn: Connection) -> None:
        """The card's new state and its log (``flush`` runs it on a connection, no session)."""
        before, after = self.outcome.before, self.outcome.after
        stored = _time_binder(conn.dialect)
        cursor = conn.connection.cursor()
        try:
            cursor.execute(
                _SET_STATE_SQL,
                (int(after.status), after.step, after.stability, after.difficulty,
                 stored(after.due), stored(after.last_review), self.card_id),
            )  # fmt: skip
            if not cursor.rowcount:
                raise NotFoundError(f"card {self.card_id} no longer exists")
            cursor.execute(
                _ADD_LOG_SQL,
                (self.card_id, int(self.outcome.rating), stored(self.outcome.reviewed_at),
                 self.duration_ms, int(before.status), int(after.status), before.to_json(),
                 stored(after.due)),
            )  # fmt: skip
            self.log_id = cursor.lastrowid
        finally:
            cursor.close()


@dataclass
class _UndoRateOp:
    rate: _RateOp

    def run(self, s: Session) -> None:
        if self.rate.log_id is None:
            return
        log = s.get(ReviewLog, self.rate.log_id)
        card = s.get(Card, self.rate.card_id)
        if card is not None:
            before = CardState.from_json(log.card_before) if log else self.rate.outcome.before
            _put_state(card, before)
        if log is not None:
            s.delete(log)


@dataclass
class _FlagOp:
    """Bury or suspend a card, or undo that."""

    card_id: int
    bury: bool = False
    buried_until: date | None = None
    suspended: bool | None = None

    def run(self, s: Session) -> None:
        card = s.get(Card, self.card_id)
        if card is None:
            return
        if self.bury:
            card.buried_until = self.buried_until
        if self.suspended is not None:
            card.suspended = self.suspended


def _put_state(card: Card, state: CardState) -> None:
    card.state = int(state.status)
    card.step = state.step
    card.stability = state.stability
    card.difficulty = state.difficulty
    card.due = state.due
    card.last_review = state.last_review


def _state_of(card: Card) -> CardState:
    return CardState(
        status=Status(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )


def _view(card: Card, deck: Deck) -> CardView:
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
        state=_state_of(card),
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
_CARD_COLUMNS = (
    Card.id, Card.deck_id, Card.key, Card.kind, Card.front, Card.back, Card.tags, Card.origin,
    Card.state, Card.step, Card.stability, Card.difficulty, Card.due, Card.last_review,
    Card.edited_at,
)  # fmt: skip


def _row_view(row: Any, deck: tuple[str, str, str | None]) -> CardView:
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
    )


# -- the session --------------------------------------------------------------------------------


@dataclass
class _Undo:
    kind: str  # "rate" | "bury" | "suspend"
    card: CardView
    source: str  # queue the card came from: "new" | "review" | "learning"
    op: Any
    previous_buried: date | None = None


@dataclass
class ReviewSession:
    """One sitting of reviews: the queue in memory and the writes still to make."""

    service: ReviewService
    filter: ReviewFilter
    label: str
    scheduler: ReviewScheduler
    day: date
    day_end: datetime
    new: deque[CardView]
    review: deque[CardView]
    learning: list[tuple[datetime, int, CardView]]
    new_limited: bool = False
    review_limited: bool = False
    current: CardView | None = None
    current_source: str | None = None
    shown_at: datetime | None = None
    reviewed: int = 0
    again: int = 0
    answer_ms: int = 0
    _undo: list[_Undo] = field(default_factory=list)
    _pending: deque[_Op] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _since_new: int = 0

    @property
    def clock_now(self) -> datetime:
        return self.service.ctx.clock.now()

    # -- what is shown ---------------------------------------------------------------------

    def counts(self) -> QueueCounts:
        """Cards left today, the current one included."""
        extra = {"new": 0, "review": 0, "learning": 0}
        if self.current is not None and self.current_source is not None:
            extra[self.current_source] += 1
        return QueueCounts(
            new=len(self.new) + extra["new"],
            learning=len(self.learning) + extra["learning"],
            review=len(self.review) + extra["review"],
        )

    def next_card(self) -> CardView | None:
        """The card to show now (the same one until it is rated), or None when done for now."""
        if self.current is not None:
            return self.current
        picked = self._pick(self.clock_now)
        if picked is None:
            return None
        self.current, self.current_source = picked
        self.shown_at = self.clock_now
        return self.current

    def next_learning_due(self) -> datetime | None:
        return self.learning[0][0] if self.learning else None

    def _pick(self, now: datetime) -> tuple[CardView, str] | None:
        if self.learning and self.learning[0][0] <= now:
            return self.learning.pop(0)[2], "learning"
        if self.new and self.review:
            # Spread new cards evenly among the reviews.
            every = max(1, round(len(self.review) / len(self.new)))
            take_new = self._since_new >= every
        else:
            take_new = bool(self.new)
        if take_new:
            self._since_new = 0
            return self.new.popleft(), "new"
        if self.review:
            self._since_new += 1
            return self.review.popleft(), "review"
        if self.learning and self.learning[0][0] <= now + LEARN_AHEAD:
            return self.learning.pop(0)[2], "learning"
        return None

    def previews(self) -> dict[Rating, str]:
        """The next interval of each rating for the current card, as the buttons show it."""
        if self.current is None:
            return {}
        outcomes = self.scheduler.preview(self.current.id, self.current.state, self.clock_now)
        return {r: format_interval(o.interval) for r, o in outcomes.items()}

    # -- actions -----------------------------------------------------------------------------

    def rate(self, rating: Rating | int) -> Outcome:
        """Rate the current card; the write is queued (call ``flush``)."""
        card = self._require_current()
        now = self.clock_now
        outcome = self.scheduler.review(card.id, card.state, rating, now)
        shown = self.shown_at or now
        duration = int(min(max((now - shown).total_seconds() * 1000, 0), MAX_ANSWER_MS))
        op = _RateOp(card.id, outcome, duration)
        self._pending.append(op)
        self._undo.append(_Undo("rate", card, self.current_source or "review", op))
        after = replace(card, state=outcome.after)
        if outcome.after.status in (Status.LEARNING, Status.RELEARNING):
            due = outcome.after.due
            if due is not None and due < self.day_end:
                insort(self.learning, (due, card.id, after), key=lambda t: (t[0], t[1]))
        self.reviewed += 1
        self.again += outcome.rating == Rating.Again
        self.answer_ms += duration
        self._clear_current()
        return outcome

    def bury(self) -> CardView:
        """Hide the current card until the next study day."""
        card = self._require_current()
        until = self.day + timedelta(days=1)
        op = _FlagOp(card.id, bury=True, buried_until=until)
        self._pending.append(op)
        self._undo.append(_Undo("bury", card, self.current_source or "review", op, None))
        self._clear_current()
        return card

    def suspend(self) -> CardView:
        """Take the current card out of reviews until it is unsuspended (or the action undone)."""
        card = self._require_current()
        op = _FlagOp(card.id, suspended=True)
        self._pending.append(op)
        self._undo.append(_Undo("suspend", card, self.current_source or "review", op))
        self._clear_current()
        return card

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self) -> _Undo | None:
        """Take back the last rating, bury or suspend; its card becomes the current card again."""
        if not self._undo:
            return None
        last = self._undo.pop()
        if self.current is not None and self.current_source is not None:
            self._put_back(self.current, self.current_source)
        if last.kind == "rate":
            self.learning = [t for t in self.learning if t[1] != last.card.id]
            self._pending.append(_UndoRateOp(last.op))
            self.reviewed -= 1
            self.again -= last.op.outcome.rating == Rating.Again
            self.answer_ms -= last.op.duration_ms
        elif last.kind == "bury":
            self._pending.append(
                _FlagOp(last.card.id, bury=True, buried_until=last.previous_buried)
            )
        else:
            self._pending.append(_FlagOp(last.card.id, suspended=False))
        self.current, self.current_source = last.card, last.source
        self.shown_at = self.clock_now
        return last

    def replace_text(self, card_id: int, front: str, back: str) -> None:
        """Show an edited card's new text (the edit itself is saved by ``ReviewService.edit``)."""
        if self.current is not None and self.current.id == card_id:
            self.current = replace(self.current, front=front, back=back, edited=True)

    # -- writing ------------------------------------------------------------------------------

    @property
    def pending(self) -> int:
        return len(self._pending)

    def flush(self) -> int:
        """Write the queued changes in order, one transaction each; safe from any thread."""
        done = 0
        with self._lock:
            while self._pending:
                op = self._pending[0]
                if isinstance(op, _RateOp):  # the hot path: no ORM session needed
                    with self.service.ctx.db.write_statements() as conn:
                        op.write(conn)
                else:
                    with self.service.ctx.db.write() as s:
                        op.run(s)
                self._pending.popleft()
                done += 1
        return done

    # -- helpers ----------------------------------------------------------------------------

    def _require_current(self) -> CardView:
        if self.current is None:
            raise ConflictError("no card is being reviewed")
        return self.current

    def _clear_current(self) -> None:
        self.current = None
        self.current_source = None
        self.shown_at = None

    def _put_back(self, card: CardView, source: str) -> None:
        if source == "new":
            self.new.appendleft(card)
        elif source == "review":
            self.review.appendleft(card)
        else:
            due = card.state.due or self.clock_now
            insort(self.learning, (due, card.id, card), key=lambda t: (t[0], t[1]))


# -- the service ---------------------------------------------------------------------------------


class ReviewService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # -- scheduler ---------------------------------------------------------------------------

    def parameters(self) -> tuple[float, ...] | None:
        """The FSRS parameters fitted by ``studytui decks optimize``, or None for the defaults."""
        with self.ctx.db.read() as s:
            text = s.scalar(
                select(SchedulerParams.parameters).order_by(SchedulerParams.id.desc()).limit(1)
            )
        return tuple(json.loads(text)) if text is not None else None

    def scheduler(self) -> ReviewScheduler:
        return ReviewScheduler(self.ctx.settings.review, self.ctx.calendar, self.parameters())

    # -- filters -----------------------------------------------------------------------------

    def week_topics(self, week: int | None) -> tuple[int, list[str]]:
        cur = self.ctx.curriculum()
        n = week if week is not None else self._current_week()
        plan = cur.plan(n)
        if plan is None:
            raise NotFoundError(
                f"week {n} is not in '{cur.id}' (weeks {cur.first_week} to {cur.last_week})"
            )
        return n, [t.id for t in plan.topics]

    def _current_week(self) -> int:
        cur = self.ctx.curriculum()
        return cur.clamp_week(roadmap_week(self.ctx.start_date(), cur.first_week, self.ctx.today()))

    def resolve(self, s: Session, flt: ReviewFilter) -> tuple[list[Deck], str]:
        """The decks a filter selects and a label for it."""
        decks = list(s.scalars(select(Deck).order_by(Deck.name)))
        if flt.deck:
            chosen = [d for d in decks if d.name == flt.deck]
            if not chosen:
                raise NotFoundError(f"no deck '{flt.deck}' (see `studytui decks list`)")
            return chosen, f"deck {chosen[0].title}"
        if flt.topic:
            chosen = [d for d in decks if d.topic_id == flt.topic]
            if not chosen:
                raise NotFoundError(f"no deck for topic '{flt.topic}' (see `studytui decks list`)")
            return chosen, f"topic {chosen[0].title}"
        if flt.week is not None or flt.this_week:
            n, topics = self.week_topics(flt.week)
            wanted = set(topics)
            label = f"week {n} topics" if flt.week is not None else f"this week's topics (week {n})"
            return [d for d in decks if d.topic_id in wanted], label
        return decks, "all decks"

    def deck_choices(self) -> list[DeckChoice]:
        with self.ctx.db.read() as s:
            rows = s.execute(
                select(Deck.name, Deck.title, Deck.topic_id, func.count(Card.id))
                .join(Card, and_(Card.deck_id == Deck.id, Card.retired_at.is_(None)), isouter=True)
                .group_by(Deck.id)
                .order_by(Deck.name)
            ).all()
        return [DeckChoice(n, t, tid, c) for n, t, tid, c in rows]

    # -- the queue ---------------------------------------------------------------------------

    def roadmap_rank(self) -> dict[str, tuple[int, int]]:
        """Order of topics for new cards: this week, then earlier weeks, later weeks, the rest."""
        try:
            cur = self.ctx.curriculum()
        except StudyError:
            return {}
        week = roadmap_week(self.ctx.start_date(), cur.first_week, self.ctx.today())
        weeks: dict[str, set[int]] = {}
        for phase in cur.phases:
            for entry in phase.weeks:
                for tid in entry.topics:
                    weeks.setdefault(tid, set()).update(entry.span.weeks)
        rank: dict[str, tuple[int, int]] = {}
        for tid, ws in weeks.items():
            if week in ws:
                rank[tid] = (0, 0)
            elif past := [w for w in ws if w < week]:
                rank[tid] = (1, week - max(past))
            else:
                rank[tid] = (2, min(ws) - week)
        return rank

    def start(self, flt: ReviewFilter | None = None) -> ReviewSession:
        """Load today's queue for a filter."""
        flt = flt or ReviewFilter()
        cal = self.ctx.calendar
        now = self.ctx.clock.now()
        today = cal.day_of(now)
        day_start, day_end = cal.day_bounds(today)
        settings = self.ctx.settings.review
        scheduler = self.scheduler()
        with self.ctx.db.read() as s:
            decks, label = self.resolve(s, flt)
            by_id = {d.id: (d.name, d.title, d.topic_id) for d in decks}
            ids = list(by_id)
            done = self._done_today(s, day_start, day_end)
            new_left = max(0, settings.new_cards_per_day - done.get(int(Status.NEW), 0))
            review_left = max(0, settings.reviews_per_day - done.get(int(Status.REVIEW), 0))
            active = active_clause(today)
            learning_rows = s.execute(
                _in_decks(
                    select(*_CARD_COLUMNS).where(
                        Card.state.in_((int(Status.LEARNING), int(Status.RELEARNING))),
                        Card.due < day_end,
                        active,
                    ),
                    ids,
                    flt,
                ).order_by(Card.due, Card.id)
            ).all()
            review_q = _in_decks(
                select(*_CARD_COLUMNS).where(
                    Card.state == int(Status.REVIEW), Card.due < day_end, active
                ),
                ids,
                flt,
            ).order_by(Card.due, Card.id)
            review_rows = s.execute(review_q.limit(review_left + 1)).all()
            review_limited = len(review_rows) > review_left
            new_rows, new_limited = self._new_cards(s, decks, new_left, today, day_start)
            learning = [
                (r.due, r.id, _row_view(r, by_id[r.deck_id])) for r in learning_rows if r.due
            ]
            review = deque(_row_view(r, by_id[r.deck_id]) for r in review_rows[:review_left])
            new = deque(_row_view(r, by_id[r.deck_id]) for r in new_rows)
        return ReviewSession(
            service=self,
            filter=flt,
            label=label,
            scheduler=scheduler,
            day=today,
            day_end=day_end,
            new=new,
            review=review,
            learning=learning,
            new_limited=new_limited,
            review_limited=review_limited,
        )

    def _done_today(self, s: Session, start: datetime, end: datetime) -> dict[int, int]:
        rows = s.execute(
            select(ReviewLog.state_before, func.count())
            .where(ReviewLog.reviewed_at >= start, ReviewLog.reviewed_at < end)
            .group_by(ReviewLog.state_before)
        ).all()
        return {int(state): int(n) for state, n in rows}

    def _new_cards(
        self, s: Session, decks: Sequence[Deck], limit: int, today: date, day_start: datetime
    ) -> tuple[list[Any], bool]:
        """Up to ``limit`` new cards in roadmap order, one per sibling group a day."""
        if not decks:
            return [], False
        rank = self.roadmap_rank()
        far = (3, 0)
        ordered = sorted(decks, key=lambda d: (rank.get(d.topic_id or "", far), d.name))
        deck_ids = [d.id for d in decks]
        # Driven by today's review logs (few), never by the decks' cards (many).
        wanted = set(deck_ids)
        reviewed_today = select(ReviewLog.card_id).where(ReviewLog.reviewed_at >= day_start)
        seen_today: set[tuple[int, str]] = {
            (deck_id, sibling_group(key))
            for deck_id, key in s.execute(
                select(Card.deck_id, Card.key).where(Card.id.in_(reviewed_today))
            )
            if deck_id in wanted
        }
        has_new = {
            deck_id
            for (deck_id,) in s.execute(
                select(Card.deck_id)
                .where(Card.state == int(Status.NEW), active_clause(today))
                .where(Card.deck_id.in_(deck_ids))
                .group_by(Card.deck_id)
            )
        }
        out: list[Any] = []
        active = active_clause(today)
        for deck in ordered:
            if deck.id not in has_new:
                continue
            if len(out) >= limit:
                return out, True
            rows = s.execute(
                select(*_CARD_COLUMNS)
                .where(Card.deck_id == deck.id, Card.state == int(Status.NEW), active)
                .order_by(Card.position, Card.id)
            )
            for card in rows:
                group = (card.deck_id, sibling_group(card.key))
                if group in seen_today:
                    continue
                if len(out) >= limit:
                    return out, True
                seen_today.add(group)
                out.append(card)
        return out, False

    # -- summary ----------------------------------------------------------------------------

    def summary(self, flt: ReviewFilter | None = None) -> ReviewSummary:
        flt = flt or ReviewFilter()
        cal = self.ctx.calendar
        now = self.ctx.clock.now()
        today = cal.day_of(now)
        day_start, day_end = cal.day_bounds(today)
        settings = self.ctx.settings.review
        with self.ctx.db.read() as s:
            decks, label = self.resolve(s, flt)
            ids = [d.id for d in decks]
            row = s.execute(
                _in_decks(
                    select(
                        func.count(ReviewLog.id),
                        func.coalesce(func.sum(ReviewLog.duration_ms), 0),
                        func.coalesce(func.sum(ReviewLog.rating == int(Rating.Again)), 0),
                    )
                    .join(Card, Card.id == ReviewLog.card_id)
                    .where(ReviewLog.reviewed_at >= day_start, ReviewLog.reviewed_at < day_end),
                    ids,
                    flt,
                )
            ).one()
            active = active_clause(today)
            next_learning = s.scalar(
                _in_decks(
                    select(func.min(Card.due)).where(
                        Card.state.in_((int(Status.LEARNING), int(Status.RELEARNING))), active
                    ),
                    ids,
                    flt,
                )
            )
            next_review = s.scalar(
                _in_decks(
                    select(func.min(Card.due)).where(
                        Card.state == int(Status.REVIEW), Card.due >= day_end, active
                    ),
                    ids,
                    flt,
                )
            )
            new_waiting = s.scalar(
                _in_decks(
                    select(func.count(Card.id)).where(Card.state == int(Status.NEW), active),
                    ids,
                    flt,
                )
            )
            done = self._done_today(s, day_start, day_end)
        limited = done.get(int(Status.NEW), 0) >= settings.new_cards_per_day and bool(new_waiting)
        return ReviewSummary(
            label=label,
            reviewed=int(row[0] or 0),
            seconds=int(row[1] or 0) / 1000,
            again=int(row[2] or 0),
            next_learning=next_learning,
            next_review_day=cal.day_of(next_review) if next_review is not None else None,
            new_waiting=int(new_waiting or 0),
            limited=limited,
        )

    # -- editing -----------------------------------------------------------------------------

    def edit(self, card_id: int, front: str, back: str) -> CardView:
        """Change a card's text; it keeps its id, state and review history."""
        front, back = _check_text(front, back)
        with self.ctx.db.write() as s:
            card = s.get(Card, card_id)
            if card is None:
                raise NotFoundError(f"card {card_id} does not exist")
            card.front, card.back = front, back
            card.edited_at = self.ctx.clock.now()
            deck = s.get_one(Deck, card.deck_id)
            return _view(card, deck)

    def add(self, deck_name: str, front: str, back: str, reverse: bool = False) -> list[CardView]:
        """Add a card (and its reverse) to a deck; such cards are never retired by a sync."""
        front, back = _check_text(front, back)
        now = self.ctx.clock.now()
        key = f"user:{uuid.uuid4().hex[:12]}"
        with self.ctx.db.write() as s:
            deck = s.scalar(select(Deck).where(Deck.name == deck_name))
            if deck is None:
                raise NotFoundError(f"no deck '{deck_name}' (see `studytui decks list`)")
            top = s.scalar(select(func.max(Card.position)).where(Card.deck_id == deck.id))
            position = (top if top is not None else -1) + 1
            made = [(key, KIND_BASIC, front, back)]
            if reverse:
                made.append((f"{key}:rev", KIND_BASIC_REV, back, front))
            cards = []
            for i, (k, kind, f, b) in enumerate(made):
                card = Card(
                    deck_id=deck.id, key=k, kind=kind, front=f, back=b, tags="",
                    position=position + i, origin=ORIGIN_USER, state=0, suspended=False,
                    created_at=now,
                )  # fmt: skip
                s.add(card)
                cards.append(card)
            s.flush()
            return [_view(c, deck) for c in cards]

    def card(self, card_id: int) -> CardView:
        with self.ctx.db.read() as s:
            card = s.get(Card, card_id)
            if card is None:
                raise NotFoundError(f"card {card_id} does not exist")
            return _view(card, s.get_one(Deck, card.deck_id))

    def history(self, card_id: int) -> list[tuple[datetime, int]]:
        with self.ctx.db.read() as s:
            rows = s.execute(
                select(ReviewLog.reviewed_at, ReviewLog.rating)
                .where(ReviewLog.card_id == card_id)
                .order_by(ReviewLog.reviewed_at, ReviewLog.id)
            ).all()
        return [(at, int(r)) for at, r in rows]

    def unsuspend(self, deck_name: str | None = None) -> int:
        """Return suspended cards (of one deck, or all) to reviews; returns how many."""
        with self.ctx.db.write() as s:
            q = select(Card).where(Card.suspended == 1)
            if deck_name is not None:
                q = q.join(Deck, Deck.id == Card.deck_id).where(Deck.name == deck_name)
            cards = list(s.scalars(q))
            for card in cards:
                card.suspended = False
            return len(cards)


_Q = TypeVar("_Q", bound=Select[*tuple[Any, ...]])


def _in_decks(q: _Q, ids: Iterable[int], flt: ReviewFilter) -> _Q:
    """Restrict a card query to the filter's decks (no condition when the filter is everything)."""
    if flt.is_all:
        return q
    return q.where(Card.deck_id.in_(list(ids)))


def _check_text(front: str, back: str) -> tuple[str, str]:
    front, back = front.strip(), back.strip()
    if not front or not back:
        raise ConflictError("a card needs both a front and a back")
    if len(front) > MAX_CARD_TEXT or len(back) > MAX_CARD_TEXT:
        raise ConflictError(f"card text is limited to {MAX_CARD_TEXT} characters")
    return front, back
