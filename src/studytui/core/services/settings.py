"""Changing settings from the app: written into config.yaml in place, then reloaded."""

from __future__ import annotations

from studytui.core.config import PomodoroSettings, set_config_values
from studytui.core.config_section import set_section_values
from studytui.core.context import AppContext


class SettingsService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def save_theme(self, theme: str) -> None:
        set_config_values(self.ctx.paths.config_file, {"theme": theme})
        self.ctx.reload_settings()

    def save_pomodoro(self, values: dict[str, int]) -> PomodoroSettings:
        """Write whole-number ``pomodoro.*`` keys into config.yaml (the rest of the file as it
        was) and reload, so the next phase uses them; a running phase keeps its own length."""
        set_section_values(
            self.ctx.paths.config_file, "pomodoro", {k: str(v) for k, v in values.items()}
        )
        self.ctx.reload_settings()
        return self.ctx.settings.pomodoro
