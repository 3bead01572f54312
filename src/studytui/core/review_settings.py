"""The flashcard settings: ``review:`` in config.yaml, its presets, and how they are checked.

Every key is optional; a bad value is an InputError naming the file, line and key. A preset's
keys pass the same checks as the ones under ``review:`` (``review_values``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from studytui.core.leeches import LEECH_ACTIONS
from studytui.core.presets import DEFAULT_PRESET, Preset, parse_presets
from studytui.core.validate import Checker
from studytui.core.yamldoc import PathKey

STEP_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")
STEP_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class ReviewSettings:
    """Flashcard limits and FSRS scheduler options."""

    new_cards_per_day: int = 20
    reviews_per_day: int = 200
    desired_retention: float = 0.9
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    maximum_interval_days: int = 36500
    fuzz: bool = True
    new_cards_ignore_review_limit: bool = False  # Anki's option: the review limit caps new too
    leech_threshold: int = 8  # lapses; 0: no leeches
    leech_action: str = "suspend"  # or "tag": listed only
    # Anki's sibling burying: a card answered or queued today keeps its note's other cards of
    # these kinds for another day (docs/decks.md, *Siblings*). New on by default (so a concept's
    # reverse card never follows its forward card the same day); Anki has all three off.
    bury_new_siblings: bool = True
    bury_review_siblings: bool = False
    bury_interday_learning_siblings: bool = False
    # Deck presets (``review.presets``, Anki's deck option presets): each names its decks and
    # the keys it sets; the rest, and every deck in no preset, follow the keys above.
    presets: tuple[Preset, ...] = ()

    def preset_of(self, deck: str) -> str:
        """The name of the preset a deck uses; ``default`` for a deck in none."""
        for preset in self.presets:
            if deck in preset.decks:
                return preset.name
        return DEFAULT_PRESET

    def for_preset(self, name: str) -> ReviewSettings:
        """The settings of one preset: its own keys over these (no presets of its own)."""
        return _resolved(self, name)

    def for_deck(self, deck: str) -> ReviewSettings:
        """The settings a deck's cards are scheduled and limited by."""
        return _resolved(self, self.preset_of(deck))


@functools.lru_cache(maxsize=256)
def _resolved(settings: ReviewSettings, name: str) -> ReviewSettings:
    values = next((dict(p.values) for p in settings.presets if p.name == name), {})
    return replace(settings, **values, presets=())


REVIEW_KEYS = (
    "new_cards_per_day", "reviews_per_day", "desired_retention", "learning_steps",
    "relearning_steps", "maximum_interval_days", "fuzz", "leech_threshold", "leech_action",
    "new_cards_ignore_review_limit", "bury_new_siblings", "bury_review_siblings",
    "bury_interday_learning_siblings",
)  # fmt: skip


def _steps(c: Checker, m: dict[str, Any], key: str, path: PathKey) -> tuple[timedelta, ...] | None:
    if key not in m:
        return None
    items = c.items(m, key, path)
    out: list[timedelta] = []
    for i, item in enumerate(items):
        match = STEP_RE.match(str(item)) if isinstance(item, str | int) else None
        if match is None or isinstance(item, bool):
            c.error((*path, key, i), f"'{item}' is not a step such as 1m, 10m, 1h or 1d")
            continue
        seconds = float(match.group(1)) * STEP_UNITS[match.group(2)]
        if not 1 <= seconds <= 7 * 86400:
            c.error((*path, key, i), f"'{item}' must be between 1s and 7d")
            continue
        out.append(timedelta(seconds=seconds))
    return tuple(out)


def parse_review(c: Checker, raw: Any) -> ReviewSettings:
    """The ``review:`` section of config.yaml."""
    path: PathKey = ("review",)
    m = c.mapping(raw, path, optional=(*REVIEW_KEYS, "presets"))
    if m is None:
        return ReviewSettings()
    values = review_values(c, m, path)
    if "presets" in m and m["presets"] is not None:
        values["presets"] = parse_presets(c, m["presets"], (*path, "presets"), review_values)
    return ReviewSettings(**values)


def review_values(c: Checker, m: dict[str, Any], path: PathKey) -> dict[str, Any]:
    """The review keys present in ``m``, each checked by the one rule it has everywhere (the
    ``review:`` section and every preset)."""
    values: dict[str, Any] = {}
    _put(values, "new_cards_per_day", c.integer(m, "new_cards_per_day", path, 0, 9999))
    _put(values, "reviews_per_day", c.integer(m, "reviews_per_day", path, 0, 99999))
    _put(values, "desired_retention", c.number(m, "desired_retention", path, 0.7, 0.99))
    _put(values, "learning_steps", _steps(c, m, "learning_steps", path))
    _put(values, "relearning_steps", _steps(c, m, "relearning_steps", path))
    _put(values, "maximum_interval_days", c.integer(m, "maximum_interval_days", path, 1, 36500))
    _put(values, "fuzz", c.boolean(m, "fuzz", path))
    _put(values, "leech_threshold", c.integer(m, "leech_threshold", path, 0, 99))
    for flag in (
        "new_cards_ignore_review_limit",
        "bury_new_siblings",
        "bury_review_siblings",
        "bury_interday_learning_siblings",
    ):
        _put(values, flag, c.boolean(m, flag, path))
    action = c.text(m, "leech_action", path)
    if action is not None:
        if action in LEECH_ACTIONS:
            values["leech_action"] = action
        else:
            c.error(
                (*path, "leech_action"), f"'{action[:40]}'; allowed: {', '.join(LEECH_ACTIONS)}"
            )
    return values


def _put(values: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        values[key] = value
