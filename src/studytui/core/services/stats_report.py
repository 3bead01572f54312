"""The stats screen's data: this and past weeks' time allocation, streaks, review statistics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from studytui.core.categories import CATEGORIES, Category
from studytui.core.services.deck_stats import DeckStatsService, ReviewStats
from studytui.core.services.leech_list import LeechView, leeches
from studytui.core.services.time_stats import (
    CategoryShare,
    Streak,
    TimeStatsService,
    WeekSpan,
    WeekStats,
    allocation,
)

HISTORY_WEEKS = 8


def activity_by_day(focus_minutes: dict[date, float], reviews: ReviewStats) -> dict[date, float]:
    """Focus minutes plus one per review: one intensity per day for the heatmaps."""
    out = dict(focus_minutes)
    for day in reviews.per_day:
        out[day.day] = out.get(day.day, 0.0) + day.reviews
    return out


@dataclass(frozen=True)
class WeekAllocation:
    """One past week's focus minutes per category against the target."""

    week: WeekSpan
    total_minutes: float
    categories: tuple[CategoryShare, ...]


@dataclass(frozen=True)
class StatsReport:
    week: WeekStats
    history: tuple[WeekAllocation, ...]  # oldest first, ending with ``week``
    streak: Streak
    focus_minutes_by_day: dict[date, float]
    reviews: ReviewStats
    leeches: tuple[LeechView, ...] = ()  # cards at or past the leech threshold, most lapses first

    @property
    def activity_by_day(self) -> dict[date, float]:
        return activity_by_day(self.focus_minutes_by_day, self.reviews)


class StatsReportService:
    def __init__(self, time_stats: TimeStatsService, deck_stats: DeckStatsService) -> None:
        self.time_stats = time_stats
        self.deck_stats = deck_stats

    def previous_spans(self, span: WeekSpan, count: int) -> list[WeekSpan]:
        """The ``count`` weeks before ``span``, oldest first, numbered like it."""
        spans: list[WeekSpan] = []
        for i in range(count, 0, -1):
            first = span.first_day - timedelta(days=7 * i)
            number = span.number - i if span.number is not None else None
            if span.kind == "roadmap" and number is not None:
                cur = self.time_stats.ctx.curriculum()
                if number < cur.first_week:
                    continue
            spans.append(WeekSpan(span.kind, first, number, span.last_number))
        return spans

    def history(self, current: WeekStats, count: int) -> tuple[WeekAllocation, ...]:
        """Allocation of the weeks before ``current`` from one query, plus ``current``."""
        spans = self.previous_spans(current.week, count - 1)
        past: list[WeekAllocation] = []
        if spans:
            views = self.time_stats.sessions.between(spans[0].first_day, spans[-1].last_day)
            cal = self.time_stats.ctx.calendar
            target = current.target
            per_week: dict[date, dict[Category, float]] = {
                sp.first_day: dict.fromkeys(CATEGORIES, 0.0) for sp in spans
            }
            for v in views:
                day = cal.day_of(v.started_at)
                for sp in spans:
                    if sp.contains(day):
                        per_week[sp.first_day][v.category] += v.minutes
                        break
            for sp in spans:
                minutes = per_week[sp.first_day]
                past.append(WeekAllocation(sp, sum(minutes.values()), allocation(minutes, target)))
        now = WeekAllocation(current.week, current.total_minutes, current.categories)
        return (*past, now)

    def report(self, week: str | None = None, history: int = HISTORY_WEEKS) -> StatsReport:
        seconds = self.time_stats.seconds_by_day()
        current = self.time_stats.week(week, seconds_by_day=seconds)
        return StatsReport(
            week=current,
            history=self.history(current, history),
            streak=current.streak,
            focus_minutes_by_day={d: s / 60 for d, s in seconds.items()},
            reviews=self.deck_stats.stats(days=7 * 16),
            leeches=tuple(leeches(self.deck_stats.ctx)),
        )
