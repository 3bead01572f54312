"""Renders a roadmap week as Rich Text; user text is never parsed as markup."""

from __future__ import annotations

from rich.text import Text

from studytui.core.services.roadmap import WeekView

STATUS_ICON = {"pending": "○", "learning": "◐", "done": "●", "skipped": "⊘"}


def week_renderable(view: WeekView, *, resources: bool = True, topics: bool = True) -> Text:
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
    if topics and view.topics:
        parts.append(Text("\nTopics", style="bold underline"))
        for tv in view.topics:
            line = Text.assemble(
                (f" {STATUS_ICON[tv.status.value]} ", "bold"),
                tv.topic.title,
                (f"  {tv.status.value}", "dim"),
            )
            parts.append(line)
            for depth, sub in tv.topic.subtopic_lines():
                parts.append(Text(f"     {'  ' * depth}· {sub}", style="dim"))
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
    if topics and view.milestones:
        parts.append(Text("\nMilestones due this week", style="bold underline"))
        for m in view.milestones:
            parts.append(Text(f" {m.title}", style="bold"))
            for item in m.items:
                parts.append(Text(f"   {'☑' if item.done else '☐'} {item.text}"))
    if topics and view.checklist:
        parts.append(Text("\nChecklist", style="bold underline"))
        for item in view.checklist:
            parts.append(Text(f"   {'☑' if item.done else '☐'} {item.text}"))
    if resources and plan.resources:
        parts.append(Text("\nResources", style="bold underline"))
        for r in plan.resources:
            parts.append(Text(f" • {r.title}", style="bold"))
            for label, value in r.details():
                parts.append(Text.assemble((f"     {label}: ", "dim"), value))
    return Text("\n").join(parts)
