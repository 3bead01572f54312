"""The scheduling referee: the same review histories through Anki and through studytui.

    uv run python bench/anki_parity.py                      # 200 cards per zone, seed 1
    uv run python bench/anki_parity.py --cards 50 --seed 7 --zones Europe/Berlin
    uv run python bench/anki_parity.py --anki-python PATH   # an Anki venv you already have

Seeded histories — random ratings, gaps from minutes to months, late-night reviews and reviews
around the 04:00 rollover, both DST nights of 2026 — are answered by Anki's v3 scheduler with
FSRS on and fuzz off (the ``anki`` package in a throwaway venv, its clock driven by libfaketime
from Debian's ``faketime``; ``ANKI_TEST_MODE=1`` turns its fuzz off) and replayed through
``studytui.core.scheduling`` at the instants Anki saw. It prints the share of steps with the
identical state, interval and due study day, and each divergence with the card's history.
Needs: ``faketime`` (``apt-get install faketime``) and uv (to make Anki's venv).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "src"))

from studytui.core.config import ReviewSettings  # noqa: E402
from studytui.core.scheduling import (  # noqa: E402
    DEFAULT_PARAMETERS,
    CardState,
    ReviewScheduler,
    Status,
)
from studytui.core.studyday import StudyCalendar  # noqa: E402

FAKETIME_LIBS = (
    "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
    "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
)
ROLLOVER = 4
GOLDEN_COLUMNS = ["card", "at", "rating", "type", "queue", "ivl", "due", "today", "s", "d",
                  "cid", "reps"]  # fmt: skip
ANKI_LEARNING = 1  # Anki's queue of learning cards due at a time (due: a Unix time)
ANKI_DAY_LEARNING = 3  # Anki's queue of learning cards due on a study day (due: a day number)
LEARNING_STEPS = (1.0, 10.0)  # minutes
RELEARNING_STEPS = (10.0,)
# Gaps between two reviews of a card: (weight, lowest, highest) in seconds.
GAPS = (
    (3, 50, 15 * 60),  # within the learning steps
    (2, 3600, 8 * 3600),  # later the same day
    (4, 86400 - 7200, 86400 + 7200),  # about a day: around the rollover
    (5, 2 * 86400, 9 * 86400),
    (4, 9 * 86400, 40 * 86400),
    (2, 40 * 86400, 150 * 86400),
)
RATINGS = ((1, 0.15), (2, 0.15), (3, 0.55), (4, 0.15))
DST_NIGHTS = (datetime(2026, 3, 29, tzinfo=UTC), datetime(2026, 10, 25, tzinfo=UTC))


@dataclass(frozen=True)
class Step:
    card: int
    index: int
    at: datetime
    rating: int


def log(message: str) -> None:
    print(f"[parity] {message}", file=sys.stderr, flush=True)


def late_or_near_rollover(rng: random.Random, day: datetime, zone: ZoneInfo) -> datetime:
    """A review time on ``day``'s date: often late at night or within an hour of the rollover."""
    kind = rng.random()
    if kind < 0.3:
        hour, minute = rng.choice((0, 1, 2, 3)), rng.randrange(60)
    elif kind < 0.55:
        hour, minute = rng.choice((3, 4)), rng.randrange(60)  # 03:00-04:59
    else:
        hour, minute = rng.randrange(7, 24), rng.randrange(60)
    local = datetime(day.year, day.month, day.day, hour, minute, rng.randrange(60), tzinfo=zone)
    return local.astimezone(UTC)


def histories(cards: int, seed: int, zone: ZoneInfo) -> list[Step]:
    rng = random.Random(seed)
    steps: list[Step] = []
    for card in range(cards):
        if card % 4 == 0:  # a quarter of the cards live through a DST night
            night = rng.choice(DST_NIGHTS)
            start = night - timedelta(days=rng.randrange(1, 30))
        else:
            start = datetime(2026, 1, 5, tzinfo=UTC) + timedelta(days=rng.randrange(300))
        at = late_or_near_rollover(rng, start, zone)
        for index in range(rng.randrange(3, 12)):
            rating = rng.choices([r for r, _ in RATINGS], [w for _, w in RATINGS])[0]
            steps.append(Step(card, index, at, rating))
            weight = [g[0] for g in GAPS]
            _, lo, hi = rng.choices(GAPS, weight)[0]
            gap = rng.randrange(lo, hi)
            nxt = at + timedelta(seconds=gap)
            if gap >= 2 * 86400:
                nxt = late_or_near_rollover(rng, nxt, zone)
            at = max(nxt, at + timedelta(seconds=30))
    return sorted(steps, key=lambda s: (s.at, s.card))


