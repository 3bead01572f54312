"""Deck counts and review statistics, computed with SQL aggregates.

Times are grouped into study days (``day_rollover_hour`` in the user's zone) by first grouping in
SQL into quarter-hour UTC buckets (every real zone offset is a multiple of 15 minutes), then mapping
each bucket to its study day in Python, which keeps daylight-saving changes right.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Integer, String, and_, case, cast, func, select
from sqlalchemy.orm import Session

from studytui.core.context import AppContext
from studytui.core.scheduling import Rating, Status
from studytui.core.services.review import active_clause
from studytui.core.storage.models import Card, Deck, ReviewLog
from studytui.core.studyday import StudyCalendar

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


def _bucket(col: Any) -> Any:
    """``'2026-11-21 09:' || 2``: the quarter hour of a stored UTC timestamp, as text."""
    quarter = cast(func.substr(col, 15, 2), Integer) // 15
    return func.substr(col, 1, 14).op("||", return_type=String)(quarter.self_group())


class _DayMapper:
    def __init__(self, calendar: StudyCalendar) -> None:
        self.calendar = calendar
        self._cache: dict[str, date] = {}

    def __call__(self, bucket: str) -> date:
        found = self._cache.get(bucket)
        if found is None:
            hour, quarter = bucket[:14], int(bucket[14:] or 0)
            instant = datetime.strptime(hour, "%Y-%m-%d %H:").replace(tzinfo=UTC)
            found = self.calendar.day_of(instant + timedelta(minutes=15 * quarter))
            self._cache[bucket] = found
        return found


class DeckStatsService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def _limits_left(self, s: Session, start: datetime, end: datetime) -> tuple[int, int]:
        rows = dict(
            s.execute(
                select(ReviewLog.state_before, func.count())
                .where(ReviewLog.reviewed_at >= start, ReviewLog.reviewed_at < end)
                .group_by(ReviewLog.state_before)
            ).all()
        )
        settings = self.ctx.settings.review
        new_left = max(0, settings.new_cards_per_day - int(rows.get(int(Status.NEW), 0)))
        review_left = max(0, settings.reviews_per_day - int(rows.get(int(Status.REVIEW), 0)))
        return new_left, review_left

    def decks(self) -> list[DeckRow]:
        """Every deck with its card counts (two queries)."""
        cal = self.ctx.calendar
        now = self.ctx.clock.now()
        today = cal.day_of(now)
        start, end = cal.day_bounds(today)
        active = active_clause(today)
        learning_states = (int(Status.LEARNING), int(Status.RELEARNING))
        with self.ctx.db.read() as s:
            new_left, review_left = self._limits_left(s, start, end)
            decks = s.execute(
                select(Deck.id, Deck.name, Deck.topic_id, Deck.title, Deck.source).order_by(
                    Deck.name
                )
            ).all()
            counts = {
                row[0]: row[1:]
                for row in s.execute(
                    select(
                        Card.deck_id,
                        func.count(),
                        func.sum(case((and_(Card.state == 0, active), 1), else_=0)),
                        func.sum(
                            case(
                                (and_(Card.state.in_(learning_states), Card.due <= now, active), 1),
                                else_=0,
                            )
                        ),
                        func.sum(
                            case(
                                (and_(Card.state == int(Status.REVIEW), Card.due < end, active), 1),
                                else_=0,
                            )
                        ),
                        func.sum(Card.suspended),
                    )
                    .where(Card.retired_at.is_(None))
                    .group_by(Card.deck_id)
                )
            }
        out = []
        for deck_id, name, topic, title, source in decks:
            cards, new, learning, review, suspended = counts.get(deck_id, (0, 0, 0, 0, 0))
            out.append(
                DeckRow(
                    deck=name,
                    topic=topic,
                    title=title,
                    cards=int(cards),
                    new=min(int(new or 0), new_left),
                    learning=int(learning or 0),
                    review=min(int(review or 0), review_left),
                    suspended=int(suspended or 0),
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
        cal = self.ctx.calendar
        now = self.ctx.clock.now()
        today = cal.day_of(now)
        start, end = cal.day_bounds(today)
        active = active_clause(today)
        to_day = _DayMapper(cal)
        horizon = cal.day_start(today + timedelta(days=forecast_days))
        history_start = cal.day_start(today - timedelta(days=days - 1))
        retention_start = cal.day_start(today - timedelta(days=retention_days - 1))
        with self.ctx.db.read() as s:
            new_left, _ = self._limits_left(s, start, end)
            # Forecast: cards due per study day; day 0 holds everything overdue.
            forecast_counts: dict[date, int] = {}
            bucket = _bucket(Card.due)
            for b, n in s.execute(
                select(bucket, func.count())
                .where(Card.state != int(Status.NEW), Card.due < horizon, active)
                .group_by(bucket)
            ):
                day = max(to_day(b), today)
                forecast_counts[day] = forecast_counts.get(day, 0) + int(n)
            forecast = tuple(
                DayCount(
                    today + timedelta(days=i), forecast_counts.get(today + timedelta(days=i), 0)
                )
                for i in range(forecast_days)
            )
            # Reviews per study day (for a heatmap).
            per: dict[date, list[float]] = {}
            bucket = _bucket(ReviewLog.reviewed_at)
            for b, n, again, ms in s.execute(
                select(
                    bucket,
                    func.count(),
                    func.sum(case((ReviewLog.rating == int(Rating.Again), 1), else_=0)),
                    func.coalesce(func.sum(ReviewLog.duration_ms), 0),
                )
                .where(ReviewLog.reviewed_at >= history_start)
                .group_by(bucket)
            ):
                acc = per.setdefault(to_day(b), [0, 0, 0.0])
                acc[0] += int(n)
                acc[1] += int(again or 0)
                acc[2] += int(ms or 0) / 1000
            per_day = tuple(
                DayCount(d, int(v[0]), int(v[1]), round(v[2], 1)) for d, v in sorted(per.items())
            )
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
            forecast=forecast,
            per_day=per_day,
            retention=retention,
            retention_all=total,
            retention_days=retention_days,
            desired_retention=self.ctx.settings.review.desired_retention,
            states=states,
        )

    def _states(self, s: Session, today: date) -> StateCounts:
        buried = (Card.buried_until.is_not(None)) & (Card.buried_until > today)
        kind = case(
            (Card.retired_at.is_not(None), "retired"),
            (Card.suspended == 1, "suspended"),
            (buried, "buried"),
            else_=cast(Card.state, Integer),
        )
        rows = s.execute(select(kind, func.count()).group_by(kind)).all()
        names = {0: "new", 1: "learning", 2: "review", 3: "relearning"}
        values: dict[str, int] = {}
        for key, n in rows:
            name = names.get(int(key), "") if str(key).isdigit() else str(key)
            if name:
                values[name] = values.get(name, 0) + int(n)
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
