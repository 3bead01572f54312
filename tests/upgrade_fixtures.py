"""Helpers of the tests that open a home made by an old release (``scripts/year_fixture``).

``tests/test_year_old_upgrade.py`` (the last release) and ``tests/test_oldest_upgrade.py`` (the
oldest schema) unpack their home, read schema versions, rows and schemas with plain ``sqlite3``
(read-only), compare a migrated file's schema with that of a new database made by this code,
open the home once (migrate, export, sync the new bundled decks, export) and check what that
sync changed against docs/data-safety.md, *Upgrades*.
"""

from __future__ import annotations

import json
import sqlite3
import tarfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
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
from studytui.core.storage.database import Database
from studytui.core.storage.migrations import LATEST_VERSION
from studytui.paths import AppPaths

DATA = Path(__file__).parent / "data"

# One row of sqlite_master without ``rootpage``: the page an object starts on depends on the
# order the file grew in, not on what the schema is.
SchemaRow = tuple[str, str, str, str | None]


def unpack(archive: Path, home: Path) -> AppPaths:
    """Unpack a fixture's home archive into ``home``; its paths."""
    home.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(home, filter="data")
    return AppPaths(
        config_dir=home / ".config" / "studytui", data_dir=home / ".local" / "share" / "studytui"
    )


@contextmanager
def read_only(db: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        yield conn
    finally:
        conn.close()


def user_version(db: Path) -> int:
    with read_only(db) as conn:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])


def schema(db: Path) -> set[SchemaRow]:
    """Every table, index and trigger of the file, with the SQL that made it."""
    with read_only(db) as conn:
        return {
            (kind, name, table, sql)
            for kind, name, table, sql in conn.execute(
                "SELECT type, name, tbl_name, sql FROM sqlite_master"
            )
        }


def new_database_schema(folder: Path) -> set[SchemaRow]:
    """The schema of a database this version creates from nothing."""
    folder.mkdir(parents=True, exist_ok=True)
    db = Database(folder / "new.db", folder / "backups")
    db.close()
    return schema(folder / "new.db")


def tables(db: Path) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Every table's columns and rows (in rowid order), as stored."""
    with read_only(db) as conn:
        names = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                " ORDER BY name"
            )
        ]
        out: dict[str, tuple[list[str], list[list[Any]]]] = {}
        for name in names:
            cur = conn.execute(f'SELECT * FROM "{name}" ORDER BY rowid')
            out[name] = ([d[0] for d in cur.description], [list(r) for r in cur])
        return out


def integrity_problems(db: Path) -> list[tuple[Any, ...]]:
    """What ``PRAGMA integrity_check`` and ``PRAGMA foreign_key_check`` find (nothing: [])."""
    with read_only(db) as conn:
        found = [tuple(r) for r in conn.execute("PRAGMA integrity_check")]
        if found == [("ok",)]:
            found = []
        return found + [tuple(r) for r in conn.execute("PRAGMA foreign_key_check")]


# -- opening an old home with this version ---------------------------------------------------


@dataclass
class Upgraded:
    paths: AppPaths
    version_before: int
    migrated: dict[str, Any]  # the export right after opening (the migration only)
    report: SyncReport
    synced: dict[str, Any]  # the export after the new bundled decks were synced
    retired_on_purpose: set[tuple[str, str]]
    foreign_key_problems: list[tuple[Any, ...]]


def upgrade(paths: AppPaths, at: datetime) -> Upgraded:
    """Open an unpacked home with this version once: migrated, exported, synced, exported."""
    before = user_version(paths.database)
    clock = ManualClock(at)
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
        # A copy an include replaces, whose card asks what no home card asks, is retired
        # keeping its history: an alias (docs/decks.md, One home per fact).
        replaced = {
            (deck, inc.replaces)
            for deck, path in files.items()
            for inc in load_deck_file(path, expect_topic=deck).includes
            if inc.replaces
        }
        retired |= {
            (c["deck"], c["key"])
            for c in synced["cards"]
            if (c["deck"], ":".join(c["key"].split(":")[:2])) in replaced
        }
        with ctx.db.query() as conn:
            fk = [tuple(r) for r in conn.execute("PRAGMA foreign_key_check")]
    finally:
        ctx.close()
    return Upgraded(paths, before, migrated, report, synced, retired, fk)


