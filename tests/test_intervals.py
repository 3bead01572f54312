"""Anki's interval rules as pure functions (core/intervals.py)."""

from __future__ import annotations

import pytest

from studytui.core.intervals import (
    easy_from_learning_days,
    minimum_review_days,
    passing_review_days,
    round_half_up,
    whole_days,
)


@pytest.mark.parametrize(
    ("interval", "minimum", "maximum", "lower", "middle", "upper"),
    [
        (1.0, 1, 1000, 1, 1, 1),  # no fuzz below 2.5 days
        (2.49, 1, 1000, 2, 2, 2),
        (2.5, 1, 1000, 2, 3, 4),  # one day either way from 2.5 on
        (7.0, 1, 1000, 5, 7, 9),  # plus 15% of the days from 2.5 to 7
        (17.0, 1, 1000, 14, 17, 20),  # plus 10% from 7 to 20
        (37.0, 1, 1000, 33, 37, 41),  # plus 5% above 20
        (2.0, 3, 1000, 3, 4, 4),  # at least two choices where the bounds allow
        (100.0, 101, 1000, 101, 105, 108),  # inside the bounds, still spread evenly
        (100.0, 1, 99, 92, 96, 99),
    ],
)
def test_fuzz_picks_within_bounds(
    interval: float, minimum: int, maximum: int, lower: int, middle: int, upper: int
) -> None:
    assert whole_days(interval, minimum, maximum, 0.0) == lower
    assert whole_days(interval, minimum, maximum, 0.5) == middle
    assert whole_days(interval, minimum, maximum, 0.99) == upper


def test_without_fuzz_the_interval_is_rounded_half_up_and_clamped() -> None:
    assert whole_days(1.5, 1, 100, None) == 2
    assert whole_days(2.5, 1, 100, None) == 3  # Python's round would give 2
    assert whole_days(0.1, 1, 100, None) == 1
    assert whole_days(101.0, 1, 100, None) == 100
    assert round_half_up(0.5) == 1


def test_passing_intervals_are_each_a_day_longer_than_the_last() -> None:
    # FSRS says 4.4 / 4.6 / 4.9 days: Anki gives 4 / 5 / 6, never three equal buttons.
    assert passing_review_days(4.4, 4.6, 4.9, 3, 36500, None) == (4, 5, 6)
    assert passing_review_days(1.0, 1.0, 1.0, 1, 3, None) == (1, 2, 3)
    assert passing_review_days(9.0, 9.0, 9.0, 5, 5, None) == (5, 5, 5)  # the maximum wins


def test_the_current_interval_is_kept_while_the_fuzz_range_reaches_it() -> None:
    # Anki's minimum_review_fuzz_interval, current interval 6: Good 5.3 (range up to 7) keeps
    # 6; Hard 2.9 (range up to 4) has shrunk past it, so no minimum; Easy 8.1 rounds above it:
    # at least 7.
    assert minimum_review_days(5.3, 6, 36500) == 6
    assert minimum_review_days(2.9, 6, 36500) == 0
    assert minimum_review_days(8.1, 6, 36500) == 7
    assert passing_review_days(2.9, 5.3, 8.1, 6, 36500, None) == (3, 6, 8)
    # Under 2.5 days there is no fuzz range: a card fresh out of relearning keeps the plain rules.
    assert passing_review_days(0.42, 0.67, 1.3, 2, 36500, None) == (1, 2, 3)


def test_fuzz_never_takes_a_grown_interval_to_its_old_length() -> None:
    # FSRS gives 10.6 days to a card at 10: whatever the draw, at least 11; at 10.4 (which
    # rounds to the current interval) at least 10, never the 9 the fuzz range reaches.
    grown = {passing_review_days(5.0, 10.6, 20.0, 10, 36500, f / 10)[1] for f in range(10)}
    same = {passing_review_days(5.0, 10.4, 20.0, 10, 36500, f / 10)[1] for f in range(10)}
    assert (min(grown), min(same)) == (11, 10)
    assert len(grown) > 1


def test_easy_from_learning_is_past_good() -> None:
    assert easy_from_learning_days(3.6, 3.4, 36500, None) == 5
    assert easy_from_learning_days(0.3, 8.0, 36500, None) == 8
