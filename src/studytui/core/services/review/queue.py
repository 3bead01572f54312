"""Building the day's review queue.

Daily limits (``review.new_cards_per_day``, ``review.reviews_per_day``) count the study day's
review logs: a card rated for the first time counts as new, a rating of a card in the Review state
as a review; the review limit caps new cards too, as in Anki (``core/daily_limits.py``). Burying or
suspending a card uses up nothing: the session takes the next new card in its place
(``more_new``), as Anki counts only the new cards introduced.

New cards come in roadmap order: this week's topics first, then earlier weeks (the most recent
first), then later weeks, then topics outside the roadmap; within a deck in file order. Two cards
made from the same concept, statement or card (siblings) are not both introduced on one day.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from studytui.core.daily_limits import DayLimits
from studytui.core.decks.cards import sibling_group
from studytui.core.errors import StudyError
from studytui.core.presets import DEFAULT_PRESET
from studytui.core.scheduling import Status
from studytui.core.services.review.limits import NewCaps, day_limits
from studytui.core.services.review.rows import (
    DeckRef,
    QueueRow,
    answered_rows,
    card_keys,
    deck_rows,
    full_rows,
    including_decks,
    learning_rows,
    new_rows,
    raw_connection,
    review_rows,
)
from studytui.core.services.review.session import ReviewSession
from studytui.core.services.review.views import (
    CardView,
    ReviewFilter,
    deck_labels,
    row_view,
)
from studytui.core.siblings import (
    GATHER_ORDER,
    INTERDAY,
    INTRADAY,
    NEW,
    REVIEW,
    Burying,
    BuryRules,
)
from studytui.core.studyday import StudyCalendar, roadmap_week

if TYPE_CHECKING:
    from studytui.core.services.review.service import ReviewService
    from studytui.core.services.schedulers import Schedulers


def roadmap_rank(service: ReviewService) -> dict[str, tuple[int, int]]:
    """Order of topics for new cards: this week, then earlier weeks, later weeks, the rest."""
    try:
        cur = service.ctx.curriculum()
    except StudyError:
        return {}
    week = roadmap_week(service.ctx.start_date(), cur.first_week, service.ctx.today())
    weeks: dict[str, set[int]] = {}
    for phase in cur.phases:
        for entry in phase.weeks:
            for tid in entry.topics:
                weeks.setdefault(tid, set()).update(entry.span.weeks)
    rank: dict[str, tuple[int, int]] = {}
    for tid, ws in weeks.items():
        if week in ws:
            rank[tid] = (0, 0)
        elif past := [w for w in ws if w < week]:
            rank[tid] = (1, week - max(past))
        else:
            rank[tid] = (2, min(ws) - week)
    return rank


# Reviews the review screen reads before its first card; the rest of the queue is gathered by
# ``start`` in the background and adopted by the session (``ReviewSession.adopt``).
HEAD_PAGE = 20


def start(service: ReviewService, flt: ReviewFilter | None = None) -> ReviewSession:
    """Load today's whole queue for a filter."""
    flt = flt or ReviewFilter()
    if flt.is_custom:
        from studytui.core.services.review.custom import custom_session

        return custom_session(service, flt)
    return _build(service, flt, None)


def start_head(service: ReviewService, flt: ReviewFilter | None = None) -> ReviewSession:
    """Today's queue as far as its first cards: every learning card, the first ``HEAD_PAGE``
    reviews (with every limit and burying rule the whole queue applies, so they are the whole
    queue's first reviews) and no new cards yet. With no review due, the new cards come at once
    (the first card is one of them) and the queue is whole.

    At 100k cards the whole queue takes longer than Anki's first queue build; its head is a
    few indexed rows. A session that is not ``complete`` adopts the whole queue from ``start``.
    """
    flt = flt or ReviewFilter()
    if flt.is_custom:
        return start(service, flt)
    return _build(service, flt, HEAD_PAGE)


def _build(service: ReviewService, flt: ReviewFilter, head: int | None) -> ReviewSession:
    cal = service.ctx.calendar
    now = service.ctx.clock.now()
    today = cal.day_of(now)
    day_start = cal.day_start(today)
    schedulers = service.schedulers()
    if head is not None:
        with service.ctx.db.query() as conn:  # no ORM: the first card comes at once
            gathered = _gather_due(service, conn, flt, today, head)
            if gathered.review:  # the first card is a review: new cards come with the rest
                return gathered.session(service, flt, schedulers, complete=False)
    with service.ctx.db.read() as s:
        gathered = _gather_due(service, raw_connection(s), flt, today, None)
        caps = NewCaps(gathered.limits)
        new_rows, gathered.new_limited = new_cards(
            service, s, gathered.decks, caps, today, day_start, burying=gathered.burying
        )
        gathered.new = new_rows
    return gathered.session(service, flt, schedulers, complete=True)