def anki_python(given: str | None, folder: Path) -> Path:
    if given:
        return Path(given)
    uv = shutil.which("uv")
    if uv is None:
        raise SystemExit("parity: uv is needed to install Anki into a throwaway venv")
    env = folder / "anki-env"
    py = f"{sys.version_info.major}.{sys.version_info.minor}"
    subprocess.run([uv, "venv", "-q", "--python", py, str(env)], check=True)
    subprocess.run([uv, "pip", "install", "-q", "--python", str(env / "bin/python"), "anki"],
                   check=True)  # fmt: skip
    return env / "bin/python"


def run_anki(
    python: Path, steps: list[Step], zone: str, folder: Path, fuzz: bool = False
) -> list[dict[str, Any]]:
    lib = next((p for p in FAKETIME_LIBS if Path(p).exists()), None)
    if lib is None:
        raise SystemExit("parity: libfaketime is needed (apt-get install faketime)")
    plan = {
        "zone": zone,
        "rollover": ROLLOVER,
        "learning_steps_minutes": list(LEARNING_STEPS),
        "relearning_steps_minutes": list(RELEARNING_STEPS),
        "maximum_interval": 36500,
        "desired_retention": 0.9,
        "parameters": list(DEFAULT_PARAMETERS),
        "events": [{"card": s.card, "at": s.at.timestamp(), "rating": s.rating} for s in steps],
    }
    plan_file, out, clock = folder / "plan.json", folder / "anki.json", folder / "clock.txt"
    plan_file.write_text(json.dumps(plan), encoding="utf-8")
    clock.write_text(f"@{datetime.now(UTC):%Y-%m-%d %H:%M:%S}\n", encoding="utf-8")
    env = dict(os.environ, TZ=zone, LD_PRELOAD=lib, FAKETIME_TIMESTAMP_FILE=str(clock),
               FAKETIME_NO_CACHE="1")  # fmt: skip
    if not fuzz:
        env["ANKI_TEST_MODE"] = "1"  # fuzz off (and its clock 2 h behind from 02:00 to 03:59)
    driver = BENCH / "peers" / "anki_parity_driver.py"
    subprocess.run([str(python), str(driver), str(plan_file), str(out), str(clock)], env=env,
                   check=True)  # fmt: skip
    result: list[dict[str, Any]] = json.loads(out.read_text(encoding="utf-8"))
    return result


ANKI_STATUS = {0: Status.NEW, 1: Status.LEARNING, 2: Status.REVIEW, 3: Status.RELEARNING}


def same_memory(ours: CardState, theirs: dict[str, Any]) -> bool:
    """Stability and difficulty as Anki stores them (4 and 3 decimals, 32-bit floats)."""
    if theirs["stability"] is None or ours.stability is None or ours.difficulty is None:
        return theirs["stability"] is None and ours.stability is None
    return (abs(ours.stability - theirs["stability"]) <= 2e-4 * max(1.0, theirs["stability"])
            and abs(ours.difficulty - theirs["difficulty"]) <= 2e-3)  # fmt: skip


def off_by_one_day(
    scheduler: ReviewScheduler, step: Step, before: CardState, at: datetime,
    theirs: dict[str, Any],
) -> bool:  # fmt: skip
    """Whether Anki's memory is ours with one study day more or less since the last review."""
    if before.last_review is None:
        return False
    calendar = scheduler.calendar
    for shift in (-1, 1):  # in study days: 24 h across a DST night can move two of them
        day = calendar.day_of(before.last_review) + timedelta(days=shift)
        moved = replace(before, last_review=calendar.day_start(day) + timedelta(hours=12))
        if same_memory(scheduler.review(step.card + 1, moved, step.rating, at).after, theirs):
            return True
    return False


