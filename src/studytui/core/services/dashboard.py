"""Everything the home screen shows, gathered in one call so the UI makes one trip."""

from __future__ import annotations

from dataclasses import dataclass

from studytui.core.context import AppContext
from studytui.core.services.roadmap import (
    ChecklistItem,
    MilestoneView,
    Pace,
    Progress,
    RoadmapService,
    WeekView,
)


@dataclass(frozen=True)
class DashboardSnapshot:
    week: WeekView
    progress: Progress
    pace: Pace
    next_milestone: MilestoneView | None

    @property
    def milestone_items(self) -> tuple[ChecklistItem, ...]:
        return self.next_milestone.items if self.next_milestone else ()


class DashboardService:
    def __init__(self, ctx: AppContext, roadmap: RoadmapService) -> None:
        self.ctx = ctx
        self.roadmap = roadmap

    def snapshot(self) -> DashboardSnapshot:
        week = self.roadmap.week()
        return DashboardSnapshot(
            week=week,
            progress=self.roadmap.progress(),
            pace=self.roadmap.pace(),
            next_milestone=self.roadmap.next_milestone(week.number),
        )
