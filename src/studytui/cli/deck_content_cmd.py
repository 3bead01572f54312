"""``studytui decks check`` (syntax and content) and ``studytui decks coverage``."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from studytui.cli.common import context, print_json
from studytui.cli.parser import file_path
from studytui.core.errors import InputError
from studytui.core.plaintext import printable


def register(dsub: Any) -> None:
    p = dsub.add_parser(
        "check",
        help="check deck files: syntax, then content (exit 2 when invalid, 1 with findings)",
    )
    p.add_argument(
        "files",
        metavar="FILE",
        nargs="*",
        type=file_path,
        help="deck files to check (default: every deck in effect, bundled and your own)",
    )
    p.add_argument("--json", action="store_true", help="print the findings as JSON")
    p.set_defaults(handler=check_decks)
    p = dsub.add_parser("coverage", help="cards per topic and subtopic of a curriculum")
    p.add_argument(
        "curriculum", metavar="CURRICULUM", nargs="?", help="one curriculum (default: every one)"
    )
    p.add_argument("--short", action="store_true", help="only what is under the minimums")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=deck_coverage)


def check_decks(args: argparse.Namespace) -> int:
    from studytui.core.decks.sync import check_deck_file
    from studytui.core.services.deck_content import check_content

    files: list[Path] = list(args.files)
    invalid = False
    for path in files:  # a file given is checked as a whole first, as the sync would read it
        try:
            check_deck_file(path)
        except InputError as exc:
            invalid = True
            for problem in exc.problems:
                print(printable(str(problem)), file=sys.stderr)
    if invalid:
        return 2
    ctx = context()
    try:
        report = check_content(ctx, files or None)
    finally:
        ctx.close()
    if args.json:
        print_json(
            {
                "decks": report.decks,
                "cards": report.cards,
                "findings": [asdict(f) for f in report.findings],
                "unknown_covers": [asdict(u) for u in report.unknown_covers],
                "waived": report.waived,
                "problems": [asdict(p) for p in report.problems],
            }
        )
    else:
        for problem in report.problems:
            print(printable(str(problem)), file=sys.stderr)
        for finding in report.findings:
            print(printable(str(finding)))
        for unknown in report.unknown_covers:
            print(printable(str(unknown)))
        count = len(report.findings) + len(report.unknown_covers)
        waived = f" ({report.waived} waived)" if report.waived else ""
        if files:
            names = ", ".join(str(f) for f in files)
            print(printable(f"{names}: valid ({report.cards} cards), {count} content findings"
                            f"{waived}"))  # fmt: skip
        else:
            print(f"{report.decks} decks, {report.cards} cards: {count} content findings{waived}")
    if report.problems:
        return 2
    return 0 if report.clean else 1


def deck_coverage(args: argparse.Namespace) -> int:
    from studytui.core.decks.coverage import MIN_NOTES_PER_SUBTOPIC
    from studytui.core.services.deck_content import coverage

    ctx = context()
    try:
        result, problems = coverage(ctx, args.curriculum)
    finally:
        ctx.close()
    for problem in problems:
        print(printable(f"studytui: warning: {problem}"), file=sys.stderr)
    if args.json:
        print_json(
            [
                {
                    "curriculum": c.curriculum,
                    "title": c.title,
                    "cards": c.cards,
                    "met": c.met,
                    "topics": [
                        {
                            **{k: v for k, v in asdict(t).items() if k != "subtopics"},
                            "size_met": t.size_met,
                            "subtopics": [{**asdict(s), "met": s.met} for s in t.subtopics],
                        }
                        for t in c.topics
                    ],
                }
                for c in result
            ]
        )
        return 0
    for cur in result:
        topics = len(cur.topics)
        short = sum(len(t.short) for t in cur.topics)
        small = sum(1 for t in cur.topics if not t.size_met)
        print(
            printable(
                f"{cur.title} ({cur.curriculum}): {cur.cards} cards in {topics} topics; "
                f"{short} subtopics under {MIN_NOTES_PER_SUBTOPIC} notes, "
                f"{small} decks outside their size"
            )
        )
        for t in cur.topics:
            if args.short and not t.short and t.size_met:
                continue
            low, high = t.size_range
            size = f"{low}-{high}" if high is not None else f"≥{low}"
            mark = "" if t.size_met else f"  (size {size})"
            print(printable(f"  {t.topic}: {t.cards} cards, {t.notes} notes{mark}"))
            for s in t.subtopics:
                if args.short and s.met:
                    continue
                flag = "" if s.met else "  ✗"
                indent = "    " + "  " * s.depth
                print(printable(f"{indent}{s.notes:>3}  {s.title}{flag}"))
    return 0
