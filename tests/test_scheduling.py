"""Scheduling against the reference ``fsrs`` package, under the study-day rule for elapsed days.

The memory model is ``fsrs``'s (stability and difficulty agree within the 4 and 3 decimals Anki
stores); the whole-day intervals follow Anki's rules instead (tests/test_anki_parity.py replays
Anki's own answers), and a review card falls due at a study day's rollover.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fsrs import Card as RefCard
from fsrs import Rating, Scheduler

from studytui.core.config import ReviewSettings
from studytui.core.scheduling import (
    DEFAULT_PARAMETERS,
    CardState,
    ReviewScheduler,
    Status,
    clamp_parameters,
    format_interval,
)
from studytui.core.studyday import StudyCalendar

BERLIN = ZoneInfo("Europe/Berlin")
CAL = StudyCalendar("Europe/Berlin", 4)


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN).astimezone(UTC)


def reference_scheduler(settings: ReviewSettings) -> Scheduler:
    return Scheduler(
        desired_retention=settings.desired_retention,
        learning_steps=settings.learning_steps,
        relearning_steps=settings.relearning_steps,
        maximum_interval=settings.maximum_interval_days,
        enable_fuzzing=False,
    )


def ours(settings: ReviewSettings, history: list[tuple[datetime, int]]) -> list[CardState]:
    scheduler = ReviewScheduler(settings, CAL)
    state = CardState()
    out = []
    for at, rating in history:
        state = scheduler.review(1, state, rating, at).after
        out.append(state)
    return out


def reference(
    settings: ReviewSettings, history: list[tuple[datetime, int]]
) -> list[tuple[RefCard, datetime]]:
    scheduler = reference_scheduler(settings)
    card = RefCard(card_id=1)
    out = []
    for at, rating in history:
        card, _ = scheduler.review_card(card, Rating(rating), review_datetime=at)
        out.append((card, at))
    return out


def assert_same(mine: list[CardState], ref: list[tuple[RefCard, datetime]], times: list[datetime]):
    """The same states and memory (to the stored precision: each review starts from the rounded
    state, so tiny differences carry); learning steps the same minutes later."""
    assert len(mine) == len(ref)
    for i, (state, (card, ref_at)) in enumerate(zip(mine, ref, strict=True)):
        assert int(state.status) == int(card.state), i
        assert state.step == card.step, i
        assert state.stability == pytest.approx(card.stability, rel=1e-3), i
        assert state.difficulty == pytest.approx(card.difficulty, abs=3e-3), i
        assert state.due is not None
        if state.status is not Status.REVIEW:
            assert state.due - times[i] == card.due - ref_at, i
        else:  # at the rollover of a study day
            assert state.due == CAL.day_start(CAL.day_of(state.due)), i


# A history with late-night reviews, reviews just before and after the 04:00 rollover, same-day
# learning steps and a lapse.
HISTORY = [
    ("2026-11-21 10:00", 3),
    ("2026-11-21 10:01", 3),
    ("2026-11-21 10:12", 3),
    ("2026-11-23 23:30", 3),
    ("2026-11-26 01:30", 1),  # belongs to study day 25 Nov
    ("2026-11-26 01:45", 3),
    ("2026-11-27 03:50", 2),  # study day 26 Nov
    ("2026-11-27 04:10", 3),  # study day 27 Nov: one day later, 20 minutes later
    ("2026-12-10 12:00", 4),
    ("2027-01-20 22:00", 3),
    ("2027-03-30 05:00", 3),  # after the change to summer time
]


def test_same_history_same_intervals_as_the_reference_under_the_study_day_rule() -> None:
    settings = ReviewSettings(fuzz=False)
    history = [(local(t), r) for t, r in HISTORY]
    mine = ours(settings, history)
    # The reference counts whole 24-hour periods; give it times whose 24-hour periods are the
    # study days: midnight UTC of each review's study day, plus one second per review.
    ref_times = [
        datetime.combine(CAL.day_of(at), datetime.min.time(), tzinfo=UTC) + timedelta(seconds=i)
        for i, (at, _) in enumerate(history)
    ]
    ref = reference(settings, [(t, r) for t, (_, r) in zip(ref_times, history, strict=True)])
    assert_same(mine, ref, [at for at, _ in history])


def test_the_rule_matters_late_at_night() -> None:
    """Fed the real times, the reference counts 03:50 → 04:10 as 0 days; we count 1."""
    settings = ReviewSettings(fuzz=False)
    history = [(local(t), r) for t, r in HISTORY]
    mine = ours(settings, history)
    raw = reference(settings, history)
    i = 7  # the 04:10 review
    assert mine[i - 1].stability == pytest.approx(raw[i - 1][0].stability, rel=1e-3)
    assert mine[i].stability != pytest.approx(raw[i][0].stability, rel=1e-3)


def test_at_noon_the_reference_agrees_with_real_times() -> None:
    """One review a day at noon: 24-hour periods and study days are the same count."""
    settings = ReviewSettings(learning_steps=(), relearning_steps=(), fuzz=False)
    days = [0, 1, 4, 5, 15, 16, 40, 90]
    ratings = [3, 3, 1, 2, 3, 4, 3, 1]
    history = [
        (local(f"{date(2026, 11, 1) + timedelta(days=d)} 12:00"), r)
        for d, r in zip(days, ratings, strict=True)
    ]
    assert_same(ours(settings, history), reference(settings, history), [a for a, _ in history])


@pytest.mark.parametrize(
    ("last", "now", "days"),
    [
        ("2026-11-21 23:00", "2026-11-22 01:00", 0),  # 01:00 counts for the day before
        ("2026-11-22 03:00", "2026-11-22 05:00", 1),  # across the 04:00 rollover
        ("2026-11-21 20:00", "2026-11-23 19:00", 2),  # 47 hours: two study days
        ("2026-11-21 04:00", "2026-11-21 03:59", 0),  # a clock going back never counts negative
    ],
)
def test_elapsed_days_are_study_days(last: str, now: str, days: int) -> None:
    scheduler = ReviewScheduler(ReviewSettings(), CAL)
    assert scheduler.elapsed_days(local(last), local(now)) == days


def test_rollover_hour_and_zone_come_from_the_calendar() -> None:
    scheduler = ReviewScheduler(ReviewSettings(), StudyCalendar("Asia/Tokyo", 0))
    # 23:30 and 00:30 in Tokyo are different study days with a midnight rollover.
    last = datetime(2026, 11, 21, 14, 30, tzinfo=UTC)
    assert scheduler.elapsed_days(last, last + timedelta(hours=1)) == 1


def test_settings_configure_the_scheduler() -> None:
    base = ReviewSettings(fuzz=False)
    now = local("2026-11-21 10:00")
    state = CardState()
    outcome = ReviewScheduler(base, CAL).review(1, state, Rating.Again, now)
    assert outcome.interval == timedelta(minutes=1)
    custom = ReviewSettings(learning_steps=(timedelta(minutes=5),), fuzz=False)
    assert ReviewScheduler(custom, CAL).review(1, state, Rating.Again, now).interval == timedelta(
        minutes=5
    )
    # Lower desired retention, longer intervals; the maximum interval caps them.
    review = ReviewScheduler(base, CAL).review(1, state, Rating.Easy, now).after
    later = now + timedelta(days=10)
    long = ReviewScheduler(ReviewSettings(desired_retention=0.8, fuzz=False), CAL)
    short = ReviewScheduler(base, CAL)
    capped = ReviewScheduler(ReviewSettings(maximum_interval_days=3, fuzz=False), CAL)
    assert (
        long.review(1, review, Rating.Good, later).interval
        > short.review(1, review, Rating.Good, later).interval
    )
    assert capped.review(1, review, Rating.Good, later).interval == timedelta(days=3)


def test_fuzzed_previews_are_what_a_rating_gives() -> None:
    scheduler = ReviewScheduler(ReviewSettings(fuzz=True), CAL)
    plain = ReviewScheduler(ReviewSettings(fuzz=False), CAL)
    now = local("2026-11-21 10:00")
    state = scheduler.review(7, CardState(), Rating.Easy, now).after
    later = now + timedelta(days=20)
    differs = 0
    for card_id in range(1, 40):
        preview = scheduler.preview(card_id, state, later)
        for rating in Rating:
            again = scheduler.review(card_id, state, rating, later + timedelta(seconds=30))
            assert again.interval == preview[rating].interval
        base = plain.review(card_id, state, Rating.Good, later).interval.days
        fuzzed = preview[Rating.Good].interval.days
        assert abs(fuzzed - base) <= max(2, round(base * 0.15))
        differs += fuzzed != base
    assert differs > 0, "fuzz never changed an interval"


def test_card_state_round_trips_through_json() -> None:
    state = CardState(
        Status.REVIEW, None, 3.2, 5.1, local("2026-12-01 10:00"), local("2026-11-21 10:00")
    )
    assert CardState.from_json(state.to_json()) == state
    assert CardState.from_json(CardState().to_json()) == CardState()


def test_parameters_are_clamped_into_the_bounds_fsrs_accepts() -> None:
    params = list(DEFAULT_PARAMETERS)
    params[20] = 0.09999999
    clamped = clamp_parameters(params)
    assert clamped[20] == 0.1
    Scheduler(parameters=clamped)
    with pytest.raises(ValueError, match="expected 21"):
        clamp_parameters(params[:19])


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(seconds=30), "<1m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=3), "3h"),
        (timedelta(days=4), "4d"),
        (timedelta(days=63), "2.1mo"),
        (timedelta(days=548), "1.5y"),
    ],
)
def test_format_interval(delta: timedelta, text: str) -> None:
    assert format_interval(delta) == text
