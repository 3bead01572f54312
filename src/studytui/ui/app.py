"""The App: modes, global keys, command palette, theme. Screens do the work."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen

from studytui.core.context import AppContext
from studytui.core.errors import StudyError
from studytui.core.services.facade import Services
from studytui.ui.messages import FirstViewShown
from studytui.ui.modes import MODE_SPECS, ModeSpec
from studytui.ui.providers import TopicsProvider
from studytui.ui.saving import save_in_worker
from studytui.ui.timer_controller import TimerChanged, TimerController
from studytui.ui.timer_keys import TIMER_ACTIONS, timer_action_state, timer_bindings
from studytui.ui.workers import work

# Seconds after mounting by which the deferred start-up work starts even if the first screen
# never announced its data.
STARTUP_WORK_LATEST = 3.0


class DecksSynced(Message):
    """Deck files were loaded; some could not be (each problem is file:line: message)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__()
        self.problems = problems


class StudyApp(App[None]):
    """studytui's terminal app: dashboard, roadmap, timer, review and stats."""

    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {TopicsProvider}
    TITLE = "studytui"
    # The key scheme (docs/keys.md): digits and F2-F7 switch areas, the timer's letters work on
    # every screen, screens add their own letters, and no chain binds one key twice
    # (tests/test_key_scheme.py).
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(spec.key, f"area('{spec.name}')", spec.title, id=f"mode.{spec.name}")
            for spec in MODE_SPECS
        ),
        *(
            Binding(
                spec.fkey,
                f"switch_mode('{spec.name}')",
                spec.title,
                show=False,
                id=f"mode.{spec.name}-f",
            )
            for spec in MODE_SPECS
        ),
        *timer_bindings(show_all=False),
        Binding("f1,question_mark", "help", "Help", id="app.help"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    def __init__(
        self,
        ctx: AppContext,
        start_mode: str | None = None,
        services: Services | None = None,
        **options: Any,
    ) -> None:
        super().__init__()
        self.services = services or Services.build(ctx)
        self.timer = TimerController(self, self.services)  # the pomodoro, alive on every screen
        self.start_mode = start_mode or "dashboard"
        self._deferred_started = False
        self._timer_keys_shown: tuple[bool, ...] = ()
        self.options = options
        for spec in MODE_SPECS:
            self.add_mode(spec.name, partial(self._make_screen, spec))

    def _make_screen(self, spec: ModeSpec) -> Screen[Any]:
        return spec.factory(self.services, **self.options.get(spec.name, {}))

    def on_mount(self) -> None:
        settings = self.services.ctx.settings
        if settings.theme in self.available_themes:
            self.theme = settings.theme
        if settings.keys:
            self.set_keymap(settings.keymap)
        self.timer.attach()
        self.timer.changed.subscribe(self, self._timer_changed)
        self.switch_mode(self.start_mode)
        self.theme_changed_signal.subscribe(self, self._on_theme_changed)
        for notice in self.services.ctx.notices:
            self.notify(notice, severity="warning", markup=False, timeout=10)
        if self.start_mode != "dashboard":  # only the dashboard announces FirstViewShown
            self.call_after_refresh(self._after_first_view)
        # Whatever happens to the first screen's loading, the deferred start-up work runs.
        self.set_timer(STARTUP_WORK_LATEST, self._after_first_view)

    def on_first_view_shown(self, _message: FirstViewShown) -> None:
        self._after_first_view()

    def _after_first_view(self) -> None:
        """Start-up work that would slow the first screen's loading: the abandoned-timer check,
        and the deck sync's report (the dashboard's counts already ran the sync when needed)."""
        if self._deferred_started:
            return
        self._deferred_started = True
        self._sync_decks()
        self.timer.check_startup()
        self._check_settings()

    def _check_settings(self) -> None:
        """Warn about a theme or ``keys:`` entry that could not be applied (never silently)."""
        from studytui.ui.config_check import settings_warnings

        settings = self.services.ctx.settings
        for warning in settings_warnings(settings, self.available_themes):
            self.notify(warning, severity="warning", markup=False, timeout=15)

    @work(thread=True, exclusive=True, group="decks")
    def _sync_decks(self) -> None:
        """Load changed deck files into the database (a quick hash check when none changed)."""
        try:
            problems = [str(p) for p in self.services.decks.sync_once().problems]
        except StudyError as exc:
            problems = [str(exc)]
        if problems:
            self.post_message(DecksSynced(problems))

    def on_decks_synced(self, message: DecksSynced) -> None:
        for problem in message.problems[:5]:
            self.notify(f"Deck not loaded: {problem}", severity="warning", markup=False, timeout=15)

    def _timer_changed(self, event: TimerChanged) -> None:
        """Show the timer keys that apply now (start when idle; pause, next... when running)."""
        shown = tuple(timer_action_state(self.timer, a) for a in TIMER_ACTIONS)
        if shown != self._timer_keys_shown:
            self._timer_keys_shown = shown
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in TIMER_ACTIONS:
            return timer_action_state(self.timer, action)
        if action == "area":  # a digit, unless the screen uses it (review: 1-4 rate a card)
            key = next((m.key for m in MODE_SPECS if (m.name,) == parameters), None)
            return key not in getattr(self.screen, "taken_digits", ())
        return super().check_action(action, parameters)

    def action_area(self, mode: str) -> None:
        self.switch_mode(mode)

    def action_timer_start(self) -> None:
        from studytui.ui.timer_keys import start_pomodoro

        start_pomodoro(self, self.timer)

    def action_timer_pause(self) -> None:
        self.timer.toggle_pause()

    def action_timer_next(self) -> None:
        self.timer.skip()

    def action_timer_stop(self) -> None:
        self.timer.stop()

    def action_timer_cancel(self) -> None:
        from studytui.ui.timer_keys import confirm_cancel

        confirm_cancel(self, self.timer)

    def on_unmount(self) -> None:
        self.timer.detach()

    def _on_theme_changed(self, theme: Any) -> None:
        if theme.name != self.services.ctx.settings.theme:
            self._save_theme(theme.name)

    def _save_theme(self, name: str) -> None:
        settings = self.services.settings
        save_in_worker(self, f"The theme {name!r}", lambda: settings.save_theme(name))

    async def action_quit(self) -> None:
        """Quit; with a pomodoro running or ratings not saved yet (a full disk), ask first."""
        from studytui.ui.timer_keys import quit_with_pomodoro
        from studytui.ui.unsaved import request_quit

        if not quit_with_pomodoro(self, self.timer, lambda: request_quit(self)):
            request_quit(self)

    def action_help(self) -> None:
        from studytui.ui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """The palette's Screenshot: an SVG under the data folder (Textual's default, the
        Downloads folder, often does not exist on a server), saying where or why not."""
        from pathlib import Path

        from studytui.core.write_failure import reason

        folder = Path(path) if path else self.services.ctx.paths.data_dir / "screenshots"
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            saved = self.save_screenshot(filename, str(folder), time_format)
        except OSError as exc:
            self.notify(f"Not saved: {reason(exc)}", title="Screenshot", severity="error",
                        markup=False)  # fmt: skip
            return None
        self.notify(f"Saved to {saved}", title="Screenshot", markup=False)
        return None

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for spec in MODE_SPECS:
            go: Callable[[], Any] = partial(self.switch_mode, spec.name)
            yield SystemCommand(f"Go to {spec.title.lower()}", spec.description, go)
        yield SystemCommand("Help", "Keys and what each screen shows", self.action_help)
        yield SystemCommand(
            "Switch curriculum", "Choose another roadmap or change its start date", self._pick
        )

    def _pick(self) -> None:
        self.switch_mode("roadmap")
        self.call_after_refresh(self.screen.run_action, "choose_curriculum")
