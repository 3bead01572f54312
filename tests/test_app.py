"""Pilot tests of the app shell: modes by number keys, help, literal text."""

from __future__ import annotations

from textual.widgets import Static

from studytui.core.context import AppContext
from studytui.ui.app import StudyApp
from studytui.ui.screens.dashboard import DashboardScreen
from studytui.ui.screens.help import HelpScreen
from studytui.ui.screens.roadmap import RoadmapScreen


async def test_opens_on_dashboard_and_switches_modes(ctx: AppContext) -> None:
    app = StudyApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        text = str(app.screen.query_one("#dash-week", Static).content)
        assert "Week 1 of 12" in text
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, RoadmapScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_help_screen_lists_bindings(ctx: AppContext) -> None:
    app = StudyApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_theme_choice_persists(ctx: AppContext) -> None:
    app = StudyApp(ctx)
    async with app.run_test() as pilot:
        app.theme = "nord"
        await pilot.pause()
        await app.workers.wait_for_complete()
    assert "theme: nord" in ctx.paths.config_file.read_text(encoding="utf-8")


async def test_palette_finds_topics_with_markup_like_titles(ctx: AppContext) -> None:
    from studytui.core.services.roadmap import RoadmapService

    user = ctx.paths.user_curriculum_dir
    user.mkdir(parents=True)
    (user / "mine.yaml").write_text(
        "schema: 1\nid: mine\ntitle: Mine\nphases:\n  - id: p\n    title: P\n    span: 1\n"
        "    weeks:\n      - {span: 1, title: '[b]bold[/b] week', topics: [t1]}\n"
        "topics:\n  - {id: t1, title: '[link=x]Tricky[/] topic [b]'}\n",
        encoding="utf-8",
    )
    RoadmapService(ctx).use("mine")
    app = StudyApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        week = str(app.screen.query_one("#dash-week", Static).content)
        assert "[b]bold[/b] week" in week
        await pilot.press("ctrl+p")
        await pilot.press(*"Tricky")
        from textual.command import CommandList

        for _ in range(50):  # the palette searches asynchronously
            await pilot.pause()
            if app.screen.query(CommandList) and app.screen.query_one(CommandList).option_count:
                break
        await pilot.press("down", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = str(app.screen.query_one("#topic-text", Static).content)
        assert "[link=x]Tricky[/] topic [b]" in text


async def test_keys_are_remappable_from_config(ctx: AppContext) -> None:
    from studytui.core.config import set_config_values
    from studytui.ui.screens.roadmap import RoadmapScreen

    set_config_values(ctx.paths.config_file, {"keys": "{mode.roadmap: 'g'}"})
    ctx.reload_settings()
    app = StudyApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, RoadmapScreen)


async def test_start_up_work_waits_for_the_dashboard_data(ctx: AppContext) -> None:
    """The abandoned-timer check and the deck sync report start once the dashboard shows its
    figures: started earlier, they competed with its loading for the interpreter."""
    app = StudyApp(ctx)
    seen: list[bool] = []
    check = app.timer.check_startup

    def recorded() -> None:
        screen = app.screen
        seen.append(isinstance(screen, DashboardScreen) and screen.activity is not None)
        check()

    app.timer.check_startup = recorded  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.timer.ready
    assert seen == [True]


async def test_an_unknown_theme_or_binding_id_is_named_not_ignored(ctx: AppContext) -> None:
    """config.yaml can only check the shape of `theme` and `keys`; the app knows the names and
    warns about each entry it cannot apply, applying the rest."""
    from studytui.core.config import set_config_values
    from studytui.ui.screens.roadmap import RoadmapScreen

    set_config_values(
        ctx.paths.config_file,
        {"theme": "solarised-typo", "keys": "{mode.roadmap: 'g', mode.roadmapp: 'h'}"},
    )
    ctx.reload_settings()
    app = StudyApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        for _ in range(40):
            await pilot.pause(0.05)
            if len(app._notifications) >= 2:
                break
        messages = [n.message for n in app._notifications]
        config = str(ctx.paths.config_file)
        assert any(
            m.startswith(f"{config}: theme: unknown theme 'solarised-typo'; using textual-dark")
            for m in messages
        ), messages
        assert any(
            m.startswith(f"{config}: keys.mode.roadmapp: unknown binding id") for m in messages
        ), messages
        assert not any("keys.mode.roadmap:" in m for m in messages)
        assert app.theme == "textual-dark"
        await pilot.press("g")  # the valid entry still applies
        await pilot.pause()
        assert isinstance(app.screen, RoadmapScreen)


async def test_screenshot_is_saved_under_the_data_folder(ctx: AppContext) -> None:
    app = StudyApp(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.deliver_screenshot()
        await pilot.pause()
        shots = list((ctx.paths.data_dir / "screenshots").glob("*.svg"))
        assert len(shots) == 1
        assert any(n.message == f"Saved to {shots[0]}" for n in app._notifications)
