"""Pilot tests of the review screen's first card before the whole queue (real keys, no sleep).

The whole queue is held back by a gate, so the tests see the screen while it shows the head:
counts not yet known, a rating made then, a head used up, a rest that fails to load.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from sqlalchemy import func, select

from studytui.core.clock import ManualClock
from studytui.core.context import AppContext
from studytui.core.decks.sync import sync_decks
from studytui.core.scheduling import Status
from studytui.core.services.review import ReviewService
from studytui.core.storage.models import ReviewLog
from studytui.ui.app import StudyApp
from test_review_head import make_due, write_deck
from test_review_screen import body, counts, plain


class Gate:
    """Holds ``ReviewService.start`` (the whole queue) until opened; ``fail`` makes it raise."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.opened = threading.Event()
        self.reached = threading.Event()
        self.fail = False
        whole = ReviewService.start

        def held(service: ReviewService, *args: Any, **kwargs: Any) -> Any:
            self.reached.set()
            if not self.opened.wait(timeout=30):
                raise RuntimeError("the test never opened the gate")
            if self.fail:
                raise OSError("disk I/O error")
            return whole(service, *args, **kwargs)

        monkeypatch.setattr(ReviewService, "start", held)


@pytest.fixture
def due_home(ctx: AppContext, clock: ManualClock) -> AppContext:
    write_deck(ctx, "a", concepts=0, cards=30)
    sync_decks(ctx)
    make_due(ctx, clock, "a", 25, Status.REVIEW, hours=20)
    return ctx


async def reached(pilot: Any, gate: Gate) -> None:
    """Wait (off the event loop, so the app runs) until the worker asks for the whole queue."""
    if not await asyncio.to_thread(gate.reached.wait, 30):
        raise AssertionError("the whole queue was never asked for")
    await pilot.pause()


async def settle(pilot: Any) -> None:
    for _ in range(3):
        await pilot.pause()


async def finish(pilot: Any, gate: Gate) -> None:
    gate.opened.set()
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def reviews_logged(ctx: AppContext) -> int:
    with ctx.db.read() as s:
        return int(s.scalar(select(func.count(ReviewLog.id))) or 0)


async def test_first_card_shows_while_the_rest_loads_and_a_rating_then_counts_once(
    due_home: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = Gate(monkeypatch)
    app = StudyApp(due_home, start_mode="review", review={"deck": "a"})
    async with app.run_test(size=(100, 30)) as pilot:
        await reached(pilot, gate)  # the head is shown, the whole queue is being read
        await settle(pilot)
        first = body(app)
        assert first == "Question a 0"
        assert "New …" in counts(app)
        assert "Review …" in counts(app)
        await pilot.press("space", "3")  # rated before the rest arrives: kept in memory
        assert body(app) == "Question a 1"
        await finish(pilot, gate)
        assert "Review 24" in counts(app)
        assert "New 5" in counts(app)
        assert body(app) == "Question a 1"  # the card on screen stays
        assert reviews_logged(due_home) == 1  # the held rating was written after the read
        shown = {first, body(app)}
        for _ in range(40):
            await pilot.press("space", "4")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            text = body(app)
            if not text.startswith("Question"):
                break
            assert text not in shown, f"{text} came twice"
            shown.add(text)
        assert len(shown) == 30  # 25 reviews and 5 new cards, each once


async def test_a_used_up_head_says_loading_then_goes_on(
    due_home: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("studytui.core.services.review.queue.HEAD_PAGE", 1)
    gate = Gate(monkeypatch)
    app = StudyApp(due_home, start_mode="review", review={"deck": "a"})
    async with app.run_test(size=(100, 30)) as pilot:
        await reached(pilot, gate)
        await settle(pilot)
        await pilot.press("space", "4")
        meta = plain(app.screen.query_one("#review-meta"))
        assert meta == "Loading more cards…"  # never "done for now" with cards still to come
        await finish(pilot, gate)
        assert body(app) == "Question a 1"


async def test_a_rest_that_fails_is_shown_and_the_head_stays(
    due_home: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = Gate(monkeypatch)
    gate.fail = True
    app = StudyApp(due_home, start_mode="review", review={"deck": "a"})
    async with app.run_test(size=(100, 30)) as pilot:
        await reached(pilot, gate)
        await finish(pilot, gate)
        assert app.is_running
        assert body(app) == "Question a 0"
        assert any("rest of today's cards" in n.message for n in app._notifications)
        await pilot.press("space", "3")
        await pilot.app.workers.wait_for_complete()
        assert reviews_logged(due_home) == 1
