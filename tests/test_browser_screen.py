"""The card browser, driven by keys: search, select, suspend, undo, reset, set due, sort; and a
table of 100k cards that draws only the lines on screen."""

from __future__ import annotations

import contextlib
import io
from datetime import UTC, date, datetime

from rich.console import Console
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Input, Static
from textual.worker import WorkerCancelled

from studytui.core.cardsearch.matcher import CardRow
from studytui.core.cardsearch.service import CardSearchService
from studytui.core.context import AppContext
from studytui.core.decks.sync import sync_decks
from studytui.ui.app import StudyApp
from studytui.ui.screens.browser import BrowserScreen
from studytui.ui.screens.browser_dialogs import AskDueDays, ConfirmReset
from studytui.ui.widgets.card_table import CardTable

DEMO = """\
schema: 1
topic: demo
title: Demo deck
cards:
  - {id: a, front: "Alpha question", back: "alpha answer"}
  - {id: b, front: "Beta question", back: "beta answer"}
  - {id: c, front: "[b]Gamma[/b] question", back: "gamma answer"}
"""


def demo_deck(ctx: AppContext) -> None:
    folder = ctx.paths.user_deck_dir
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "demo.yaml").write_text(DEMO, encoding="utf-8")
    sync_decks(ctx)


async def settle(app: App[None], pilot: Pilot[None]) -> None:
    for _ in range(4):
        with contextlib.suppress(WorkerCancelled):
            await app.workers.wait_for_complete()
        await pilot.pause()


def states(ctx: AppContext) -> dict[str, tuple[bool, str]]:
    rows = CardSearchService(ctx).search("deck:demo").rows
    return {r.key: (r.suspended, r.state_name) for r in rows}


async def search(app: StudyApp, pilot: Pilot[None], query: str) -> BrowserScreen:
    screen = app.screen
    assert isinstance(screen, BrowserScreen)
    await pilot.press("slash")
    field = screen.query_one("#browser-query", Input)
    assert field.has_focus
    field.value = ""
    await pilot.press(*query, "enter")
    await settle(app, pilot)
    return screen


async def test_search_select_suspend_undo(ctx: AppContext) -> None:
    demo_deck(ctx)
    app = StudyApp(ctx, start_mode="browse")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        screen = await search(app, pilot, "deck:demo")
        table = screen.query_one(CardTable)
        assert [r.key for r in table.rows] == ["card:a", "card:b", "card:c"]
        assert "3 of" in str(screen.query_one("#browser-status").render())
        await pilot.press("space", "space")  # A and B selected, the cursor on C
        assert len(table.selected) == 2
        await pilot.press("at")
        await settle(app, pilot)
        assert states(ctx)["card:a"][0]
        assert states(ctx)["card:b"][0]
        assert not states(ctx)["card:c"][0]
        await pilot.press("u")
        await settle(app, pilot)
        assert not any(s for s, _ in states(ctx).values())
        # the card under the cursor: its text drawn literally
        console = Console(width=110, record=True, file=io.StringIO())
        console.print(screen.query_one("#browser-detail", Static).content)
        assert "[b]Gamma[/b] question" in console.export_text()


async def test_reset_asks_and_set_due_checks_its_days(ctx: AppContext) -> None:
    demo_deck(ctx)
    from studytui.core.scheduling import Rating
    from studytui.core.services.review import ReviewFilter, ReviewService

    session = ReviewService(ctx).start(ReviewFilter(deck="demo"))
    assert session.next_card() is not None
    session.rate(Rating.Easy)
    session.flush()
    app = StudyApp(ctx, start_mode="browse")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await search(app, pilot, "deck:demo is:review")
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmReset)
        await pilot.press("escape")  # keep
        await settle(app, pilot)
        assert states(ctx)["card:a"][1] == "review"
        await pilot.press("equals_sign")
        await pilot.pause()
        assert isinstance(app.screen, AskDueDays)
        await pilot.press("x", "enter")
        await pilot.pause()
        assert isinstance(app.screen, AskDueDays)  # refused, with the reason shown
        assert "not a number of days" in str(app.screen.query_one("#bd-error").render())
        await pilot.press("backspace", "5", "enter")
        await settle(app, pilot)
        row = CardSearchService(ctx).search("deck:demo is:review").rows[0]
        assert row.due_day == ctx.today().fromordinal(ctx.today().toordinal() + 5)
        await pilot.press("exclamation_mark", "y")
        await settle(app, pilot)
        assert states(ctx)["card:a"][1] == "new"


