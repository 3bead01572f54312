"""FSRS-6 scheduling with the ``fsrs`` package, configured from settings.

**Elapsed days are counted in study days.** The time between two reviews is the number of study-day
rollovers between them (``day_rollover_hour`` in the user's zone, as Anki counts), not the number
of whole 24-hour periods the ``fsrs`` package counts. A review at 01:00 belongs to the study day
before, so 23:00 → 01:00 is 0 days, and 03:00 → 05:00 with a 04:00 rollover is 1 day. We give
``fsrs`` that number by handing it the card with ``last_review`` set to exactly that many days
before the review; everything else (stability, difficulty, steps, intervals) is the package's own
computation, so the same history gives the same intervals as the reference package fed with times
whose 24-hour periods equal those study days (tests/test_scheduling.py shows it). The optimizer
(``fsrs-rs``) is given the same day counts.

**Fuzz** is applied by us, not by ``fsrs``, as Anki applies it: Anki's ranges
(``core/intervals.py``) and Anki's draw (``core/anki_rng.py``, seeded with the card id plus the
number of its earlier reviews), for intervals and for learning steps (up to 25 % longer, at most
5 minutes). The interval shown on a rating button is the interval that rating gives, and the same
card id and history give the same fuzzed schedule as in Anki.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import IntEnum

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State
from fsrs.scheduler import (
    DEFAULT_PARAMETERS,
    LOWER_BOUNDS_PARAMETERS,
    UPPER_BOUNDS_PARAMETERS,
)

from studytui.core.anki_rng import anki_fuzz_factor, anki_learning_secs
from studytui.core.config import ReviewSettings
from studytui.core.intervals import (
    as_f32,
    easy_from_learning_days,
    graduating_days,
    passing_review_days,
    round_half_up,
)
from studytui.core.studyday import StudyCalendar

__all__ = [
    "DEFAULT_PARAMETERS",
    "CardState",
    "Outcome",
    "Rating",
    "ReviewScheduler",
    "Status",
    "clamp_parameters",
    "format_interval",
]


class Status(IntEnum):
    """A card's state as stored: ``fsrs``'s states plus New (never reviewed)."""

    NEW = 0
    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


@dataclass(frozen=True)
class CardState:
    """The scheduling part of a card (what a review changes and an undo restores)."""

    status: Status = Status.NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None

    def to_json(self) -> str:
        return json.dumps(
            {
                "status": int(self.status),
                "step": self.step,
                "stability": self.stability,
                "difficulty": self.difficulty,
                "due": self.due.isoformat() if self.due else None,
                "last_review": self.last_review.isoformat() if self.last_review else None,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> CardState:
        d = json.loads(text)
        return cls(
            status=Status(int(d["status"])),
            step=d["step"],
            stability=d["stability"],
            difficulty=d["difficulty"],
            due=datetime.fromisoformat(d["due"]) if d["due"] else None,
            last_review=datetime.fromisoformat(d["last_review"]) if d["last_review"] else None,
        )


@dataclass(frozen=True)
class Outcome:
    """What one rating does to a card."""

    rating: Rating
    before: CardState
    after: CardState
    reviewed_at: datetime
    elapsed_days: int | None
    days: int | None = None  # whole study days until due, for a card in review
    step_length: timedelta | None = None  # a learning step before its fuzz (the button's)

    @property
    def interval(self) -> timedelta:
        """What the rating's button shows: days in review, else the learning step."""
        if self.days is not None:
            return timedelta(days=self.days)
        if self.step_length is not None:
            return self.step_length
        if self.after.due is None:
            return timedelta(0)
        return self.after.due - self.reviewed_at


def clamp_parameters(parameters: Sequence[float]) -> tuple[float, ...]:
    """Parameters inside the bounds ``fsrs`` accepts (fitted values can be off by float error)."""
    if len(parameters) != len(DEFAULT_PARAMETERS):
        raise ValueError(f"expected {len(DEFAULT_PARAMETERS)} parameters, got {len(parameters)}")
    bounds = zip(LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True)
    return tuple(min(max(float(p), lo), hi) for p, (lo, hi) in zip(parameters, bounds, strict=True))


