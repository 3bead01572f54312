"""Pilot tests of the review screen: real key presses, workers awaited, never a sleep."""

from __future__ import annotations

from typing import Any

import pytest
from rich.console import Group
from rich.text import Text
from textual.widgets import Button, Static

from studytui.cli import run
from studytui.core.clock import ManualClock
from studytui.core.context import AppContext, open_context
from studytui.core.decks.sync import sync_decks
from studytui.core.services.review import ReviewFilter, ReviewService
from studytui.ui.app import StudyApp
from studytui.ui.screens.review import ReviewScreen
from studytui.ui.screens.review_dialogs import EditCardScreen

DEMO = """\
schema: 1
topic: demo
title: Demo deck
cards:
  - id: q1
    front: "First question"
    back: "First answer"
  - id: markup
    front: "[b]x[/] and [link=x]y[/link] and [/]"
    back: "[red]not red[/red] [link=http://example.com]literal[/link]"
  - id: q3
    front: "Third question"
    back: "Third answer"
"""


def demo_deck(ctx: AppContext, text: str = DEMO) -> None:
    folder = ctx.paths.user_deck_dir
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "demo.yaml").write_text(text, encoding="utf-8")
    sync_decks(ctx)


def plain(widget: Static) -> str:
    """The text a Static shows (its content is Rich Text, never markup)."""
    content: Any = widget.content
    parts = content.renderables if isinstance(content, Group) else [content]
    return "\n".join(p.plain for p in parts if isinstance(p, Text))


async def settle(pilot: Any) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def review_app(ctx: AppContext, **review: Any) -> StudyApp:
    return StudyApp(ctx, start_mode="review", review=review or {"deck": "demo"})


def body(app: StudyApp) -> str:
    return plain(app.screen.query_one("#review-body", Static))


def counts(app: StudyApp) -> str:
    return plain(app.screen.query_one("#review-counts", Static))


def log_count(ctx: AppContext) -> int:
    from sqlalchemy import func, select

    from studytui.core.storage.models import ReviewLog

    with ctx.db.read() as s:
        return int(s.scalar(select(func.count(ReviewLog.id))) or 0)