def anki_dst_miscount(calendar: StudyCalendar, previous: datetime | None, at: datetime) -> str:
    """Anki counts the days since the last review one off when a DST change lies between the
    two reviews and one of them is within an hour of the rollover (its day boundary moves by
    the hour); studytui counts the study days. Returns the cause, or '' when it is not that."""
    if previous is None:
        return ""
    offsets = {calendar.local(previous).utcoffset(), calendar.local(at).utcoffset()}
    if len(offsets) == 1:
        return ""
    near = [abs((calendar.local(t).hour * 60 + calendar.local(t).minute) - ROLLOVER * 60) <= 60
            for t in (previous, at)]  # fmt: skip
    if not any(near):
        return ""
    return "anki miscounts elapsed days across a DST change next to the rollover"


def anki_state(calendar: StudyCalendar, ours: CardState, theirs: dict[str, Any],
               status: Status, day: date) -> CardState:  # fmt: skip
    """Our card with Anki's memory (and due day), to go on comparing after a step where Anki
    is wrong; the learning step stays ours (Anki's is not recorded, and they agreed)."""
    due = calendar.day_start(day) if status is Status.REVIEW else ours.due
    step = None if status is Status.REVIEW else ours.step
    return replace(ours, status=status, step=step, stability=theirs["stability"],
                   difficulty=theirs["difficulty"], due=due)  # fmt: skip


