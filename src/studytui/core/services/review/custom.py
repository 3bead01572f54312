"""Custom study, as Anki's filtered decks: review ahead, forgotten cards, a topic's every card.

The cards a search matches (``studytui.core.cardsearch``), or the cards the browser picked, make
one queue in the search's order, whatever their due dates and outside the daily limits; as in
Anki, suspended and buried cards stay out. By default the answers change no schedule (Anki's
filtered deck without "Reschedule cards based on my answers"): a card answered Again comes back
at the end of the queue, any other answer takes it out, and nothing is written. With
``reschedule`` each answer is an ordinary review, written and logged as in the day's queue.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from sqlalchemy import select

from studytui.core.errors import ArgumentError
from studytui.core.services.review.views import CARD_COLUMNS, ReviewFilter, deck_labels, row_view
from studytui.core.storage.models import Card

if TYPE_CHECKING:
    from studytui.core.services.review.service import ReviewService
    from studytui.core.services.review.session import ReviewSession

MAX_CUSTOM = 9999  # Anki's filtered decks take at most 99,999; a sitting, far fewer


def custom_presets(this_week_topics: list[str]) -> list[tuple[str, str, str]]:
    """(key, label, search) of the usual custom studies, Anki's names where it has them."""
    out = [
        ("ahead", "Review ahead: cards due in the next 7 days", "is:review prop:due>0 prop:due<=7"),
        ("forgotten", "Review forgotten cards: answered Again today", "rated:1:1"),
        ("hard", "Hardest cards: difficulty 70 % or more", "is:review prop:d>=0.7"),
    ]
    if this_week_topics:
        topics = " or ".join(f"topic:{t}" for t in this_week_topics)
        out.insert(2, ("week-all", "This week's topics: every card, due or not", f"({topics})"))
    return out


def custom_session(service: ReviewService, flt: ReviewFilter) -> ReviewSession:
    from studytui.core.cardsearch.service import CardSearchService
    from studytui.core.services.review.session import ReviewSession

    ctx = service.ctx
    if flt.cards is not None:
        ids = list(dict.fromkeys(flt.cards))
    else:
        found = CardSearchService(ctx).search(flt.search or "", "due")
        ids = [r.id for r in found.rows if not r.suspended and not r.buried]
    if len(ids) > MAX_CUSTOM:
        raise ArgumentError(
            f"{len(ids)} cards match; custom study takes at most {MAX_CUSTOM} (narrow the search)",
            "QUERY",
        )
    cal = ctx.calendar
    today = cal.day_of(ctx.clock.now())
    day_end = cal.day_start(today.fromordinal(today.toordinal() + 1))
    with ctx.db.read() as s:
        _decks, label = service.resolve(s, flt)
        by_id = deck_labels(s)
        rows = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            q = select(*CARD_COLUMNS, Card.buried_until).where(
                Card.id.in_(chunk), Card.retired_at.is_(None), Card.suspended == 0
            )
            for r in s.execute(q):
                if r.buried_until is None or r.buried_until <= today:
                    rows[r.id] = r
    queue = deque(row_view(rows[i], by_id[rows[i].deck_id]) for i in ids if i in rows)
    return ReviewSession(
        service=service,
        filter=flt,
        label=label,
        schedulers=service.schedulers(),
        day=today,
        day_end=day_end,
        new=deque(),
        review=queue,
        learning=[],
    )
