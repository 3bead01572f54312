"""A rating's write (plain SQL on the driver's cursor) stores exactly what the ORM would."""

from __future__ import annotations

import sqlite3

from sqlalchemy import select

from studytui.core.clock import ManualClock
from studytui.core.context import AppContext
from studytui.core.decks.sync import sync_decks
from studytui.core.services.review import ReviewService
from studytui.core.storage.models import Card, ReviewLog

DECK = """\
schema: 1
topic: demo
title: Demo deck
cards:
  - id: q1
    front: Question 1
    back: Answer 1
"""


def test_rating_stores_times_as_the_models_do(ctx: AppContext, clock: ManualClock) -> None:
    folder = ctx.paths.user_deck_dir
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "demo.yaml").write_text(DECK, encoding="utf-8")
    sync_decks(ctx)
    session = ReviewService(ctx).start()
    card = session.next_card()
    assert card is not None
    assert clock.now().microsecond == 0  # whole seconds: the case a naive adapter gets wrong
    outcome = session.rate(3)
    assert session.flush() == 1
    conn = sqlite3.connect(ctx.paths.database)
    try:
        reviewed_at, due_after = conn.execute(
            "SELECT reviewed_at, due_after FROM review_log WHERE card_id = ?", (card.id,)
        ).fetchone()
        due, last_review = conn.execute(
            "SELECT due, last_review FROM card WHERE id = ?", (card.id,)
        ).fetchone()
    finally:
        conn.close()
    assert reviewed_at == last_review == clock.now().strftime("%Y-%m-%d %H:%M:%S.%f")
    assert outcome.after.due is not None
    assert due == due_after == outcome.after.due.strftime("%Y-%m-%d %H:%M:%S.%f")
    with ctx.db.read() as s:
        stored = s.scalars(select(Card).where(Card.id == card.id)).one()
        log = s.scalars(select(ReviewLog).where(ReviewLog.card_id == card.id)).one()
        assert (stored.due, stored.last_review) == (outcome.after.due, clock.now())
        assert (log.reviewed_at, log.due_after, log.rating) == (clock.now(), outcome.after.due, 3)
        assert stored.state == int(outcome.after.status)
