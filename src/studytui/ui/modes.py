"""The app's modes: one per product area, switched with number keys."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

if TYPE_CHECKING:
    from studytui.core.services.facade import Services


def _dashboard(services: Services, **kw: Any) -> Screen[Any]:
    from studytui.ui.screens.dashboard import DashboardScreen

    return DashboardScreen(services, **kw)


def _roadmap(services: Services, **kw: Any) -> Screen[Any]:
    from studytui.ui.screens.roadmap import RoadmapScreen

    return RoadmapScreen(services, **kw)


def _timer(services: Services, **kw: Any) -> Screen[Any]:
    from studytui.ui.screens.timer import TimerScreen

    return TimerScreen(services, **kw)


def _review(services: Services, **kw: Any) -> Screen[Any]:
    from studytui.ui.screens.review import ReviewScreen

    return ReviewScreen(services, **kw)


def _stats(services: Services, **kw: Any) -> Screen[Any]:
    from studytui.ui.screens.stats import StatsScreen

    return StatsScreen(services, **kw)


def _browse(services: Services, **kw: Any) -> Screen[Any]:
    from studytui.ui.screens.browser import BrowserScreen

    return BrowserScreen(services, **kw)


@dataclass(frozen=True)
class ModeSpec:
    name: str
    key: str
    title: str
    description: str
    factory: Callable[..., Screen[Any]]
    fkey: str  # the same area where the digits are taken (review: ratings)


MODE_SPECS: tuple[ModeSpec, ...] = (
    ModeSpec("dashboard", "1", "Dashboard", "This week at a glance", _dashboard, "f2"),
    ModeSpec("roadmap", "2", "Roadmap", "All phases and weeks of the curriculum", _roadmap, "f3"),
    ModeSpec("timer", "3", "Timer", "Pomodoro timer and time log", _timer, "f4"),
    ModeSpec("review", "4", "Review", "Review due flashcards", _review, "f5"),
    ModeSpec("stats", "5", "Stats", "Weekly statistics", _stats, "f6"),
    ModeSpec("browse", "6", "Browse", "Search, sort and change every card", _browse, "f7"),
)
