"""Whole-day intervals from FSRS stabilities, under the constraints Anki's v3 scheduler applies.

FSRS gives each rating a stability; the interval is the time until recall is predicted to fall
to the desired retention, in days, as a fraction. Anki turns those fractions into whole days with
rules ``fsrs`` (py-fsrs) does not have, so a switching learner would see other intervals:

* **Passing a review card**: Hard at least 1 day, Good at least Hard + 1, Easy at least Good + 1
  (each also at most the maximum interval).
* **Easy on a learning or relearning card**: at least the Good interval + 1, even while Good
  would still be a step.
* **Never shorter than the current interval** while FSRS's interval has not shrunk past the
  fuzz range: a day more than the current interval when FSRS's rounds above it, else at least
  the current interval when it lies within the fuzz range's top (fuzz never shortens a card).
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
    share of the days in each range. In 32-bit floats step by step, as Anki computes it (at a
    few hundred days the rounding of a bound can otherwise differ by a day)."""
    if interval < 2.5:
        return 0.0
    delta = 1.0
    for start, end, factor in FUZZ_RANGES:
        days = as_f32(max(as_f32(min(interval, end) - start), 0.0))
        delta = as_f32(delta + as_f32(as_f32(factor) * days))
    return delta


def fuzz_bounds(interval: float, minimum: int, maximum: int) -> tuple[int, int]:
    """The whole days fuzz chooses from, inside ``minimum``..``maximum``."""
    minimum = min(minimum, maximum)
    interval = min(max(interval, float(minimum)), float(maximum))
    delta = fuzz_delta(interval)
    lower = min(max(round_half_up(as_f32(interval - delta)), minimum), maximum)
    upper = min(max(round_half_up(as_f32(interval + delta)), minimum), maximum)
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
    return math.floor(as_f32(lower + as_f32(fuzz * (1 + upper - lower))))


def minimum_review_days(interval: float, previous: int, maximum: int) -> int:
    """The least a passing rating may give, from the card's current interval ``previous``
    (Anki's ``minimum_review_fuzz_interval``): when FSRS's interval rounds above it, a day more;
    when it has not grown past the fuzz range's top, the current interval (fuzz never shortens
    it); when it shrank below that (new parameters or desired retention), no minimum."""
    if round_half_up(interval) > previous:
        return previous + 1
    _lower, upper = fuzz_bounds(interval, 1, maximum)
    return previous if previous <= upper else 0


def passing_review_days(
    hard: float,
    good: float,
    easy: float,
    previous: int,
    maximum: int,
    fuzz: float | None,
) -> tuple[int, int, int]:
    """Hard, Good and Easy on a review card: each at least a day longer than the one before,
    and none below ``minimum_review_days`` of the card's current interval ``previous``."""
    hard_days = whole_days(hard, max(minimum_review_days(hard, previous, maximum), 1), maximum,
                           fuzz)  # fmt: skip
    good_days = whole_days(
        good, max(minimum_review_days(good, previous, maximum), hard_days + 1), maximum, fuzz
    )
    easy_days = whole_days(
        easy, max(minimum_review_days(easy, previous, maximum), good_days + 1), maximum, fuzz
    )
    return hard_days, good_days, easy_days


def graduating_days(interval: float, maximum: int, fuzz: float | None) -> int:
    """Again, Hard or Good leaving the learning steps: at least a day."""
    return whole_days(float(max(round_half_up(interval), 1)), 1, maximum, fuzz)


def easy_from_learning_days(good: float, easy: float, maximum: int, fuzz: float | None) -> int:
    """Easy on a learning card: at least a day longer than Good's interval would be."""
    good_days = whole_days(good, 1, maximum, fuzz)
    return whole_days(float(max(round_half_up(easy), 1)), good_days + 1, maximum, fuzz)
