"""The queue referee: 60 study days of one deck through Anki and through studytui, day by day.

    uv run python bench/anki_queue_parity.py [--days 60] [--notes 40] [--anki-python PATH]
        [--bury-reviews] [--no-bury-new] [--steps 1d|short] [--presets] [--reviews-per-day N]

One deck of notes — most "Basic (and reversed card)" (two sibling cards), some "Basic" — is
studied every day at noon (a card that comes back within the day, from a learning step, is
rated Good) under the same limits (new 10 a day, reviews 30, the review limit
capping new cards as in Anki), the same bury options and leech rule (4 lapses, suspend), FSRS on
and fuzz off. Each day both sides answer every card their queue offers, rating each card as a
seeded table says (a few notes are forgotten over and over, to make leeches). The referee
compares, per day, the counts at the start of the day (Anki's ``col.sched.counts()``, studytui's
queue), the set of cards answered, the leeches and the suspended cards. Anki runs in a
throwaway venv under libfaketime, as in ``bench/anki_parity.py``.

With ``--presets`` a second deck, ``limited``, has a preset of its own (new 3 a day, reviews 20,
learning steps 1m 10m, relearning 10m, desired retention 0.85, maximum interval 60 days, leeches
at 3 lapses, tagged only): in Anki both decks are children of one parent deck with the default
options, and the parent is studied; in studytui the preset is ``review.presets`` and all decks
are studied. Each day the counts are compared per deck as well as in all.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "src"))
sys.path.insert(0, str(BENCH))

from anki_parity import FAKETIME_LIBS, ROLLOVER, anki_python  # noqa: E402
from studytui.core.cardsearch.service import CardSearchService  # noqa: E402
from studytui.core.clock import ManualClock  # noqa: E402
from studytui.core.context import open_context  # noqa: E402
from studytui.core.decks.sync import sync_decks  # noqa: E402
from studytui.core.scheduling import DEFAULT_PARAMETERS  # noqa: E402
from studytui.core.services.deck_stats import DeckStatsService  # noqa: E402
from studytui.core.services.leech_list import leeches  # noqa: E402
from studytui.core.services.review import ReviewFilter, ReviewService  # noqa: E402
from studytui.core.storage.sqltypes import stored_datetime  # noqa: E402
from studytui.paths import AppPaths  # noqa: E402

ANKI_TYPE = {0: 0, 1: 1, 2: 2, 3: 3}  # studytui state → Anki card type (new/learn/review/relearn)

ZONE = "Europe/Berlin"
NEW_PER_DAY, REVIEWS_PER_DAY, LEECH_THRESHOLD = 10, 30, 4
LIMITED = {
    "new_per_day": 3, "reviews_per_day": 20, "learning_steps_minutes": [1.0, 10.0],
    "relearning_steps_minutes": [10.0], "desired_retention": 0.85, "maximum_interval": 60,
    "leech_threshold": 3, "leech_action": "tag",
}  # fmt: skip


# The browser's search operators, compared with Anki's ``col.find_cards`` on the same cards every
# tenth day after its answers (``--days 60``: six times).
SEARCHES = (
    "is:new", "is:learn", "is:review", "is:due", "is:suspended", "is:buried",
    "-is:new -is:suspended", "is:due or is:new", "(is:learn or is:suspended) -rated:1",
    "prop:ivl>5", "prop:ivl<=3", "prop:due=1", "prop:due<=0", "prop:due>=7",
    "prop:reps>3", "prop:lapses>=2", "prop:lapses=0", "prop:s>10", "prop:d>0.5",
    "rated:1", "rated:3", "rated:1:1", "rated:7:3", "rated:2:4",
    "Question 1*", '"answer 2"', "question -answer*3",
)  # fmt: skip


def plan(args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(args.seed)
    notes = [
        {"id": f"n{i}", "front": f"Question {i}", "back": f"Answer {i}",
         "reversed": rng.random() < 0.75, "deck": "queue"}
        for i in range(args.notes)
    ]  # fmt: skip
    if args.presets:
        notes += [
            {"id": f"l{i}", "front": f"Limited question {i}", "back": f"Answer {i}",
             "reversed": rng.random() < 0.75, "deck": "limited"}
            for i in range(args.notes // 2)
        ]  # fmt: skip
    keys = [f"card:{n['id']}" for n in notes] + [
        f"card:{n['id']}:rev" for n in notes if n["reversed"]
    ]
    hard = {f"card:{n['id']}" for n in rng.sample(notes, 3 + 2 * args.presets)}  # forgotten often
    start = datetime(2026, 2, 2, 12, tzinfo=ZoneInfo(ZONE))
    days = []
    for d in range(args.days):
        at = (start + timedelta(days=d)).astimezone(UTC)
        ratings = {
            key: 1 if key in hard and rng.random() < 0.8
            else rng.choices([1, 2, 3, 4], [12, 10, 68, 10])[0]
            for key in keys
        }  # fmt: skip
        days.append({"at": at.timestamp(), "ratings": ratings})
    steps = [1440.0] if args.steps == "1d" else [1.0, 10.0]
    return {
        "zone": ZONE,
        "rollover": ROLLOVER,
        "learning_steps_minutes": steps,
        "relearning_steps_minutes": [1440.0] if args.steps == "1d" else [10.0],
        "new_per_day": NEW_PER_DAY,
        "reviews_per_day": args.reviews_per_day,
        "new_cards_ignore_review_limit": False,
        "desired_retention": 0.9,
        "parameters": list(DEFAULT_PARAMETERS),
        "leech_threshold": LEECH_THRESHOLD,
        "leech_action": "suspend",
        "bury_new": not args.no_bury_new,
        "bury_reviews": args.bury_reviews,
        "bury_interday": False,
        "notes": notes,
        "days": days,
        "presets": {"limited": LIMITED} if args.presets else {},
        "searches": list(SEARCHES),
        "search_days": [d for d in range(args.days) if d % 10 == 9],
    }


def run_anki(python: Path, the_plan: dict[str, Any], folder: Path) -> list[dict[str, Any]]:
    lib = next((p for p in FAKETIME_LIBS if Path(p).exists()), None)
    if lib is None:
        raise SystemExit("queue parity: libfaketime is needed (apt-get install faketime)")
    plan_file, out, clock = folder / "plan.json", folder / "anki.json", folder / "clock.txt"
    plan_file.write_text(json.dumps(the_plan), encoding="utf-8")
    clock.write_text(f"@{datetime.now(UTC):%Y-%m-%d %H:%M:%S}\n", encoding="utf-8")
    env = dict(os.environ, TZ=ZONE, LD_PRELOAD=lib, FAKETIME_TIMESTAMP_FILE=str(clock),
               FAKETIME_NO_CACHE="1", ANKI_TEST_MODE="1",
               PYTHONPATH=str(BENCH / "peers"))  # fmt: skip
    driver = BENCH / "peers" / "anki_queue_driver.py"
    subprocess.run([str(python), str(driver), str(plan_file), str(out), str(clock)], env=env,
                   check=True)  # fmt: skip
    result: list[dict[str, Any]] = json.loads(out.read_text(encoding="utf-8"))
    return result


def _deck_file(the_plan: dict[str, Any], deck: str = "queue") -> str:
    lines = ["schema: 1", f"topic: {deck}", f"title: Queue referee {deck}", "cards:"]
    for n in the_plan["notes"]:
        if n.get("deck", "queue") != deck:
            continue
        lines += [f"  - id: {n['id']}", f"    front: {n['front']}", f"    back: {n['back']}"]
        if n["reversed"]:
            lines.append("    type: reversed")
    return "\n".join(lines) + "\n"


def _minutes(values: list[float]) -> str:
    return "[" + ", ".join(f"{int(m)}m" for m in values) + "]"


def run_studytui(the_plan: dict[str, Any], folder: Path) -> list[dict[str, Any]]:
    """The same days through studytui, in a home of its own under ``folder``."""
    paths = AppPaths(config_dir=folder / "home/config", data_dir=folder / "home/data")
    paths.user_deck_dir.mkdir(parents=True, exist_ok=True)
    p = the_plan
    presets = p.get("presets", {})
    for deck in ("queue", *presets):
        (paths.user_deck_dir / f"{deck}.yaml").write_text(_deck_file(p, deck), encoding="utf-8")
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(
        f"timezone: {ZONE}\nday_rollover_hour: {ROLLOVER}\nreview:\n"
        f"  new_cards_per_day: {p['new_per_day']}\n  reviews_per_day: {p['reviews_per_day']}\n"
        f"  learning_steps: {_minutes(p['learning_steps_minutes'])}\n"
        f"  relearning_steps: {_minutes(p['relearning_steps_minutes'])}\n"
        f"  fuzz: false\n  leech_threshold: {p['leech_threshold']}\n"
        f"  leech_action: {p['leech_action']}\n"
        f"  bury_new_siblings: {str(p['bury_new']).lower()}\n"
        f"  bury_review_siblings: {str(p['bury_reviews']).lower()}\n"
        f"  bury_interday_learning_siblings: {str(p['bury_interday']).lower()}\n"
        + _presets_yaml(presets),
        encoding="utf-8",
    )
    first = datetime.fromtimestamp(p["days"][0]["at"], UTC)
    clock = ManualClock(first)
    ctx = open_context(paths, clock)
    days = []
    try:
        service = ReviewService(ctx)
        sync_decks(ctx)
        studied = ReviewFilter(deck="queue")
        if presets:  # all decks, as Anki's parent deck: the bundled ones leave this home
            studied = ReviewFilter()
            with ctx.db.change() as conn:
                names = ", ".join(f"'{d}'" for d in ("queue", *presets))
                conn.execute(f"DELETE FROM card WHERE deck_id IN (SELECT id FROM deck "
                             f"WHERE name NOT IN ({names}))")  # fmt: skip
                conn.execute(f"DELETE FROM deck WHERE name NOT IN ({names})")
        stats = DeckStatsService(ctx)
        for day in p["days"]:
            clock.advance(seconds=day["at"] - clock.now().timestamp())
            before = {}
            if len(days) in set(p.get("search_days", [])):
                cards = CardSearchService(ctx)
                for query in p.get("searches", []):
                    rows = cards.search(query).rows
                    before[query] = sorted(r.key for r in rows if r.deck in ("queue", *presets))
            session = service.start(studied)
            counts = session.counts()
            per_deck = {
                row.deck: [row.new, row.learning, row.review]
                for row in stats.decks()
                if row.deck in ("queue", *presets)
            }
            answered = []
            for _ in range(10_000):
                card = session.next_card()
                if card is None:
                    break
                first = card.key not in answered  # Good when it comes back the same day
                session.rate(day["ratings"].get(card.key, 3) if first else 3)
                answered.append(card.key)
            session.flush()
            found = {leech.card_id for leech in leeches(ctx)}
            searches = {}
            if len(days) in set(p.get("search_days", [])):
                cards = CardSearchService(ctx)
                for query in p.get("searches", []):
                    rows = cards.search(query).rows
                    searches[query] = sorted(r.key for r in rows if r.deck in ("queue", *presets))
            today = ctx.calendar.day_of(clock.now())
            with ctx.db.query() as conn:
                key_of = dict(conn.execute('SELECT id, "key" FROM card'))
                states = {}
                for key, state, due, suspended in conn.execute(
                    'SELECT "key", state, due, suspended FROM card WHERE state != 0'
                ):  # as the driver reports them: a suspended card's due as 0
                    day_due = ctx.calendar.day_of(stored_datetime(due)) if due else today
                    days_out = (day_due - today).days if state == 2 or day_due > today else 0
                    states[key] = [ANKI_TYPE[state], 0 if suspended else days_out]
                suspended = sorted(
                    k for (k,) in conn.execute('SELECT "key" FROM card WHERE suspended = 1')
                )
            days.append(
                {
                    "counts": [counts.new, counts.learning, counts.review],
                    "deck_counts": per_deck if presets else {},
                    "answered": answered,
                    "leeches": sorted(key_of[i] for i in found),
                    "suspended": suspended,
                    "states": states,
                    "searches": searches,
                    "searches_before": before,
                }
            )
    finally:
        ctx.close()
    return days


def _presets_yaml(presets: dict[str, dict[str, Any]]) -> str:
    if not presets:
        return ""
    lines = ["  presets:"]
    for name, v in presets.items():
        lines += [
            f"    {name}:", f"      decks: [{name}]",
            f"      new_cards_per_day: {v['new_per_day']}",
            f"      reviews_per_day: {v['reviews_per_day']}",
            f"      learning_steps: {_minutes(v['learning_steps_minutes'])}",
            f"      relearning_steps: {_minutes(v['relearning_steps_minutes'])}",
            f"      desired_retention: {v['desired_retention']}",
            f"      maximum_interval_days: {v['maximum_interval']}",
            f"      leech_threshold: {v['leech_threshold']}",
            f"      leech_action: {v['leech_action']}",
        ]  # fmt: skip
    return "\n".join(lines) + "\n"


def compare(anki: list[dict[str, Any]], ours: list[dict[str, Any]]) -> list[str]:
    out = []
    for d, (a, o) in enumerate(zip(anki, ours, strict=True)):
        for field in ("counts", "deck_counts", "leeches", "suspended", "states"):
            if field == "deck_counts" and not a.get(field) and not o.get(field):
                continue
            if field == "states" and a[field] != o[field]:
                keys = sorted(set(a[field]) | set(o[field]))
                diff = {k: (a[field].get(k), o[field].get(k)) for k in keys
                        if a[field].get(k) != o[field].get(k)}  # fmt: skip
                out.append(f"day {d}: states after it (type, due in days): {diff}")
            elif a[field] != o[field]:
                out.append(f"day {d}: {field}: anki {a[field]} studytui {o[field]}")
        for when in ("searches_before", "searches"):
            for query, want in a.get(when, {}).items():
                got = o.get(when, {}).get(query)
                if got != want:
                    only_a = sorted(set(want) - set(got or []))
                    only_o = sorted(set(got or []) - set(want))
                    out.append(f"day {d}: {when} {query!r}: only anki {only_a} "
                               f"only studytui {only_o}")  # fmt: skip
        if sorted(a["answered"]) != sorted(o["answered"]):
            only_a = sorted(set(a["answered"]) - set(o["answered"]))
            only_o = sorted(set(o["answered"]) - set(a["answered"]))
            out.append(f"day {d}: answered: only anki {only_a} only studytui {only_o}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--notes", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--anki-python")
    parser.add_argument("--bury-reviews", action="store_true")
    parser.add_argument("--no-bury-new", action="store_true")
    parser.add_argument("--steps", choices=("1d", "short"), default="1d")
    parser.add_argument("--reviews-per-day", type=int, default=REVIEWS_PER_DAY)
    parser.add_argument(
        "--presets", action="store_true", help="a second deck with a preset (limits, steps)"
    )
    parser.add_argument("--json", type=Path, help="write both sides' days here")
    parser.add_argument(
        "--golden",
        type=Path,
        help="write the plan and Anki's days here (tests/data/anki_queue_*.json)",
    )
    args = parser.parse_args()
    the_plan = plan(args)
    with tempfile.TemporaryDirectory(prefix="studytui-queue-") as tmp:
        folder = Path(tmp)
        python = anki_python(args.anki_python, folder)
        anki = run_anki(python, the_plan, folder)
        ours = run_studytui(the_plan, folder)
    if args.json:
        args.json.write_text(json.dumps({"plan": the_plan, "anki": anki, "ours": ours}))
    if args.golden:
        record = {"anki": "26.09.3", "plan": the_plan, "days": anki}
        args.golden.write_text(json.dumps(record, separators=(",", ":")) + "\n", encoding="utf-8")
    diffs = compare(anki, ours)
    same = len(anki) - len({int(d.split(":")[0].split()[1]) for d in diffs})
    print(f"{same} of {len(anki)} days identical (counts, cards answered, leeches, suspended)")
    for line in diffs[:30]:
        print("  " + line)
    total = sum(len(d["answered"]) for d in anki)
    print(f"anki answered {total} cards; studytui {sum(len(d['answered']) for d in ours)}")


if __name__ == "__main__":
    main()
