"""Which cards a parsed query matches, and the browser's sort orders. Pure: no I/O.

Each card comes as a ``CardRow`` with what the terms ask about already worked out (its study
days, interval, lapses); ``matcher`` turns the query's tree into one predicate over rows.
Meanings follow Anki's browser (``rslib/src/search/sqlwriter.rs``) where studytui has the same
notion: ``is:due`` is a review or day-learning card due by today, or a learning card due within the
learn-ahead limit, and neither suspended nor buried; ``is:review`` includes relearning cards;
``prop:d`` is difficulty on Anki's 0-to-1 scale, (D − 1) / 9. ``bench/anki_queue_parity.py``
compares every operator with Anki's ``find_cards`` on the same cards, day by day.
"""

from __future__ import annotations

import fnmatch
import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from studytui.core.cardsearch.query import All, Any_, Node, Not, SearchError, Term

NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3
STATE_NAMES = {NEW: "new", LEARNING: "learning", REVIEW: "review", RELEARNING: "relearning"}
SORTS = ("due", "interval", "difficulty", "stability", "lapses", "reviews", "created", "deck")


@dataclass(frozen=True)
class CardRow:
    """One live card as the browser lists it."""

    id: int
    deck: str
    deck_title: str
    topic_id: str | None
    key: str
    kind: str
    front: str
    back: str
    tags: tuple[str, ...]
    state: int
    due: datetime | None
    due_day: date | None  # the study day it is due (learning cards: the day of their due time)
    # Anki's ivl: review cards, due day minus last review day; relearning cards the same (Anki
    # keeps the interval they return to); new and learning cards 0.
    interval_days: int | None
    stability: float | None
    difficulty: float | None
    suspended: bool
    buried: bool  # buried by hand or, today, because a sibling was answered (as Anki's queue -3)
    # A learning card due by day (Anki's "day learning" queue: a step ending on a later study
    # day, or one from an earlier day), not at a time today.
    day_learning: bool
    created_day: date
    reps: int
    lapses: int
    leech_threshold: int  # its deck preset's (0: leeches off)

    @property
    def state_name(self) -> str:
        return STATE_NAMES.get(self.state, str(self.state))


@dataclass(frozen=True)
class MatchContext:
    """What terms compare against: today, now, and the cards rated in a window."""

    today: date
    now: datetime
    day_end: datetime
    learn_ahead: datetime  # now plus the learn-ahead limit (20 minutes, as Anki's)
    rated: dict[tuple[int, int | None], frozenset[int]]  # (days, rating) -> card ids


Predicate = Callable[[CardRow], bool]
_OPS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt, "<=": operator.le, "=": operator.eq, "!=": operator.ne,
    ">=": operator.ge, ">": operator.gt,
}  # fmt: skip


