"""Deck presets: shared scheduling options for a group of decks, as Anki's deck option presets.

``review.presets`` in config.yaml maps a preset name to the decks that use it and the review keys
it sets::

    review:
      desired_retention: 0.9
      presets:
        maths:
          decks: [calculus, linear-algebra]
          desired_retention: 0.92
          learning_steps: [1m, 10m, 1h]
          new_cards_per_day: 10

A deck in no preset uses ``default``: the keys of ``review:`` itself. A preset's keys replace
those of ``review:`` for its decks' cards; the keys it leaves out come from ``review:``. The
daily limits of a preset are each deck's own, within the ``review:`` limits over all decks
(docs/decks.md, *Presets*). FSRS parameters are fitted per preset (``decks optimize``).

This module knows nothing of the other settings: ``config.py`` hands it the function that checks
review keys, so a value in a preset passes exactly the rule it has under ``review:``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from studytui.core.validate import SLUG, Checker
from studytui.core.yamldoc import PathKey

DEFAULT_PRESET = "default"
# What a preset may set, as Anki's presets do; fuzz and "new cards ignore review limit" hold for
# every deck, as in Anki (no option there, and a collection option).
PRESET_KEYS = (
    "new_cards_per_day",
    "reviews_per_day",
    "desired_retention",
    "learning_steps",
    "relearning_steps",
    "maximum_interval_days",
    "leech_threshold",
    "leech_action",
    "bury_new_siblings",
    "bury_review_siblings",
    "bury_interday_learning_siblings",
)
ValueReader = Callable[[Checker, dict[str, Any], PathKey], dict[str, Any]]


@dataclass(frozen=True)
class Preset:
    """One named preset: the decks that use it and the review keys it sets (in file order)."""

    name: str
    decks: tuple[str, ...]
    values: tuple[tuple[str, Any], ...]

    def sets(self, key: str) -> bool:
        return any(k == key for k, _ in self.values)


def parse_presets(
    c: Checker, raw: Any, path: PathKey, read_values: ValueReader
) -> tuple[Preset, ...]:
    """Every preset of ``review.presets``; each problem is recorded with its path."""
    names = tuple(raw) if isinstance(raw, dict) else ()
    m = c.mapping(raw, path, optional=names)
    if m is None:
        return ()
    out: list[Preset] = []
    owner: dict[str, str] = {}
    for name in m:
        where: PathKey = (*path, name)
        if not isinstance(name, str) or not SLUG.match(name):
            c.error(where, f"'{name}' is not a preset name: use a-z, 0-9 and '-'")
            continue
        if name == DEFAULT_PRESET:
            c.error(where, "the preset of decks in no preset: set its keys under review:")
            continue
        body = c.mapping(m[name], where, required=("decks",), optional=PRESET_KEYS)
        if body is None:
            continue
        decks = c.texts(body, "decks", where)
        if not decks and "decks" in body:
            c.error((*where, "decks"), "name at least one deck (see `studytui decks list`)")
        for i, deck in enumerate(decks):
            if deck in owner:
                why = f"deck '{deck}' is already in preset '{owner[deck]}'; a deck has one preset"
                c.error((*where, "decks", i), why)
            owner.setdefault(deck, name)
        values = read_values(c, {k: v for k, v in body.items() if k in PRESET_KEYS}, where)
        out.append(Preset(name, tuple(dict.fromkeys(decks)), tuple(values.items())))
    return tuple(out)
