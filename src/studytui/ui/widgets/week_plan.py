"""Renders a roadmap week as Rich Text; user text is never parsed as markup."""

from __future__ import annotations

from rich.text import Text

from studytui.core.services.roadmap import WeekView


def week_renderable(view: WeekView) -> Text:
    """Heading, phase, entries, goals and projects; topics and checklists have their own widgets."""
    plan = view.plan
    parts: list[Text] = []
    head = Text()
    head.append(view.heading, style="bold")
    head.append(f"  {view.starts:%a %d %b} – {view.ends:%a %d %b %Y}", style="dim")
    if view.is_current:
        head.append("  this week", style="bold green")
    parts.append(head)
    parts.append(Text.assemble(("Phase ", "dim"), f"{plan.phase.title} (weeks {plan.phase.span})"))
    for entry in plan.entries:
        parts.append(Text.assemble((f"Week {entry.span}: ", "bold"), entry.title))
    for goal in plan.goals:
        parts.append(Text.assemble(("Goal ", "bold cyan"), goal))
    if plan.projects:
        parts.append(Text("\nProjects", style="bold underline"))
        for p in plan.projects:
            extra = f"  ({p.level})" if p.level else ""
            parts.append(
                Text.assemble(
                    " ▸ ",
                    (p.title, "bold"),
                    f": {p.summary}" if p.summary else "",
                    (extra, "dim"),
                )
            )
    return Text("\n").join(parts)


def resources_renderable(view: WeekView) -> Text:
    """The week's resources with every column the roadmap gives."""
    parts: list[Text] = []
    if view.plan.resources:
        parts.append(Text("\nResources", style="bold underline"))
        for r in view.plan.resources:
            parts.append(Text(f" • {r.title}", style="bold"))
            for label, value in r.details():
                parts.append(Text.assemble((f"     {label}: ", "dim"), value))
    return Text("\n").join(parts)
