"""Deterministic benchmark data: decks, cards with three years of review history, pomodoros.

Standard library only: the peers' throwaway environments import this file too, so studytui,
Anki and Watson are all fed the same generated data (same seed, same numbers).

Times are kept relative: seconds *before* the anchor instant ``now`` that a writer is given.
Each writer turns them into its own representation (studytui's UTC text columns, Anki's
day numbers and millisecond ids, Watson's epoch seconds).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import NamedTuple

DAY = 86_400
YEAR_DAYS = 365
HISTORY_DAYS = 3 * YEAR_DAYS
SEED = 20_261_121

# Card states, as FSRS names them (0 = never reviewed).
NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
CATEGORIES = ("hands-on", "theory", "community")
CATEGORY_WEIGHTS = (70, 20, 10)


@dataclass(frozen=True)
class Scale:
    name: str
    cards: int
    decks: int
    reviews: int
    sessions: int
    sync_cards: int  # cards in the deck files the sync benchmark loads

    def describe(self) -> str:
        return (
            f"{self.cards:,} cards in {self.decks} decks, {self.reviews:,} review logs over "
            f"3 years, {self.sessions:,} pomodoros; deck sync of {self.sync_cards:,} cards"
        )


SCALES: dict[str, Scale] = {
    "1k": Scale("1k", 1_000, 2, 10_000, 200, 100),
    "10k": Scale("10k", 10_000, 20, 100_000, 2_000, 1_000),
    "100k": Scale("100k", 100_000, 200, 1_000_000, 20_000, 10_000),
}
SCALES["small"] = SCALES["10k"]  # a tenth of full scale
SCALES["full"] = SCALES["100k"]


@dataclass(frozen=True)
class DeckSpec:
    name: str  # also the topic id
    title: str


@dataclass
class CardSpec:
    deck: int  # index into decks
    key: str
    kind: str
    front: str
    back: str
    tags: str
    position: int
    created: float  # seconds before now
    state: int = NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: float | None = None  # seconds before now (negative: in the future)
    last_review: float | None = None
    reps: int = 0
    lapses: int = 0
    interval_days: float = 0.0


class ReviewSpec(NamedTuple):
    card: int  # index into cards
    rating: int
    at: float  # seconds before now
    duration_ms: int
    state_before: int
    state_after: int
    stability_before: float | None
    difficulty_before: float | None
    stability_after: float
    difficulty_after: float
    due_after: float  # seconds before now (negative: in the future)
    interval_days: float  # scheduled interval after this review
    last_interval_days: float


class SessionSpec(NamedTuple):
    category: str
    topic: str
    start: float  # seconds before now
    seconds: int
    completed: bool
    note: str | None


@dataclass
class Dataset:
    scale: Scale
    decks: list[DeckSpec]
    cards: list[CardSpec]
    reviews: list[ReviewSpec] = field(repr=False)
    sessions: list[SessionSpec] = field(repr=False)


_SYLLABLES = (
    "ra", "to", "mi", "ke", "lo", "sa", "ne", "vi", "pu", "de", "ta", "gra", "dient", "ten",
    "sor", "vec", "lay", "er", "mo", "del", "at", "ion", "fea", "ture", "lin", "ear", "net",
    "work", "loss", "bat", "ch", "norm", "cal", "pro", "ba", "bil", "ity", "ex", "pec", "ted",
)  # fmt: skip


def _vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    words = {"".join(rng.choices(_SYLLABLES, k=rng.randint(1, 4))) for _ in range(size * 2)}
    return sorted(words)[:size]


def _text(rng: random.Random, words: list[str], low: int, high: int) -> str:
    return " ".join(rng.choices(words, k=rng.randint(low, high)))


def _quotas(rng: random.Random, n: int, total: int) -> list[int]:
    """``n`` review counts, each at least 1, averaging total/n and summing to exactly total."""
    if n == 0:
        return []
    mean = total / n
    quotas = [max(1, round(rng.expovariate(1 / mean) * 0.6 + mean * 0.4)) for _ in range(n)]
    diff = total - sum(quotas)
    step = 1 if diff > 0 else -1
    while diff:
        i = rng.randrange(n)
        if step < 0 and quotas[i] <= 1:
            continue
        quotas[i] += step
        diff -= step
    return quotas


def _simulate(rng: random.Random, count: int) -> list[tuple[int, int, float, float, float]]:
    """One card's reviews: (rating, state_before, stability_after, difficulty_after, interval_d).

    A coarse FSRS-like model: stability grows by a factor on a pass and falls on a lapse; the
    next interval is the stability (90% retention); lapses go through one relearning step.
    """
    out: list[tuple[int, int, float, float, float]] = []
    state = NEW
    s = 0.0
    d = rng.uniform(3.0, 7.0)
    for k in range(count):
        r = rng.random()
        if state in (NEW, LEARNING, RELEARNING):
            rating = AGAIN if r < 0.12 else EASY if r > 0.95 else GOOD
        else:
            rating = AGAIN if r < 0.09 else HARD if r < 0.20 else EASY if r > 0.94 else GOOD
        if k == count - 1 and rating == AGAIN and rng.random() < 0.97:
            # A lapse is relearned minutes later: few cards sit in (re)learning at any time.
            rating = GOOD
        before = state
        if state == NEW:
            s = {AGAIN: 0.2, HARD: 1.2, GOOD: 3.2, EASY: 15.7}[rating]
        elif rating == AGAIN:
            s = max(0.1, s * rng.uniform(0.15, 0.4))
        elif state == REVIEW:
            s *= {HARD: 1.2, GOOD: rng.uniform(1.8, 3.0), EASY: rng.uniform(3.0, 4.5)}[rating]
        d = min(10.0, max(1.0, d + {AGAIN: 1.5, HARD: 0.6, GOOD: -0.1, EASY: -0.8}[rating]))
        if rating == AGAIN:
            state = LEARNING if before in (NEW, LEARNING) else RELEARNING
            interval = 10 / (24 * 60)  # ten minutes
        else:
            state = REVIEW
            interval = min(365.0, max(1.0, round(s)))
        out.append((rating, before, s, d, interval))
    return out


def _kind_and_key(i: int) -> tuple[str, str]:
    """Keys as deck files make them (docs/decks.md): concept pairs, cloze, hand-written cards."""
    m = i % 4
    if m == 0:
        return "concept", f"concept:c{i:06d}:fwd"
    if m == 1:
        return "concept-rev", f"concept:c{i - 1:06d}:rev"
    if m == 2:
        return "cloze", f"cloze:c{i:06d}:c1"
    return "basic", f"card:c{i:06d}"


def generate(scale: Scale, seed: int = SEED) -> Dataset:
    """The whole data set for a scale; same seed, same data (a few seconds at full scale)."""
    rng = random.Random(seed)
    words = _vocabulary(rng)
    decks = [DeckSpec(f"bench-{i:03d}", f"Bench deck {i:03d}") for i in range(scale.decks)]
    per_deck = math.ceil(scale.cards / scale.decks)
    cards: list[CardSpec] = []
    for i in range(scale.cards):
        deck = i // per_deck
        kind, key = _kind_and_key(i)
        cards.append(
            CardSpec(
                deck=deck,
                key=key,
                kind=kind,
                front=_text(rng, words, 5, 14) + "?",
                back=_text(rng, words, 8, 30) + ".",
                tags="bench" if i % 3 else "bench extra",
                position=i - deck * per_deck,
                created=0.0,
            )
        )
    # 10% of the cards have never been reviewed; the rest share the review logs.
    reviewed = [i for i in range(scale.cards) if i % 10 != 9] if scale.reviews else []
    quotas = _quotas(rng, len(reviewed), scale.reviews)
    horizon = HISTORY_DAYS * DAY - DAY
    reviews: list[ReviewSpec] = []
    for idx, quota in zip(reviewed, quotas, strict=True):
        steps = _simulate(rng, quota)
        intervals = [step[4] for step in steps]
        # Where the last review sits: mostly inside its interval, some cards overdue.
        f = rng.uniform(1.0, 1.6) if rng.random() < 0.04 else rng.uniform(0.0, 0.97)
        gap = intervals[-1] * f * DAY
        span = sum(intervals[:-1]) * DAY
        squeeze = min(1.0, (horizon - gap) / span) if span > 0 else 1.0
        t = gap + span * squeeze  # first review, seconds before now
        card = cards[idx]
        card.created = t + rng.uniform(60, 30 * DAY)
        s_prev: float | None = None
        d_prev: float | None = None
        last_iv = 0.0
        for k, (rating, before, s, d, interval) in enumerate(steps):
            if k:
                t -= intervals[k - 1] * DAY * squeeze
                t = max(t, gap)  # rounding must not push a review past the last one
            t_review = max(1.0, t - rng.uniform(0, 600)) if k else t
            after = (
                REVIEW
                if rating != AGAIN
                else (LEARNING if before in (NEW, LEARNING) else RELEARNING)
            )
            reviews.append(
                ReviewSpec(
                    card=idx,
                    rating=rating,
                    at=t_review,
                    duration_ms=int(math.exp(rng.gauss(8.8, 0.6))),
                    state_before=before,
                    state_after=after,
                    stability_before=s_prev,
                    difficulty_before=d_prev,
                    stability_after=s,
                    difficulty_after=d,
                    due_after=t_review - interval * DAY,
                    interval_days=interval,
                    last_interval_days=last_iv,
                )
            )
            s_prev, d_prev, last_iv = s, d, interval
        last = reviews[-1]
        card.state = last.state_after
        card.step = 0 if card.state in (LEARNING, RELEARNING) else None
        card.stability = last.stability_after
        card.difficulty = last.difficulty_after
        card.last_review = last.at
        card.due = last.due_after
        card.reps = quota
        card.lapses = sum(1 for st in steps if st[0] == AGAIN and st[1] == REVIEW)
        card.interval_days = last.interval_days
    for i in set(range(scale.cards)) - set(reviewed):
        cards[i].created = rng.uniform(DAY, horizon)
    reviews.sort(key=lambda r: -r.at)
    return Dataset(scale, decks, cards, reviews, _sessions(rng, scale, decks))


def _sessions(rng: random.Random, scale: Scale, decks: list[DeckSpec]) -> list[SessionSpec]:
    """Pomodoros of 25 minutes with 5-minute breaks from 08:00 UTC, evenly over three years."""
    out: list[SessionSpec] = []
    per_day = scale.sessions / HISTORY_DAYS
    carry = 0.0
    day = 0  # days before today
    while len(out) < scale.sessions:
        carry += per_day
        n = int(carry)
        carry -= n
        # Today only counts the pomodoros already over (the anchor is 09:00 UTC).
        for slot in range(n):
            start_of_day = day * DAY - 8 * 3600  # 08:00 of that day, before "now" at 09:00
            start = start_of_day - slot * 1800 - rng.uniform(0, 120)
            seconds = 1500 if rng.random() < 0.9 else rng.randint(300, 1499)
            if start - seconds < 0:
                continue  # not over yet
            out.append(
                SessionSpec(
                    category=rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0],
                    topic=decks[rng.randrange(len(decks))].name,
                    start=start,
                    seconds=seconds,
                    completed=seconds == 1500,
                    note=None if rng.random() < 0.8 else "notes from the session",
                )
            )
            if len(out) == scale.sessions:
                break
        day += 1
    return out


def deck_file_text(deck: DeckSpec, cards: list[CardSpec], *, variant: int = 0) -> str:
    """A deck YAML file (docs/decks.md) holding ``cards`` as hand-written cards.

    ``variant`` > 0 edits the back of every third card, so a sync has work to do.
    """
    lines = ["schema: 1", f"topic: {deck.name}", f"title: {deck.title}", "", "cards:"]
    for i, card in enumerate(cards):
        back = card.back + (f" (edit {variant})" if variant and i % 3 == 0 else "")
        lines.append(f"  - id: c{i:05d}")
        lines.append(f"    front: {_yaml_str(card.front)}")
        lines.append(f"    back: {_yaml_str(back)}")
    return "\n".join(lines) + "\n"


def _yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