async def test_review_flow_reveal_rate_next(ctx: AppContext, clock: ManualClock) -> None:
    demo_deck(ctx)
    app = review_app(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert body(app) == "First question"
        assert "New 3" in counts(app)
        assert "Learning 0" in counts(app)
        assert "Review 0" in counts(app)
        assert app.screen.query_one("#rate-3", Button).has_class("hidden")
        await pilot.press("3")  # a rating key on the question side does nothing
        await pilot.pause()
        assert body(app) == "First question"
        await pilot.press("space")
        await pilot.pause()
        assert "First answer" in body(app)
        good = app.screen.query_one("#rate-3", Button)
        assert not good.has_class("hidden")
        assert str(good.label) == "3 Good  10m"
        assert str(app.screen.query_one("#rate-4", Button).label).startswith("4 Easy  ")
        clock.advance(seconds=5)
        await pilot.press("3")
        await pilot.pause()
        # The next card is there at once; the rating is written by a worker.
        assert "[b]x[/]" in body(app)
        assert "New 2" in counts(app)
        assert "Learning 1" in counts(app)
        await settle(pilot)
        assert log_count(ctx) == 1
        await pilot.press("enter")
        await pilot.press("4")
        await pilot.pause()
        assert body(app) == "Third question"
        await pilot.press("space", "1")
        await settle(pilot)
        assert log_count(ctx) == 3
        # On the answer side, space (like enter) rates Good, as in Anki.
        assert "learning" in counts(app).lower()
        await pilot.press("space")
        await pilot.pause()
        assert app.screen.revealed
        await pilot.press("space")
        await settle(pilot)
    assert log_count(ctx) == 4


async def test_markup_like_text_is_shown_literally(ctx: AppContext) -> None:
    demo_deck(ctx)
    app = review_app(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("space", "4")
        await pilot.pause()
        assert body(app) == "[b]x[/] and [link=x]y[/link] and [/]"
        await pilot.press("space")
        await pilot.pause()
        text = body(app)
        assert "[red]not red[/red] [link=http://example.com]literal[/link]" in text
        # It renders without error: the screen is still here after a repaint.
        app.refresh()
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        svg = app.export_screenshot()
        assert "not&#160;red[/red]" in svg or "not red[/red]" in svg


async def test_undo_with_ctrl_z_and_u(ctx: AppContext) -> None:
    demo_deck(ctx)
    app = review_app(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("space", "3")
        await settle(pilot)
        assert log_count(ctx) == 1
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert body(app) == "First question"
        assert "New 3" in counts(app)
        assert log_count(ctx) == 0
        await pilot.press("space", "4", "space", "2")
        await settle(pilot)
        assert log_count(ctx) == 2
        await pilot.press("u")
        await settle(pilot)
        assert log_count(ctx) == 1
        assert "[b]x[/]" in body(app)


async def test_bury_and_suspend_keys(ctx: AppContext) -> None:
    demo_deck(ctx)
    app = review_app(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("minus")
        await pilot.pause()
        assert "[b]x[/]" in body(app)
        await pilot.press("@")
        await pilot.pause()
        assert body(app) == "Third question"
        assert "New 1" in counts(app)
        await settle(pilot)
    session = ReviewService(ctx).start(ReviewFilter(deck="demo"))
    assert session.counts().new == 1


async def test_edit_keeps_history(ctx: AppContext, clock: ManualClock) -> None:
    demo_deck(ctx)
    service = ReviewService(ctx)
    session = service.start(ReviewFilter(deck="demo"))
    first = session.next_card()
    assert first is not None
    session.rate(4)
    session.flush()
    clock.advance(days=30)
    before = service.card(first.id)
    app = review_app(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert body(app) == "First question"
        assert "Review 1" in counts(app)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditCardScreen)
        await pilot.press("end", "!", "[", "b", "]")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert body(app) == "First question![b]"
        await pilot.press("space", "3")
        await settle(pilot)
    card = service.card(first.id)
    assert card.front == "First question![b]"
    assert card.edited
    assert len(service.history(first.id)) == 2
    assert card.state.stability is not None
    assert before.state.stability is not None
    assert card.state.stability > before.state.stability


async def test_summary_when_the_queue_is_empty(ctx: AppContext, clock: ManualClock) -> None:
    demo_deck(ctx)
    app = review_app(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for _ in range(3):
            clock.advance(seconds=4)
            await pilot.press("space", "4")
        await settle(pilot)
        text = body(app)
        assert "Reviewed today: 3 card(s) in 12 s, again-rate 0%" in text
        assert "Next reviews due:" in text
        # Without a card, the number keys switch areas again.
        await pilot.press("1")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)


async def test_empty_deck_shows_a_hint_and_cards_can_be_added(ctx: AppContext) -> None:
    demo_deck(ctx, "schema: 1\ntopic: demo\ntitle: Demo deck\n")
    app = review_app(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "No cards here yet" in body(app)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"Why?")
        await pilot.press("tab")
        await pilot.press(*"Because.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert body(app) == "Why?"


async def test_filter_by_week_from_the_command_line_options(ctx: AppContext) -> None:
    sync_decks(ctx)
    app = StudyApp(ctx, start_mode="review", review={"week": "current"})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "this week's topics (week 1)" in counts(app)
        assert app.screen.query_one("#review-meta", Static).content


async def test_ratings_survive_a_restart(ctx: AppContext, clock: ManualClock) -> None:
    demo_deck(ctx)
    app = review_app(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("space", "4", "space", "4")
    # Quitting wrote every rating.
    ctx.close()
    again = open_context(ctx.paths, clock)
    try:
        assert log_count(again) == 2
        app = review_app(again)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert body(app) == "Third question"
            assert "New 1" in counts(app)
    finally:
        again.close()


def test_review_command_checks_the_filter_first(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["review", "--deck", "nope"]) == 2  # an unknown name is bad input
    assert "no deck 'nope'" in capsys.readouterr().err
    assert run(["review", "--week", "99"]) == 2
    assert "week 99 is not in" in capsys.readouterr().err
