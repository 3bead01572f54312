"""Everything the home screen shows, gathered in one call so the UI makes one trip."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from studytui.core.context import AppContext
from studytui.core.curriculum.model import Curriculum
from studytui.core.errors import NotFoundError
from studytui.core.services.deck_stats import DeckStatsService, ReviewStats
from studytui.core.services.pomodoro_day import PomodoroDay, PomodoroDayService
from studytui.core.services.roadmap import (
    MilestoneView,
    Pace,
    Progress,
    RoadmapCalendar,
    RoadmapService,
    WeekView,
)
from studytui.core.services.stats_report import activity_by_day
from studytui.core.services.time_stats import TimeStatsService, WeekStats

HEATMAP_WEEKS = 12


@dataclass(frozen=True)
class DashboardPlan:
    """The roadmap half: cheap, shown first."""

    week: WeekView
    progress: Progress
    pace: Pace
    next_milestone: MilestoneView | None
    next_week: WeekView | None  # None in the last week
    calendar: RoadmapCalendar  # not started yet, under way, or past its last week


@dataclass(frozen=True)
class DashboardActivity:
    """The statistics half: focus time, streak, cards due and the activity heatmap."""

    time: WeekStats
    today: date
    reviews: ReviewStats
    focus_minutes_by_day: dict[date, float]
    pomodoros: PomodoroDay  # today's completed pomodoros and the daily goal

    @property
    def today_minutes(self) -> float:
        return self.focus_minutes_by_day.get(self.today, 0.0)

    @property
    def activity_by_day(self) -> dict[date, float]:
        return activity_by_day(self.focus_minutes_by_day, self.reviews)


class DashboardService:
    def __init__(
        self,
        ctx: AppContext,
        roadmap: RoadmapService,
        time_stats: TimeStatsService,
        deck_stats: DeckStatsService,
    ) -> None:
        self.ctx = ctx
        self.roadmap = roadmap
        self.time_stats = time_stats
        self.deck_stats = deck_stats

    def plan(self) -> DashboardPlan:
        cur = self.roadmap.curriculum()  # one curriculum for every part, even if switched meanwhile
        week = self.roadmap.week(cur=cur)
        last = week.plan.last_week
        return DashboardPlan(
            week=week,
            progress=self.roadmap.progress(cur=cur),
            pace=self.roadmap.pace(cur),
            next_milestone=self.roadmap.next_milestone(week.number, cur),
            next_week=self._week_or_none(week.number + 1, cur) if week.number < last else None,
            calendar=self.roadmap.calendar(cur),
        )

    def _week_or_none(self, number: int, cur: Curriculum) -> WeekView | None:
        try:
            return self.roadmap.week(number, cur)
        except NotFoundError:  # a curriculum may leave a week without a plan
            return None

    def activity(self) -> DashboardActivity:
        seconds = self.time_stats.seconds_by_day()
        return DashboardActivity(
            time=self.time_stats.week(seconds_by_day=seconds),
            today=self.ctx.today(),
            reviews=self.deck_stats.stats(
                days=7 * HEATMAP_WEEKS, forecast_days=1, retention_days=0
            ),
            focus_minutes_by_day={d: s / 60 for d, s in seconds.items()},
            pomodoros=PomodoroDayService(self.ctx).today(),
        )
