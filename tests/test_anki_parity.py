"""Anki's own answers, replayed: the same intervals and due study days as Anki's v3 scheduler.

``tests/data/anki_answers.json`` holds what Anki 26.09 (FSRS on, fuzz off, steps 1m 10m / 10m,
rollover 04:00) answered for 2,112 seeded reviews of 300 cards in Europe/Berlin and
America/New_York, with late-night reviews, reviews around the rollover and both DST nights:
``bench/anki_parity.py --cards 150 --seed 1 --golden`` writes it; ``anki_answers_fuzz.json`` the
same histories with fuzz on (``--fuzz``), with Anki's card ids and review counts, from which
studytui draws the same fuzz. Every step must come out the same here — state, interval, due
study day, memory and, with fuzz, a learning step's time to the second — except the steps where
Anki itself is wrong (its day count across a DST change next to the rollover, docs/decks.md),
which the referee recognises by reproducing Anki's memory state with one study day more or less.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import anki_parity  # noqa: E402

FILES = {"off": "anki_answers.json", "on": "anki_answers_fuzz.json"}
ANSWERS = {
    fuzz: json.loads((ROOT / "tests/data" / name).read_text(encoding="utf-8"))
    for fuzz, name in FILES.items()
}
CASES = [(fuzz, zone) for fuzz, answers in ANSWERS.items() for zone in sorted(answers["zones"])]


@pytest.mark.parametrize(("fuzz", "zone"), CASES)
def test_every_step_is_anki_s_except_where_anki_is_wrong(fuzz: str, zone: str) -> None:
    answers = ANSWERS[fuzz]
    assert answers["header"]["fuzz"] is (fuzz == "on")
    columns = answers["header"]["columns"]
    rows = [dict(zip(columns, row, strict=True)) for row in answers["zones"][zone]]
    steps, anki, seen = [], [], dict[int, int]()
    for row in rows:
        index = seen.get(row["card"], 0)
        seen[row["card"]] = index + 1
        at = datetime.fromtimestamp(row["at"], UTC)
        steps.append(anki_parity.Step(row["card"], index, at, row["rating"]))
        anki.append({**row, "stability": row["s"], "difficulty": row["d"]})
    report = anki_parity.compare(steps, anki, zone, fuzz == "on")
    assert report["steps"] == len(rows) >= 500
    unexplained = [
        (zone, d["card"], d["step"], d["failed"]) for d in report["divergences"] if not d["cause"]
    ]
    assert unexplained == []
    wrong = [d for d in report["divergences"] if d["cause"]]
    assert len(wrong) <= 0.02 * len(rows)  # Anki's DST miscount is rare


def test_the_answers_cover_over_a_thousand_steps_and_both_dst_nights() -> None:
    rows = [row for zone in ANSWERS["off"]["zones"].values() for row in zone]
    assert len(rows) >= 1000
    months = {datetime.fromtimestamp(row[1], UTC).month for row in rows}
    assert {3, 10} <= months | {11}  # March and October (New York's night is in November)