def _wildcard(text: str) -> re.Pattern[str]:
    """Anki's text search: ``*`` any run, ``_`` one character, ``\\*`` a literal star."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            out.append(re.escape(text[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "*" else "." if ch == "_" else re.escape(ch))
        i += 1
    return re.compile("".join(out), re.IGNORECASE | re.DOTALL)


def _glob(value: str) -> Callable[[str], bool]:
    pattern = value.casefold()
    return lambda name: fnmatch.fnmatchcase(name.casefold(), pattern)


def _prop(term: Term, ctx: MatchContext) -> Predicate:
    compare = _OPS[term.op]
    want = term.number

    def value(row: CardRow) -> float | None:
        if term.value == "ivl":
            return row.interval_days
        if term.value == "due":  # Anki: review and day-learning cards by day, learning by time
            if row.state == NEW or row.due is None or row.suspended or row.buried:
                return None
            if row.state == REVIEW or row.day_learning:
                return None if row.due_day is None else (row.due_day - ctx.today).days
            return int((row.due - ctx.day_end).total_seconds() / 86400)  # truncated, as SQL
        if term.value == "reps":
            return row.reps
        if term.value == "lapses":
            return row.lapses
        if term.value == "s":
            return row.stability
        return None if row.difficulty is None else (row.difficulty - 1) / 9

    def check(row: CardRow) -> bool:
        v = value(row)
        return v is not None and compare(round(v, 6), want)

    return check


def _is(state: str, ctx: MatchContext) -> Predicate:
    if state == "new":
        return lambda r: r.state == NEW
    if state == "learn":
        return lambda r: r.state in (LEARNING, RELEARNING)
    if state == "review":
        return lambda r: r.state in (REVIEW, RELEARNING)
    if state == "suspended":
        return lambda r: r.suspended
    if state == "buried":
        return lambda r: r.buried
    if state == "leech":
        return lambda r: 0 < r.leech_threshold <= r.lapses

    def due(r: CardRow) -> bool:
        if r.suspended or r.buried or r.due is None or r.state == NEW:
            return False
        if r.state == REVIEW or r.day_learning:
            return r.due_day is not None and r.due_day <= ctx.today
        return r.due <= ctx.learn_ahead  # learning due at a time: within the learn-ahead

    return due


def _term(term: Term, ctx: MatchContext) -> Predicate:
    kind, value = term.kind, term.value
    if kind == "text":
        pattern = _wildcard(value)
        return lambda r: bool(pattern.search(r.front) or pattern.search(r.back))
    if kind == "re":
        regex = re.compile(value, re.IGNORECASE)
        return lambda r: bool(regex.search(r.front) or regex.search(r.back))
    if kind in ("front", "back"):
        pattern = _wildcard(value)
        if kind == "front":
            return lambda r: bool(pattern.search(r.front))
        return lambda r: bool(pattern.search(r.back))
    if kind == "deck":
        match = _glob(value)
        return lambda r: match(r.deck) or match(r.deck_title)
    if kind == "topic":
        match = _glob(value)
        return lambda r: r.topic_id is not None and match(r.topic_id)
    if kind == "tag":
        match = _glob(value)
        return lambda r: any(match(t) for t in r.tags)
    if kind == "key":
        match = _glob(value)
        return lambda r: match(r.key)
    if kind == "kind":
        want = value.lower()
        return lambda r: r.kind == want
    if kind == "cid":
        ids = {int(p) for p in value.split(",")}
        return lambda r: r.id in ids
    if kind == "is":
        return _is(value, ctx)
    if kind == "prop":
        return _prop(term, ctx)
    if kind == "rated":
        rated = ctx.rated[(int(term.number), term.rating)]
        return lambda r: r.id in rated
    if kind == "added":
        first = ctx.today.toordinal() - int(term.number) + 1
        return lambda r: r.created_day.toordinal() >= first
    raise SearchError(f"unknown term {kind}:{value}")


def matcher(node: Node | None, ctx: MatchContext) -> Predicate:
    """One predicate for the whole tree (None: every card)."""
    if node is None:
        return lambda r: True
    if isinstance(node, Term):
        return _term(node, ctx)
    if isinstance(node, Not):
        inner = matcher(node.child, ctx)
        return lambda r: not inner(r)
    parts = [matcher(c, ctx) for c in node.children]
    if isinstance(node, All):
        return lambda r: all(p(r) for p in parts)
    assert isinstance(node, Any_)
    return lambda r: any(p(r) for p in parts)


def sort_rows(rows: Sequence[CardRow], by: str, descending: bool = False) -> list[CardRow]:
    """Rows in a browser column's order; cards without that value come last either way."""
    if by not in SORTS:
        raise SearchError(f"'{by}' is not a sort column; use {', '.join(SORTS)}")

    def key(r: CardRow) -> float | str | None:
        if by == "due":
            return None if r.due is None or r.state == NEW else r.due.timestamp()
        if by == "interval":
            return r.interval_days
        if by == "difficulty":
            return r.difficulty
        if by == "stability":
            return r.stability
        if by == "lapses":
            return r.lapses
        if by == "reviews":
            return r.reps
        if by == "created":
            return r.created_day.toordinal() * 1e9 + r.id
        return f"{r.deck}\0{r.key}"

    present = [(k, r) for r in rows if (k := key(r)) is not None]
    missing = [r for r in rows if key(r) is None]
    present.sort(key=lambda kr: (kr[0], kr[1].id), reverse=descending)
    return [r for _, r in present] + missing
