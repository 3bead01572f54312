"""``studytui report``: focus time over a range, grouped, against the target split."""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import date
from typing import Any

from studytui.cli.common import context, print_json
from studytui.cli.sessions_cmd import _category
from studytui.core.categories import CATEGORIES, deviation_text, share_text
from studytui.core.minutes import minutes_label, minutes_of
from studytui.core.plaintext import printable
from studytui.core.services.range_report import (
    GROUPS,
    RangeReport,
    RangeReportService,
    ReportRow,
    checked_range,
)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text[:40]}' is not a date (YYYY-MM-DD)") from None


def register(sub: Any) -> None:
    p = sub.add_parser(
        "report",
        help="focus time over a day, week, month, year or any range",
        description=(
            "Focus time over a range of study days, grouped by category (default), topic, tag, "
            "day, week or month, each row against the target split. Default: this calendar "
            "week. Sessions count for the study day they started on."
        ),
    )
    when = p.add_mutually_exclusive_group()
    for period in ("day", "week", "month", "year"):
        when.add_argument(
            f"--{period}",
            dest="period",
            action="store_const",
            const=period,
            help=f"this {'calendar ' if period != 'day' else ''}{period}"
            + (" (today)" if period == "day" else ""),
        )
    p.add_argument("--from", dest="first", type=_day, metavar="DATE", help="first day, YYYY-MM-DD")
    p.add_argument("--to", dest="last", type=_day, metavar="DATE", help="last day (default: today)")
    p.add_argument("--by", choices=GROUPS, default="category", help="how to group the rows")
    p.add_argument(
        "--category",
        dest="categories",
        action="append",
        type=_category,
        default=[],
        metavar="CATEGORY",
        help="only this category (repeatable)",
    )
    p.add_argument(
        "--topic", dest="topics", action="append", default=[], help="only this topic (repeatable)"
    )
    p.add_argument(
        "--tag",
        dest="tags",
        action="append",
        default=[],
        metavar="TAG",
        help="only sessions with this tag (repeatable: all of them)",
    )
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print JSON")
    fmt.add_argument("--csv", action="store_true", help="print CSV")
    p.set_defaults(handler=show_report)


def _row_json(r: ReportRow) -> dict[str, Any]:
    return {
        "key": r.key,
        "label": r.label,
        "sessions": r.sessions,
        "minutes": minutes_of(r.total_minutes),
        "by_category": {c.category.value: minutes_of(c.minutes) for c in r.categories},
        "percent": {
            c.category.value: None if c.percent is None else round(c.percent, 1)
            for c in r.categories
        },
        "needed_minutes": minutes_of(r.needed_minutes),
    }


def report_json(rep: RangeReport) -> dict[str, Any]:
    return {
        "from": rep.range.first_day.isoformat(),
        "to": rep.range.last_day.isoformat(),
        "days": rep.range.days,
        "group_by": rep.group_by,
        "filter": rep.filter.as_dict(),
        "target": rep.target.as_dict(),
        "total": _row_json(rep.total),
        "rows": [_row_json(r) for r in rep.rows],
    }


CSV_FIELDS = ("key", "label", "sessions", "minutes", *(c.value for c in CATEGORIES), "needed")


def _split(r: ReportRow) -> str:
    if r.categories[0].percent is None:
        return "—"
    return "/".join(share_text(c.percent).rstrip("%") for c in r.categories)


def _split_table(t: ReportRow) -> list[str]:
    """The range's categories against the target, as ``studytui stats`` shows a week."""
    out = [f"{'category':<11}{'minutes':>8}{'share':>8}{'target':>8}{'deviation':>11}{'needed':>8}"]
    for c in t.categories:
        out.append(
            f"{c.category.value:<11}{minutes_label(c.minutes):>8}{share_text(c.percent):>8}"
            f"{c.target_percent:>7}%{deviation_text(c.percent, c.target_percent):>11}"
            f"{minutes_label(c.needed_minutes):>8}"
        )
    if t.needed_minutes:
        parts = ", ".join(
            f"{c.category.value} {minutes_label(c.needed_minutes)}"
            for c in t.categories
            if minutes_of(c.needed_minutes)
        )
        out.append(f"To meet the target split: {minutes_label(t.needed_minutes)} more minutes "
                   f"({parts}).")  # fmt: skip
    elif minutes_of(t.total_minutes):
        out.append("The range meets the target split.")
    return out


def format_report(rep: RangeReport) -> str:
    span = rep.range
    days = f"{span.days} day{'s' if span.days != 1 else ''}"
    head = (
        f"{span.first_day:%a %d %b %Y}"
        if span.days == 1
        else f"{span.first_day:%a %d %b %Y} → {span.last_day:%a %d %b %Y} ({days})"
    )
    out = [head]
    filters = rep.filter.as_dict()
    shown = [f"{k} {', '.join(v)}" for k, v in filters.items() if v]
    if shown:
        out.append("Only " + "; ".join(shown))
    t = rep.total
    out.append(
        f"Total {minutes_label(t.total_minutes)} min in {t.sessions} session"
        f"{'s' if t.sessions != 1 else ''} · split {_split(t)} against {rep.target} "
        "(hands-on/theory/community)"
    )
    out.append("")
    if rep.group_by == "category":
        return "".join(printable(line, inline=True) + "\n" for line in out + _split_table(t))
    width = max([len(r.label) for r in rep.rows] + [len(rep.group_by)])
    cats = "".join(f"{c.value:>10}" for c in CATEGORIES)
    out.append(f"{rep.group_by:<{width}}{'minutes':>9}{cats}{'split':>12}{'needed':>8}")
    for r in rep.rows:
        per = "".join(f"{minutes_label(c.minutes):>10}" for c in r.categories)
        out.append(
            f"{r.label:<{width}}{minutes_label(r.total_minutes):>9}{per}{_split(r):>12}"
            f"{minutes_label(r.needed_minutes):>8}"
        )
    if rep.group_by == "tag":
        out += ["", "A session with several tags counts under each."]
    if t.needed_minutes:
        out += ["", f"To meet the target split over the range: {minutes_label(t.needed_minutes)} "
                    "more minutes."]  # fmt: skip
    return "".join(printable(line, inline=True) + "\n" for line in out)


def show_report(args: argparse.Namespace) -> int:
    ctx = context()
    try:
        svc = RangeReportService(ctx)
        if args.first is not None or args.last is not None:
            if args.period is not None:
                raise _conflict()
            last = args.last or ctx.today()
            first = args.first or last
            span = checked_range(first, last)
        else:
            span = svc.period(args.period or "week")
        rep = svc.report(
            span, args.by, categories=args.categories, topics=args.topics, tags=args.tags
        )
        if args.json:
            print_json(report_json(rep))
        elif args.csv:
            writer = csv.writer(sys.stdout, lineterminator="\n")
            writer.writerow(CSV_FIELDS)
            for r in rep.rows:
                writer.writerow(
                    [r.key, r.label, r.sessions, minutes_of(r.total_minutes)]
                    + [minutes_of(c.minutes) for c in r.categories]
                    + [minutes_of(r.needed_minutes)]
                )
        else:
            print(format_report(rep), end="")
    finally:
        ctx.close()
    return 0


def _conflict() -> Exception:
    from studytui.core.errors import ArgumentError

    return ArgumentError("give either --from/--to or one of --day --week --month --year", "--from")
