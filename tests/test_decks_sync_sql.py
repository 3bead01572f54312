"""The deck sync on plain sqlite3: no SQLAlchemy import, rows the ORM reads back, minimal writes."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from studytui.core.clock import ManualClock
from studytui.core.context import AppContext, open_context
from studytui.core.decks.sync import sync_decks
from studytui.core.storage.models import Card, Deck
from studytui.paths import AppPaths

NOW = datetime(2026, 11, 21, 9, 0, 0, 123456, tzinfo=UTC)

# A first start in its own process: open a fresh data dir, sync every bundled deck.
FIRST_START = f"""
import json, sys
from datetime import datetime
from studytui.core.clock import ManualClock
from studytui.core.context import open_context
from studytui.core.services.decks import DeckService
from studytui.paths import AppPaths

ctx = open_context(AppPaths.default(), ManualClock(datetime.fromisoformat({NOW.isoformat()!r})))
report = DeckService(ctx).sync()
ctx.close()
heavy = [m for m in sys.modules if m.startswith("sqlalchemy") or m.endswith("storage.models")]
print(json.dumps({{"added": report.added, "synced": report.synced, "decks": report.decks,
                  "problems": [str(p) for p in report.problems], "heavy": heavy}}))
"""


def test_a_first_sync_imports_no_sqlalchemy_and_the_orm_reads_its_rows() -> None:
    done = subprocess.run(
        [sys.executable, "-c", FIRST_START], capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout)
    ctx = open_context(AppPaths.default(), ManualClock(NOW))
    try:
        _check_first_sync(ctx, result)
    finally:
        ctx.close()


def _check_first_sync(ctx: AppContext, result: dict[str, Any]) -> None:
    assert result["heavy"] == []
    assert result["problems"] == []
    assert result["synced"] == result["decks"] > 0
    assert result["added"] > 0
    with ctx.db.read() as s:
        cards = s.scalars(select(Card)).all()
        decks = s.scalars(select(Deck)).all()
        assert len(cards) == result["added"]
        assert len(decks) == result["decks"]
        for card in cards:
            assert card.created_at == NOW
            assert card.created_at.tzinfo is not None
            assert (card.state, card.suspended) == (0, 0)
            assert (card.retired_at, card.edited_at) == (None, None)
            assert card.origin == "file"
            assert card.due is None
        for deck in decks:
            assert deck.synced_at == NOW
            assert deck.source_hash is not None
            assert deck.source is not None
    # The ORM's own writes and the plain rows agree: a later sync finds nothing to do.
    report = sync_decks(ctx)
    assert (report.synced, report.skipped) == (0, report.decks)


DEMO = """\
schema: 1
topic: demo
title: Demo deck
concepts:
  - id: gd
    term: Gradient descent
    definition: Step against the gradient to lower the loss.
cards:
  - id: overfit
    front: What is overfitting?
    back: Fitting noise in the training data.
"""


def _traced_sync(ctx: AppContext, *, force: bool = False) -> list[str]:
    """The card-writing statements one sync runs (each executemany row counts)."""
    statements: list[str] = []
    with ctx.db.query() as conn:  # this thread's plain connection, which the sync uses too
        conn.set_trace_callback(statements.append)
    try:
        sync_decks(ctx, force=force)
    finally:
        with ctx.db.query() as conn:
            conn.set_trace_callback(None)
    return [s for s in statements if s.startswith(("INSERT INTO card", "UPDATE card"))]


def test_a_sync_writes_only_the_cards_and_columns_that_changed(ctx: AppContext) -> None:
    folder = ctx.paths.user_deck_dir
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "demo.yaml"
    path.write_text(DEMO, encoding="utf-8")
    assert len(_traced_sync(ctx)) > 1000  # the first sync inserts every card
    assert _traced_sync(ctx, force=True) == []  # nothing changed: no card is written
    path.write_text(DEMO.replace("Fitting noise", "Learning noise"), encoding="utf-8")
    written = _traced_sync(ctx)
    assert len(written) == 1
    assert written[0].startswith('UPDATE card SET "back" = \'Learning noise')
