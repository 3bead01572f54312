"""Deck counts and review statistics, computed with SQL aggregates over index ranges.

Per-day figures are counted per study day (``day_rollover_hour`` in the user's zone) with one
range query per day between that day's UTC bounds, which keeps daylight-saving changes right and
reads only the covering indexes ``ix_card_queue`` and ``ix_review_log_time``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, bindparam, case, func, literal_column, select
from sqlalchemy.orm import Session

from studytui.core.context import AppContext
from studytui.core.scheduling import Rating, Status
from studytui.core.services.decks import DeckService
from studytui.core.services.review import active_clause
from studytui.core.storage.models import Card, Deck, ReviewLog

EMPTY_DECK_HINT = (
    "no cards yet: write {file} (see docs/decks.md), give the topic concepts in your curriculum, "
    "or add cards in the app (review screen, a)"
)


@dataclass(frozen=True)
class DeckRow:
    """One deck in ``studytui decks list``; ``new`` and ``due`` are within today's limits."""

    deck: str
    topic: str | None
    title: str
    cards: int
    new: int
    learning: int
    review: int
    suspended: int
    source: str | None

    @property
    def due(self) -> int:
        return self.learning + self.review


@dataclass(frozen=True)
class QueueCount:
    new: int
    learning: int
    review: int

    @property
    def due(self) -> int:
        return self.learning + self.review


@dataclass(frozen=True)
class DayCount:
    day: date
    reviews: int
    again: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class DeckRetention:
    deck: str
    title: str
    reviews: int
    passed: int

    @property
    def retention(self) -> float | None:
        return self.passed / self.reviews if self.reviews else None


@dataclass(frozen=True)
class StateCounts:
    new: int = 0
    learning: int = 0
    review: int = 0
    relearning: int = 0
    suspended: int = 0
    buried: int = 0
    retired: int = 0


@dataclass(frozen=True)
class ReviewStats:
    today: date
    due_today: int
    new_available: int
    forecast: tuple[DayCount, ...]
    per_day: tuple[DayCount, ...]
    retention: tuple[DeckRetention, ...]
    retention_all: DeckRetention
    retention_days: int
    desired_retention: float
    states: StateCounts


# The due-count queries, built once (building them per call cost more than running them on a
# small collection): range scans of the partial index ix_card_queue, counted per deck.
def _count_per_deck(*where: Any) -> Any:
    active = active_clause(bindparam("today", type_=Date))
    return select(Card.deck_id, func.count()).where(*where, active).group_by(Card.deck_id)


_NEW = _count_per_deck(Card.state == int(Status.NEW))
_LEARNING = _count_per_deck(
    Card.state.in_((int(Status.LEARNING), int(Status.RELEARNING))), Card.due <= bindparam("now")
)
_REVIEW = _count_per_deck(Card.state == int(Status.REVIEW), Card.due < bindparam("end"))
_DONE = (
    select(ReviewLog.state_before, func.count())
    .where(ReviewLog.reviewed_at >= bindparam("start"), ReviewLog.reviewed_at < bindparam("end"))
    .group_by(ReviewLog.state_before)
)
_DECK_NAMES = select(Deck.id, Deck.name)