# -- what the sync of the new bundled decks may change ---------------------------------------

# Fields of a card the deck sync may change, each on purpose (docs/data-safety.md, Upgrades):
CARD_TEXT = ("kind", "front", "back", "tags", "position")  # bundled text follows the new files
SCHEDULING = ("state", "step", "stability", "difficulty", "due", "last_review")


def card_map(doc: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(c["deck"], c["key"]): c for c in doc["cards"]}


def review_id(r: dict[str, Any]) -> tuple[Any, ...]:
    """A review log without its card: what the review was, wherever its card now lives."""
    return tuple(r[k] for k in ("reviewed_at", "rating", "duration_ms", "state_before",
                                "state_after", "card_before", "due_after"))  # fmt: skip


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


def assert_sync_keeps_every_review(
    old: dict[str, Any], new: dict[str, Any], report: SyncReport
) -> None:
    moved = merges(old, new)
    cards = card_map(new)
    old_cards = card_map(old)
    assert len(moved.home_of) == report.merged
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


# Record fields an export gained with a migration since a fixture was made, with the one value
# every record of an old database takes (docs/data-safety.md): migration 9's session columns.
NEW_EXPORT_FIELDS: dict[str, dict[str, Any]] = {
    "sessions": {"tags": [], "started_via": None, "detached_at": None},
}


def without_new_fields(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """``new`` without the fields ``old``'s records lack, each checked to hold its one value."""
    out = dict(new)
    for table, fields in NEW_EXPORT_FIELDS.items():
        had = set().union(*(r.keys() for r in old.get(table, [])))
        records = []
        for record in new.get(table, []):
            record = dict(record)
            for name, value in fields.items():
                if name not in had:
                    assert record.pop(name) == value, (table, name, record)
            records.append(record)
        out[table] = records
    return out


def assert_sync_changes_only_what_it_documents(
    old: dict[str, Any], new: dict[str, Any], retired_on_purpose: set[tuple[str, str]],
    converted: Iterable[str],
) -> None:  # fmt: skip
    """Every difference between an export before the sync and one after it, by kind;
    ``converted`` names the top-level fields that differ for other reasons."""
    new = without_new_fields(old, new)
    moved = merges(old, new)
    homes = set(moved.home_of.values())
    old_cards, new_cards = card_map(old), card_map(new)
    for key in old.keys() - {"cards", "review_logs", "decks", *converted}:
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
        if key in moved.home_of or key in homes:  # assert_sync_keeps_every_review
            changed -= {*SCHEDULING, "retired_at" if key in moved.home_of else ""}
        if "retired_at" in changed:  # a card the new deck file no longer makes
            assert before["retired_at"] is None, key
            assert before["last_review"] is None or key in retired_on_purpose, key
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
        assert card["retired_at"] is None or key in retired_on_purpose


def assert_synced_cards_keep_their_due_day(
    old: dict[str, Any], synced: dict[str, Any], day_of: Callable[[str | None], date | None]
) -> None:
    """After the sync, every card of ``old`` with a due date is due on the same study day,
    apart from merged copies and their home cards (``assert_sync_keeps_every_review``)."""
    moved = merges(old, synced)
    homes = set(moved.home_of.values())
    after = card_map(synced)
    for card in old["cards"]:
        key = (card["deck"], card["key"])
        if card["due"] is None or key in moved.home_of or key in homes:
            continue
        assert day_of(after[key]["due"]) == day_of(card["due"]), key


def assert_commands_run(
    paths: AppPaths, capsys: pytest.CaptureFixture[str], sessions_kept: int
) -> None:
    """The everyday commands run on an upgraded home, quietly, and find every kept session."""
    assert paths == AppPaths.default()
    for argv in (["week"], ["decks", "list"], ["sessions"], ["sessions", "--all", "--json"]):
        code = run(argv)
        out, err = capsys.readouterr()
        assert code == 0, (argv, err)
        assert "not synced" not in err, (argv, err)
        assert "problem" not in err, (argv, err)
        if argv == ["sessions", "--all", "--json"]:
            assert len(json.loads(out)) == sessions_kept
    assert user_version(paths.database) == LATEST_VERSION
