"""One key, one meaning: in every state of every screen, a key press reaches one action.

For each screen and each widget that can take focus on it, with the timer idle and running and
the review screen on both sides of a card, the binding chain a key press walks (focused widget,
its containers, the screen, the app; cut at a modal) must not hold two different actions for
one key among the bindings that are not disabled. A disabled binding (check_action False) lets
the key through, so it may share a key with the one that then applies.
"""

from __future__ import annotations

import contextlib
from typing import Any

from textual.pilot import Pilot
from textual.screen import Screen
from textual.worker import WorkerCancelled

from studytui.core.categories import Category
from studytui.core.context import AppContext
from studytui.core.timer import WorkTarget
from studytui.ui.app import StudyApp
from studytui.ui.config_check import known_binding_ids
from studytui.ui.screens.help import HelpScreen, active_keys
from studytui.ui.screens.review import ReviewScreen
from test_review_screen import demo_deck

OURS = known_binding_ids()  # every studytui binding has an id; Textual's own mostly none


def conflicts(screen: Screen[Any]) -> dict[str, set[str]]:
    """Keys that reach more than one action in the screen's current binding chain, where one
    of them is studytui's (Textual's nested scrolling and copy keys are Textual's business)."""
    app = screen.app
    actions: dict[str, set[str]] = {}
    ours: set[str] = set()
    for node, bindings_map in screen._modal_binding_chain:
        for key, binding in bindings_map:
            if app._check_action_state(binding.action, node) is False:
                continue
            target, name, params = app._parse_action(binding.action, node)
            actions.setdefault(key, set()).add(f"{type(target).__name__}.{name}{params}")
            if binding.id in OURS:
                ours.add(key)
    return {key: found for key, found in actions.items() if len(found) > 1 and key in ours}


async def settle(app: StudyApp, pilot: Pilot[None]) -> None:
    for _ in range(3):
        with contextlib.suppress(WorkerCancelled):  # an exclusive load replaced by a newer one
            await app.workers.wait_for_complete()
        await pilot.pause()


async def every_focus(app: StudyApp, pilot: Pilot[None], label: str) -> dict[str, Any]:
    """The conflicts with nothing focused and with each focusable widget focused."""
    screen = app.screen
    found: dict[str, Any] = {}
    if bad := conflicts(screen):
        found[f"{label} (no focus)"] = bad
    for widget in list(screen.focus_chain):
        widget.focus()
        await pilot.pause()
        if bad := conflicts(screen):
            found[f"{label} ({type(widget).__name__}#{widget.id})"] = bad
    return found


async def test_no_key_means_two_things_on_any_screen(ctx: AppContext) -> None:
    demo_deck(ctx)
    app = StudyApp(ctx)
    found: dict[str, Any] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        for running in (False, True):
            if running:
                app.timer.start(WorkTarget(Category.THEORY, None))
                await settle(app, pilot)
                assert app.timer.state.in_work
            for mode in ("dashboard", "roadmap", "timer", "review", "stats"):
                await app.switch_mode(mode)
                await settle(app, pilot)
                label = f"{mode}{' timer running' if running else ''}"
                if isinstance(app.screen, ReviewScreen):
                    assert app.screen.card is not None
                    sides = (
                        ("answer", "question") if app.screen.revealed else ("question", "answer")
                    )
                    for side in sides:
                        found |= await every_focus(app, pilot, f"{label} {side}")
                        await pilot.press("1" if app.screen.revealed else "space")
                        await pilot.pause()
                        assert app.screen.card is not None
                else:
                    found |= await every_focus(app, pilot, label)
    assert found == {}


async def test_modal_dialogs_have_one_meaning_per_key(ctx: AppContext) -> None:
    from studytui.ui.screens.pomodoro_dialog import PomodoroDialog
    from studytui.ui.screens.timer_dialogs import SessionForm, StartDialog
    from studytui.ui.screens.topic import TopicScreen
    from studytui.ui.timer_keys import ConfirmCancel, QuitDuringPomodoro

    app = StudyApp(ctx)
    found: dict[str, Any] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        from rich.text import Text

        dialogs: list[Screen[Any]] = [
            TopicScreen(app.services, "numpy"),
            StartDialog(app.timer.topics, None, 25),
            SessionForm(app.services, app.timer.topics),
            PomodoroDialog(app.services),
            HelpScreen(),
            ConfirmCancel(Text("?")),
            QuitDuringPomodoro(Text("?")),
        ]
        for dialog in dialogs:
            await app.push_screen(dialog)
            await settle(app, pilot)
            found |= await every_focus(app, pilot, type(dialog).__name__)
            app.pop_screen()
            await pilot.pause()
    assert found == {}


async def test_timer_keys_work_from_every_screen_and_text_inputs_keep_letters(
    ctx: AppContext,
) -> None:
    from textual.widgets import Input

    from studytui.ui.screens.timer_dialogs import StartDialog

    app = StudyApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        for mode in ("dashboard", "roadmap", "stats"):
            await app.switch_mode(mode)
            await settle(app, pilot)
            await pilot.press("s")
            await pilot.pause()
            assert isinstance(app.screen, StartDialog), mode
            note = app.screen.query_one("#note", Input)
            note.focus()
            await pilot.press("p", "x", "c", "s")  # letters, not timer keys, in the note
            assert note.value == "pxcs"
            await pilot.press("escape")
            await pilot.pause()
        await app.switch_mode("dashboard")
        await settle(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.timer.state.in_work
        await pilot.press("p")  # pause, from the dashboard (it was "topic pending" here)
        await settle(app, pilot)
        assert app.timer.state.is_paused
        await app.switch_mode("stats")
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        assert not app.timer.state.is_paused
        await pilot.press("x")  # stop and log, from the stats screen
        await settle(app, pilot)
        assert not app.timer.state.in_work


async def test_help_lists_what_the_focused_widget_and_screen_answer_to(ctx: AppContext) -> None:
    app = StudyApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await app.switch_mode("roadmap")
        await settle(app, pilot)
        checklist = app.screen.query_one("#roadmap-checklist")
        checklist.focus()
        await pilot.pause()
        rows = {(key, b.description) for key, b, _ in active_keys(app.screen)}
        assert ("space", "Toggle option") in rows, repr(sorted(rows))  # the checklist's tick
        shown = [key for key, _ in rows]
        assert shown.count("end") == 1  # the list's end, not also its container's
        assert ("s", "Start pomodoro") in rows
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await app.switch_mode("timer")
        await settle(app, pilot)
        keys = [key for key, _b, _w in active_keys(app.screen)]
        assert len(keys) == len(set(keys)), keys  # each key once (^p was listed twice)
        app.timer.start(WorkTarget(Category.THEORY, None))
        await settle(app, pilot)
        described = {b.description: key for key, b, _ in active_keys(app.screen)}
        assert described["Pause/resume"] in ("p", "space")
        assert "Stop & log" in described
        assert "Start pomodoro" not in described  # hidden while one runs
