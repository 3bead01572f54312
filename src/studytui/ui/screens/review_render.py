"""What the review screen draws: the counts line, the unsaved line, a card, the summary.

Pure functions from the session's values to Rich text; card text is always plain ``Text``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from rich.console import Group
from rich.rule import Rule
from rich.text import Text

from studytui.core.services.review import CardView, ReviewSession, ReviewSummary


def counts_text(session: ReviewSession | None) -> Text:
    text = Text()
    if session is None:
        return text
    counts = session.counts()
    source = session.current_source
    for name, value, style in (
        ("new", counts.new, "bold blue"),
        ("learning", counts.learning, "bold red"),
        ("review", counts.review, "bold green"),
    ):
        part_style = f"{style} underline" if name == source else style
        text.append(f"{name.capitalize()} ", style="dim")
        # While the rest of the queue loads, new and review are not the day's counts yet.
        shown = str(value) if counts.complete or name == "learning" else "…"
        text.append(shown, style=part_style)
        text.append("   ")
    text.append(f"· {session.label}", style="dim")
    return text


def unsaved_text(ratings: int, others: int, why: str | None, retry_seconds: float) -> Text:
    """The line that stays on screen while changes are not in the database."""
    parts = []
    if ratings:
        parts.append(f"{ratings} rating{'s' if ratings != 1 else ''}")
    if others:
        parts.append(f"{others} other change{'s' if others != 1 else ''}")
    text = Text(f"⚠ {' and '.join(parts)} not saved — retrying", style="bold")
    text.append(f" (every {retry_seconds:.0f} s, with the next rating, ctrl+s now)")
    if why:
        text.append(f": {why}")
    return text


def card_meta(card: CardView) -> Text:
    meta = Text(card.deck_title, style="bold")
    if card.prompt:
        meta.append(f" · {card.prompt}", style="italic")
    if card.tags:
        meta.append(" · " + " ".join(card.tags), style="dim")
    if card.edited:
        meta.append(" · edited", style="dim")
    return meta


def card_body(card: CardView, revealed: bool) -> Group:
    parts: list[Any] = [Text(card.front)]
    if revealed:
        parts += [Rule(style="dim"), Text(card.back)]
    return Group(*parts)


def summary_title(session: ReviewSession | None) -> Text:
    title = Text("Done for now", style="bold")
    if session is not None:
        title.append(f" · {session.label}", style="dim")
    return title


def summary_text(s: ReviewSummary | None, services: Any) -> Text:
    lines = Text()
    if s is None:
        lines.append("Counting today's reviews…")
        return lines
    lines.append(f"Reviewed today: {s.reviewed} card(s)")
    if s.reviewed:
        minutes = s.seconds / 60
        lines.append(f" in {minutes:.0f} min" if minutes >= 1 else f" in {s.seconds:.0f} s")
        lines.append(f", again-rate {s.again_rate:.0%}" if s.again_rate is not None else "")
    lines.append("\n")
    cal = services.ctx.calendar
    if s.next_learning is not None:
        local = cal.local(s.next_learning)
        lines.append(f"Next learning card: {local:%H:%M} ({local:%a %d %b})\n")
    if s.next_review_day is not None:
        lines.append(f"Next reviews due: {day_label(s.next_review_day, services.ctx.today())}\n")
    if s.limited:
        lines.append(
            f"{s.new_waiting} new card(s) wait; today's limit of {s.limit_label} is reached.\n"
        )
    elif not s.new_waiting and s.next_learning is None and s.next_review_day is None:
        lines.append(
            "No cards here yet. Add one with a, write a deck file (docs/decks.md), or "
            "give the topic concepts in your curriculum.\n"
        )
    lines.append("\nr reload · f choose decks · a add a card", style="dim")
    return lines


def day_label(day: date, today: date) -> str:
    if day <= today:
        return "today"
    if day == today + timedelta(days=1):
        return f"tomorrow ({day:%a %d %b})"
    return f"{day:%a %d %b %Y}"
