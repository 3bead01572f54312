"""``studytui curriculum …`` and ``studytui week``."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from studytui.cli.common import context, print_json
from studytui.cli.parser import file_path, week_number
from studytui.core.config import parse_start_date
from studytui.core.curriculum.loader import load_curriculum_file
from studytui.core.curriculum.model import Resource
from studytui.core.errors import ArgumentError, InputError
from studytui.core.services.roadmap import (
    RoadmapCalendar,
    RoadmapService,
    RoadmapState,
    WeekView,
)


def register(sub: Any) -> None:
    cur = sub.add_parser("curriculum", help="list, choose and check curricula")
    csub = cur.add_subparsers(dest="curriculum_command", metavar="ACTION", required=True)
    p = csub.add_parser("list", help="the bundled curricula and your own")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=list_curricula)
    p = csub.add_parser("use", help="make a curriculum active")
    p.add_argument("id", metavar="ID", help="curriculum id (see `studytui curriculum list`)")
    p.add_argument("--start", metavar="DATE", help="first day of its first week, YYYY-MM-DD")
    p.set_defaults(handler=use_curriculum)
    p = csub.add_parser("check", help="validate a curriculum file (exit 2 when invalid)")
    p.add_argument("file", metavar="FILE", type=file_path)
    p.set_defaults(handler=check_curriculum)

    p = sub.add_parser("week", help="the plan of the current (or Nth) roadmap week")
    p.add_argument(
        "number",
        nargs="?",
        type=week_number,
        metavar="WEEK",
        help="week number (default: this week)",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=show_week)


def _start_date(text: str | None) -> date | None:
    """``--start``: the same rule as ``start_date`` in config.yaml."""
    if text is None:
        return None
    start = parse_start_date(text)
    if isinstance(start, str):
        raise ArgumentError(start, "--start")
    return start


def list_curricula(args: argparse.Namespace) -> int:
    ctx = context()
    try:
        entries = ctx.catalog.entries()
        active = ctx.settings.curriculum
        if args.json:
            print_json(
                [
                    {"id": e.id, "title": e.title, "weeks": e.weeks, "topics": e.topics,
                     "origin": e.origin, "active": e.id == active, "path": e.path}
                    for e in entries
                ]
            )  # fmt: skip
        else:
            width = max(len(e.id) for e in entries)
            for e in entries:
                mark = "*" if e.id == active else " "
                print(
                    f"{mark} {e.id:<{width}}  {e.weeks:>3} weeks  {e.topics:>3} topics  {e.title}"
                )
        for err in ctx.catalog.errors:
            for problem in err.problems:
                print(f"studytui: skipped invalid curriculum: {problem}", file=sys.stderr)
    finally:
        ctx.close()
    return 0


def use_curriculum(args: argparse.Namespace) -> int:
    ctx = context()
    try:
        cur = RoadmapService(ctx).use(args.id, _start_date(args.start))
        print(f"Active curriculum: {cur.title} ({cur.id}), starting {ctx.start_date()}")
    finally:
        ctx.close()
    return 0


def check_curriculum(args: argparse.Namespace) -> int:
    path: Path = args.file
    try:
        cur = load_curriculum_file(path, label=str(path))
    except InputError as exc:
        for problem in exc.problems:
            print(str(problem), file=sys.stderr)
        return 2
    print(f"{path}: valid ({cur.week_count} weeks, {len(cur.topics)} topics)")
    return 0


def show_week(args: argparse.Namespace) -> int:
    ctx = context()
    try:
        roadmap = RoadmapService(ctx)
        cur = roadmap.curriculum()
        if args.number is not None and not 1 <= args.number <= cur.week_count:
            raise ArgumentError(
                f"{args.number} is not a week of '{cur.id}'; allowed: 1 to {cur.week_count}",
                "WEEK",
            )
        view = roadmap.week(args.number, cur)
        calendar = roadmap.calendar(cur)
        if args.json:
            print_json(week_json(view, calendar))
        else:
            print(format_week(view, calendar if args.number is None else None), end="")
    finally:
        ctx.close()
    return 0


def _resource_json(r: Resource) -> dict[str, Any]:
    data: dict[str, Any] = {"title": r.title}
    for label, value in r.details():
        data.setdefault(label.lower().replace("-", "_"), value)
    data["links"] = [{"label": link.label, "url": link.url} for link in r.links]
    return data


def week_json(view: WeekView, calendar: RoadmapCalendar | None = None) -> dict[str, Any]:
    plan = view.plan
    roadmap = (
        {
            "state": calendar.state.value,
            "starts": calendar.starts.isoformat(),
            "ends": calendar.ends.isoformat(),
        }
        if calendar is not None
        else None
    )
    return {
        "curriculum": view.curriculum_id,
        "roadmap": roadmap,
        "week": view.number,
        "last_week": plan.last_week,
        "starts": view.starts.isoformat(),
        "ends": view.ends.isoformat(),
        "phase": {"id": plan.phase.id, "title": plan.phase.title, "weeks": str(plan.phase.span)},
        "title": plan.title,
        "goals": list(plan.goals),
        "topics": [
            {
                "id": tv.topic.id,
                "title": tv.topic.title,
                "status": tv.status.value,
                "summary": tv.topic.summary,
                "subtopics": [t for _, t in tv.topic.subtopic_lines()],
            }
            for tv in view.topics
        ],
        "projects": [
            {
                "id": p.id,
                "title": p.title,
                "summary": p.summary,
                "level": p.level,
                "weeks": str(p.span) if p.span else None,
            }
            for p in plan.projects
        ],
        "milestones": [
            {
                "id": m.id,
                "title": m.title,
                "due_week": m.due_week,
                "items": [{"text": i.text, "done": i.done} for i in m.items],
            }
            for m in view.milestones
        ],
        "checklist": [{"text": i.text, "done": i.done} for i in view.checklist],
        "resources": [_resource_json(r) for r in plan.resources],
    }


STATUS_MARK = {"pending": "[ ]", "learning": "[~]", "done": "[x]", "skipped": "[-]"}


def calendar_line(calendar: RoadmapCalendar) -> str | None:
    """Said above "this week" when today is before the roadmap's first day or after its last."""
    if calendar.state is RoadmapState.NOT_STARTED:
        return f"Not started: {calendar.label}, on {calendar.starts:%a %d %b %Y}. Its first week:"
    if calendar.state is RoadmapState.FINISHED:
        return (
            f"Finished: its last week ended {calendar.ends:%a %d %b %Y}. What next? "
            "`studytui curriculum list`, then `studytui curriculum use ID` to follow another."
        )
    return None


