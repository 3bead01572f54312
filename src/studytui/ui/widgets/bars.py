"""Small text charts: progress bars, split bars against a target, an activity heatmap."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from rich.text import Text

from studytui.core.categories import deviation_text, share_text, whole_percent

BLOCKS = " ▁▂▃▄▅▆▇█"
SHADES = ("grey23", "dark_green", "green4", "green3", "bright_green")


def bar(fraction: float, width: int = 20, style: str = "green") -> Text:
    fraction = max(0.0, min(1.0, fraction))
    filled = round(fraction * width)
    return Text.assemble(("█" * filled, style), ("░" * (width - filled), "grey35"))


def split_bar(
    label: str,
    actual_pct: float | None,
    target_pct: int,
    width: int = 20,
    *,
    compact: bool = False,
) -> Text:
    """``Hands-on ████████░░░|░░ 42% target 70% (−28 pp)`` with a marker at the target.

    Without a share (``None``: no focus this week) the bar is empty, the share is "—" and there
    is no deviation. Share and deviation are shown by ``core.categories`` (one rule)."""
    shown = 0.0 if actual_pct is None else max(0.0, min(100.0, actual_pct))
    filled = round(shown / 100 * width)
    marker = min(width - 1, round(target_pct / 100 * width))
    cells = Text()
    for i in range(width):
        char = "█" if i < filled else "░"
        if i == marker:
            char = "┃"
        cells.append(char, style="cyan" if i < filled else "grey35")
    out = Text.assemble(
        (f"{label:<10}", "bold"),
        cells,
        (f" {share_text(actual_pct):>4}", "bold"),
        (f" /{target_pct}%" if compact else f"  target {target_pct}%", "dim"),
    )
    if actual_pct is not None:
        delta = abs(whole_percent(actual_pct) - target_pct)
        tone = "green" if delta <= 5 else "yellow" if delta <= 15 else "red"
        dev = deviation_text(actual_pct, target_pct, compact=compact)
        out.append(f" {dev}" if compact else f"  {dev}", tone)
    return out


def heatmap(values: Mapping[date, float], end: date, weeks: int = 12, week_start: int = 0) -> Text:
    """Days as cells, one row per weekday, the last ``weeks`` columns ending at ``end``."""
    last_col_start = end - timedelta(days=(end.weekday() - week_start) % 7)
    first = last_col_start - timedelta(weeks=weeks - 1)
    top = max(values.values(), default=0.0) or 1.0
    out = Text()
    names = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
    for row in range(7):
        out.append(f"{names[(week_start + row) % 7]} ", style="dim")
        for col in range(weeks):
            day = first + timedelta(weeks=col, days=row)
            if day > end:
                out.append("  ")
                continue
            value = values.get(day, 0.0)
            level = 0 if value <= 0 else min(4, 1 + int(3 * value / top))
            out.append("■ ", style=SHADES[level])
        out.append("\n")
    out.append("   less ", style="dim")
    for shade in SHADES:
        out.append("■", style=shade)
    out.append(" more", style="dim")
    return out
