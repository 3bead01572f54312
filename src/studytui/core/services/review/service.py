"""The review use-cases: the scheduler, filters, the queue and summary, editing and adding cards."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from datetime import date, datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from studytui.core.context import AppContext
from studytui.core.decks.cards import KIND_BASIC, KIND_BASIC_REV
from studytui.core.decks.sync import ORIGIN_USER
from studytui.core.errors import NotFoundError
from studytui.core.presets import DEFAULT_PRESET
from studytui.core.scheduling import ReviewScheduler
from studytui.core.services.review import queue, summary
from studytui.core.services.review.rows import DeckRef, deck_rows, raw_connection
from studytui.core.services.review.session import ReviewSession
from studytui.core.services.review.views import (
    CardView,
    DeckChoice,
    ReviewFilter,
    ReviewSummary,
    card_view,
    check_text,
)
from studytui.core.services.schedulers import Schedulers, fitted_parameters, preset_parameters
from studytui.core.storage.models import Card, Deck, ReviewLog
from studytui.core.studyday import roadmap_week


class ReviewService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # -- scheduler ---------------------------------------------------------------------------

    def schedulers(self) -> Schedulers:
        """The scheduler of every deck preset, with the FSRS parameters ``studytui decks
        optimize`` fitted for it (core/services/schedulers.py)."""
        with self.ctx.db.query() as conn:
            fitted = fitted_parameters(conn)
        return Schedulers(self.ctx.settings.review, self.ctx.calendar, fitted)

    def parameters(self, deck: str | None = None) -> tuple[float, ...] | None:
        """The FSRS parameters a deck's cards (default: the default preset's) are scheduled
        with, or None for FSRS's defaults."""
        schedulers = self.schedulers()
        preset = DEFAULT_PRESET if deck is None else self.ctx.settings.review.preset_of(deck)
        return preset_parameters(schedulers.fitted, preset)

    def scheduler(self, deck: str | None = None) -> ReviewScheduler:
        """The scheduler of a deck's preset (default: the default preset)."""
        schedulers = self.schedulers()
        return schedulers.default if deck is None else schedulers.for_deck(deck)

    # -- filters -----------------------------------------------------------------------------

    def week_topics(self, week: int | None) -> tuple[int, list[str]]:
        cur = self.ctx.curriculum()
        n = week if week is not None else self._current_week()
        plan = cur.plan(n)
        if plan is None:
            raise NotFoundError(
                f"week {n} is not in '{cur.id}' (weeks {cur.first_week} to {cur.last_week})"
            )
        return n, [t.id for t in plan.topics]

    def _current_week(self) -> int:
        cur = self.ctx.curriculum()
        return cur.clamp_week(roadmap_week(self.ctx.start_date(), cur.first_week, self.ctx.today()))

    def resolve(self, s: Session, flt: ReviewFilter) -> tuple[list[DeckRef], str]:
        """The decks a filter selects and a label for it."""
        return self.choose(deck_rows(raw_connection(s)), flt)

    def choose(self, decks: list[DeckRef], flt: ReviewFilter) -> tuple[list[DeckRef], str]:
        """Of ``decks`` (by name), the ones a filter selects, and a label for it."""
        if flt.is_custom:
            what = flt.custom_label or flt.search or f"{len(flt.cards or ())} chosen cards"
            how = "rescheduling" if flt.reschedule else "no schedule changes"
            return decks, f"custom study: {what} ({how})"
        if flt.deck is not None:  # '' is a deck name that matches none, not "all decks"
            chosen = [d for d in decks if d.name == flt.deck]
            if not chosen:
                raise NotFoundError(f"no deck '{flt.deck}' (see `studytui decks list`)")
            return chosen, f"deck {chosen[0].title}"
        if flt.topic is not None:
            chosen = [d for d in decks if d.topic_id == flt.topic]
            if not chosen:
                raise NotFoundError(f"no deck for topic '{flt.topic}' (see `studytui decks list`)")
            return chosen, f"topic {chosen[0].title}"
        if flt.week is not None or flt.this_week:
            n, topics = self.week_topics(flt.week)
            wanted = set(topics)
            label = f"week {n} topics" if flt.week is not None else f"this week's topics (week {n})"
            return [d for d in decks if d.topic_id in wanted], label
        return decks, "all decks"

    def deck_choices(self) -> list[DeckChoice]:
        with self.ctx.db.read() as s:
            rows = s.execute(
                select(Deck.name, Deck.title, Deck.topic_id, func.count(Card.id))
                .join(Card, and_(Card.deck_id == Deck.id, Card.retired_at.is_(None)), isouter=True)
                .group_by(Deck.id)
                .order_by(Deck.name)
            ).all()
        return [DeckChoice(n, t, tid, c) for n, t, tid, c in rows]

    # -- the queue ---------------------------------------------------------------------------
    # -- the queue ---------------------------------------------------------------------------

    def roadmap_rank(self) -> dict[str, tuple[int, int]]:
        """Order of topics for new cards: this week, then earlier weeks, later weeks, the rest."""
        return queue.roadmap_rank(self)

    def start(self, flt: ReviewFilter | None = None) -> ReviewSession:
        """Load today's queue for a filter."""
        return queue.start(self, flt)

    def start_head(self, flt: ReviewFilter | None = None) -> ReviewSession:
        """Today's queue as far as its first cards, fast at any size; a session that is not
        ``complete`` then adopts ``start``'s whole queue (``queue.start_head``)."""
        return queue.start_head(self, flt)

    def more_new(
        self,
        flt: ReviewFilter,
        day: date,
        count: int,
        held: Collection[int],
        deck_room: Mapping[str, int] | None = None,
    ) -> tuple[list[CardView], bool]:
        """Up to ``count`` more new cards for a session holding ``held`` (and what each deck
        with a limit of its own may still introduce), and whether more wait."""
        return queue.more_new(self, flt, day, count, held, deck_room)

    # -- summary ----------------------------------------------------------------------------

    def summary(self, flt: ReviewFilter | None = None) -> ReviewSummary:
        """Today's reviews within a filter and what comes next (the screen's "done for now")."""
        return summary.summarize(self, flt)

    # -- editing -----------------------------------------------------------------------------

    def edit(self, card_id: int, front: str, back: str) -> CardView:
        """Change a card's text; it keeps its id, state and review history."""
        front, back = check_text(front, back)
        with self.ctx.db.write() as s:
            card = s.get(Card, card_id)
            if card is None:
                raise NotFoundError(f"card {card_id} does not exist")
            card.front, card.back = front, back
            card.edited_at = self.ctx.clock.now()
            deck = s.get_one(Deck, card.deck_id)
            return card_view(card, deck)

    def add(self, deck_name: str, front: str, back: str, reverse: bool = False) -> list[CardView]:
        """Add a card (and its reverse) to a deck; such cards are never retired by a sync."""
        front, back = check_text(front, back)
        now = self.ctx.clock.now()
        key = f"user:{uuid.uuid4().hex[:12]}"
        with self.ctx.db.write() as s:
            deck = s.scalar(select(Deck).where(Deck.name == deck_name))
            if deck is None:
                raise NotFoundError(f"no deck '{deck_name}' (see `studytui decks list`)")
            top = s.scalar(select(func.max(Card.position)).where(Card.deck_id == deck.id))
            position = (top if top is not None else -1) + 1
            made = [(key, KIND_BASIC, front, back)]
            if reverse:
                made.append((f"{key}:rev", KIND_BASIC_REV, back, front))
            cards = []
            for i, (k, kind, f, b) in enumerate(made):
                card = Card(
                    deck_id=deck.id, key=k, kind=kind, front=f, back=b, tags="",
                    position=position + i, origin=ORIGIN_USER, state=0, suspended=False,
                    created_at=now,
                )  # fmt: skip
                s.add(card)
                cards.append(card)
            s.flush()
            return [card_view(c, deck) for c in cards]

    def card(self, card_id: int) -> CardView:
        with self.ctx.db.read() as s:
            card = s.get(Card, card_id)
            if card is None:
                raise NotFoundError(f"card {card_id} does not exist")
            return card_view(card, s.get_one(Deck, card.deck_id))

    def history(self, card_id: int) -> list[tuple[datetime, int]]:
        with self.ctx.db.read() as s:
            if s.get(Card, card_id) is None:
                raise NotFoundError(f"card {card_id} does not exist")
            rows = s.execute(
                select(ReviewLog.reviewed_at, ReviewLog.rating)
                .where(ReviewLog.card_id == card_id)
                .order_by(ReviewLog.reviewed_at, ReviewLog.id)
            ).all()
        return [(at, int(r)) for at, r in rows]

    def unsuspend(self, deck_name: str | None = None) -> int:
        """Return suspended cards (of one deck, or all) to reviews; returns how many.

        An unknown deck is a ``NotFoundError``, never "0 cards unsuspended".
        """
        with self.ctx.db.write() as s:
            q = select(Card).where(Card.suspended == 1)
            if deck_name is not None:
                deck_id = s.scalar(select(Deck.id).where(Deck.name == deck_name))
                if deck_id is None:
                    raise NotFoundError(f"no deck '{deck_name}' (see `studytui decks list`)")
                q = q.where(Card.deck_id == deck_id)
            cards = list(s.scalars(q))
            for card in cards:
                card.suspended = False
            return len(cards)
