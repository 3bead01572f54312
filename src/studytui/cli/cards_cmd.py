"""``studytui cards``: search every card with Anki's syntax, show one, act on a selection."""

from __future__ import annotations

import argparse
from typing import Any

from studytui.cli.common import context, print_json
from studytui.cli.decks_cmd import _synced
from studytui.core.plaintext import printable

RATINGS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
ACTIONS = {
    "suspend": "take the matching cards out of reviews",
    "unsuspend": "bring the matching suspended cards back",
    "bury": "hide the matching cards until the next study day",
    "unbury": "bring the matching buried cards back today",
    "reset": "forget: make the matching cards new again (their review history is kept)",
}
QUERY_HELP = (
    "Anki's search syntax: words, deck:D, topic:T, tag:X, is:due|new|learn|review|suspended|"
    "buried|leech, prop:ivl>30, rated:7, added:3, -term, a or b, ( ) — see docs/decks.md"
)


def register(sub: Any) -> None:
    cards = sub.add_parser(
        "cards",
        help="search cards (Anki's syntax), show one with its history, suspend, bury, reset",
        description="Search and change cards from the command line; `b` in the app opens the "
        "same search in the card browser.",
    )
    actions = cards.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = actions.add_parser("search", help="list the cards a query matches")
    p.add_argument("query", metavar="QUERY", nargs="?", default="", help=QUERY_HELP)
    p.add_argument("--sort", default="due", help="due, interval, difficulty, stability, "
                   "lapses, reviews, created or deck (default: due)")  # fmt: skip
    p.add_argument("--reverse", action="store_true", help="largest (latest) first")
    p.add_argument("--limit", type=int, metavar="N", help="at most N cards")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=search_cards)

    p = actions.add_parser("show", help="one card and its whole review history")
    p.add_argument("id", metavar="ID", type=int, help="the card's id (`cards search` lists it)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=show_card)

    for name, text in ACTIONS.items():
        p = actions.add_parser(name, help=text)
        p.add_argument("query", metavar="QUERY", help=QUERY_HELP)
        if name == "reset":
            p.add_argument("--yes", action="store_true", help="do it (without: say how many)")
        p.set_defaults(handler=act_on_cards, verb=name)
    p = actions.add_parser("set-due", help="make the matching cards due in DAYS study days")
    p.add_argument("days", metavar="DAYS", help="0 today, 3 in three days, 1-7 spread over a range")
    p.add_argument("query", metavar="QUERY", help=QUERY_HELP)
    p.set_defaults(handler=act_on_cards, verb="set-due")


def _row_json(r: Any, cal: Any) -> dict[str, Any]:
    return {
        "id": r.id, "deck": r.deck, "topic": r.topic_id, "key": r.key, "kind": r.kind,
        "front": r.front, "back": r.back, "tags": list(r.tags), "state": r.state_name,
        "due": cal.local(r.due).isoformat(timespec="seconds") if r.due else None,
        "due_day": r.due_day.isoformat() if r.due_day else None,
        "interval_days": r.interval_days, "stability": r.stability,
        "difficulty": r.difficulty, "suspended": r.suspended, "buried": r.buried,
        "reviews": r.reps, "lapses": r.lapses,
    }  # fmt: skip


def _iso(cal: Any, instant: Any) -> str | None:
    return cal.local(instant).isoformat(timespec="seconds") if instant else None


def _line(r: Any) -> str:
    flags = ("S" if r.suspended else "") + ("B" if r.buried else "")
    due = r.due_day.isoformat() if r.due_day and r.state != 0 else "-"
    ivl = f"{r.interval_days}d" if r.interval_days is not None and r.state in (2, 3) else "-"
    front = " ".join(r.front.split())
    front = front if len(front) <= 60 else front[:59] + "…"
    return (
        f"{r.id:>7}  {r.deck[:22]:<22} {r.state_name:<10} {due:<10} {ivl:>6} {r.lapses:>3} "
        f"{flags:<2} {front}"
    )


def search_cards(args: argparse.Namespace) -> int:
    from studytui.core.cardsearch.service import CardSearchService

    ctx = context()
    try:
        _synced(ctx)  # as `decks list`: the deck files as they are now
        result = CardSearchService(ctx).search(args.query, args.sort, args.reverse)
        rows = result.rows[: args.limit] if args.limit is not None else result.rows
        if args.json:
            print_json([_row_json(r, ctx.calendar) for r in rows])
        else:
            print(
                f"{'id':>7}  {'deck':<22} {'state':<10} {'due':<10} {'ivl':>6} {'lps':>3}    front"
            )
            for r in rows:
                print(printable(_line(r), inline=True))
            shown = f"{len(rows)} of " if len(rows) != len(result.rows) else ""
            print(f"{shown}{len(result.rows)} of {result.total_cards} cards match.")
    finally:
        ctx.close()
    return 0


def show_card(args: argparse.Namespace) -> int:
    from studytui.core.cardsearch.service import CardSearchService

    ctx = context()
    try:
        svc = CardSearchService(ctx)
        row = svc.card(args.id)
        history = svc.history(args.id)
        cal = ctx.calendar
        if args.json:
            data = _row_json(row, cal)
            data["history"] = [
                {
                    "at": cal.local(h.reviewed_at).isoformat(timespec="seconds"),
                    "rating": h.rating,
                    "state_before": h.state_before,
                    "state_after": h.state_after,
                    "duration_ms": h.duration_ms,
                    "due_after": _iso(cal, h.due_after),
                }
                for h in history
            ]
            print_json(data)
            return 0
        lines = [
            f"Card {row.id} · {row.deck} · {row.key} ({row.kind})",
            f"Front: {' '.join(row.front.split())}",
            f"Back:  {' '.join(row.back.split())}",
            f"State {row.state_name}"
            + (f", due {row.due_day}" if row.due_day and row.state else "")
            + (f", interval {row.interval_days} d" if row.state in (2, 3) else "")
            + (f", stability {row.stability:.1f} d" if row.stability is not None else "")
            + (f", difficulty {row.difficulty:.2f}" if row.difficulty is not None else "")
            + f", {row.reps} reviews, {row.lapses} lapses"
            + (", suspended" if row.suspended else "")
            + (", buried" if row.buried else ""),
            "",
            "History" if history else "No reviews yet.",
        ]
        for h in history:
            after = f"→ due {cal.local(h.due_after):%a %d %b %Y %H:%M}" if h.due_after else ""
            secs = f"{h.duration_ms / 1000:.0f}s" if h.duration_ms is not None else ""
            rating = RATINGS.get(h.rating, str(h.rating))
            when = f"{cal.local(h.reviewed_at):%a %d %b %Y %H:%M}"
            lines.append(f"  {when}  {rating:<5} {secs:>4}  {after}")
        print("".join(printable(line, inline=True) + "\n" for line in lines), end="")
    finally:
        ctx.close()
    return 0


def act_on_cards(args: argparse.Namespace) -> int:
    from studytui.core.cardsearch.actions import CardActions
    from studytui.core.cardsearch.service import CardSearchService

    ctx = context()
    try:
        _synced(ctx)
        found = CardSearchService(ctx).search(args.query)
        ids = [r.id for r in found.rows]
        verb = args.verb
        if verb == "reset" and not args.yes:
            print(f"{len(ids)} cards match; add --yes to reset them (their history is kept).")
            return 0
        actions = CardActions(ctx)
        if verb in ("suspend", "unsuspend"):
            result = actions.suspend(ids, verb == "suspend")
        elif verb in ("bury", "unbury"):
            result = actions.bury(ids, verb == "bury")
        elif verb == "reset":
            result = actions.reset(ids)
        else:
            result = actions.set_due(ids, args.days)
        done = {"suspend": "Suspended", "unsuspend": "Unsuspended", "bury": "Buried",
                "unbury": "Unburied", "reset": "Reset", "set-due": "Rescheduled"}[verb]  # fmt: skip
        print(f"{done} {result.count} of {len(ids)} matching cards.")
    finally:
        ctx.close()
    return 0
