"""The three kinds of focused study time and a target split between them."""

from __future__ import annotations

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
