"""``studytui log``, ``sessions`` and ``stats``: the time log on the command line."""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import datetime
from typing import Any

from studytui.cli.common import context, print_json
from studytui.core.categories import CATEGORIES, Category, deviation_text, share_text
from studytui.core.context import AppContext
from studytui.core.minutes import (
    minutes_label,
    minutes_of,
    minutes_text,
    shown_minutes,
    tenths_of_minute,
)
from studytui.core.plaintext import printable
from studytui.core.services.session_log import SessionView
from studytui.core.services.sessions import SessionsService
from studytui.core.services.time_stats import TimeStatsService, WeekSpan, WeekStats
from studytui.core.studyday import StudyCalendar
from studytui.core.tags import has_tags, normalize_tags
from studytui.core.timeparse import parse_duration, parse_local_time

WEEK_HELP = "a roadmap week number (3) or an ISO week (2026-W47); default: this week"


def register(sub: Any) -> None:
    p = sub.add_parser(
        "log",
        help="log focused time by hand",
        description=(
            "Log a block of focused study time. Without --at it ends now. A session that would "
            "overlap another is refused."
        ),
    )
    p.add_argument(
        "duration", metavar="DURATION", help="how long: 45m, 1h30m, 1:30 or 90 (minutes)"
    )
    p.add_argument(
        "category", metavar="CATEGORY", type=_category, help="hands-on, theory or community"
    )
    p.add_argument("tags", metavar="+TAG", nargs="*", help="free tags, e.g. +paper +reading")
    p.add_argument("--topic", help="a topic id of the active curriculum (see `studytui week`)")
    p.add_argument("--at", metavar="START", help="local start time, e.g. '2026-11-20 20:00'")
    p.add_argument("--note", help="a short note")
    p.set_defaults(handler=log_session)

    p = sub.add_parser(
        "sessions",
        help="list, edit, delete and restore logged study sessions",
        description="List logged sessions (this week by default), or change one by its id.",
    )
    p.add_argument("--week", metavar="W", help=WEEK_HELP)
    p.add_argument("--all", action="store_true", help="every session, not one week")
    p.add_argument("--tag", dest="tags", action="append", default=[], metavar="TAG",
                   help="only sessions with this tag (repeatable: all of them)")  # fmt: skip
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print JSON")
    fmt.add_argument("--csv", action="store_true", help="print CSV")
    p.set_defaults(handler=list_sessions)
    from studytui.cli.sessions_edit_cmd import register_actions

    register_actions(p)

    p = sub.add_parser("stats", help="the week's time split against the target, topics, days")
    p.add_argument("--week", metavar="W", help=WEEK_HELP)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=show_stats)


def _category(text: str) -> Category:
    value = text.strip().lower().replace("_", "-")
    if value in ("handson", "hands on"):
        value = "hands-on"
    try:
        return Category(value)
    except ValueError:
        allowed = ", ".join(c.value for c in CATEGORIES)
        raise argparse.ArgumentTypeError(f"'{text}' is not a category; use {allowed}") from None


# -- log ---------------------------------------------------------------------------------


def log_session(args: argparse.Namespace) -> int:
    ctx = context()
    try:
        duration = parse_duration(args.duration)
        start = (
            parse_local_time(args.at, ctx.calendar, ctx.clock.now())
            if args.at is not None
            else None
        )
        view = SessionsService(ctx).log(
            duration, args.category, topic_id=args.topic, start=start, note=args.note,
            tags=args.tags,
        )  # fmt: skip
        print(f"Logged {shown_minutes(view.focus_seconds)} min of {view.category.value}: "
              f"{view.describe(ctx.calendar)}")  # fmt: skip
    finally:
        ctx.close()
    return 0


# -- sessions ----------------------------------------------------------------------------


def _iso(calendar: StudyCalendar, instant: datetime | None) -> str | None:
    if instant is None:
        return None
    return calendar.local(instant).isoformat(timespec="seconds")


def session_json(v: SessionView, ctx: AppContext) -> dict[str, Any]:
    cal = ctx.calendar
    return {
        "id": v.id,
        "start": _iso(cal, v.started_at),
        "end": _iso(cal, v.ended_at),
        "minutes": shown_minutes(v.focus_seconds),
        "seconds": v.focus_seconds,
        "category": v.category.value,
        "topic": v.topic_id,
        "topic_title": v.topic_title,
        "status": v.status.value,
        "source": v.source.value,
        "note": v.note,
        "study_day": v.study_day(ctx.settings.day_rollover_hour).isoformat(),
        "timezone": v.timezone,
        "tags": list(v.tags),
    }


CSV_FIELDS = (
    "id", "start", "end", "minutes", "category", "topic", "status", "source", "note", "study_day",
    "tags",
)  # fmt: skip


def _week_heading(span: WeekSpan) -> str:
    first = "%a %d %b %Y" if span.first_day.year != span.last_day.year else "%a %d %b"
    return f"{span.label} · {span.first_day.strftime(first)} – {span.last_day:%a %d %b %Y}"


def list_sessions(args: argparse.Namespace) -> int:
    ctx = context()
    try:
        svc = SessionsService(ctx)
        if args.all:
            views, span = svc.all_kept(), None
        else:
            span = TimeStatsService(ctx).week_span(args.week)
            views = svc.between(span.first_day, span.last_day)
        if args.tags:
            wanted = normalize_tags(args.tags)
            views = [v for v in views if has_tags(v.tags, wanted)]
        rows = [session_json(v, ctx) for v in views]
        if args.json:
            print_json(rows)
        elif args.csv:
            writer = csv.DictWriter(
                sys.stdout, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n"
            )
            writer.writeheader()
            for row in rows:
                writer.writerow({k: _csv_value(row[k]) for k in CSV_FIELDS})
        else:
            if span is not None:
                print(_week_heading(span))
            if not views:
                print("No sessions.")
            with_year = _needs_year(views, ctx.calendar, ctx.clock.now())
            for v in views:
                print(printable(_session_line(v, ctx.calendar, with_year), inline=True))
    finally:
        ctx.close()
    return 0


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    return " ".join(value) if isinstance(value, list) else value


