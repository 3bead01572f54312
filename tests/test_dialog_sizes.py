"""Every dialog fits the standard terminal and a large one: no button or field is cut off.

At 80x24 the timer's start dialog hid its buttons and the recovery dialog two of its options.
Each dialog is opened with realistic content at 80x24 and 160x50; every control it holds must
lie inside the screen (a dialog that cannot fit scrolls, and its first control shows).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from rich.text import Text
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import WorkerCancelled

from studytui.core.context import AppContext
from studytui.ui.app import StudyApp

CONTROLS = "Button, Input, Select, OptionList, RadioSet, TextArea"


def dialogs(app: StudyApp) -> dict[str, Callable[[], Screen[Any]]]:
    from studytui.core.services.deck_overview import (
        DeckOverview,
        OverviewDeck,
        OverviewGroup,
        QueueTotals,
    )
    from studytui.core.services.review.views import DeckChoice
    from studytui.ui.screens.curriculum_picker import CurriculumPicker
    from studytui.ui.screens.deck_overview import DeckOverviewScreen
    from studytui.ui.screens.help import HelpScreen
    from studytui.ui.screens.pomodoro_dialog import PomodoroDialog
    from studytui.ui.screens.review_dialogs import AddCardScreen, EditCardScreen
    from studytui.ui.screens.timer_dialogs import SessionForm, StartDialog
    from studytui.ui.screens.topic import TopicScreen
    from studytui.ui.timer_keys import ConfirmCancel, QuitDuringPomodoro
    from studytui.ui.unsaved import QuitWithUnsaved

    services = app.services
    topics = app.timer.topics
    decks = [DeckChoice(f"deck-{i}", f"Deck number {i}", None, 20) for i in range(30)]
    rows = tuple(
        OverviewDeck(f"deck-{i}", f"Deck number {i}", None, 20, 5, 2, 9) for i in range(30)
    )
    overview = DeckOverview(3, QueueTotals(20, 4, 50), QueueTotals(20, 4, 90),
                            (OverviewGroup("This week · week 3", rows[:3]),
                             OverviewGroup("Phase 1 · weeks 1-4", rows[3:])))  # fmt: skip
    entries = services.ctx.catalog.entries()
    long_text = "A fairly long card text that wraps over several lines. " * 6
    return {
        "topic": lambda: TopicScreen(services, "numpy"),
        "start": lambda: StartDialog(topics, None, 25),
        "session": lambda: SessionForm(services, topics),
        "pomodoro-settings": lambda: PomodoroDialog(services),
        "help": HelpScreen,
        "cancel": lambda: ConfirmCancel(Text("Cancel this pomodoro?\n\n12 min will be lost.")),
        "quit-pomodoro": lambda: QuitDuringPomodoro(Text("A pomodoro is running.\n" * 5)),
        "quit-unsaved": lambda: QuitWithUnsaved("3 ratings", "disk full"),
        "picker": lambda: CurriculumPicker(entries, entries[0].id, date(2026, 11, 21)),
        "edit-card": lambda: EditCardScreen("Edit card 7", long_text, long_text),
        "add-card": lambda: AddCardScreen(decks, "deck-3"),
        "deck-overview": lambda: DeckOverviewScreen(overview),
    }


async def settle(app: StudyApp, pilot: Any) -> None:
    for _ in range(3):
        with contextlib.suppress(WorkerCancelled):
            await app.workers.wait_for_complete()
        await pilot.pause()


def outside(widget: Widget, width: int, height: int) -> bool:
    region = widget.region
    return region.width == 0 or region.right > width or region.bottom > height


@pytest.mark.parametrize("size", [(80, 24), (160, 50)])
async def test_every_dialog_fits(ctx: AppContext, size: tuple[int, int]) -> None:
    app = StudyApp(ctx)
    cut: dict[str, list[str]] = {}
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        for name, make in dialogs(app).items():
            await app.push_screen(make())
            await settle(app, pilot)
            controls = [w for w in app.screen.query(CONTROLS) if w.display]
            assert controls or name in ("topic", "help"), name
            bad = [f"{type(w).__name__}#{w.id}" for w in controls if outside(w, *size)]
            if bad:
                cut[name] = bad
            app.pop_screen()
            await pilot.pause()
    assert cut == {}