@dataclass
class _Gathered:
    """The due cards of a queue as gathered, its limits and burying so far, and its new cards."""

    label: str
    decks: list[DeckRef]
    by_id: dict[int, tuple[str, str, str | None]]
    limits: DayLimits
    burying: Burying
    day: date
    day_end: datetime
    learning: list[QueueRow]
    review: list[QueueRow]
    review_limited: bool
    # New cards the day's limits leave after the due cards, in all and for each deck with a
    # limit of its own (by name): the session counts them down.
    new_room: int
    deck_new_room: dict[str, int]
    new: list[Any] = field(default_factory=list)
    new_limited: bool = False

    def session(
        self, service: ReviewService, flt: ReviewFilter, schedulers: Schedulers, complete: bool
    ) -> ReviewSession:
        by_id = self.by_id
        return ReviewSession(
            service=service,
            filter=flt,
            label=self.label,
            schedulers=schedulers,
            day=self.day,
            day_end=self.day_end,
            new=deque(row_view(r, by_id[r.deck_id]) for r in self.new),
            new_allowed=self.new_room,
            new_caps=self.deck_new_room,
            review=deque(row_view(r, by_id[r.deck_id]) for r in self.review),
            learning=[(r.due, r.id, row_view(r, by_id[r.deck_id])) for r in self.learning if r.due],
            new_limited=self.new_limited,
            review_limited=self.review_limited,
            complete=complete,
        )


def _gather_due(
    service: ReviewService,
    conn: sqlite3.Connection,
    flt: ReviewFilter,
    today: date,
    head: int | None,
) -> _Gathered:
    """The day's due learning and review cards under the limits and burying, as Anki gathers
    them (``head``: only the first reviews, and none of the day's answers when only new cards
    can be buried, since the head holds none)."""
    cal = service.ctx.calendar
    day_start, day_end = cal.day_bounds(today)
    settings = service.ctx.settings.review
    every = deck_rows(conn)
    decks, label = service.choose(every, flt)
    ids = None if flt.is_all else [d.id for d in decks]
    by_id = {d.id: (d.name, d.title, d.topic_id) for d in every}
    limits = day_limits(service, conn, by_id, day_start, day_end)
    rules = BuryRules.of(settings, {deck_id: name for deck_id, (name, _t, _p) in by_id.items()})
    burying = Burying(rules)
    if head is None or rules.any_review or rules.any_interday:
        for deck_id, key, state_before in answered_rows(conn, day_start):
            burying.answered((deck_id, sibling_group(key)), Status(state_before))
    kinds = [(_learning_kind(r, cal, today), r) for r in learning_rows(conn, ids, day_end, today)]
    # As Anki gathers: learning due at a time (never limited), then learning due on the day
    # (interday), which comes under the review limit like the reviews after it.
    learning = [r for kind, r in kinds if kind == INTRADAY and burying.take(_group(r), kind)]
    review_limited = False
    for kind, r in kinds:
        if kind != INTERDAY or burying.buries(_group(r), INTERDAY):
            continue
        if not limits.take_review(r.deck_id):
            review_limited = True
            continue
        burying.take(_group(r), INTERDAY)
        learning.append(r)
    learning.sort(key=lambda r: (r.due, r.id))
    # Buried reviews do not count against the limit: read on until it is reached. A review of a
    # deck at its own limit waits; others still come while the total has room.
    review = []
    for r in review_rows(conn, ids, day_end, today, head):
        if burying.buries(_group(r), REVIEW):
            continue
        if not limits.take_review(r.deck_id):
            review_limited = True
            if limits.total.reviews <= 0:
                break
            continue
        burying.take(_group(r), REVIEW)
        review.append(r)
    deck_new_room = {
        name: limits.new_room(deck_id)
        for deck_id, (name, _title, _topic) in by_id.items()
        if settings.preset_of(name) != DEFAULT_PRESET
    }
    return _Gathered(
        label, decks, by_id, limits, burying, today, day_end, learning, review, review_limited,
        limits.new_room(), deck_new_room,
    )  # fmt: skip


