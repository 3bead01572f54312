"""Progress against the calendar: each planned topic's deadline and where the learner stands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from studytui.core.curriculum.model import Curriculum
from studytui.core.studyday import roadmap_week_start


class PaceState(StrEnum):
    ON_TRACK = "on track"
    BEHIND = "behind"
    AHEAD = "ahead"
    NOT_STARTED = "not started"
    FINISHED = "finished"


@dataclass(frozen=True)
class Pace:
    """Progress against the calendar; see ``RoadmapService.pace`` for the rule."""

    state: PaceState
    days: int
    settled: int
    total: int
    expected: int

    @property
    def label(self) -> str:
        if self.state in (PaceState.BEHIND, PaceState.AHEAD):
            unit = "day" if self.days == 1 else "days"
            return f"{self.state.value} by {self.days} {unit}"
        return self.state.value


def topic_deadlines(cur: Curriculum, start: date) -> list[tuple[date, str]]:
    """Each planned topic with the day after its last scheduled week ends, in schedule order."""
    last_week: dict[str, int] = {}
    for phase in cur.phases:
        for entry in phase.weeks:
            for tid in entry.topics:
                last_week[tid] = max(last_week.get(tid, entry.span.last), entry.span.last)
    deadlines = [
        (roadmap_week_start(start, cur.first_week, week + 1), tid)
        for tid, week in last_week.items()
    ]
    return sorted(deadlines)


def compute_pace(
    deadlines: list[tuple[date, str]], settled_ids: set[str], start: date, today: date
) -> Pace:
    """Where the learner stands against the plan.

    Topics done or skipped are *settled*. With k topics settled, the learner is where the plan
    expected to be between the k-th deadline and the (k+1)-th: on track if today lies there,
    ahead by the days until the k-th deadline if it is still to come, and behind by the days
    since the (k+1)-th deadline passed.
    """
    total = len(deadlines)
    k = sum(1 for _, tid in deadlines if tid in settled_ids)
    expected = sum(1 for when, _ in deadlines if when <= today)
    if total and k >= total:
        return Pace(PaceState.FINISHED, 0, k, total, expected)
    if today < start:
        return Pace(PaceState.NOT_STARTED, (start - today).days, k, total, expected)
    reached = deadlines[k - 1][0] if k > 0 else start
    next_due = deadlines[k][0] if k < total else reached
    if reached > today:
        return Pace(PaceState.AHEAD, (reached - today).days, k, total, expected)
    if today > next_due:
        return Pace(PaceState.BEHIND, (today - next_due).days, k, total, expected)
    return Pace(PaceState.ON_TRACK, 0, k, total, expected)