class DeckStatsService:
    """Counts for lists, dashboards and the stats screen.

    Given the DeckService, every figure waits for this process's first deck sync, so a screen
    that asks while the start-up sync is running shows the synced numbers, not a half-loaded set.
    """

    def __init__(self, ctx: AppContext, decks: DeckService | None = None) -> None:
        self.ctx = ctx
        self.deck_service = decks

    def _synced(self) -> None:
        if self.deck_service is not None:
            self.deck_service.sync_once()

    def _limits_left(self, s: Session, start: datetime, end: datetime) -> tuple[int, int]:
        rows = dict(s.connection().execute(_DONE, {"start": start, "end": end}).all())
        settings = self.ctx.settings.review
        new_left = max(0, settings.new_cards_per_day - int(rows.get(int(Status.NEW), 0)))
        review_left = max(0, settings.reviews_per_day - int(rows.get(int(Status.REVIEW), 0)))
        return new_left, review_left

    def due_counts(self) -> dict[str, QueueCount]:
        """New, learning and review cards per deck name, within today's limits (few range scans)."""
        self._synced()
        with self.ctx.db.read() as s:
            names = dict(s.connection().execute(_DECK_NAMES).all())
            counts = self._due_counts(s)
        return {names[i]: c for i, c in counts.items() if i in names}

    def _due_counts(self, s: Session) -> dict[int, QueueCount]:
        cal = self.ctx.calendar
        now = self.ctx.clock.now()
        today = cal.day_of(now)
        start, end = cal.day_bounds(today)
        new_left, review_left = self._limits_left(s, start, end)
        conn = s.connection()
        params = {"today": today, "now": now, "end": end}

        def per_deck(q: Any) -> dict[int, int]:
            return {deck_id: int(n) for deck_id, n in conn.execute(q, params)}

        new, learning, review = per_deck(_NEW), per_deck(_LEARNING), per_deck(_REVIEW)
        return {
            deck_id: QueueCount(
                min(new.get(deck_id, 0), new_left),
                learning.get(deck_id, 0),
                min(review.get(deck_id, 0), review_left),
            )
            for deck_id in set(new) | set(learning) | set(review)
        }

    def decks(self) -> list[DeckRow]:
        """Every deck with its card counts: index-only queries, no scan of the card table."""
        self._synced()
        with self.ctx.db.read() as s:
            decks = s.execute(
                select(Deck.id, Deck.name, Deck.topic_id, Deck.title, Deck.source).order_by(
                    Deck.name
                )
            ).all()
            totals = {
                deck_id: (int(n), int(susp or 0))
                for deck_id, n, susp in s.execute(
                    select(Card.deck_id, func.count(), func.sum(Card.suspended))
                    .where(Card.retired_at.is_(None))
                    .group_by(Card.deck_id)
                )
            }
            due = self._due_counts(s)
        out = []
        zero = QueueCount(0, 0, 0)
        for deck_id, name, topic, title, source in decks:
            cards, suspended = totals.get(deck_id, (0, 0))
            counts = due.get(deck_id, zero)
            out.append(
                DeckRow(
                    deck=name,
                    topic=topic,
                    title=title,
                    cards=cards,
                    new=counts.new,
                    learning=counts.learning,
                    review=counts.review,
                    suspended=suspended,
                    source=source,
                )
            )
        return out

    def hint(self, row: DeckRow) -> str | None:
        if row.cards:
            return None
        return EMPTY_DECK_HINT.format(file=self.ctx.paths.user_deck_dir / f"{row.deck}.yaml")

    def stats(
        self, *, days: int = 365, forecast_days: int = 30, retention_days: int = 30
    ) -> ReviewStats:
        """Review statistics; every per-day figure is an index range query per study day."""
        self._synced()
        cal = self.ctx.calendar
        now = self.ctx.clock.now()
        today = cal.day_of(now)
        start, end = cal.day_bounds(today)
        active = active_clause(today)
        retention_start = cal.day_start(today - timedelta(days=retention_days - 1))
        scheduled = Card.state.in_(
            (int(Status.LEARNING), int(Status.REVIEW), int(Status.RELEARNING))
        )
        with self.ctx.db.read() as s:
            new_left, _ = self._limits_left(s, start, end)
            # Forecast: cards due per study day; day 0 holds everything overdue.
            due_q = select(func.count()).where(scheduled, active)
            forecast = []
            for i in range(forecast_days):
                day = today + timedelta(days=i)
                lo, hi = cal.day_bounds(day)
                q = due_q.where(Card.due < hi)
                if i:
                    q = q.where(Card.due >= lo)
                forecast.append(DayCount(day, int(s.scalar(q) or 0)))
            # Reviews per study day (for a heatmap), oldest first, days with reviews only.
            per_q = select(
                func.count(),
                func.sum(case((ReviewLog.rating == int(Rating.Again), 1), else_=0)),
                func.coalesce(func.sum(ReviewLog.duration_ms), 0),
            )
            per_day = []
            for i in range(days - 1, -1, -1):
                day = today - timedelta(days=i)
                lo, hi = cal.day_bounds(day)
                n, again, ms = s.execute(
                    per_q.where(ReviewLog.reviewed_at >= lo, ReviewLog.reviewed_at < hi)
                ).one()
                if n:
                    seconds = round(int(ms) / 1000, 1)
                    per_day.append(DayCount(day, int(n), int(again or 0), seconds))
            # True retention: share of Review-state cards not forgotten (rating > Again).
            retention_rows = s.execute(
                select(
                    Deck.name,
                    Deck.title,
                    func.count(),
                    func.sum(case((ReviewLog.rating > int(Rating.Again), 1), else_=0)),
                )
                .select_from(ReviewLog)
                .join(Card, Card.id == ReviewLog.card_id)
                .join(Deck, Deck.id == Card.deck_id)
                .where(
                    ReviewLog.state_before == int(Status.REVIEW),
                    ReviewLog.reviewed_at >= retention_start,
                )
                .group_by(Deck.id)
                .order_by(Deck.name)
            ).all()
            states = self._states(s, today)
        retention = tuple(DeckRetention(n, t, int(c), int(p or 0)) for n, t, c, p in retention_rows)
        total = DeckRetention(
            "all", "All decks", sum(r.reviews for r in retention), sum(r.passed for r in retention)
        )
        return ReviewStats(
            today=today,
            due_today=forecast[0].reviews if forecast else 0,
            new_available=min(new_left, states.new),
            forecast=tuple(forecast),
            per_day=tuple(per_day),
            retention=retention,
            retention_all=total,
            retention_days=retention_days,
            desired_retention=self.ctx.settings.review.desired_retention,
            states=states,
        )

    def _states(self, s: Session, today: date) -> StateCounts:
        """Counts by state from the two partial indexes (no scan of the card table)."""
        values: dict[str, int] = {}
        names = {0: "new", 1: "learning", 2: "review", 3: "relearning"}
        buried = Card.buried_until.is_not(None) & (Card.buried_until > today)
        for state, is_buried, n in s.execute(
            select(Card.state, buried, func.count())
            .where(Card.retired_at.is_(None), Card.suspended == literal_column("0"))
            .group_by(Card.state, buried)
        ):
            key = "buried" if is_buried else names.get(int(state), "")
            if key:
                values[key] = values.get(key, 0) + int(n)
        live, suspended = s.execute(
            select(func.count(), func.sum(Card.suspended)).where(Card.retired_at.is_(None))
        ).one()
        total = s.scalar(select(func.count(Card.id)))
        values["suspended"] = int(suspended or 0)
        values["retired"] = int(total or 0) - int(live or 0)
        return StateCounts(**values)


def daily_series(per_day: Iterable[DayCount], first: date, last: date) -> list[DayCount]:
    """Every day from first to last, days without reviews as zeros (for a heatmap)."""
    known = {d.day: d for d in per_day}
    out = []
    day = first
    while day <= last:
        out.append(known.get(day, DayCount(day, 0)))
        day += timedelta(days=1)
    return out