def compare(
    steps: list[Step], anki: list[dict[str, Any]], zone: str, fuzz: bool = False
) -> dict[str, Any]:
    calendar = StudyCalendar(zone_name=zone, rollover_hour=ROLLOVER)
    settings = ReviewSettings(
        learning_steps=tuple(timedelta(minutes=m) for m in LEARNING_STEPS),
        relearning_steps=tuple(timedelta(minutes=m) for m in RELEARNING_STEPS),
        fuzz=fuzz,
    )
    scheduler = ReviewScheduler(settings, calendar)
    states: dict[int, CardState] = {}
    last_review: dict[int, datetime] = {}
    history: dict[int, list[str]] = {}
    same = Counter[str]()
    applicable = Counter[str]()  # steps each check applies to (step time: learning steps)
    divergences: list[dict[str, Any]] = []
    for step, theirs in zip(steps, anki, strict=True):
        at = datetime.fromtimestamp(theirs["at"], UTC)
        previous = last_review.get(step.card)
        before = states.get(step.card, CardState())
        # With fuzz on, studytui draws it as Anki does, from the card id and its review count:
        # given Anki's id for the card, both sides must fuzz alike.
        card_id, reps = (theirs["cid"], theirs["reps"]) if fuzz else (step.card + 1, 0)
        outcome = scheduler.review(card_id, before, step.rating, at, reps)
        ours = outcome.after
        states[step.card] = ours
        today: date = calendar.day_of(at)
        their_status = ANKI_STATUS[theirs["type"]]
        line = f"{calendar.local(at):%Y-%m-%d %H:%M} r{step.rating}"
        if their_status is Status.REVIEW:
            their_day = today + timedelta(days=theirs["due"] - theirs["today"])
            their_ivl = theirs["ivl"]
        elif theirs["queue"] == ANKI_DAY_LEARNING:
            # A step that crosses the rollover: Anki queues it by study day, not by time.
            their_day = today + timedelta(days=theirs["due"] - theirs["today"])
            their_ivl = None
        else:
            # ANKI_TEST_MODE (fuzz off) also runs Anki's clock 2 h behind from 02:00 to 03:59
            # local time: its learning due times are 2 h early then.
            shift = 7200 if not fuzz and 2 <= calendar.local(at).hour < 4 else 0
            their_day = calendar.day_of(datetime.fromtimestamp(theirs["due"] + shift, UTC))
            their_ivl = None
        assert ours.due is not None
        our_day = calendar.day_of(ours.due)
        our_ivl = (our_day - today).days if ours.status is Status.REVIEW else None
        checks = {
            "state": ours.status is their_status,
            "interval": our_ivl == their_ivl,
            "due day": our_day == their_day,
            "memory": same_memory(ours, theirs),
        }
        if theirs["queue"] == ANKI_LEARNING and fuzz:  # a step due at a time: to the second
            checks["step time"] = abs(ours.due.timestamp() - theirs["due"]) < 1
        for name, ok in checks.items():
            same[name] += ok
            applicable[name] += 1
        same["all"] += all(checks.values())
        last_review[step.card] = at
        history.setdefault(step.card, []).append(
            f"{line} → anki {their_status.name.lower()} ivl {their_ivl} due {their_day}"
            f" (options {' '.join(theirs.get('options', {}).values())})"
            f" · ours {ours.status.name.lower()} ivl {our_ivl} due {our_day}"
        )
        if not all(checks.values()):
            cause = anki_dst_miscount(calendar, previous, at)
            if cause and not off_by_one_day(scheduler, step, before, at, theirs):
                cause = ""  # near a DST change, but not Anki's miscount: a real divergence
            if cause:  # Anki is wrong here: count it apart, carry on from Anki's state
                same["anki wrong"] += 1
                states[step.card] = anki_state(calendar, ours, theirs, their_status, their_day)
            divergences.append(
                {
                    "card": step.card,
                    "step": step.index,
                    "failed": [n for n, ok in checks.items() if not ok],
                    "cause": cause,
                    "anki": {"state": their_status.name, "ivl": their_ivl,
                             "due": str(their_day), "s": theirs["stability"],
                             "d": theirs["difficulty"]},
                    "ours": {"state": ours.status.name, "ivl": our_ivl, "due": str(our_day),
                             "s": ours.stability, "d": ours.difficulty},
                    "history": list(history[step.card]),
                }
            )  # fmt: skip
    total = len(steps)
    return {
        "zone": zone,
        "steps": total,
        "identical": {k: round(v / (applicable[k] or total), 4) for k, v in sorted(same.items())},
        "divergences": divergences,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--zones", nargs="+", default=["Europe/Berlin", "America/New_York"])
    parser.add_argument("--anki-python", help="a python with the anki package installed")
    parser.add_argument(
        "--fuzz", action="store_true", help="fuzz on, each side drawing Anki's factor per card"
    )
    parser.add_argument("--json", type=Path, help="write the full report here")
    parser.add_argument(
        "--golden", type=Path, help="write Anki's answers here (tests/data/anki_answers.json)"
    )
    parser.add_argument("--show", type=int, default=5, help="divergences to print per zone")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="studytui-parity-") as tmp:
        folder = Path(tmp)
        python = anki_python(args.anki_python, folder)
        reports = []
        golden: dict[str, list[list[Any]]] = {}
        for zone in args.zones:
            steps = histories(args.cards, args.seed, ZoneInfo(zone))
            log(f"{zone}: {len(steps)} steps of {args.cards} cards through Anki")
            anki = run_anki(python, steps, zone, folder, args.fuzz)
            reports.append(compare(steps, anki, zone, args.fuzz))
            golden[zone] = [
                [s.card, a["at"], s.rating, a["type"], a["queue"], a["ivl"], a["due"],
                 a["today"], a["stability"], a["difficulty"], a["cid"], a["reps"]]
                for s, a in zip(steps, anki, strict=True)
            ]  # fmt: skip
    for report in reports:
        shares = ", ".join(f"{k} {v:.1%}" for k, v in report["identical"].items())
        print(f"{report['zone']}: {report['steps']} steps; identical: {shares}")
        causes = Counter((*d["failed"], d["cause"] or "unexplained") for d in report["divergences"])
        for failed, count in causes.most_common():
            print(f"  {count:4d} steps differ in {' + '.join(failed)}")
        for d in report["divergences"][: args.show]:
            print(f"  card {d['card']} step {d['step']}: anki {d['anki']} ours {d['ours']}")
            for line in d["history"]:
                print(f"      {line}")
    if args.json:
        args.json.write_text(json.dumps(reports, indent=1), encoding="utf-8")
    if args.golden:
        header = {
            "anki": "26.09.3",
            "seed": args.seed,
            "rollover": ROLLOVER,
            "learning_steps_minutes": LEARNING_STEPS,
            "relearning_steps_minutes": RELEARNING_STEPS,
            "fuzz": args.fuzz,
            "columns": GOLDEN_COLUMNS,
        }
        text = json.dumps({"header": header, "zones": golden}, separators=(",", ":"))
        args.golden.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
