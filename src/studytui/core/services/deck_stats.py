"""Deck counts and review statistics, computed with SQL aggregates over index ranges.

Per-day figures are counted per study day (``day_rollover_hour`` in the user's zone) with one
range query per day between that day's UTC bounds, which keeps daylight-saving changes right and
reads only the covering indexes ``ix_card_queue`` and ``ix_review_log_time``.

Plain ``sqlite3`` (``Database.query``), no SQLAlchemy: the dashboard shows these figures right
after start-up, before the ORM's import (~0.35 s) could finish. Times and dates are bound as the
text the ORM stores (``sqltypes``), so comparisons match the ORM's.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from studytui.core.config import ReviewSettings
from studytui.core.context import AppContext
from studytui.core.daily_limits import DayLimits
from studytui.core.presets import DEFAULT_PRESET
from studytui.core.services.deck_stats_sql import (
    ALL,
    DECK_NAMES,
    DECKS,
    DONE_PER_DECK,
    DUE_BEFORE,
    DUE_BETWEEN,
    INCLUDED,
    INTERDAY_DONE_PER_DECK,
    INTERDAY_PER_DECK,
    LEARNING_PER_DECK,
    LIVE,
    LIVE_PER_DECK,
    NEW,
    NEW_PER_DECK,
    RETENTION,
    REVIEW,
    REVIEW_PER_DECK,
    REVIEWS_BETWEEN,
    STATES,
)
from studytui.core.services.new_count import due_shown, new_shown
from studytui.core.siblings import BuryRules
from studytui.core.storage.sqltypes import db_date, db_datetime

if TYPE_CHECKING:
    from studytui.core.services.decks import DeckService

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
    due_today: int  # reviews that today's limit lets in
    new_available: int  # new cards the new card limit and the review limit let in
    forecast: tuple[DayCount, ...]
    per_day: tuple[DayCount, ...]
    retention: tuple[DeckRetention, ...]
    retention_all: DeckRetention
    retention_days: int
    desired_retention: float
    states: StateCounts
    due_beyond_limit: int = 0  # due, but past today's review limit (shown tomorrow)


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

    def _limits(
        self, conn: sqlite3.Connection, start: datetime, end: datetime
    ) -> Callable[[], DayLimits]:
        """Today's limits over all decks and per deck (presets), less the day's ratings: read
        once, then a fresh ``DayLimits`` for each deck's row (each studied alone)."""
        settings = self.ctx.settings.review
        names = dict(conn.execute(DECK_NAMES).fetchall())
        done: dict[int, tuple[int, int]] = {}
        params = {"start": db_datetime(start), "end": db_datetime(end)}
        rows = [*conn.execute(DONE_PER_DECK, params)]
        rows += [(d, REVIEW, n) for d, n in conn.execute(INTERDAY_DONE_PER_DECK, params)]
        for deck_id, state, n in rows:
            new, reviews = done.get(int(deck_id), (0, 0))
            done[int(deck_id)] = (
                (new + int(n), reviews) if state == NEW else (new, reviews + int(n))
            )
        own = [d for d, name in names.items() if settings.preset_of(name) != DEFAULT_PRESET]

        def settings_of(deck_id: int) -> ReviewSettings:
            name = names.get(deck_id)
            return settings.for_deck(name) if name is not None else settings

        return lambda: DayLimits(settings, done, settings_of, own)

    @staticmethod
    def _own_caps(limits: DayLimits) -> dict[int, int]:
        """New cards each deck with a limit of its own (a preset) may still introduce."""
        return {deck_id: limits.new_room(deck_id) for deck_id in limits.own_limit_decks}

    def due_counts(self) -> dict[str, QueueCount]:
        """New, learning and review cards per deck name, within today's limits (few range scans)."""
        self._synced()
        with self.ctx.db.query() as conn:
            names = dict(conn.execute(DECK_NAMES).fetchall())
            counts = self._due_counts(conn)
        return {names[i]: c for i, c in counts.items() if i in names}

    def _due_counts(self, conn: sqlite3.Connection) -> dict[int, QueueCount]:
        cal = self.ctx.calendar
        now = self.ctx.clock.now()
        today = cal.day_of(now)
        start, end = cal.day_bounds(today)
        params = {"today": db_date(today), "now": db_datetime(now), "end": db_datetime(end),
                  "start": db_datetime(start)}  # fmt: skip

        def per_deck(sql: str) -> dict[int, int]:
            return {deck_id: int(n) for deck_id, n in conn.execute(sql, params)}

        new = per_deck(NEW_PER_DECK)
        learning = per_deck(LEARNING_PER_DECK)
        interday = per_deck(INTERDAY_PER_DECK)
        review = per_deck(REVIEW_PER_DECK)
        for deck_id, n_new, n_learning, n_review in conn.execute(INCLUDED, params):
            for counts, n in ((new, n_new), (learning, n_learning), (review, n_review)):
                if n:
                    counts[deck_id] = counts.get(deck_id, 0) + int(n)
        # Each deck as if studied alone (Anki's deck list does the same; the totals line and the
        # dashboard apply the limits once, over every deck): within its own limits and the
        # total's. New cards count against their home deck's limits, as in the queue; reviews of
        # included cards against the row's deck.
        # Interday learning comes first under the review limit, then the reviews (Anki's order).
        reviews_of: dict[int, int] = {}
        interday_of: dict[int, int] = {}
        new_left_of: dict[int, int] = {}
        caps_of: dict[int, dict[int, int]] = {}
        fresh_limits = self._limits(conn, start, end)
        for deck_id in set(new) | set(learning) | set(review):
            limits = fresh_limits()
            interday_of[deck_id] = limits.take_reviews(deck_id, interday.get(deck_id, 0))
            if deck_id in learning:
                learning[deck_id] += interday_of[deck_id] - interday.get(deck_id, 0)
            reviews_of[deck_id] = limits.take_reviews(deck_id, review.get(deck_id, 0))
            # The walk stops at the total's room; each card's home deck caps its own (a deck
            # in a preset: its own cards, and the cards of such decks it includes), as the queue.
            new_left_of[deck_id] = limits.new_room()
            caps_of[deck_id] = self._own_caps(limits)
        rules = BuryRules.of(self.ctx.settings.review, dict(conn.execute(DECK_NAMES).fetchall()))
        day = {**params, "start": db_datetime(start)}
        if rules.any_review or rules.any_interday:  # buried siblings are not shown: walk
            for deck_id in set(learning) | set(review):
                learning[deck_id], review[deck_id] = due_shown(
                    conn, rules, cal, day, reviews_of[deck_id], deck_id, interday_of[deck_id]
                )
        shown = {
            deck_id: new_shown(
                conn, rules, cal, day, min(n, new_left_of[deck_id]), reviews_of[deck_id],
                deck_id, caps_of[deck_id],
            )
            for deck_id, n in new.items()
        }  # fmt: skip
        return {
            deck_id: QueueCount(
                shown.get(deck_id, 0),
                learning.get(deck_id, 0),
                min(review.get(deck_id, 0), reviews_of[deck_id]),
            )
            for deck_id in set(new) | set(learning) | set(review)
        }

    def decks(self) -> list[DeckRow]:
        """Every deck with its card counts: index-only queries, no scan of the card table."""
        self._synced()
        with self.ctx.db.query() as conn:
            decks = conn.execute(DECKS).fetchall()
            totals = {
                deck_id: (int(n), int(susp or 0))
                for deck_id, n, susp in conn.execute(LIVE_PER_DECK)
            }
            due = self._due_counts(conn)
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
        """Review statistics; every per-day figure is an index range query per study day.

        ``retention_days=0`` leaves retention out (the dashboard does not show it: ~90 ms at
        100k cards)."""
        self._synced()
        cal = self.ctx.calendar
        now = self.ctx.clock.now()
        today = cal.day_of(now)
        start, end = cal.day_bounds(today)
        retention_start = cal.day_start(today - timedelta(days=retention_days - 1))
        with self.ctx.db.query() as conn:
            # Forecast: cards due per study day; day 0 holds everything overdue.
            forecast = []
            for i in range(forecast_days):
                day = today + timedelta(days=i)
                lo, hi = cal.day_bounds(day)
                params = {"today": db_date(today), "lo": db_datetime(lo), "hi": db_datetime(hi)}
                (n,) = conn.execute(DUE_BETWEEN if i else DUE_BEFORE, params).fetchone()
                forecast.append(DayCount(day, int(n or 0)))
            # Reviews per study day (for a heatmap), oldest first, days with reviews only.
            per_day = []
            for i in range(days - 1, -1, -1):
                day = today - timedelta(days=i)
                lo, hi = cal.day_bounds(day)
                n, again, ms = conn.execute(
                    REVIEWS_BETWEEN, {"lo": db_datetime(lo), "hi": db_datetime(hi)}
                ).fetchone()
                if n:
                    seconds = round(int(ms) / 1000, 1)
                    per_day.append(DayCount(day, int(n), int(again or 0), seconds))
            retention_rows = (
                conn.execute(RETENTION, {"start": db_datetime(retention_start)}).fetchall()
                if retention_days > 0
                else []
            )
            states = self._states(conn, today)
            due_now = forecast[0].reviews if forecast else 0
            limits = self._limits(conn, start, end)()
            # Learning cards due count against the total as before; reviews also against their
            # deck's own limit (presets).
            window = {
                "today": db_date(today), "start": db_datetime(start), "end": db_datetime(end)
            }  # fmt: skip
            due_reviews = {int(d): int(n) for d, n in conn.execute(REVIEW_PER_DECK, window)}
            interday = {int(d): int(n) for d, n in conn.execute(INTERDAY_PER_DECK, window)}
            # Interday learning, then reviews, under the limits; learning due at a time is not
            # limited (as in Anki).
            intraday = max(0, due_now - sum(due_reviews.values()) - sum(interday.values()))
            within = sum(limits.take_reviews(d, n) for d, n in interday.items())
            within += sum(limits.take_reviews(d, n) for d, n in due_reviews.items())
            due_today = within + intraday
            new_available = new_shown(
                conn,
                BuryRules.of(self.ctx.settings.review, dict(conn.execute(DECK_NAMES).fetchall())),
                cal,
                {"today": db_date(today), "start": db_datetime(start), "end": db_datetime(end)},
                min(limits.new_room(), states.new),
                due_today,
                None,
                self._own_caps(limits),
            )
        retention = tuple(DeckRetention(n, t, int(c), int(p or 0)) for n, t, c, p in retention_rows)
        total = DeckRetention(
            "all", "All decks", sum(r.reviews for r in retention), sum(r.passed for r in retention)
        )
        return ReviewStats(
            today=today,
            due_today=due_today,
            due_beyond_limit=due_now - due_today,
            new_available=new_available,
            forecast=tuple(forecast),
            per_day=tuple(per_day),
            retention=retention,
            retention_all=total,
            retention_days=retention_days,
            desired_retention=self.ctx.settings.review.desired_retention,
            states=states,
        )

    def _states(self, conn: sqlite3.Connection, today: date) -> StateCounts:
        """Counts by state from the two partial indexes (no scan of the card table)."""
        values: dict[str, int] = {}
        names = {0: "new", 1: "learning", 2: "review", 3: "relearning"}
        for state, is_buried, n in conn.execute(STATES, {"today": db_date(today)}):
            key = "buried" if is_buried else names.get(int(state), "")
            if key:
                values[key] = values.get(key, 0) + int(n)
        live, suspended = conn.execute(LIVE).fetchone()
        (total,) = conn.execute(ALL).fetchone()
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