class ReviewScheduler:
    """One ``fsrs.Scheduler`` built from ReviewSettings, plus the study-day and fuzz rules above."""

    def __init__(
        self,
        settings: ReviewSettings,
        calendar: StudyCalendar,
        parameters: Sequence[float] | None = None,
    ) -> None:
        self.settings = settings
        self.calendar = calendar
        self.parameters = clamp_parameters(parameters or DEFAULT_PARAMETERS)
        self.fsrs = Scheduler(
            parameters=self.parameters,
            desired_retention=settings.desired_retention,
            learning_steps=settings.learning_steps,
            relearning_steps=settings.relearning_steps,
            maximum_interval=settings.maximum_interval_days,
            enable_fuzzing=False,
        )
        self.fuzz = settings.fuzz

    def elapsed_days(self, last_review: datetime | None, now: datetime) -> int | None:
        """Study days between two instants (None for a card never reviewed)."""
        if last_review is None:
            return None
        return max(0, (self.calendar.day_of(now) - self.calendar.day_of(last_review)).days)

    def review(
        self,
        card_id: int,
        state: CardState,
        rating: Rating | int,
        now: datetime,
        reps: int = 0,
    ) -> Outcome:
        """The card after ``rating`` at ``now`` (UTC, from the injected clock).

        ``fsrs`` gives the memory state and the learning steps; the whole-day interval follows
        Anki's constraints (``core/intervals.py``), which need every rating's stability, and a
        review card falls due at the rollover of its study day (never N x 24 h later, which a
        DST night moves to another study day). ``reps`` is the number of the card's earlier
        reviews: with the card id it seeds the fuzz, as in Anki.
        """
        now = now.astimezone(UTC)
        rating = Rating(int(rating))
        elapsed = self.elapsed_days(state.last_review, now)
        card = self._fsrs_card(card_id, state, now, elapsed)
        nexts = {r: self.fsrs.review_card(card, r, review_datetime=now)[0] for r in Rating}
        new_card = nexts[rating]
        stability, difficulty = stored_memory(new_card.stability, new_card.difficulty)
        days: int | None = None
        due = new_card.due
        if new_card.state == State.Review:
            fuzz = anki_fuzz_factor(card_id, reps) if self.fuzz else None
            days = self._review_days(state, elapsed or 0, rating, nexts, fuzz)
            due = self.calendar.day_start(self.calendar.day_of(now) + timedelta(days=days))
        step_length: timedelta | None = None
        if new_card.state != State.Review and new_card.due > now:
            step_length, due = self._learning_due(card_id, reps, now, new_card.due - now)
        after = CardState(
            status=Status(int(new_card.state)),
            step=new_card.step,
            stability=stability,
            difficulty=difficulty,
            due=due,
            last_review=now,
        )
        return Outcome(rating, state, after, now, elapsed, days, step_length)

    def _learning_due(
        self, card_id: int, reps: int, now: datetime, step: timedelta
    ) -> tuple[timedelta, datetime]:
        """A learning step as Anki takes it: over a day, whole days (Hard's 1.5 x 1d is 2d); one
        that ends on a later study day is due from that day's rollover, all day (a DST night
        never moves it past noon); one that ends today is up to 25 % longer by Anki's fuzz.
        Returns (the step the button shows, the due time)."""
        secs = step.total_seconds()
        if secs > 86400:
            step = timedelta(days=round_half_up(as_f32(secs / 86400)))
        due = now + step
        _start, day_end = self.calendar.day_bounds(self.calendar.day_of(now))
        if due >= day_end:  # due on a later study day: from its rollover, all day (Anki's days)
            return step, self.calendar.day_start(self.calendar.day_of(due))
        if self.fuzz:
            fuzzed = anki_learning_secs(card_id, reps, int(step.total_seconds()))
            due = now + timedelta(seconds=fuzzed)
        return step, due

    def _fsrs_card(
        self, card_id: int, state: CardState, now: datetime, elapsed: int | None
    ) -> FsrsCard:
        """The card as ``fsrs`` takes it, its last review ``elapsed`` study days back."""
        return FsrsCard(
            card_id=card_id,
            state=State.Learning if state.status == Status.NEW else State(int(state.status)),
            step=0 if state.status == Status.NEW else state.step,
            stability=state.stability,
            difficulty=state.difficulty,
            due=state.due or now,
            last_review=None if elapsed is None else now - timedelta(days=elapsed),
        )

    def memory_after(
        self, card_id: int, state: CardState, rating: Rating | int, now: datetime
    ) -> CardState:
        """The card's memory state and learning step after ``rating``, without its interval:
        a quarter of ``review``'s work, for replaying a history (its ``due`` is ``fsrs``'s)."""
        now = now.astimezone(UTC)
        elapsed = self.elapsed_days(state.last_review, now)
        card = self._fsrs_card(card_id, state, now, elapsed)
        after = self.fsrs.review_card(card, Rating(int(rating)), review_datetime=now)[0]
        stability, difficulty = stored_memory(after.stability, after.difficulty)
        return CardState(
            status=Status(int(after.state)),
            step=after.step,
            stability=stability,
            difficulty=difficulty,
            due=after.due,
            last_review=now,
        )

    def interval_of(self, stability: float | None) -> float:
        """Days until recall falls to the desired retention (FSRS's forgetting curve)."""
        if stability is None:
            return 1.0
        decay = -self.parameters[20]
        factor = 0.9 ** (1 / decay) - 1
        return as_f32(stability / factor * (self.settings.desired_retention ** (1 / decay) - 1))

    def scheduled_days(self, state: CardState) -> int:
        """A review card's current interval in study days (due day minus last review's)."""
        if state.due is None or state.last_review is None:
            return 0
        return max(
            0, (self.calendar.day_of(state.due) - self.calendar.day_of(state.last_review)).days
        )

    def _review_days(
        self,
        state: CardState,
        elapsed: int,
        rating: Rating,
        nexts: dict[Rating, FsrsCard],
        fuzz: float | None,
    ) -> int:
        before = state.status
        maximum = self.fsrs.maximum_interval
        interval = {r: self.interval_of(c.stability) for r, c in nexts.items()}
        if before == Status.REVIEW and rating != Rating.Again:
            hard, good, easy = passing_review_days(
                interval[Rating.Hard], interval[Rating.Good], interval[Rating.Easy],
                self.scheduled_days(state), maximum, fuzz,
            )  # fmt: skip
            return {Rating.Hard: hard, Rating.Good: good, Rating.Easy: easy}[rating]
        if before != Status.REVIEW and rating == Rating.Easy:  # (re)learning: past Good
            return easy_from_learning_days(
                interval[Rating.Good], interval[Rating.Easy], maximum, fuzz
            )
        return graduating_days(interval[rating], maximum, fuzz)

    def preview(
        self, card_id: int, state: CardState, now: datetime, reps: int = 0
    ) -> dict[Rating, Outcome]:
        """The outcome of each rating (``fsrs`` has no preview: one review per rating)."""
        return {r: self.review(card_id, state, r, now, reps) for r in Rating}


def stored_memory(stability: float | None, difficulty: float | None) -> tuple[float | None, ...]:
    """Stability to 4 decimals and difficulty to 3, as 32-bit floats: what Anki keeps, and
    what its next review starts from (at x.5 the interval would otherwise round differently)."""
    s = None if stability is None else as_f32(round_half_up(stability * 10_000) / 10_000)
    d = None if difficulty is None else as_f32(round_half_up(difficulty * 1_000) / 1_000)
    return s, d


def format_interval(delta: timedelta) -> str:
    """Anki-style short interval: ``<1m``, ``10m``, ``3h``, ``4d``, ``2.1mo``, ``1.5y``."""
    seconds = delta.total_seconds()
    if seconds < 60:
        return "<1m"
    minutes = seconds / 60
    if minutes < 60:
        return f"{round(minutes)}m"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"
