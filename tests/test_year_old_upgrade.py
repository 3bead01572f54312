"""A learner who used the last release (9cd2052) for a year opens this version.

``tests/data/year_old_home.tar.gz`` is that learner's home (config folder and database) and
``tests/data/year_old_export.json.gz`` the old release's own export of it, taken before the
upgrade; both are made by ``scripts/year_fixture/generate.py``, which runs the old release's
services through 365 seeded days (docs/data-safety.md, *Upgrades*). Opening the home with the
current code migrates it; the export must then be the old one, field for field, apart from the
conversions listed here; the sync of the new bundled decks must refuse nothing, keep every review
and bring its new cards in as new cards.
"""

from __future__ import annotations

import gzip
import json
import sqlite3
import tarfile
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from studytui.cli import run
from studytui.core.clock import ManualClock
from studytui.core.context import open_context
from studytui.core.decks.parser import load_deck_file
from studytui.core.decks.sources import SyncReport
from studytui.core.decks.sync import sync_decks
from studytui.core.services.deck_content import deck_file_paths
from studytui.core.services.transfer import TransferService
from studytui.core.storage.migrations import LATEST_VERSION
from studytui.core.studyday import StudyCalendar
from studytui.paths import AppPaths

DATA = Path(__file__).parent / "data"
HOME_ARCHIVE = DATA / "year_old_home.tar.gz"
EXPORT_ARCHIVE = DATA / "year_old_export.json.gz"
OLD_VERSION = 4  # PRAGMA user_version of the last release
UPGRADE_AT = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)  # the morning the new version is installed
CALENDAR = StudyCalendar("Europe/Berlin", 4, 0)  # the fixture's config.yaml: Berlin, 04:00

# Top-level fields of the export that differ after the upgrade, each on purpose:
EXPORT_CONVERSIONS = {
    "exported_at": "the time of the export: taken days later",
    "schema": f"the database schema version the export was taken from: {OLD_VERSION} -> "
    f"{LATEST_VERSION} (migration 5 adds the deck_include table, no row changes)",
}
# Fields of a card the deck sync may change, each on purpose (docs/data-safety.md, Upgrades):
CARD_TEXT = ("kind", "front", "back", "tags", "position")  # bundled text follows the new files
SCHEDULING = ("state", "step", "stability", "difficulty", "due", "last_review")


def unpack(home: Path) -> AppPaths:
    home.mkdir(parents=True, exist_ok=True)
    with tarfile.open(HOME_ARCHIVE, "r:gz") as tar:
        tar.extractall(home, filter="data")
    return AppPaths(
        config_dir=home / ".config" / "studytui", data_dir=home / ".local" / "share" / "studytui"
    )


def old_export() -> dict[str, Any]:
    with gzip.open(EXPORT_ARCHIVE, "rt", encoding="utf-8") as fh:
        doc: dict[str, Any] = json.load(fh)
    return doc


def user_version(db: Path) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


@dataclass
class Upgraded:
    paths: AppPaths
    version_before: int
    migrated: dict[str, Any]  # the export right after opening (the migration only)
    report: SyncReport
    synced: dict[str, Any]  # the export after the new bundled decks were synced
    retired_on_purpose: set[tuple[str, str]]
    foreign_key_problems: list[tuple[Any, ...]]


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory: pytest.TempPathFactory) -> Upgraded:
    """The fixture's home opened by this version once: migrated, exported, synced, exported."""
    paths = unpack(tmp_path_factory.mktemp("year") / "home")
    before = user_version(paths.database)
    clock = ManualClock(UPGRADE_AT)
    ctx = open_context(paths, clock)
    try:
        migrated = TransferService(ctx).document()
        clock.advance(minutes=1)
        report = sync_decks(ctx)
        synced = TransferService(ctx).document()
        files = deck_file_paths(ctx)
        retired = {
            (deck, key)
            for deck, path in files.items()
            for key in load_deck_file(path, expect_topic=deck).retired
        }
        with ctx.db.query() as conn:
            fk = [tuple(r) for r in conn.execute("PRAGMA foreign_key_check")]
    finally:
        ctx.close()
    return Upgraded(paths, before, migrated, report, synced, retired, fk)


def card_map(doc: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(c["deck"], c["key"]): c for c in doc["cards"]}


def review_id(r: dict[str, Any]) -> tuple[Any, ...]:
    """A review log without its card: what the review was, wherever its card now lives."""
    return tuple(r[k] for k in ("reviewed_at", "rating", "duration_ms", "state_before",
                                "state_after", "card_before", "due_after"))  # fmt: skip


def study_day(iso: str | None) -> date | None:
    return None if iso is None else CALENDAR.day_of(datetime.fromisoformat(iso))