def more_new(
    service: ReviewService,
    flt: ReviewFilter,
    day: date,
    count: int,
    held: Collection[int],
    deck_room: Mapping[str, int] | None = None,
) -> tuple[list[CardView], bool]:
    """Up to ``count`` more new cards for a session that holds (or held) the new cards ``held``:
    the ones it buried or suspended, rated, or still has queued (their writes may be pending);
    ``deck_room``: how many more each deck (by name) may still introduce (absent: no limit of
    its own)."""
    day_start = service.ctx.calendar.day_start(day)
    with service.ctx.db.read() as s:
        decks, _ = service.resolve(s, flt)
        by_id = deck_labels(s)
        ids = {name: deck_id for deck_id, (name, _t, _p) in by_id.items()}
        room = {ids[name]: n for name, n in (deck_room or {}).items() if name in ids}
        caps = NewCaps(None, count, room)
        rows, limited = new_cards(service, s, decks, caps, day, day_start, held)
        return [row_view(r, by_id[r.deck_id]) for r in rows], limited


def new_cards(
    service: ReviewService,
    s: Session,
    decks: Sequence[DeckRef],
    caps: NewCaps,
    today: date,
    day_start: datetime,
    held: Collection[int] = (),
    burying: Burying | None = None,
) -> tuple[list[Any], bool]:
    """New cards in roadmap order, as many as ``caps`` lets in (in all and per home deck);
    none of ``held`` (cards a session already has), nor, with ``review.bury_new_siblings``, a
    sibling of one or of a card answered or queued today (``burying``: what the queue gathered
    before; None: gathered again here). Also whether a limit kept back a new card."""
    if not decks:
        return [], False
    rank = roadmap_rank(service)
    far = (3, 0)
    ordered = sorted(decks, key=lambda d: (rank.get(d.topic_id or "", far), d.name))
    conn = raw_connection(s)
    deck_ids = [d.id for d in decks]
    if burying is None:  # a session asking for more: what its queue would have gathered
        burying = _as_gathered(service, conn, decks, today)
    held = set(held)
    if held:  # the new cards a session holds, or held: their siblings wait
        for deck_id, key in card_keys(conn, held):
            burying.take((deck_id, sibling_group(key)), NEW)
    # One read for every deck (a query per deck scanned the includes for each of ~200 decks at
    # 100k cards): each deck's own new cards and the ones it includes, in file order.
    listed = new_rows(conn, deck_ids, today)
    including = including_decks(conn, deck_ids)
    out: list[int] = []
    limited = False
    for deck in ordered:
        rows = listed.get(deck.id)
        if not rows:
            continue
        if caps.exhausted:
            return full_rows(conn, out), True
        if caps.full(deck.id) and deck.id not in including:  # none of its cards can come
            limited = True
            continue
        for card in rows:
            if card.id in held or burying.buries(_group(card), NEW):
                continue
            if caps.exhausted:
                return full_rows(conn, out), True
            if not caps.take(card.deck_id):  # its deck's own limit: the next deck may have room
                limited = True
                continue
            burying.take(_group(card), NEW)
            out.append(card.id)
    return full_rows(conn, out), limited


def _group(row: Any) -> tuple[int, str]:
    return (row.deck_id, sibling_group(row.key))


def _learning_kind(row: Any, cal: StudyCalendar, today: date) -> str:
    """A learning card reviewed on an earlier study day is due on the day (Anki's interday)."""
    last = row.last_review
    return INTERDAY if last is not None and cal.day_of(last) < today else INTRADAY


def _as_gathered(
    service: ReviewService, conn: sqlite3.Connection, decks: Sequence[DeckRef], today: date
) -> Burying:
    """The burying the day's queue of these decks caused: the day's answers (Anki buries
    siblings on answer), then its due learning and review cards in the order it gathered them."""
    cal = service.ctx.calendar
    day_start, day_end = cal.day_bounds(today)
    names = {d.id: d.name for d in deck_rows(conn)}
    burying = Burying(BuryRules.of(service.ctx.settings.review, names))
    for deck_id, key, state_before in answered_rows(conn, day_start):
        burying.answered((deck_id, sibling_group(key)), Status(state_before))
    ids = [d.id for d in decks]
    due = [(REVIEW, r) for r in review_rows(conn, ids, day_end, today)] + [
        (_learning_kind(r, cal, today), r) for r in learning_rows(conn, ids, day_end, today)
    ]
    due.sort(key=lambda pair: (pair[1].due, pair[1].id))
    for kind, row in sorted(due, key=lambda pair: GATHER_ORDER.index(pair[0])):  # stable
        burying.take(_group(row), kind)
    return burying
