"""Anki, headless, through the ``anki`` package: runs in its own throwaway environment.

    python anki_bench.py setup   --dir DIR --scale SCALE --now EPOCH
    python anki_bench.py measure --dir DIR --runs N --ratings N --now EPOCH

``setup`` builds ``DIR/collection.anki2`` from ``bench/data.py`` (same seed, so the same cards,
states and review history studytui gets), with FSRS on. ``measure`` runs in a fresh process so
its peak memory is Anki's alone, and prints one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# isort: off
from anki.collection import AddNoteRequest, Collection  # before anki.cards (import cycle)
from anki.cards import Card
from anki.scheduler.v3 import CardAnswer
# isort: on

import data  # bench/data.py, standard library only

DAY = data.DAY
PARENT = "bench"
RATINGS = (CardAnswer.GOOD,) * 7 + (CardAnswer.AGAIN, CardAnswer.HARD, CardAnswer.EASY)
# data.py's states map one to one to Anki's card types (0 new, 1 learn, 2 review, 3 relearn).
QUEUE_OF_TYPE = {data.NEW: 0, data.LEARNING: 1, data.REVIEW: 2, data.RELEARNING: 1}
REVLOG_TYPE = {data.NEW: 0, data.LEARNING: 0, data.REVIEW: 1, data.RELEARNING: 2}


def collection_path(folder: Path) -> Path:
    return folder / "collection.anki2"


def setup(folder: Path, scale: data.Scale, now: float) -> dict[str, Any]:
    t0 = time.perf_counter()
    ds = data.generate(scale)
    t_gen = time.perf_counter() - t0
    folder.mkdir(parents=True, exist_ok=True)
    path = collection_path(folder)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    t1 = time.perf_counter()
    col = Collection(str(path))
    # Day 0 of the collection lies four years back, so three years of history fit after it.
    crt = int(now) - 4 * 365 * DAY
    col.db.execute("update col set crt = ?", crt - crt % DAY)
    col.close()
    col = Collection(str(path))
    today = col.sched.today
    col.set_config("fsrs", True)
    conf = col.decks.get_config(1)
    assert conf is not None
    # The same queue as studytui's benchmark: every due card, new cards without a daily cap.
    conf["new"]["perDay"] = 9999
    conf["rev"]["perDay"] = 9999
    conf["newCardsIgnoreReviewLimit"] = True  # v3 takes due reviews off the new limit otherwise
    col.decks.update_config(conf)
    deck_ids = [col.decks.id(f"{PARENT}::{d.name}") for d in ds.decks]
    basic = col.models.by_name("Basic")
    assert basic is not None
    requests = []
    for card in ds.cards:
        note = col.new_note(basic)
        note["Front"] = card.front
        note["Back"] = card.back
        note.tags = card.tags.split()
        requests.append(AddNoteRequest(note=note, deck_id=deck_ids[card.deck]))
    col.add_notes(requests)
    ids = [row[0] for row in col.db.all("select id from cards order by id")]
    assert len(ids) == len(ds.cards)
    now_i = int(now)
    rollover = col.get_config("rollover", 4) * 3600
    day0 = crt - crt % DAY + rollover  # the instant Anki's day 0 began (TZ=UTC)
    updates = []
    for cid, card in zip(ids, ds.cards, strict=True):
        if card.state == data.NEW:
            continue
        assert card.due is not None
        assert card.last_review is not None
        if card.state == data.REVIEW:  # the day the due instant falls in, as studytui counts
            due = int((now - card.due - day0) // DAY)
            ivl = max(1, round(card.interval_days))
        else:  # learning: an epoch timestamp
            due = now_i - int(card.due)
            ivl = 0
        card_data = json.dumps(
            {
                "s": round(card.stability or 0.0, 4),
                "d": round(card.difficulty or 0.0, 4),
                "lrt": now_i - int(card.last_review),
            },
            separators=(",", ":"),
        )
        updates.append(
            (card.state, QUEUE_OF_TYPE[card.state], due, ivl, card.reps, card.lapses, card_data,
             cid)
        )  # fmt: skip
    used: set[int] = set()
    revlog = []
    for r in ds.reviews:
        rid = int((now - r.at) * 1000)
        while rid in used:  # revlog ids are millisecond stamps and must be unique
            rid += 1
        used.add(rid)
        ivl = max(1, round(r.interval_days)) if r.state_after == data.REVIEW else -600
        last = (
            max(1, round(r.last_interval_days)) if r.last_interval_days >= 1 else -600
        )  # fmt: skip
        revlog.append(
            (rid, ids[r.card], r.rating, ivl, last, int(r.difficulty_after * 100),
             min(r.duration_ms, 60_000), REVLOG_TYPE[r.state_before])
        )  # fmt: skip
    col.close()
    # Bulk writes through sqlite3 in one transaction: the backend's executemany commits (and
    # syncs) row by row. Neither table uses Anki's custom collation.
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "update cards set type=?, queue=?, due=?, ivl=?, factor=2500, reps=?, lapses=?, "
            "left=0, data=? where id=?",
            updates,
        )
        conn.executemany("insert into revlog values (?, ?, -1, ?, ?, ?, ?, ?, ?)", revlog)
    conn.close()
    col = Collection(str(path))  # let Anki open (and check) what was written
    assert col.db.scalar("select count() from revlog") == len(revlog)
    col.close()
    return {
        "generate_s": t_gen,
        "build_s": time.perf_counter() - t1,
        "cards": len(ids),
        "revlog": len(revlog),
        "today": today,
    }


def measure(folder: Path, runs: int, ratings: int) -> dict[str, Any]:
    path = str(collection_path(folder))
    out: dict[str, Any] = {"runs": runs, "ratings": ratings}
    opens = []
    for _ in range(runs):
        t = time.perf_counter()
        col = Collection(path)
        opens.append(time.perf_counter() - t)
        col.close()
    out["open_ms"] = [x * 1000 for x in opens]

    col = Collection(path)
    parent = col.decks.id(PARENT, create=False)
    assert parent is not None
    col.decks.select(parent)
    trees = []
    for _ in range(runs):
        t = time.perf_counter()
        tree = col.sched.deck_due_tree()
        trees.append(time.perf_counter() - t)
    node = col.decks.find_deck_in_tree(tree, parent)
    assert node is not None
    out["due_tree_ms"] = [x * 1000 for x in trees]
    out["due"] = {"new": node.new_count, "learn": node.learn_count, "review": node.review_count}

    # Rating -> next card: answer the card on screen, then fetch the next one from the queue.
    queued = col.sched.get_queued_cards()
    samples = []
    # Does an answer reach the file at once? Look from a second connection after the first.
    probe = sqlite3.connect("file:" + urllib.parse.quote(str(path)) + "?mode=ro", uri=True)
    revlog_before = probe.execute("select count() from revlog").fetchone()[0]
    for i in range(ratings):
        if not queued.cards:
            break
        top = queued.cards[0]
        card = Card(col, backend_card=top.card)
        card.start_timer()
        answer = col.sched.build_answer(card=card, states=top.states, rating=RATINGS[i % 10])
        t = time.perf_counter()
        col.sched.answer_card(answer)
        queued = col.sched.get_queued_cards()
        samples.append(time.perf_counter() - t)
        if i == 0:
            seen = probe.execute("select count() from revlog").fetchone()[0]
            out["committed_per_answer"] = seen == revlog_before + 1
    probe.close()
    out["rate_next_ms"] = [x * 1000 for x in samples]
    out["synchronous"] = col.db.scalar("pragma synchronous")
    out["journal_mode"] = col.db.scalar("pragma journal_mode")
    col.close()
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def first_queue(folder: Path) -> dict[str, Any]:
    """A fresh process's first queue: open the collection, then time get_queued_cards()."""
    col = Collection(str(collection_path(folder)))
    parent = col.decks.id(PARENT, create=False)
    assert parent is not None
    col.decks.select(parent)
    t = time.perf_counter()
    queued = col.sched.get_queued_cards()
    ms = (time.perf_counter() - t) * 1000
    out = {
        "first_queue_ms": ms,
        "counts": [queued.new_count, queued.learning_count, queued.review_count],
    }
    col.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=("setup", "measure", "first-queue"))
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--scale", default="small")
    parser.add_argument("--now", type=float, default=time.time())
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--ratings", type=int, default=1000)
    args = parser.parse_args()
    if args.command == "setup":
        result = setup(args.dir, data.SCALES[args.scale], args.now)
    elif args.command == "first-queue":
        result = first_queue(args.dir)
    else:
        result = measure(args.dir, args.runs, args.ratings)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