# -- the fixture itself ----------------------------------------------------------------------


def test_the_fixture_holds_a_year_of_everything() -> None:
    doc = old_export()
    assert doc["schema"] == OLD_VERSION
    sessions = doc["sessions"]
    assert Counter(s["category"] for s in sessions).keys() == {"hands-on", "theory", "community"}
    assert {s["status"] for s in sessions} == {"completed", "interrupted", "cancelled"}
    assert any(s["source"] == "manual" for s in sessions)
    assert any(s["paused_seconds"] for s in sessions)
    assert any(s["deleted_at"] and s["status"] != "cancelled" for s in sessions)
    assert Counter(r["rating"] for r in doc["review_logs"]).keys() == {1, 2, 3, 4}
    first = min(r["reviewed_at"] for r in doc["review_logs"])
    last = max(r["reviewed_at"] for r in doc["review_logs"])
    assert (first[:10], last[:7]) == ("2025-12-01", "2026-11")
    assert any(c["buried_until"] for c in doc["cards"])
    assert any(c["edited_at"] for c in doc["cards"])
    assert any(c["origin"] == "user" for c in doc["cards"])
    assert {e["status"] for e in doc["topic_status_events"]} >= {"learning", "done", "skipped"}
    assert any(e["done"] for e in doc["checklist_events"])
    assert {(f["folder"], f["name"]) for f in doc["files"]} == {
        ("curriculum", "my-evenings.yaml"),
        ("decks", "my-vector-db.yaml"),
    }
    assert "timezone: Europe/Berlin" in doc["settings"]["config_yaml"]
    # Late-night study before the 04:00 rollover, and both DST nights of 2026.
    local = [CALENDAR.local(datetime.fromisoformat(s["started_at"])) for s in sessions]
    assert any(t.hour < 4 for t in local)
    assert any(t.date() == date(2026, 3, 29) and t.hour < 4 for t in local)
    autumn = [t for t in local if t.date() == date(2026, 10, 25) and t.hour == 2]
    assert {t.utcoffset() for t in autumn} == {
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC).astimezone(CALENDAR.zone).utcoffset(),
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC).astimezone(CALENDAR.zone).utcoffset(),
    }


# -- opening: the migration -------------------------------------------------------------------


