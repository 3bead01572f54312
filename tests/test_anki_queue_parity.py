"""Anki's day-by-day queue, replayed: 60 study days with limits, siblings and leeches.

``tests/data/anki_queue_default.json`` holds a plan (40 notes, most with a reverse card; 10 new
and 30 reviews a day, the review limit capping new cards; 1-day learning steps; bury new
siblings; leeches at 4 lapses, suspended; a DST night) and what Anki 26.09 did each day: its
counts at the start of the day, the cards it answered, the leeches and the suspended cards
(``bench/anki_queue_parity.py --golden`` writes it). studytui must do the same every day.
Every tenth day it also holds what Anki's ``find_cards`` returned for each search operator of
the card browser (``SEARCHES``: is:, prop:, rated:, text, -, or, groups); studytui's search must
return the same cards.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import anki_queue_parity  # noqa: E402


def test_sixty_days_of_ankis_queue(tmp_path: Path) -> None:
    record = json.loads((ROOT / "tests/data/anki_queue_default.json").read_text(encoding="utf-8"))
    ours = anki_queue_parity.run_studytui(record["plan"], tmp_path)
    assert len(ours) == len(record["days"]) == 60
    assert anki_queue_parity.compare(record["days"], ours) == []
    assert sum(len(d["answered"]) for d in ours) > 300
    assert any(d["leeches"] for d in ours)  # the replay reaches the leech rule


def test_every_search_operator_finds_the_cards_ankis_find_cards_finds(tmp_path: Path) -> None:
    """``compare`` holds the searches (at the start of every tenth day and after its answers);
    here, that they are recorded and that each operator finds cards on some day."""
    found: set[str] = set()
    for name in ("default", "presets", "short"):
        record = json.loads((ROOT / f"tests/data/anki_queue_{name}.json").read_text("utf-8"))
        for when in ("searches_before", "searches"):
            searched = [d[when] for d in record["days"] if d.get(when)]
            assert len(searched) == 6, (name, when)
            assert set(searched[0]) == set(anki_queue_parity.SEARCHES)
            found |= {q for day in searched for q, cards in day.items() if cards}
    assert found == set(anki_queue_parity.SEARCHES)


def test_sixty_days_of_ankis_queue_with_a_deck_preset(tmp_path: Path) -> None:
    """``tests/data/anki_queue_presets.json`` (``--presets``): a second deck with a preset of its
    own — new 3 and reviews 20 a day within the 10 / 30 over all decks, 1m 10m steps, desired
    retention 0.85, maximum interval 60 days, leeches at 3 lapses, tagged — studied with the
    first as children of one parent deck in Anki, as all decks in studytui. The counts in all
    and of each deck studied alone, the cards answered, the leeches and every card's state and
    due day are Anki's, every day."""
    record = json.loads((ROOT / "tests/data/anki_queue_presets.json").read_text(encoding="utf-8"))
    ours = anki_queue_parity.run_studytui(record["plan"], tmp_path)
    assert len(ours) == len(record["days"]) == 60
    assert anki_queue_parity.compare(record["days"], ours) == []
    assert all(set(d["deck_counts"]) == {"queue", "limited"} for d in ours)
    assert any(d["deck_counts"]["limited"][0] == 3 for d in ours)  # its own new limit binds
    assert any(d["leeches"] for d in ours)


def test_sixty_days_of_ankis_queue_with_short_steps(tmp_path: Path) -> None:
    """``tests/data/anki_queue_short.json`` (``--steps short --no-bury-new``): 1m 10m learning
    and 10m relearning steps, so cards come back within the day (rated Good then), new
    siblings not buried; a lapse that makes a leech suspends it at once, as in Anki."""
    record = json.loads((ROOT / "tests/data/anki_queue_short.json").read_text(encoding="utf-8"))
    ours = anki_queue_parity.run_studytui(record["plan"], tmp_path)
    assert anki_queue_parity.compare(record["days"], ours) == []
    assert any(len(d["answered"]) > len(set(d["answered"])) for d in ours)  # back the same day
    assert any(d["suspended"] for d in ours)


def test_a_binding_review_limit_takes_interday_learning_first_as_anki(tmp_path: Path) -> None:
    """``tests/data/anki_queue_limit.json`` (``--reviews-per-day 12``): the review limit binds
    every day and caps interday learning (1-day steps), reviews and new cards together, as in
    Anki. The days are Anki's until the first day the limit leaves out some of several cards due
    the same day: Anki picks those at random (a hash of card id and modification time),
    studytui oldest first (docs/decks.md, *Which cards fill a limit*); from then on the
    histories differ, so only the days before are compared."""
    record = json.loads((ROOT / "tests/data/anki_queue_limit.json").read_text(encoding="utf-8"))
    ours = anki_queue_parity.run_studytui(record["plan"], tmp_path)
    assert anki_queue_parity.compare(record["days"][:8], ours[:8]) == []
    assert all(sum(d["counts"]) >= 12 for d in record["days"][2:8])  # the limit binds
    assert all(len(d["answered"]) == 12 for d in ours[2:8])