def format_week(view: WeekView, calendar: RoadmapCalendar | None = None) -> str:
    plan = view.plan
    out: list[str] = [view.curriculum_title]
    note = calendar_line(calendar) if calendar is not None else None
    if note:
        out.append(note)
    out.append(
        f"{view.heading} · {view.starts:%a %d %b %Y} – {view.ends:%a %d %b %Y}"
        + ("  (this week)" if view.is_current else "")
    )
    out.append(f"Phase: {plan.phase.title} (weeks {plan.phase.span})")
    out.append("")
    for entry in plan.entries:
        out.append(f"Week {entry.span}: {entry.title}")
    for goal in plan.goals:
        out.append(f"Goal: {goal}")
    if view.topics:
        out += ["", "Topics"]
        for tv in view.topics:
            summary = f" — {tv.topic.summary}" if tv.topic.summary else ""
            out.append(
                f"  {STATUS_MARK[tv.status.value]} {tv.topic.title} ({tv.topic.id}){summary}"
            )
            for depth, line in tv.topic.subtopic_lines():
                out.append(f"      {'  ' * depth}- {line}")
    if plan.projects:
        out += ["", "Projects"]
        for p in plan.projects:
            bits = [b for b in (p.level, f"weeks {p.span}" if p.span else None) if b]
            extra = f" ({', '.join(bits)})" if bits else ""
            summary = f": {p.summary}" if p.summary else ""
            out.append(f"  - {p.title}{summary}{extra}")
            out.extend(f"      - {d}" for d in p.details)
    if view.milestones:
        out += ["", "Milestones due this week"]
        for m in view.milestones:
            out.append(f"  {m.title}")
            out.extend(f"    {'[x]' if i.done else '[ ]'} {i.text}" for i in m.items)
    if view.checklist:
        out += ["", "Checklist"]
        out.extend(f"  {'[x]' if i.done else '[ ]'} {i.text}" for i in view.checklist)
    if plan.resources:
        out += ["", "Resources"]
        for r in plan.resources:
            out.append(f"  - {r.title}")
            out.extend(f"      {label}: {value}" for label, value in r.details())
    return "\n".join(out) + "\n"
