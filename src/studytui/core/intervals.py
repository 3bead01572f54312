"""Whole-day intervals from FSRS stabilities, under the constraints Anki's v3 scheduler applies.

FSRS gives each rating a stability; the interval is the time until recall is predicted to fall
to the desired retention, in days, as a fraction. Anki turns those fractions into whole days with
rules ``fsrs`` (py-fsrs) does not have, so a switching learner would see other intervals:

* **Passing a review card**: Hard at least 1 day, Good at least Hard + 1, Easy at least Good + 1
  (each also at most the maximum interval).
* **Easy on a learning or relearning card**: at least the Good interval + 1, even while Good
  would still be a step.
* **Never shorter than the current interval** when FSRS's interval is longer than the days
  elapsed: reviewing early (even twice a day) never shortens a card, and fuzz never takes an
  interval below the current one.
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
    """Hard, Good and Easy on a review card: each at least a day longer than the one before,
    and none below the current interval when FSRS gives more than the days elapsed.

    ``last`` is (the card's scheduled interval, the study days since its last review).
    """
    scheduled, elapsed = last

    def floor(interval: float) -> int:
        """Longer than the days elapsed: at least the current interval (reviewed early, twice
        a day, it never shortens; fuzz never takes it below)."""
        return scheduled if round_half_up(interval) > elapsed else 1

    hard_days = whole_days(hard, floor(hard), maximum, fuzz)
    good_days = whole_days(good, max(floor(good), hard_days + 1), maximum, fuzz)
    easy_days = whole_days(easy, max(floor(easy), good_days + 1), maximum, fuzz)
    return hard_days, good_days, easy_days


def graduating_days(interval: float, maximum: int, fuzz: float | None) -> int:
    """Again, Hard or Good leaving the learning steps: at least a day."""
    return whole_days(float(max(round_half_up(interval), 1)), 1, maximum, fuzz)


def easy_from_learning_days(good: float, easy: float, maximum: int, fuzz: float | None) -> int:
    """Easy on a learning card: at least a day longer than Good's interval would be."""
    good_days = whole_days(good, 1, maximum, fuzz)
    return whole_days(float(max(round_half_up(easy), 1)), good_days + 1, maximum, fuzz)


_MASK32 = 0xFFFFFFFF
_MASK64 = 0xFFFFFFFFFFFFFFFF


def _rotl(x: int, n: int) -> int:
    return ((x << n) | (x >> (32 - n))) & _MASK32


def _pcg32_seed(state: int) -> list[int]:
    """rand_core's ``seed_from_u64``: eight PCG32 outputs as the 32-byte key (little-endian)."""
    words = []
    for _ in range(8):
        state = (state * 6364136223846793005 + 11634580027462260723) & _MASK64
        xorshifted = (((state >> 18) ^ state) >> 27) & _MASK32
        rot = state >> 59
        words.append(((xorshifted >> rot) | (xorshifted << (32 - rot))) & _MASK32)
    return words


def _chacha12_first_word(key: list[int]) -> int:
    """The first output word of ChaCha12 (counter 0, stream 0): rand's ``StdRng``."""
    state = [0x61707865, 0x3320646E, 0x79622D32, 0x6B206574, *key, 0, 0, 0, 0]
    x = list(state)

    def quarter(a: int, b: int, c: int, d: int) -> None:
        x[a] = (x[a] + x[b]) & _MASK32
        x[d] = _rotl(x[d] ^ x[a], 16)
        x[c] = (x[c] + x[d]) & _MASK32
        x[b] = _rotl(x[b] ^ x[c], 12)
        x[a] = (x[a] + x[b]) & _MASK32
        x[d] = _rotl(x[d] ^ x[a], 8)
        x[c] = (x[c] + x[d]) & _MASK32
        x[b] = _rotl(x[b] ^ x[c], 7)

    for _ in range(6):  # 12 rounds: 6 double rounds
        quarter(0, 4, 8, 12)
        quarter(1, 5, 9, 13)
        quarter(2, 6, 10, 14)
        quarter(3, 7, 11, 15)
        quarter(0, 5, 10, 15)
        quarter(1, 6, 11, 12)
        quarter(2, 7, 8, 13)
        quarter(3, 4, 9, 14)
    return (x[0] + state[0]) & _MASK32


def anki_fuzz_factor(card_id: int, reps: int) -> float:
    """Where in its fuzz range a card's interval falls, as Anki draws it: ``StdRng`` seeded with
    the card id plus its number of earlier reviews, one float from [0, 1)."""
    word = _chacha12_first_word(_pcg32_seed((card_id + reps) & _MASK64))
    return as_f32((word >> 9) / float(1 << 23))
