"""The one rule for showing focus time in minutes.

Every screen and command shows focus minutes to a tenth, rounded half up from the seconds
(``102 s`` is ``1.7``, ``93 s`` is ``1.6``), with a whole number shown without ``.0``. Totals are
rounded from their summed seconds, never summed from rounded parts, so a total and its parts
(each rounded by this rule) differ by at most the rounding of the parts.
"""

from __future__ import annotations

import math


def tenths_of_minute(seconds: float) -> int:
    """Seconds as tenths of a minute (6 s each), rounded half up; never negative."""
    # Rounded to the microsecond first so minutes * 60 from a float lands on its second.
    return max(0, math.floor(round(seconds, 6) / 6 + 0.5))


def shown_minutes(seconds: float) -> int | float:
    """Minutes as shown and as JSON gives them: an int when whole, else one decimal."""
    tenths = tenths_of_minute(seconds)
    return tenths // 10 if tenths % 10 == 0 else tenths / 10


def minutes_text(seconds: float) -> str:
    """``shown_minutes`` as text, without a unit: ``"1.7"``, ``"2"``."""
    return str(shown_minutes(seconds))


def minutes_of(minutes: float) -> int | float:
    """``shown_minutes`` for a value already in minutes (a service's ``... / 60``)."""
    return shown_minutes(minutes * 60)


def minutes_label(minutes: float) -> str:
    """``minutes_text`` for a value already in minutes."""
    return minutes_text(minutes * 60)
