"""Leeches as Anki finds them: a lapse at the threshold, then every half threshold."""

from __future__ import annotations

from datetime import timedelta

import pytest

from studytui.cli import run
from studytui.core.clock import ManualClock
from studytui.core.config import set_config_values
from studytui.core.context import AppContext
from studytui.core.leeches import leech_threshold_met
from studytui.core.scheduling import Rating, Status
from studytui.core.services.leech_list import leeches
from studytui.core.services.review import ReviewService, ReviewSession
from test_review_service import DECK, demo_deck, stored_state


@pytest.mark.parametrize(
    ("lapses", "threshold", "met"),
    [(7, 8, False), (8, 8, True), (9, 8, False), (12, 8, True), (16, 8, True), (13, 8, False),
     (3, 3, True), (4, 3, False), (5, 3, True), (1, 1, True), (2, 1, True), (5, 0, False)],
)  # fmt: skip
def test_threshold_then_every_half_threshold(lapses: int, threshold: int, met: bool) -> None:
    assert leech_threshold_met(lapses, threshold) is met


def is_suspended(ctx: AppContext, card_id: int) -> bool:
    with ctx.db.query() as conn:
        return bool(
            conn.execute("SELECT suspended FROM card WHERE id = ?", (card_id,)).fetchone()[0]
        )


def lapse_until(ctx: AppContext, clock: ManualClock, lapses: int, threshold: int) -> int:
    """One card taken to review, then failed ``lapses`` times, a day apart."""
    set_config_values(ctx.paths.config_file, {"review": f"{{leech_threshold: {threshold}}}"})
    ctx.reload_settings()
    demo_deck(ctx, 1)
    service = ReviewService(ctx)
    session = service.start(DECK)
    card = session.next_card()
    assert card is not None
    session.rate(Rating.Easy)  # straight to review
    session.flush()
    for _ in range(lapses):
        state = stored_state(ctx, card.id)
        assert state.due is not None
        clock.set(state.due + timedelta(hours=1))
        session = service.start(DECK)
        shown = session.next_card()
        if shown is None or shown.state.status is not Status.REVIEW:
            break
        session.rate(Rating.Again)
        session.flush()
        # relearn: Good after the 10-minute step, back to review
        clock.advance(minutes=11)
        session = service.start(DECK)
        again = session.next_card()
        if again is not None:
            session.rate(Rating.Good)
            session.flush()
    return card.id


def test_the_eighth_lapse_suspends_and_the_leech_is_listed(
    ctx: AppContext, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    card_id = lapse_until(ctx, clock, 8, 3)
    found = leeches(ctx)
    assert [(f.card_id, f.lapses, f.suspended) for f in found] == [(card_id, 3, True)]
    assert ReviewService(ctx).card(card_id).state.status is Status.RELEARNING
    capsys.readouterr()
    assert run(["decks", "leeches"]) == 0
    out = capsys.readouterr().out
    assert f"{card_id:>6}    3 lapses  suspended" in out


def lapse_once(ctx: AppContext, clock: ManualClock, review: str) -> tuple[ReviewSession, int]:
    """With ``review:`` settings, one card taken to review and failed once, when due."""
    set_config_values(ctx.paths.config_file, {"review": review})
    ctx.reload_settings()
    demo_deck(ctx, 1)
    service = ReviewService(ctx)
    session = service.start(DECK)
    card = session.next_card()
    assert card is not None
    session.rate(Rating.Easy)
    session.flush()
    due = stored_state(ctx, card.id).due
    assert due is not None
    clock.set(due + timedelta(hours=1))
    session = service.start(DECK)
    assert session.next_card() is not None
    session.rate(Rating.Again)
    session.flush()
    return session, card.id


def test_the_session_reports_the_leech_and_undo_takes_it_back(
    ctx: AppContext, clock: ManualClock
) -> None:
    session, card_id = lapse_once(ctx, clock, "{leech_threshold: 1}")
    assert session.leeches == [(card_id, 1, True)]
    assert is_suspended(ctx, card_id)
    clock.advance(minutes=11)
    assert session.next_card() is None  # suspended: it leaves the learning queue
    session.undo()
    session.flush()
    assert session.leeches == []
    assert not is_suspended(ctx, card_id)


def test_tag_only_keeps_the_leech_in_review(ctx: AppContext, clock: ManualClock) -> None:
    session, card_id = lapse_once(ctx, clock, "{leech_threshold: 1, leech_action: tag}")
    assert session.leeches == [(card_id, 1, False)]
    assert [(f.card_id, f.suspended) for f in leeches(ctx)] == [(card_id, False)]
    assert not is_suspended(ctx, card_id)


async def test_the_stats_screen_lists_leeches(ctx: AppContext, clock: ManualClock) -> None:
    from textual.widgets import Static

    from studytui.ui.app import StudyApp

    _session, card_id = lapse_once(ctx, clock, "{leech_threshold: 1}")
    app = StudyApp(ctx, start_mode="stats")
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        table = app.screen.query_one("#st-leeches", Static).content
        from rich.console import Console

        console = Console(width=120, record=True)
        console.print(table)
        text = console.export_text()
        assert "Leeches" in text
        assert f"{card_id}" in text
        assert "suspended" in text


def test_the_leech_list_reads_the_partial_index(ctx: AppContext) -> None:
    """Not a scan of the whole review log: ~45 ms at 1M logs instead of ~300 ms."""
    from studytui.core.services.leech_list import _LEECHES_SQL

    with ctx.db.query() as conn:
        plan = " ".join(
            str(row) for row in conn.execute("EXPLAIN QUERY PLAN " + _LEECHES_SQL, (8,))
        )
    assert "ix_review_log_lapse" in plan
