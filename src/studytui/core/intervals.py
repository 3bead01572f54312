"""Whole-day intervals from FSRS stabilities, under the constraints Anki's v3 scheduler applies.

FSRS gives each rating a stability; the interval is the time until recall is predicted to fall
to the desired retention, in days, as a fraction. Anki turns those fractions into whole days with
rules ``fsrs`` (py-fsrs) does not have, so a switching learner would see other intervals:

* **Passing a review card**: Hard at least 1 day, Good at least Hard + 1, Easy at least Good + 1
  (each also at most the maximum interval).
* **Easy on a learning or relearning card**: at least the Good interval + 1, even while Good
  would still be a step.
* **Reviewing early** (fewer study days since the last review than the card's interval): no
  passing interval of a day or more shorter than the current one, so two reviews in a day
  never shorten it (a rating whose FSRS interval is under a day keeps the plain rules).
* **Rounding** is half away from zero (Rust's ``f32::round``), not Python's half to even.
* **Fuzz** picks from a range around the interval that grows with it (``FUZZ_RANGES``), kept
  inside the minimum and maximum, with at least two choices where the bounds allow.

The rules are restated from Anki's behaviour (``bench/anki_parity.py`` measures them against
Anki itself); see docs/decks.md.
"""

from __future__ import annotations

import math
import struct

FUZZ_RANGES = ((2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, math.inf, 0.05))  # start, end, factor


def as_f32(value: float) -> float:
    """``value`` as a 32-bit float, as Anki computes and stores memory states."""
    result: float = struct.unpack("f", struct.pack("f", value))[0]
    return result


def round_half_up(value: float) -> int:
    """Rust's ``round`` for the non-negative values intervals are: 2.5 → 3 (Python gives 2)."""
    return math.floor(value + 0.5)


def fuzz_delta(interval: float) -> float:
    """How far fuzz may move an interval either way: nothing below 2.5 days, else 1 day plus a
    share of the days in each range."""
    if interval < 2.5:
        return 0.0
    return 1.0 + sum(
        factor * max(min(interval, end) - start, 0.0) for start, end, factor in FUZZ_RANGES
    )


def fuzz_bounds(interval: float, minimum: int, maximum: int) -> tuple[int, int]:
    """The whole days fuzz chooses from, inside ``minimum``..``maximum``."""
    minimum = min(minimum, maximum)
    interval = min(max(interval, float(minimum)), float(maximum))
    delta = fuzz_delta(interval)
    lower = min(max(round_half_up(interval - delta), minimum), maximum)
    upper = min(max(round_half_up(interval + delta), minimum), maximum)
    if upper == lower and 2 < upper < maximum:
        upper = lower + 1
    return lower, upper


def whole_days(interval: float, minimum: int, maximum: int, fuzz: float | None) -> int:
    """An interval in whole days within the bounds; ``fuzz`` in [0, 1) picks within the fuzz
    range (None: no fuzz, the interval rounded)."""
    maximum = max(maximum, 1)
    minimum = min(max(minimum, 1), maximum)
    if fuzz is None:
        return min(max(round_half_up(interval), minimum), maximum)
    lower, upper = fuzz_bounds(interval, minimum, maximum)
    return math.floor(lower + fuzz * (1 + upper - lower))


def passing_review_days(
    hard: float,
    good: float,
    easy: float,
    last: tuple[int, int],
    maximum: int,
    fuzz: float | None,
) -> tuple[int, int, int]:
    """Hard, Good and Easy on a review card: each at least a day longer than the one before;
    reviewed early, none of a day or more below the current interval.

    ``last`` is (the card's scheduled interval, the study days since its last review).
    """
    scheduled, elapsed = last
    if elapsed < scheduled:  # reviewed early: no passing interval shorter than the current one
        hard, good, easy = (max(x, float(scheduled)) if x >= 1 else x for x in (hard, good, easy))
    hard_days = whole_days(hard, 1, maximum, fuzz)
    good_days = whole_days(good, hard_days + 1, maximum, fuzz)
    easy_days = whole_days(easy, good_days + 1, maximum, fuzz)
    return hard_days, good_days, easy_days


def graduating_days(interval: float, maximum: int, fuzz: float | None) -> int:
    """Again, Hard or Good leaving the learning steps: at least a day."""
    return whole_days(float(max(round_half_up(interval), 1)), 1, maximum, fuzz)


def easy_from_learning_days(good: float, easy: float, maximum: int, fuzz: float | None) -> int:
    """Easy on a learning card: at least a day longer than Good's interval would be."""
    good_days = whole_days(good, 1, maximum, fuzz)
    return whole_days(float(max(round_half_up(easy), 1)), good_days + 1, maximum, fuzz)
