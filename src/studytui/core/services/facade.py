"""The services the UI talks to, built from the AppContext.

Each service is made (and its module, with SQLAlchemy and the models, imported) the first time
it is asked for, from whichever thread asks: the app paints its first frame before any of them
is needed, and the dashboard's worker pays for the imports off the UI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from studytui.core.context import AppContext

if TYPE_CHECKING:
    from studytui.core.cardsearch.actions import CardActions
    from studytui.core.cardsearch.service import CardSearchService
    from studytui.core.decks.background import BackgroundSync
    from studytui.core.services.dashboard import DashboardService
    from studytui.core.services.deck_overview import DeckOverviewService
    from studytui.core.services.deck_stats import DeckStatsService
    from studytui.core.services.decks import DeckService
    from studytui.core.services.review import ReviewService
    from studytui.core.services.roadmap import RoadmapService
    from studytui.core.services.sessions import SessionsService
    from studytui.core.services.settings import SettingsService
    from studytui.core.services.stats_report import StatsReportService
    from studytui.core.services.time_stats import TimeStatsService
    from studytui.core.services.topic_insight import TopicInsightService

T = TypeVar("T")


class Services:
    """Use-cases for the app; the UI sees only these and the frozen dataclasses they return."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self._made: dict[str, Any] = {}
        self._lock = threading.RLock()  # a service may ask for another while being made
        self._deck_sync: BackgroundSync | None = None

    def start_deck_sync(self) -> None:
        """Start the deck sync in a child process (when a second core is free), so that the
        first counts need not parse deck files in this one; see ``core/decks/background.py``."""
        from studytui.core.decks.background import BackgroundSync

        self._deck_sync = BackgroundSync.start()

    @classmethod
    def build(cls, ctx: AppContext) -> Services:
        return cls(ctx)

    def _get(self, name: str, make: Callable[[], T]) -> T:
        found = self._made.get(name)
        if found is None:
            with self._lock:
                found = self._made.get(name)
                if found is None:
                    found = self._made[name] = make()
        return found

    @property
    def roadmap(self) -> RoadmapService:
        def make() -> RoadmapService:
            from studytui.core.services.roadmap import RoadmapService

            return RoadmapService(self.ctx)

        return self._get("roadmap", make)

    @property
    def settings(self) -> SettingsService:
        def make() -> SettingsService:
            from studytui.core.services.settings import SettingsService

            return SettingsService(self.ctx)

        return self._get("settings", make)

    @property
    def dashboard(self) -> DashboardService:
        def make() -> DashboardService:
            from studytui.core.services.dashboard import DashboardService

            return DashboardService(self.ctx, self.roadmap, self.time_stats, self.deck_stats)

        return self._get("dashboard", make)

    @property
    def sessions(self) -> SessionsService:
        def make() -> SessionsService:
            from studytui.core.services.sessions import SessionsService

            return SessionsService(self.ctx)

        return self._get("sessions", make)

    @property
    def time_stats(self) -> TimeStatsService:
        def make() -> TimeStatsService:
            from studytui.core.services.time_stats import TimeStatsService

            return TimeStatsService(self.ctx)

        return self._get("time_stats", make)

    @property
    def decks(self) -> DeckService:
        def make() -> DeckService:
            from studytui.core.services.decks import DeckService

            return DeckService(self.ctx, self._deck_sync)

        return self._get("decks", make)

    @property
    def review(self) -> ReviewService:
        def make() -> ReviewService:
            from studytui.core.services.review import ReviewService

            return ReviewService(self.ctx)

        return self._get("review", make)

    @property
    def deck_stats(self) -> DeckStatsService:
        def make() -> DeckStatsService:
            from studytui.core.services.deck_stats import DeckStatsService

            return DeckStatsService(self.ctx, self.decks)  # counts wait for the first sync

        return self._get("deck_stats", make)

    @property
    def stats(self) -> StatsReportService:
        def make() -> StatsReportService:
            from studytui.core.services.stats_report import StatsReportService

            return StatsReportService(self.time_stats, self.deck_stats)

        return self._get("stats", make)

    @property
    def topics(self) -> TopicInsightService:
        def make() -> TopicInsightService:
            from studytui.core.services.topic_insight import TopicInsightService

            return TopicInsightService(self.ctx)

        return self._get("topics", make)

    @property
    def cards(self) -> CardSearchService:
        def make() -> CardSearchService:
            from studytui.core.cardsearch.service import CardSearchService

            return CardSearchService(self.ctx)

        return self._get("cards", make)

    @property
    def card_actions(self) -> CardActions:
        def make() -> CardActions:
            from studytui.core.cardsearch.actions import CardActions

            return CardActions(self.ctx)

        return self._get("card_actions", make)

    @property
    def deck_overview(self) -> DeckOverviewService:
        def make() -> DeckOverviewService:
            from studytui.core.services.deck_overview import DeckOverviewService

            return DeckOverviewService(self.review, self.deck_stats)

        return self._get("deck_overview", make)