def test_it_opens_migrated_after_a_copy_at_the_old_version(upgraded: Upgraded) -> None:
    assert upgraded.version_before == OLD_VERSION
    assert user_version(upgraded.paths.database) == LATEST_VERSION
    copies = sorted(upgraded.paths.backup_dir.glob(f"studytui-v{OLD_VERSION}-before-migration-*"))
    assert len(copies) == 1
    assert user_version(copies[0]) == OLD_VERSION
    conn = sqlite3.connect(f"file:{copies[0]}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        (logs,) = conn.execute("SELECT count(*) FROM review_log").fetchone()
        (sessions,) = conn.execute("SELECT count(*) FROM study_session").fetchone()
    finally:
        conn.close()
    doc = old_export()
    assert (logs, sessions) == (len(doc["review_logs"]), len(doc["sessions"]))


def test_the_export_after_the_migration_is_the_old_export(upgraded: Upgraded) -> None:
    old, new = old_export(), upgraded.migrated
    differing = {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}
    assert differing == set(EXPORT_CONVERSIONS), differing
    assert new["schema"] == LATEST_VERSION
    for key in old.keys() - set(EXPORT_CONVERSIONS):
        assert new[key] == old[key], key


def test_no_row_is_orphaned(upgraded: Upgraded) -> None:
    assert upgraded.foreign_key_problems == []
    conn = sqlite3.connect(f"file:{upgraded.paths.database}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


# -- the sync of the new bundled decks --------------------------------------------------------


@dataclass
class Merges:
    """What the sync moved: copy card -> its home card, from where each review now lives."""

    home_of: dict[tuple[str, str], tuple[str, str]]


def merges(old: dict[str, Any], new: dict[str, Any]) -> Merges:
    before = {review_id(r): (r["deck"], r["key"]) for r in old["review_logs"]}
    after = {review_id(r): (r["deck"], r["key"]) for r in new["review_logs"]}
    assert len(before) == len(old["review_logs"]), "each review is told apart by its fields"
    assert before.keys() == after.keys(), "every review is kept, none added"
    home_of: dict[tuple[str, str], tuple[str, str]] = {}
    for rid, card in before.items():
        if after[rid] != card:
            assert home_of.setdefault(card, after[rid]) == after[rid], "one home per copy"
    return Merges(home_of)


def test_the_sync_refuses_no_deck_and_reports_no_problem(upgraded: Upgraded) -> None:
    report = upgraded.report
    assert (report.refused, report.problems) == (0, []), report.summary()
    assert report.synced > 0


def test_the_sync_keeps_every_review(upgraded: Upgraded) -> None:
    old, new = old_export(), upgraded.synced
    moved = merges(old, new)
    cards = card_map(new)
    old_cards = card_map(old)
    assert len(moved.home_of) == upgraded.report.merged
    for copy, home in moved.home_of.items():
        # A copy merged into its home note (docs/decks.md, One home per fact): retired, its
        # history on the home card, which carries the state of whichever was reviewed last.
        assert copy[0] != home[0], "a copy's home is in another deck"
        assert cards[copy]["retired_at"] is not None
        assert all(cards[copy][k] in (None, 0) for k in SCHEDULING)
        sources = [c for c, h in moved.home_of.items() if h == home]
        candidates = [old_cards[c] for c in sources] + (
            [old_cards[home]] if home in old_cards else []
        )
        latest = max((c for c in candidates if c["last_review"]), key=lambda c: c["last_review"])
        assert {k: cards[home][k] for k in SCHEDULING} == {k: latest[k] for k in SCHEDULING}


def test_every_card_keeps_its_due_study_day(upgraded: Upgraded) -> None:
    old, migrated, synced = old_export(), card_map(upgraded.migrated), card_map(upgraded.synced)
    moved = merges(old, upgraded.synced)
    homes = set(moved.home_of.values())
    due = [c for c in old["cards"] if c["due"] is not None]
    assert len(due) > 1000
    for card in due:
        key = (card["deck"], card["key"])
        day = study_day(card["due"])
        assert study_day(migrated[key]["due"]) == day, key
        if key in moved.home_of:  # merged: its home card is due when the latest review says
            continue
        if key in homes:
            continue  # checked by test_the_sync_keeps_every_review
        assert study_day(synced[key]["due"]) == day, key


def test_the_sync_changes_only_what_it_documents(upgraded: Upgraded) -> None:
    """Every difference between the old export and the synced one, by kind."""
    old, new = old_export(), upgraded.synced
    moved = merges(old, new)
    homes = set(moved.home_of.values())
    old_cards, new_cards = card_map(old), card_map(new)
    for key in old.keys() - {"cards", "review_logs", "decks", *EXPORT_CONVERSIONS}:
        assert new[key] == old[key], key  # sessions, events, settings, files, parameters
    old_decks = {d["name"]: d for d in old["decks"]}
    assert old_decks.keys() <= {d["name"] for d in new["decks"]}, "no deck removed"
    assert old_cards.keys() <= new_cards.keys(), "no card removed"
    for key, before in old_cards.items():
        after = new_cards[key]
        if before["origin"] == "user":
            assert after == before, key  # the learner's own cards are never touched
            continue
        changed = {k for k in before if before[k] != after[k]}
        if key in moved.home_of or key in homes:  # test_the_sync_keeps_every_review
            changed -= {*SCHEDULING, "retired_at" if key in moved.home_of else ""}
        if "retired_at" in changed:  # a card the new deck file no longer makes
            assert before["retired_at"] is None, key
            assert before["last_review"] is None or key in upgraded.retired_on_purpose, key
            changed.discard("retired_at")
        if before["edited_at"] is not None:  # the learner's text is kept; its place follows
            assert changed <= set(CARD_TEXT) - {"front", "back"}, (key, changed)
        else:
            assert changed <= set(CARD_TEXT), (key, changed)
    reviewed_keys = {(r["deck"], r["key"]) for r in new["review_logs"]}
    arrived = [c for k, c in new_cards.items() if k not in old_cards]
    assert arrived, "the new version brings new bundled cards"
    for card in arrived:
        key = (card["deck"], card["key"])
        if key in homes:
            continue  # a home note new to its deck, holding the history of its copies
        assert key not in reviewed_keys
        assert (card["state"], card["due"], card["last_review"]) == (0, None, None), key
        assert card["retired_at"] is None or key in upgraded.retired_on_purpose


# -- the commands ----------------------------------------------------------------------------


def test_the_commands_run_on_the_upgraded_home(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = unpack(isolated_home)
    assert paths == AppPaths.default()
    for argv in (["week"], ["decks", "list"], ["sessions"], ["sessions", "--all", "--json"]):
        code = run(argv)
        out, err = capsys.readouterr()
        assert code == 0, (argv, err)
        assert "not synced" not in err, (argv, err)
        assert "problem" not in err, (argv, err)
        if argv == ["sessions", "--all", "--json"]:
            kept = [s for s in old_export()["sessions"] if s["deleted_at"] is None]
            assert len(json.loads(out)) == len(kept)
    assert user_version(paths.database) == LATEST_VERSION