def _needs_year(views: list[SessionView], cal: StudyCalendar, now: datetime) -> bool:
    """Dates show their year when any session listed is not of this year (so also when they
    span several years): "Mon 03 Mar" alone would read as this March."""
    this_year = cal.local(now).year
    return any(cal.local(v.started_at).year != this_year for v in views)


def _session_line(v: SessionView, cal: StudyCalendar, with_year: bool = False) -> str:
    start = cal.local(v.started_at)
    end = f"{cal.local(v.ended_at):%H:%M}" if v.ended_at else "…"
    topic = v.topic_id or "-"
    note = "".join(f" +{t}" for t in v.tags) + (f"  — {v.note}" if v.note else "")
    day = f"{start:%a %d %b %Y}" if with_year else f"{start:%a %d %b}"
    return (
        f"{v.id:>5}  {day} {start:%H:%M}–{end:<5} {shown_minutes(v.focus_seconds):>6} min  "
        f"{v.category.value:<9}  {v.status.value:<11}  {topic}{note}"
    )


# -- stats -------------------------------------------------------------------------------


def stats_json(st: WeekStats) -> dict[str, Any]:
    def per(fn: Any) -> dict[str, Any]:
        return {c.category.value: fn(c) for c in st.categories}

    def pct(x: float | None) -> float | None:
        return None if x is None else round(x, 1)

    return {
        "week": st.week.key,
        "week_kind": st.week.kind,
        "week_label": st.week.label,
        "iso_week": st.week.iso_label,
        "starts": st.week.first_day.isoformat(),
        "ends": st.week.last_day.isoformat(),
        "total_minutes": minutes_of(st.total_minutes),
        "sessions": st.sessions,
        "minutes": per(lambda c: minutes_of(c.minutes)),
        "percent": per(lambda c: pct(c.percent)),
        "target": st.target.as_dict(),
        "deviation_pp": per(lambda c: pct(c.deviation_pp)),
        "needed_minutes": per(lambda c: minutes_of(c.needed_minutes)),
        "needed_total_minutes": minutes_of(st.needed_minutes),
        "topics": [
            {"id": t.topic_id, "title": t.title, "minutes": minutes_of(t.minutes)}
            for t in st.topics
        ],
        "days": [{"date": d.day.isoformat(), "minutes": minutes_of(d.minutes)} for d in st.days],
        "streak": {
            "current": st.streak.current,
            "best": st.streak.best,
            "threshold_minutes": st.streak.threshold_minutes,
            "today_counts": st.streak.today_done,
        },
    }


def _hm(minutes: float) -> str:
    """Hours and minutes past an hour; the minutes by the one rule (``minutes_label``)."""
    hours, rest = divmod(tenths_of_minute(minutes * 60), 600)
    return f"{hours}h {minutes_text(rest * 6)}m" if hours else f"{minutes_text(rest * 6)}m"


def format_stats(st: WeekStats) -> str:
    out = [_week_heading(st.week)]
    out.append(
        f"Focus {_hm(st.total_minutes)} in {st.sessions} session{'s' if st.sessions != 1 else ''}"
        f" · target split {st.target} (hands-on/theory/community)"
    )
    out.append("")
    out.append(f"{'category':<11}{'minutes':>8}{'share':>8}{'target':>8}{'deviation':>11}"
               f"{'needed':>8}")  # fmt: skip
    for c in st.categories:
        share = share_text(c.percent)
        dev = deviation_text(c.percent, c.target_percent)
        out.append(
            f"{c.category.value:<11}{minutes_label(c.minutes):>8}{share:>8}{c.target_percent:>7}%"
            f"{dev:>11}{minutes_label(c.needed_minutes):>8}"
        )
    needed = {c.category.value: minutes_of(c.needed_minutes) for c in st.categories}
    if not minutes_of(st.total_minutes):
        out.append("Nothing logged this week yet.")
    elif not any(needed.values()):
        out.append("The week meets the target split.")
    else:
        parts = ", ".join(f"{name} {m}" for name, m in needed.items() if m)
        total = minutes_label(st.needed_minutes)
        out.append(f"To meet the target split: {total} more minutes ({parts}).")
    if st.topics:
        out += ["", "Topics"]
        width = max(len(t.title) for t in st.topics)
        out.extend(f"  {t.title:<{width}}  {minutes_label(t.minutes):>5} min" for t in st.topics)
    out += ["", "Days"]
    most = max((d.minutes for d in st.days), default=0.0)
    for d in st.days:
        bar = "█" * (round(20 * d.minutes / most) if most else 0)
        out.append(f"  {d.day:%a %d %b}  {minutes_label(d.minutes):>5} min  {bar}")
    s = st.streak
    out += [
        "",
        f"Streak: {s.current} day{'s' if s.current != 1 else ''} (best {s.best}); a day counts "
        f"with at least {s.threshold_minutes} focus minutes",
    ]
    return "\n".join(out) + "\n"


def show_stats(args: argparse.Namespace) -> int:
    ctx = context()
    try:
        st = TimeStatsService(ctx).week(args.week)
        if args.json:
            print_json(stats_json(st))
        else:
            print(format_stats(st), end="")
    finally:
        ctx.close()
    return 0
