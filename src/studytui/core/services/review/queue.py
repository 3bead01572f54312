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

from collections import deque
from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from studytui.core.decks.cards import sibling_group
from studytui.core.errors import StudyError
from studytui.core.presets import DEFAULT_PRESET
from studytui.core.scheduling import Status
from studytui.core.services.review.limits import NewCaps, day_limits
from studytui.core.services.review.session import ReviewSession
from studytui.core.services.review.views import (
    CARD_COLUMNS,
    CardView,
    ReviewFilter,
    active_clause,
    deck_labels,
    deck_members,
    in_decks,
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
from studytui.core.storage.models import Card, Deck, DeckInclude, ReviewLog
from studytui.core.studyday import StudyCalendar, roadmap_week

if TYPE_CHECKING:
    from studytui.core.services.review.service import ReviewService


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


def start(service: ReviewService, flt: ReviewFilter | None = None) -> ReviewSession:
    """Load today's queue for a filter."""
    flt = flt or ReviewFilter()
    if flt.is_custom:
        from studytui.core.services.review.custom import custom_session

        return custom_session(service, flt)
    cal = service.ctx.calendar
    now = service.ctx.clock.now()
    today = cal.day_of(now)
    day_start, day_end = cal.day_bounds(today)
    settings = service.ctx.settings.review
    schedulers = service.schedulers()
    with service.ctx.db.read() as s:
        decks, label = service.resolve(s, flt)
        ids = [d.id for d in decks]
        by_id = deck_labels(s)
        limits = day_limits(service, s, by_id, day_start, day_end)
        active = active_clause(today)
        names = {deck_id: label[0] for deck_id, label in by_id.items()}
        burying = answered_today(s, day_start, BuryRules.of(settings, names))
        due_learning = s.execute(
            in_decks(
                select(*CARD_COLUMNS).where(
                    Card.state.in_((int(Status.LEARNING), int(Status.RELEARNING))),
                    Card.due < day_end,
                    active,
                ),
                ids,
                flt,
            ).order_by(Card.due, Card.id)
        ).all()
        kinds = [(_learning_kind(r, cal, today), r) for r in due_learning]
        # As Anki gathers: learning due at a time (never limited), then learning due on the
        # day (interday), which comes under the review limit like the reviews after it.
        learning_rows = [
            r for kind, r in kinds if kind == INTRADAY and burying.take(_group(r), kind)
        ]
        review_limited = False
        for kind, r in kinds:
            if kind != INTERDAY or burying.buries(_group(r), INTERDAY):
                continue
            if not limits.take_review(r.deck_id):
                review_limited = True
                continue
            burying.take(_group(r), INTERDAY)
            learning_rows.append(r)
        learning_rows.sort(key=lambda r: (r.due, r.id))
        review_q = in_decks(
            select(*CARD_COLUMNS).where(
                Card.state == int(Status.REVIEW), Card.due < day_end, active
            ),
            ids,
            flt,
        ).order_by(Card.due, Card.id)
        # Buried reviews do not count against the limit: read on until it is reached. A review
        # of a deck at its own limit waits; others still come while the total has room.
        review_rows = []
        for r in s.execute(review_q):
            if burying.buries(_group(r), REVIEW):
                continue
            if not limits.take_review(r.deck_id):
                review_limited = True
                if limits.total.reviews <= 0:
                    break
                continue
            burying.take(_group(r), REVIEW)
            review_rows.append(r)
        new_left = limits.new_room()
        caps = NewCaps(limits)
        # Each deck with a limit of its own: its room now, which the session counts down.
        own_limit = {
            name: limits.new_room(deck_id)
            for deck_id, (name, _title, _topic) in by_id.items()
            if settings.preset_of(name) != DEFAULT_PRESET
        }
        new_rows, new_limited = new_cards(
            service, s, decks, caps, today, day_start, burying=burying
        )
        learning = [(r.due, r.id, row_view(r, by_id[r.deck_id])) for r in learning_rows if r.due]
        review = deque(row_view(r, by_id[r.deck_id]) for r in review_rows)
        new = deque(row_view(r, by_id[r.deck_id]) for r in new_rows)
    return ReviewSession(
        service=service,
        filter=flt,
        label=label,
        schedulers=schedulers,
        day=today,
        day_end=day_end,
        new=new,
        new_allowed=new_left,
        new_caps=own_limit,
        review=review,
        learning=learning,
        new_limited=new_limited,
        review_limited=review_limited,
    )


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
    decks: Sequence[Deck],
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
    deck_ids = [d.id for d in decks]
    if burying is None:  # a session asking for more: what its queue would have gathered
        names = {int(i): str(n) for i, n in s.execute(select(Deck.id, Deck.name))}
        burying = answered_today(s, day_start, BuryRules.of(service.ctx.settings.review, names))
        _gather_due(s, burying, decks, today, service)
    held = set(held)
    if held:  # the new cards a session holds, or held: their siblings wait
        for row in s.execute(select(Card.deck_id, Card.key).where(Card.id.in_(held))):
            burying.take((row[0], sibling_group(row[1])), NEW)
    has_new = {
        deck_id
        for (deck_id,) in s.execute(
            select(Card.deck_id)
            .where(Card.state == int(Status.NEW), active_clause(today))
            .where(Card.deck_id.in_(deck_ids))
            .group_by(Card.deck_id)
        )
    }
    # A deck whose own new cards are done may still include new cards of another deck.
    has_new |= {
        deck_id
        for (deck_id,) in s.execute(
            select(DeckInclude.deck_id)
            .join(Card, Card.id == DeckInclude.card_id)
            .where(Card.state == int(Status.NEW), active_clause(today))
            .where(DeckInclude.deck_id.in_(deck_ids))
            .group_by(DeckInclude.deck_id)
        )
    }
    including = {
        deck_id
        for (deck_id,) in s.execute(
            select(DeckInclude.deck_id).where(DeckInclude.deck_id.in_(deck_ids)).distinct()
        )
    }
    out: list[Any] = []
    limited = False
    active = active_clause(today)
    for deck in ordered:
        if deck.id not in has_new:
            continue
        if caps.exhausted:
            return out, True
        if caps.full(deck.id) and deck.id not in including:  # none of its cards can come
            limited = True
            continue
        rows = s.execute(
            select(*CARD_COLUMNS)
            .where(deck_members([deck.id]), Card.state == int(Status.NEW), active)
            .order_by(Card.position, Card.id)
        )
        for card in rows:
            if card.id in held or burying.buries(_group(card), NEW):
                continue
            if caps.exhausted:
                return out, True
            if not caps.take(card.deck_id):  # its deck's own limit: the next deck may have room
                limited = True
                continue
            burying.take(_group(card), NEW)
            out.append(card)
    return out, limited


def _group(row: Any) -> tuple[int, str]:
    return (row.deck_id, sibling_group(row.key))


def _learning_kind(row: Any, cal: StudyCalendar, today: date) -> str:
    """A learning card reviewed on an earlier study day is due on the day (Anki's interday)."""
    last = row.last_review
    return INTERDAY if last is not None and cal.day_of(last) < today else INTRADAY


def answered_today(s: Session, day_start: datetime, rules: BuryRules) -> Burying:
    """The burying the day's answers so far have caused (Anki buries siblings on answer)."""
    burying = Burying(rules)
    rows = s.execute(
        select(Card.deck_id, Card.key, ReviewLog.state_before)
        .join(Card, Card.id == ReviewLog.card_id)
        .where(ReviewLog.reviewed_at >= day_start)
    )
    for deck_id, key, state_before in rows:
        burying.answered((deck_id, sibling_group(key)), Status(state_before))
    return burying


def _gather_due(
    s: Session, burying: Burying, decks: Sequence[Deck], today: date, service: ReviewService
) -> None:
    """Register the day's due learning and review cards of these decks, as the queue did."""
    cal = service.ctx.calendar
    _start, day_end = cal.day_bounds(today)
    ids = [d.id for d in decks]
    rows = s.execute(
        select(*CARD_COLUMNS)
        .where(deck_members(ids), Card.state != int(Status.NEW), Card.due < day_end)
        .where(active_clause(today))
        .order_by(Card.due, Card.id)
    )
    due = [
        (REVIEW if row.state == int(Status.REVIEW) else _learning_kind(row, cal, today), row)
        for row in rows
    ]
    for kind, row in sorted(due, key=lambda pair: GATHER_ORDER.index(pair[0])):  # stable
        burying.take(_group(row), kind)
