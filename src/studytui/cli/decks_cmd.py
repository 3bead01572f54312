"""``studytui decks …`` (sync, list, stats, optimize, leeches, unsuspend) and `review`."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from typing import Any

from studytui.cli import deck_content_cmd
from studytui.cli.common import context, print_json
from studytui.cli.parser import week_number
from studytui.core.context import AppContext
from studytui.core.errors import Problem
from studytui.core.services.deck_stats import DeckStatsService, ReviewStats
from studytui.core.services.decks import DeckService, OptimizeResult
from studytui.core.services.memory import MemoryUpdate


def register(sub: Any) -> None:
    decks = sub.add_parser("decks", help="flashcard decks: load, list, statistics, optimize")
    dsub = decks.add_subparsers(dest="decks_command", metavar="ACTION", required=True)
    p = dsub.add_parser("sync", help="load deck files into the database (idempotent)")
    p.add_argument("--force", action="store_true", help="reload every deck, changed or not")
    p.add_argument(
        "--retire-reviewed",
        action="store_true",
        help="also sync decks that would retire cards with review history (kept, not shown)",
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(handler=sync_decks)
    p = dsub.add_parser("list", help="decks with their cards, new and due counts")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=list_decks)
    p = dsub.add_parser(
        "stats", help="review statistics: due, forecast, reviews per day, retention"
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=deck_stats)
    deck_content_cmd.register(dsub)
    p = dsub.add_parser("optimize", help="fit FSRS parameters to your review history")
    p.add_argument(
        "--reschedule",
        action="store_true",
        help="also move due dates to what the new parameters give (Anki's reschedule on change)",
    )
    p.add_argument(
        "--preset",
        metavar="NAME",
        help="fit only this deck preset (review.presets; 'default': decks in none); "
        "default: every preset, each on its own decks' reviews",
    )
    p.set_defaults(handler=optimize)
    p = dsub.add_parser(
        "recompute", help="replay every card's history: memory states under the current parameters"
    )
    p.add_argument(
        "--reschedule",
        action="store_true",
        help="also move due dates (e.g. after changing review.desired_retention)",
    )
    p.set_defaults(handler=recompute)
    p = dsub.add_parser("leeches", help="cards you keep forgetting (review.leech_threshold)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=list_leeches)
    p = dsub.add_parser("unsuspend", help="return suspended cards to reviews")
    p.add_argument("deck", metavar="DECK", nargs="?", help="only this deck (default: every deck)")
    p.set_defaults(handler=unsuspend)

    p = sub.add_parser("review", help="open the app on the review screen")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--deck", metavar="D", help="only this deck (see `studytui decks list`)")
    which.add_argument("--topic", metavar="T", help="only this topic's deck")
    which.add_argument(
        "--week",
        metavar="N",
        nargs="?",
        const="current",
        type=_week,
        help="only the topics of roadmap week N (without N: this week)",
    )
    which.add_argument(
        "--search",
        metavar="QUERY",
        help="custom study: the cards a search matches, due or not (`studytui cards search`)",
    )
    p.add_argument(
        "--reschedule",
        action="store_true",
        help="with --search: answers change the schedule (default: they change nothing)",
    )
    p.set_defaults(handler=review)


def _week(text: str) -> int | str:
    if text == "current":
        return text
    return week_number(text)


def _report_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(f"studytui: {problem}", file=sys.stderr)


def _synced(ctx: AppContext) -> DeckService:
    service = DeckService(ctx)
    report = service.sync()
    if report.problems:
        _report_problems(report.problems)
        print("studytui: the other decks were loaded", file=sys.stderr)
    return service


def sync_decks(args: argparse.Namespace) -> int:
    ctx = context()
    try:
        report = DeckService(ctx).sync(force=args.force, retire_reviewed=args.retire_reviewed)
        if args.json:
            print_json(report.to_json())
        else:
            print(report.summary())
            _report_problems(report.problems)
    finally:
        ctx.close()
    return 2 if report.problems else 0


def list_decks(args: argparse.Namespace) -> int:
    from studytui.core.plaintext import printable

    ctx = context()
    try:
        _synced(ctx)
        stats = DeckStatsService(ctx)
        rows = stats.decks()
        if args.json:
            print_json(
                [
                    {
                        "deck": r.deck, "topic": r.topic, "title": r.title, "cards": r.cards,
                        "new": r.new, "learning": r.learning, "review": r.review, "due": r.due,
                        "suspended": r.suspended, "source": r.source, "hint": stats.hint(r),
                    }
                    for r in rows
                ]
            )  # fmt: skip
            return 0
        width = max((len(r.deck) for r in rows), default=4)
        print(f"{'deck':<{width}}  cards    new    due  title")
        for r in rows:
            print(f"{r.deck:<{width}}  {r.cards:>5}  {r.new:>5}  {r.due:>5}  {r.title}")
        today = stats.stats(days=1, forecast_days=1, retention_days=0)
        print(
            f"{'today':<{width}}  {'':>5}  {today.new_available:>5}  {today.due_today:>5}  "
            "all decks under today's limits (each row is its deck studied alone)"
        )
        if today.due_beyond_limit:
            print(f"{today.due_beyond_limit} more reviews are due past today's review limit.")
        empty = [r for r in rows if not r.cards]
        if empty:
            print()
            for r in empty:
                print(f"{r.deck}: {stats.hint(r)}")
        review = ctx.settings.review
        if review.presets:
            print()
            names = {r.deck for r in rows}
            for preset in review.presets:
                print(printable(f"preset {preset.name}: {', '.join(preset.decks)}"))
                for deck in preset.decks:
                    if deck not in names:
                        print(printable(f"review.presets.{preset.name}: no deck '{deck}'"),
                              file=sys.stderr)  # fmt: skip
    finally:
        ctx.close()
    return 0


def stats_json(stats: ReviewStats) -> dict[str, Any]:
    return {
        "today": stats.today.isoformat(),
        "due_today": stats.due_today,
        "due_beyond_limit": stats.due_beyond_limit,
        "new_available": stats.new_available,
        "forecast": [{"day": d.day.isoformat(), "due": d.reviews} for d in stats.forecast],
        "reviews_per_day": [
            {"day": d.day.isoformat(), "reviews": d.reviews, "again": d.again, "seconds": d.seconds}
            for d in stats.per_day
        ],
        "retention": {
            "desired": stats.desired_retention,
            "days": stats.retention_days,
            "all": {
                "reviews": stats.retention_all.reviews,
                "passed": stats.retention_all.passed,
                "true_retention": stats.retention_all.retention,
            },
            "decks": [
                {
                    "deck": r.deck,
                    "title": r.title,
                    "reviews": r.reviews,
                    "passed": r.passed,
                    "true_retention": r.retention,
                }
                for r in stats.retention
            ],
        },
        "states": asdict(stats.states),
    }


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def deck_stats(args: argparse.Namespace) -> int:
    ctx = context()
    try:
        _synced(ctx)
        stats = DeckStatsService(ctx).stats()
        if args.json:
            print_json(stats_json(stats))
            return 0
        st = stats.states
        print(
            f"Study day {stats.today}: {stats.due_today} due, {stats.new_available} new available"
        )
        print(
            f"Cards: {st.new} new, {st.learning} learning, {st.review} review, "
            f"{st.relearning} relearning, {st.suspended} suspended, {st.buried} buried, "
            f"{st.retired} retired"
        )
        print("Next 30 days: " + " ".join(str(d.reviews) for d in stats.forecast))
        recent = stats.per_day[-14:]
        if recent:
            print("Reviews per day (last days with reviews):")
            for d in recent:
                minutes = d.seconds / 60
                print(f"  {d.day}  {d.reviews:>4} reviews  {d.again:>3} again  {minutes:.0f} min")
        print(
            f"True retention, last {stats.retention_days} days: "
            f"{_pct(stats.retention_all.retention)} of {stats.retention_all.reviews} reviews "
            f"(desired {stats.desired_retention:.0%})"
        )
        for r in stats.retention:
            print(f"  {r.deck}: {_pct(r.retention)} of {r.reviews}")
    finally:
        ctx.close()
    return 0


def optimize(args: argparse.Namespace) -> int:
    from studytui.core.optimizer import NotEnoughReviews

    ctx = context()
    try:
        service = DeckService(ctx)
        presets = [args.preset] if args.preset is not None else service.presets()
        fitted_any = False
        for preset in presets:
            if len(presets) > 1 or preset != "default":
                print(f"Preset {preset}:")
            try:
                result = service.optimize(reschedule=args.reschedule, preset=preset)
            except NotEnoughReviews as exc:
                if len(presets) == 1:
                    raise
                print(f"  {exc}")
                continue
            fitted_any = True
            _print_fit(result)
        if not fitted_any:
            return 1
    finally:
        ctx.close()
    return 0


def _print_fit(result: OptimizeResult) -> None:
    fit = result.fit
    print(f"Fitted FSRS parameters to {fit.items} reviews of {fit.cards} cards.")
    print(f"  log loss: {fit.log_loss_before:.4f} before, {fit.log_loss_after:.4f} after")
    print(f"  RMSE (bins): {fit.rmse_before:.4f} before, {fit.rmse_after:.4f} after")
    if result.saved:
        print("Saved; they schedule every review from now on.")
        if result.memory is not None:
            _print_memory(result.memory)
    else:
        print("The current parameters fit at least as well; kept them.")
    print("Parameters: " + ", ".join(f"{p:.4f}" for p in result.parameters))


def unsuspend(args: argparse.Namespace) -> int:
    ctx = context()
    try:
        from studytui.core.services.review import ReviewService

        _synced(ctx)  # a deck whose file was added since the last sync is known by name
        n = ReviewService(ctx).unsuspend(args.deck)
        print(f"{n} cards unsuspended")
    finally:
        ctx.close()
    return 0


def review(args: argparse.Namespace) -> int:
    from studytui.cli.basic import open_app
    from studytui.core.services.review import ReviewFilter, ReviewService

    options: dict[str, Any] = {}
    if args.deck is not None:
        options["deck"] = args.deck
    if args.topic is not None:
        options["topic"] = args.topic
    if args.week is not None:
        options["week"] = args.week
    if args.search is not None:
        options["search"] = args.search
        options["reschedule"] = args.reschedule
    elif args.reschedule:
        from studytui.core.errors import ArgumentError

        raise ArgumentError("--reschedule goes with --search (custom study)", "--reschedule")
    ctx = context()
    try:  # check the filter before the app takes over the terminal
        _synced(ctx)
        service = ReviewService(ctx)
        with ctx.db.read() as s:
            service.resolve(s, ReviewFilter.from_options(options))
        if args.search is not None:  # a query that cannot be read: refused here, exit 2
            from studytui.core.cardsearch.query import parse_query

            parse_query(args.search)
    finally:
        ctx.close()
    return open_app(args, mode="review", review=options)


def _print_memory(memory: MemoryUpdate) -> None:
    print(
        f"Memory states recomputed from the history of {memory.cards} cards "
        f"({memory.changed} changed)."
    )
    if memory.rescheduled:
        print(f"{memory.rescheduled} due dates moved.")


def recompute(args: argparse.Namespace) -> int:
    ctx = context()
    try:
        memory = DeckService(ctx).recompute(reschedule=args.reschedule)
    finally:
        ctx.close()
    _print_memory(memory)
    return 0


def list_leeches(args: argparse.Namespace) -> int:
    from studytui.core.plaintext import printable
    from studytui.core.services.leech_list import leeches

    ctx = context()
    try:
        found = leeches(ctx)
        review = ctx.settings.review
        thresholds = {review.for_preset(p).leech_threshold for p in DeckService(ctx).presets()}
        threshold = min((t for t in thresholds if t > 0), default=0)
    finally:
        ctx.close()
    if args.json:
        print_json([asdict(leech) for leech in found])
        return 0
    if threshold <= 0:
        print("Leeches are off (review.leech_threshold: 0).")
        return 0
    if not found:
        print(f"No leeches: no card has lapsed {threshold} times.")
        if len(thresholds) > 1:
            print("(The threshold is its deck's preset's: review.presets.)")
        return 0
    for leech in found:
        state = "suspended" if leech.suspended else "tagged"
        front = leech.front.replace("\n", " ")[:70]
        print(printable(f"{leech.card_id:>6}  {leech.lapses:>3} lapses  {state:<9}  "
                        f"{leech.deck}: {front}"))  # fmt: skip
    print("Rewrite a leech (the app's e on the card) and `studytui decks unsuspend DECK`.")
    return 0
