"""Changing settings from the app: written into config.yaml in place, then reloaded."""

from __future__ import annotations

from studytui.core.config import set_config_values
from studytui.core.context import AppContext


class SettingsService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def save_theme(self, theme: str) -> None:
        set_config_values(self.ctx.paths.config_file, {"theme": theme})
        self.ctx.reload_settings()
