"""Anki's random draws, reproduced: fuzz factors from Rust rand's ``StdRng``.

Anki seeds ``StdRng::seed_from_u64`` with the card id plus its review count (``reps``), so the
same card at the same point of its history gets the same fuzz on every machine. ``StdRng`` is
ChaCha12 keyed by eight PCG32 outputs of the seed; the interval's fuzz is its first ``f32`` and a
learning step's fuzz its first ``u32`` in a range. Reproducing the draw lets studytui give the
interval Anki would for a card imported with its id and history (``bench/anki_parity.py
--fuzz`` compares them).
"""

from __future__ import annotations

import math

from studytui.core.intervals import as_f32

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


def _chacha12_block(key: list[int]) -> list[int]:
    """The first 16 output words of ChaCha12 (counter 0, stream 0): rand's ``StdRng``."""
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
    return [(a + b) & _MASK32 for a, b in zip(x, state, strict=True)]


def std_rng_u32s(seed: int) -> list[int]:
    """The first ``next_u32`` outputs of Rust rand's ``StdRng::seed_from_u64(seed)``."""
    return _chacha12_block(_pcg32_seed(seed & _MASK64))


def _random_range_u32(words: list[int], low: int, high: int) -> int:
    """rand 0.9's ``random_range(low..high)`` for u32 (Canon's method, biased variant)."""
    span = (high - 1 - low + 1) & _MASK32
    product = words[0] * span
    result, lo_order = product >> 32, product & _MASK32
    if lo_order > ((-span) & _MASK32):
        new_hi = (words[1] * span) >> 32
        result += 1 if lo_order + new_hi > _MASK32 else 0
    return (low + result) & _MASK32


def anki_fuzz_factor(card_id: int, reps: int) -> float:
    """Where in its fuzz range a card's interval falls, as Anki draws it: ``StdRng`` seeded with
    the card id plus its number of earlier reviews, one float from [0, 1)."""
    word = std_rng_u32s(card_id + reps)[0]
    return as_f32((word >> 9) / float(1 << 23))


def anki_learning_secs(card_id: int, reps: int, secs: int) -> int:
    """A learning step with Anki's fuzz: up to 25 % more (at most 5 minutes), drawn from the same
    seed as the interval's fuzz (``learning_ivl_with_fuzz`` in Anki's answering code)."""
    upper_exclusive = secs + math.floor(min(as_f32(secs * 0.25), 300.0))
    if secs >= upper_exclusive:
        return secs
    return _random_range_u32(std_rng_u32s(card_id + reps), secs, upper_exclusive)
