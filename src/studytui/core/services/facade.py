"""The services the UI talks to, built once from the AppContext."""

from __future__ import annotations

from dataclasses import dataclass

from studytui.core.context import AppContext
from studytui.core.services.roadmap import RoadmapService
from studytui.core.services.settings import SettingsService


@dataclass
class Services:
    """Use-cases for the app; the UI sees only these and the frozen dataclasses they return."""

    ctx: AppContext
    roadmap: RoadmapService
    settings: SettingsService

    @classmethod
    def build(cls, ctx: AppContext) -> Services:
        return cls(ctx=ctx, roadmap=RoadmapService(ctx), settings=SettingsService(ctx))
