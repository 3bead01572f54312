"""One scheduler per deck preset: the preset's settings and the FSRS parameters fitted for it.

A card is scheduled by its own deck's preset (``review.presets``; a card another deck includes
keeps its home deck's), with the parameters ``decks optimize`` last fitted for that preset. A
preset never fitted uses the default preset's fitted parameters, else FSRS's defaults: like a
preset cloned from the default in Anki, it starts from what the rest of the collection learnt.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping

from studytui.core.config import ReviewSettings
from studytui.core.presets import DEFAULT_PRESET
from studytui.core.scheduling import ReviewScheduler
from studytui.core.studyday import StudyCalendar

_FITTED = "SELECT preset, parameters FROM scheduler_params ORDER BY id"


def fitted_parameters(conn: sqlite3.Connection) -> dict[str, tuple[float, ...]]:
    """The last parameters fitted for each preset (``default`` for rows without one)."""
    out: dict[str, tuple[float, ...]] = {}
    for preset, text in conn.execute(_FITTED):
        out[preset or DEFAULT_PRESET] = tuple(json.loads(text))
    return out


def preset_parameters(
    fitted: Mapping[str, tuple[float, ...]], preset: str
) -> tuple[float, ...] | None:
    """A preset's parameters: its own fit, else the default preset's, else None (FSRS's)."""
    return fitted.get(preset, fitted.get(DEFAULT_PRESET))


class Schedulers:
    """The scheduler of each preset, built once; look one up by deck name or preset name."""

    def __init__(
        self,
        settings: ReviewSettings,
        calendar: StudyCalendar,
        fitted: Mapping[str, tuple[float, ...]],
    ) -> None:
        self.settings = settings
        self.calendar = calendar
        self.fitted = dict(fitted)
        self._built: dict[str, ReviewScheduler] = {}

    def for_preset(self, preset: str) -> ReviewScheduler:
        scheduler = self._built.get(preset)
        if scheduler is None:
            scheduler = ReviewScheduler(
                self.settings.for_preset(preset),
                self.calendar,
                preset_parameters(self.fitted, preset),
            )
            self._built[preset] = scheduler
        return scheduler

    def for_deck(self, deck: str) -> ReviewScheduler:
        return self.for_preset(self.settings.preset_of(deck))

    @property
    def default(self) -> ReviewScheduler:
        return self.for_preset(DEFAULT_PRESET)
