"""The services the UI talks to, built once from the AppContext."""

from __future__ import annotations

from dataclasses import dataclass, field

from studytui.core.context import AppContext
from studytui.core.services.dashboard import DashboardService
from studytui.core.services.deck_stats import DeckStatsService
from studytui.core.services.decks import DeckService
from studytui.core.services.review import ReviewService
from studytui.core.services.roadmap import RoadmapService
from studytui.core.services.sessions import SessionsService
from studytui.core.services.settings import SettingsService
from studytui.core.services.time_stats import TimeStatsService


@dataclass
class Services:
    """Use-cases for the app; the UI sees only these and the frozen dataclasses they return."""

    ctx: AppContext
    roadmap: RoadmapService
    settings: SettingsService
    dashboard: DashboardService
    sessions: SessionsService
    time_stats: TimeStatsService
    decks: DeckService = field(init=False)
    review: ReviewService = field(init=False)
    deck_stats: DeckStatsService = field(init=False)

    def __post_init__(self) -> None:
        self.decks = DeckService(self.ctx)
        self.review = ReviewService(self.ctx)
        self.deck_stats = DeckStatsService(self.ctx)

    @classmethod
    def build(cls, ctx: AppContext) -> Services:
        roadmap = RoadmapService(ctx)
        sessions = SessionsService(ctx)
        return cls(
            ctx=ctx,
            roadmap=roadmap,
            settings=SettingsService(ctx),
            dashboard=DashboardService(ctx, roadmap),
            sessions=sessions,
            time_stats=TimeStatsService(ctx, sessions),
        )