async def test_a_bad_query_says_why_and_keeps_the_table(ctx: AppContext) -> None:
    demo_deck(ctx)
    app = StudyApp(ctx, start_mode="browse")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = await search(app, pilot, "deck:demo")
        await search(app, pilot, "is:bogus")
        assert "not a state" in str(screen.query_one("#browser-status").render())
        assert len(screen.query_one(CardTable).rows) == 3
        await pilot.press("o")  # sort by the next column
        await settle(app, pilot)
        assert screen.sort == "interval"


def synthetic(n: int) -> list[CardRow]:
    day = date(2026, 11, 21)
    at = datetime(2026, 11, 21, 9, tzinfo=UTC)
    return [
        CardRow(
            id=i,
            deck="big",
            deck_title="Big",
            topic_id=None,
            key=f"card:{i}",
            kind="basic",
            front=f"Question {i}",
            back="answer",
            tags=(),
            state=2,
            due=at,
            due_day=day,
            interval_days=i % 90,
            stability=3.0,
            difficulty=5.0,
            suspended=False,
            buried=False,
            day_learning=False,
            created_day=day,
            reps=3,
            lapses=0,
            leech_threshold=8,
        )
        for i in range(n)
    ]


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield CardTable()


async def test_a_hundred_thousand_cards_build_no_row_objects() -> None:
    app = TableApp()
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(CardTable)
        table.set_rows(synthetic(100_000))
        table.focus()
        await pilot.pause()
        assert len(list(table.walk_children())) == 0  # no widget per row
        assert table.virtual_size.height == 100_000
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor == 99_999
        assert table.scroll_offset.y > 99_900
        last = table.render_line(table.scrollable_content_region.height - 1)
        assert "Question 99999" in last.text
        await pilot.press("ctrl+a")
        assert len(table.selected) == 100_000


async def test_edit_from_the_browser_keeps_the_card(ctx: AppContext) -> None:
    from textual.widgets import TextArea

    from studytui.ui.screens.review_dialogs import EditCardScreen

    demo_deck(ctx)
    before = {r.key: r.id for r in CardSearchService(ctx).search("deck:demo").rows}
    app = StudyApp(ctx, start_mode="browse")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await search(app, pilot, "deck:demo beta")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditCardScreen)
        app.screen.query_one("#card-back", TextArea).text = "beta answer, edited"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        row = CardSearchService(ctx).search("deck:demo beta").rows[0]
        assert row.back == "beta answer, edited"
        assert row.id == before["card:b"]  # the same card: its history stays


async def test_a_query_typed_on_open_lands_in_the_search_box_not_on_the_timer(
    ctx: AppContext,
) -> None:
    """Typing straight away, as in Anki's browser, must not press the timer's n/s/x keys."""
    from studytui.core.categories import Category
    from studytui.core.timer import WorkTarget

    demo_deck(ctx)
    app = StudyApp(ctx)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        app.timer.start(WorkTarget(Category.THEORY, None))
        await settle(app, pilot)
        await app.switch_mode("browse")
        await settle(app, pilot)
        await pilot.press(*"is:new deck:demo", "enter")
        await settle(app, pilot)
        assert app.timer.state.in_work
        screen = app.screen
        assert isinstance(screen, BrowserScreen)
        assert screen.query_text == "is:new deck:demo"
        assert [r.key for r in screen.query_one(CardTable).rows] == ["card:a", "card:b", "card:c"]
