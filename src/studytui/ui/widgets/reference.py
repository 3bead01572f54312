"""Renders a curriculum's reference sections (career paths, communities, reading order …)."""

from __future__ import annotations

from rich.text import Text

from studytui.core.curriculum.model import Section, SectionItem


def _item(out: Text, item: SectionItem, depth: int) -> None:
    pad = "  " * depth
    out.append(f"{pad}• ")
    out.append(item.title, style="bold" if item.fields or item.items else "")
    if item.text:
        out.append(f" — {item.text}")
    out.append("\n")
    for label, value in item.fields:
        out.append(f"{pad}    {label}: ", style="dim")
        out.append(f"{value}\n")
    for sub in item.items:
        _item(out, sub, depth + 1)


def section_text(section: Section, depth: int = 0) -> Text:
    out = Text()
    out.append(("  " * depth) + section.title + "\n", style="bold underline")
    if section.text:
        out.append(section.text + "\n")
    for item in section.items:
        _item(out, item, depth)
    for sub in section.sections:
        out.append("\n")
        out.append_text(section_text(sub, depth + 1))
    return out


def metrics_text(items: tuple[str, ...]) -> Text:
    out = Text("Success metrics\n", style="bold underline")
    for item in items:
        out.append(f"☐ {item}\n")
    return out
