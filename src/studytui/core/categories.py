"""The three kinds of focused study time and a target split between them."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum


class Category(StrEnum):
    """How a block of study time was spent."""

    HANDS_ON = "hands-on"
    THEORY = "theory"
    COMMUNITY = "community"

    @property
    def label(self) -> str:
        return {"hands-on": "Hands-on", "theory": "Theory", "community": "Community"}[self.value]


CATEGORIES: tuple[Category, ...] = (Category.HANDS_ON, Category.THEORY, Category.COMMUNITY)


@dataclass(frozen=True)
class TimeSplit:
    """Target share of weekly focus time per category, in whole percent summing to 100."""

    hands_on: int = 70
    theory: int = 20
    community: int = 10

    def percent(self, category: Category) -> int:
        return {
            Category.HANDS_ON: self.hands_on,
            Category.THEORY: self.theory,
            Category.COMMUNITY: self.community,
        }[category]

    def as_dict(self) -> dict[str, int]:
        return {c.value: self.percent(c) for c in CATEGORIES}

    def __str__(self) -> str:
        return f"{self.hands_on}/{self.theory}/{self.community}"


DEFAULT_SPLIT = TimeSplit()


# -- how a split is shown ----------------------------------------------------------------
# A share is a whole percent rounded half up, and its deviation from the target is that shown
# percent minus the target, so the two figures on a line always agree. A deviation of 0 is
# "±0 pp", never "+0 pp" or "−0 pp". A week whose focus shows as 0 minutes has no share at
# all (``percent`` None): "—" and no deviation.


def whole_percent(percent: float) -> int:
    return math.floor(percent + 0.5)


def share_text(percent: float | None) -> str:
    """``"42%"``, or ``"—"`` when there is no share (no focus)."""
    return "—" if percent is None else f"{whole_percent(percent)}%"


def deviation_text(percent: float | None, target: int, *, compact: bool = False) -> str:
    """``"+30 pp"``, ``"−28 pp"``, ``"±0 pp"`` (``compact``: no space); ``"—"`` without a share."""
    if percent is None:
        return "—"
    delta = whole_percent(percent) - target
    sign = "±" if delta == 0 else "+" if delta > 0 else "−"
    return f"{sign}{abs(delta)}{'pp' if compact else ' pp'}"
