"""Anki's side of the queue referee (``bench/anki_queue_parity.py``); runs in Anki's own venv.

    faketime-preloaded: python anki_queue_driver.py PLAN.json OUT.json CLOCKFILE

Builds one deck of notes (Basic and reversed: two sibling cards; Basic: one) under the plan's
limits, steps, bury and leech options, then studies it day by day at noon: it records the
deck's counts at the start of the day (``col.sched.counts()``), answers every card the v3 queue
gives (``col.sched.getCard()``) with the plan's rating for that card and day, and records which
cards it answered and which ended the day as leeches or suspended.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

# isort: off
from anki.collection import Collection  # before anki.cards (import cycle)
from anki.scheduler.v3 import CardAnswer
# isort: on

from anki_parity_driver import set_clock  # type: ignore[import-not-found]

RATING = {1: CardAnswer.AGAIN, 2: CardAnswer.HARD, 3: CardAnswer.GOOD, 4: CardAnswer.EASY}


def main() -> None:
    plan = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    out_path, clock = Path(sys.argv[2]), Path(sys.argv[3])
    zone = ZoneInfo(plan["zone"])
    set_clock(clock, zone, plan["days"][0]["at"] - 86400 * 3)
    folder = Path(tempfile.mkdtemp(prefix="anki-queue-"))
    col = Collection(str(folder / "collection.anki2"))
    col.set_config("rollover", plan["rollover"])
    col.set_config("fsrs", True)
    col.set_config("newCardsIgnoreReviewLimit", plan["new_cards_ignore_review_limit"])
    col.load_balancer_enabled = False
    conf = col.decks.get_config(1)
    assert conf is not None
    conf["new"]["delays"] = plan["learning_steps_minutes"]
    conf["lapse"]["delays"] = plan["relearning_steps_minutes"]
    conf["new"]["perDay"] = plan["new_per_day"]
    conf["rev"]["perDay"] = plan["reviews_per_day"]
    conf["rev"]["maxIvl"] = 36500
    conf["desiredRetention"] = plan["desired_retention"]
    conf["fsrsParams6"] = plan["parameters"]
    conf["lapse"]["leechFails"] = plan["leech_threshold"]
    conf["lapse"]["leechAction"] = 0 if plan["leech_action"] == "suspend" else 1
    conf["new"]["bury"] = plan["bury_new"]  # the legacy names of Anki's three bury options
    conf["rev"]["bury"] = plan["bury_reviews"]
    conf["buryInterdayLearning"] = plan["bury_interday"]
    col.decks.update_config(conf)
    presets = plan.get("presets", {})
    deck_ids = {"queue": 1}
    threshold = {"queue": plan["leech_threshold"]}
    if presets:  # a parent with the default options, studied; a child deck per preset
        parent = col.decks.id("Referee")
        deck_ids["queue"] = col.decks.id("Referee::queue")
        for name, values in presets.items():
            deck_ids[name] = col.decks.id(f"Referee::{name}")
            own = col.decks.add_config_returning_id(name)
            pconf = col.decks.get_config(own)
            assert pconf is not None
            pconf.update({k: conf[k] for k in ("fsrsParams6", "buryInterdayLearning")})
            pconf["new"]["delays"] = values["learning_steps_minutes"]
            pconf["lapse"]["delays"] = values["relearning_steps_minutes"]
            pconf["new"]["perDay"] = values["new_per_day"]
            pconf["rev"]["perDay"] = values["reviews_per_day"]
            pconf["rev"]["maxIvl"] = values["maximum_interval"]
            pconf["desiredRetention"] = values["desired_retention"]
            pconf["lapse"]["leechFails"] = values["leech_threshold"]
            pconf["lapse"]["leechAction"] = 0 if values["leech_action"] == "suspend" else 1
            pconf["new"]["bury"] = plan["bury_new"]
            pconf["rev"]["bury"] = plan["bury_reviews"]
            col.decks.update_config(pconf)
            deck = col.decks.get(deck_ids[name])
            assert deck is not None
            deck["conf"] = own
            col.decks.save(deck)
            threshold[name] = values["leech_threshold"]
        col.decks.select(parent)
    keys: dict[int, str] = {}  # card id -> studytui's key for it
    deck_of: dict[int, str] = {}
    for note_spec in plan["notes"]:
        model = col.models.by_name(
            "Basic (and reversed card)" if note_spec["reversed"] else "Basic"
        )
        assert model is not None
        note = col.new_note(model)
        note["Front"], note["Back"] = note_spec["front"], note_spec["back"]
        col.add_note(note, deck_ids[note_spec.get("deck", "queue")])
        for card in note.cards():
            keys[card.id] = f"card:{note_spec['id']}" + (":rev" if card.ord == 1 else "")
            deck_of[card.id] = note_spec.get("deck", "queue")
    days = []
    search_days = set(plan.get("search_days", []))
    for index, day in enumerate(plan["days"]):
        set_clock(clock, zone, day["at"])
        new, learning, review = col.sched.counts()  # also unburies what yesterday buried
        before = {}
        if index in search_days:  # the browser's search at the start of the day, then after it
            for query in plan.get("searches", []):
                before[query] = sorted(keys[c] for c in col.find_cards(query) if c in keys)
        deck_counts = {}
        if presets:  # each deck studied alone (its study screen), then the parent again
            for name, did in deck_ids.items():
                col.decks.select(did)
                deck_counts[name] = list(col.sched.counts())
            col.decks.select(parent)
        answered = []
        for _ in range(10_000):
            card = col.sched.getCard()
            if card is None:
                break
            key = keys[card.id]
            # The plan's rating the first time a card comes that day; Good when it comes back.
            rating = day["ratings"].get(key, 3) if key not in answered else 3
            states = col._backend.get_scheduling_states(card.id)
            card.start_timer()
            col.sched.answer_card(
                col.sched.build_answer(card=card, states=states, rating=RATING[rating])
            )
            answered.append(key)
        states = {}
        for cid, key in keys.items():
            card = col.get_card(cid)
            if card.type != 0:  # not new: its type and the study day it is due on
                # A buried card keeps its due day; a suspended one is reported as 0.
                day_number = card.queue in (2, 3) or (card.queue in (-2, -3) and card.type == 2)
                due_day = card.due - col.sched.today if day_number else 0
                states[key] = [card.type, due_day]
        # The leech tag is the note's: a leech is a card with the threshold's lapses.
        leeches = sorted(
            keys[c]
            for c in col.find_cards("tag:leech")
            if col.get_card(c).lapses >= threshold[deck_of[c]]
        )
        suspended = sorted(keys[c] for c in col.find_cards("is:suspended"))
        searches = {}
        if index in search_days:  # the browser's search, after the day's answers
            for query in plan.get("searches", []):
                searches[query] = sorted(keys[c] for c in col.find_cards(query) if c in keys)
        days.append(
            {
                "counts": [new, learning, review],
                "deck_counts": deck_counts,
                "answered": answered,
                "leeches": leeches,
                "suspended": suspended,
                "states": states,
                "searches": searches,
                "searches_before": before,
            }
        )
    col.close()
    out_path.write_text(json.dumps(days), encoding="utf-8")


if __name__ == "__main__":
    main()
