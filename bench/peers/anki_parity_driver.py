"""Anki's side of the scheduling referee (``bench/anki_parity.py``); runs in Anki's own venv.

    faketime-preloaded: python anki_parity_driver.py PLAN.json OUT.json CLOCKFILE

Answers each planned review with Anki's v3 scheduler (FSRS on) at the planned instant: before
every answer it writes that instant to ``CLOCKFILE``, which libfaketime (``FAKETIME_NO_CACHE``)
reads on every clock call, so Anki's Rust core and this process see the same fake time. The
events come in time order across all cards (Anki caches "today" until the next rollover). For
each answer it records what Anki stored: card type and queue, interval, due (a day number for
review cards, epoch seconds for learning), its "today" and the memory state.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

# isort: off
from anki.collection import Collection  # before anki.cards (import cycle)
from anki.scheduler.v3 import CardAnswer
# isort: on

RATING = {1: CardAnswer.AGAIN, 2: CardAnswer.HARD, 3: CardAnswer.GOOD, 4: CardAnswer.EASY}


RATING_NAMES = ("again", "hard", "good", "easy")


def option_days(state: object) -> str:
    """What one rating would schedule: ``12d`` for a review interval, ``600s`` for a step."""
    normal: object = getattr(state, "normal", None)
    kind = normal.WhichOneof("kind") if normal is not None else None  # type: ignore[attr-defined]
    if kind == "review":
        return f"{normal.review.scheduled_days}d"  # type: ignore[attr-defined]
    if kind == "learning":
        return f"{normal.learning.scheduled_secs}s"  # type: ignore[attr-defined]
    if kind == "relearning":
        return f"{normal.relearning.learning.scheduled_secs}s"  # type: ignore[attr-defined]
    return str(kind)


def set_clock(clock: Path, zone: ZoneInfo, epoch: float) -> float:
    """Move the fake clock to ``epoch`` (libfaketime reads local wall time); the time read back."""
    local = datetime.fromtimestamp(epoch, UTC).astimezone(zone)
    clock.write_text(f"@{local:%Y-%m-%d %H:%M:%S}\n", encoding="utf-8")
    return time.time()


def main() -> None:
    plan = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    out_path, clock = Path(sys.argv[2]), Path(sys.argv[3])
    zone = ZoneInfo(plan["zone"])
    events = plan["events"]
    set_clock(clock, zone, events[0]["at"] - 86400 * 3)
    folder = Path(tempfile.mkdtemp(prefix="anki-parity-"))
    col = Collection(str(folder / "collection.anki2"))
    col.set_config("rollover", plan["rollover"])
    col.set_config("fsrs", True)
    col.load_balancer_enabled = False  # fuzz alone (the balancer moves intervals by workload)
    conf = col.decks.get_config(1)
    assert conf is not None
    conf["new"]["delays"] = plan["learning_steps_minutes"]
    conf["lapse"]["delays"] = plan["relearning_steps_minutes"]
    conf["new"]["perDay"] = 9999
    conf["rev"]["perDay"] = 9999
    conf["rev"]["maxIvl"] = plan["maximum_interval"]
    conf["desiredRetention"] = plan["desired_retention"]
    conf["fsrsParams6"] = plan["parameters"]
    conf["lapse"]["leechAction"] = 1  # tag only: a leech keeps being scheduled
    col.decks.update_config(conf)
    model = col.models.by_name("Basic")
    assert model is not None
    card_ids: dict[int, int] = {}
    for index in sorted({e["card"] for e in events}):
        note = col.new_note(model)
        note["Front"], note["Back"] = f"q{index}", f"a{index}"
        col.add_note(note, 1)
        card_ids[index] = note.card_ids()[0]
    results = []
    for event in events:
        at = set_clock(clock, zone, event["at"])
        cid = card_ids[event["card"]]
        card = col.get_card(cid)
        reps = card.reps
        card.start_timer()
        states = col._backend.get_scheduling_states(cid)
        options = {name: option_days(getattr(states, name)) for name in RATING_NAMES}
        col.sched.answer_card(
            col.sched.build_answer(card=card, states=states, rating=RATING[event["rating"]])
        )
        card = col.get_card(cid)
        memory = card.memory_state
        results.append(
            {
                "card": event["card"],
                "at": at,
                "type": card.type,
                "queue": card.queue,
                "ivl": card.ivl,
                "due": card.due,
                "today": col.sched.today,
                "stability": memory.stability if memory else None,
                "difficulty": memory.difficulty if memory else None,
                "lapses": card.lapses,
                "options": options,
                "cid": cid,
                "reps": reps,
            }
        )
    col.close()
    Path(out_path).write_text(json.dumps(results), encoding="utf-8")


if __name__ == "__main__":
    main()
