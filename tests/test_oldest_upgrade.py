"""A learner who used the oldest shipped schema (3283e63, version 3) for a year opens this version.

``tests/data/oldest_home.tar.gz`` is that learner's home (config folder and database) and
``tests/data/oldest_export.json.gz`` a plain dump of its database (every table's rows, its
``sqlite_master`` and ``user_version``) taken by the old release before the upgrade, as that
release has no export; both are made by ``scripts/year_fixture/generate.py --release oldest``,
which runs 3283e63's own services through 365 seeded days (docs/data-safety.md, *Upgrades*).

3283e63 predates 1b0a896, which edited the version-3 indexes in place, so this home has the
indexes of the older history: ``ix_card_state_due`` instead of ``ix_card_queue`` and
``ix_card_live``, and an ``ix_review_log_time`` on ``reviewed_at`` alone. Opening it with the
current code must migrate it after one copy at version 3 that is the old release's file, table for
table; keep every row, orphan none; end with the schema of a new database, indexes included; and
the sync of the new bundled decks must refuse nothing, keep every review and every due day.
"""

from __future__ import annotations

import gzip
import json
import tarfile
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from studytui.core.storage.database import Database
from studytui.core.storage.migrations import LATEST_VERSION
from studytui.core.studyday import StudyCalendar
from studytui.paths import AppPaths
from upgrade_fixtures import (
    DATA,
    Upgraded,
    assert_commands_run,
    assert_sync_changes_only_what_it_documents,
    assert_sync_keeps_every_review,
    assert_synced_cards_keep_their_due_day,
    card_map,
    integrity_problems,
    new_database_schema,
    schema,
    tables,
    unpack,
    upgrade,
    user_version,
)

HOME_ARCHIVE = DATA / "oldest_home.tar.gz"
DUMP_ARCHIVE = DATA / "oldest_export.json.gz"
OLD_VERSION = 3  # PRAGMA user_version of 3283e63
UPGRADE_AT = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)  # the morning the new version is installed
CALENDAR = StudyCalendar("Europe/Berlin", 4, 0)  # the fixture's config.yaml: Berlin, 04:00
# Tables made by the migrations since version 3, empty after the upgrade:
NEW_TABLES = {"deck_include": "migration 5: the cards of other decks a deck's reviews show"}
# Columns added since, each with one value in every row it finds (docs/data-safety.md, the
# migration table): (that value, why).
NEW_COLUMNS: dict[tuple[str, str], tuple[object, str]] = {
    ("scheduler_params", "preset"): (None, "migration 6: the preset a fit is for; NULL: default"),
    ("study_session", "tags"): ("", "migration 9: free tags; none on an old session"),
    ("study_session", "started_via"): (None, "migration 9: NULL means the app"),
    ("study_session", "detached_at"): (None, "migration 9: no old session is detached"),
}
# The two exports compared across the sync are taken a minute apart:
EXPORT_CONVERSIONS = {"exported_at": "the time of the export"}

Tables = dict[str, tuple[list[str], list[list[Any]]]]


def dump() -> dict[str, Any]:
    with gzip.open(DUMP_ARCHIVE, "rt", encoding="utf-8") as fh:
        doc: dict[str, Any] = json.load(fh)
    return doc


def dumped_tables() -> Tables:
    return {n: (t["columns"], t["rows"]) for n, t in dump()["tables"].items()}


def rows(name: str) -> list[dict[str, Any]]:
    """One table of the dump, each row as a mapping of its columns."""
    table = dump()["tables"][name]
    return [dict(zip(table["columns"], r, strict=True)) for r in table["rows"]]


def instant(stored: str) -> datetime:
    """A time as the database stores it (naive UTC) or as the export writes it (``…Z``)."""
    at = datetime.fromisoformat(stored)
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def study_day(stored: str | None) -> date | None:
    return None if stored is None else CALENDAR.day_of(instant(stored))


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture's database as the old release left it; never opened by this version."""
    return unpack(HOME_ARCHIVE, tmp_path_factory.mktemp("pristine")).database


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> AppPaths:
    """The fixture's home after the migration alone: the database opened and closed."""
    paths = unpack(HOME_ARCHIVE, tmp_path_factory.mktemp("migrated"))
    Database(paths.database, paths.backup_dir, now=UPGRADE_AT).close()
    return paths


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory: pytest.TempPathFactory) -> Upgraded:
    """The fixture's home opened by this version once: migrated, exported, synced, exported."""
    return upgrade(unpack(HOME_ARCHIVE, tmp_path_factory.mktemp("oldest")), UPGRADE_AT)


# -- the fixture itself ----------------------------------------------------------------------


def test_the_dump_is_the_fixture_database(pristine: Path) -> None:
    doc = dump()
    assert (doc["format"], doc["version"], doc["user_version"]) == ("studytui-sqlite-dump", 1, 3)
    assert user_version(pristine) == OLD_VERSION
    assert tables(pristine) == dumped_tables()
    assert schema(pristine) == {tuple(r) for r in doc["schema"]}


def test_the_fixture_has_the_indexes_made_before_1b0a896(pristine: Path) -> None:
    indexes = {name: sql for kind, name, _, sql in schema(pristine) if kind == "index"}
    assert "ix_card_state_due" in indexes
    assert not {"ix_card_queue", "ix_card_live"} & indexes.keys()
    assert indexes["ix_review_log_time"] == (
        "CREATE INDEX ix_review_log_time ON review_log (reviewed_at)"
    )


def test_the_fixture_holds_a_year_of_everything() -> None:
    sessions = rows("study_session")
    assert Counter(s["category"] for s in sessions).keys() == {"hands-on", "theory", "community"}
    assert {s["status"] for s in sessions} == {"completed", "interrupted", "cancelled"}
    assert any(s["source"] == "manual" for s in sessions)
    assert any(s["paused_seconds"] for s in sessions)
    assert any(s["deleted_at"] and s["status"] != "cancelled" for s in sessions)
    logs = rows("review_log")
    assert Counter(r["rating"] for r in logs).keys() == {1, 2, 3, 4}
    first, last = min(r["reviewed_at"] for r in logs), max(r["reviewed_at"] for r in logs)
    assert (first[:10], last[:7]) == ("2025-12-01", "2026-11")
    cards = rows("card")
    assert any(c["buried_until"] for c in cards)
    assert any(c["suspended"] for c in cards)
    assert any(c["edited_at"] for c in cards)
    assert any(c["origin"] == "user" for c in cards)
    assert {e["status"] for e in rows("topic_status_event")} >= {"learning", "done", "skipped"}
    assert any(e["done"] for e in rows("checklist_event"))
    with tarfile.open(HOME_ARCHIVE, "r:gz") as tar:
        names = set(tar.getnames())
        config = tar.extractfile(".config/studytui/config.yaml")
        assert config is not None
        assert "timezone: Europe/Berlin" in config.read().decode()
    assert {".config/studytui/curriculum/my-evenings.yaml",
            ".config/studytui/decks/my-vector-db.yaml"} <= names  # fmt: skip
    # Late-night study before the 04:00 rollover, and both DST nights of 2026.
    local = [CALENDAR.local(instant(s["started_at"])) for s in sessions]
    assert any(t.hour < 4 for t in local)
    assert any(t.date() == date(2026, 3, 29) and t.hour < 4 for t in local)
    autumn = {t.utcoffset() for t in local if t.date() == date(2026, 10, 25) and t.hour == 2}
    assert len(autumn) == 2  # 02:30 summer time and 02:30 winter time


# -- opening: the migration -------------------------------------------------------------------


def test_it_opens_migrated_after_one_copy_at_version_3(upgraded: Upgraded, pristine: Path) -> None:
    assert upgraded.version_before == OLD_VERSION
    assert user_version(upgraded.paths.database) == LATEST_VERSION
    copies = sorted(upgraded.paths.backup_dir.glob("studytui-v*-before-migration-*"))
    assert [c.name[:12] for c in copies] == [f"studytui-v{OLD_VERSION}-"]
    copy = copies[0]
    # The copy is the old release's file: its version, its rows, its schema; so it opens there.
    assert user_version(copy) == OLD_VERSION
    assert integrity_problems(copy) == []
    assert tables(copy) == tables(pristine)
    assert schema(copy) == schema(pristine)


def test_no_row_is_orphaned(upgraded: Upgraded, migrated: AppPaths) -> None:
    assert upgraded.foreign_key_problems == []
    assert integrity_problems(upgraded.paths.database) == []
    assert integrity_problems(migrated.database) == []


def test_the_migration_keeps_every_row(migrated: AppPaths) -> None:
    before, after = dumped_tables(), tables(migrated.database)
    assert after.keys() - before.keys() == set(NEW_TABLES)
    for name in NEW_TABLES:
        assert after[name][1] == [], name
    for name, (columns, kept) in before.items():
        new_columns, new_rows = after[name]
        added = [c for c in new_columns if (name, c) in NEW_COLUMNS]
        assert [c for c in new_columns if c not in added] == columns, name
        keep = [i for i, c in enumerate(new_columns) if c not in added]
        dropped = [i for i, c in enumerate(new_columns) if c in added]
        assert [[row[i] for i in keep] for row in new_rows] == kept, name  # every value, as stored
        for i in dropped:
            expected = NEW_COLUMNS[(name, new_columns[i])][0]
            assert all(row[i] == expected for row in new_rows), (name, new_columns[i])
    assert len(after["review_log"][1]) == len(before["review_log"][1]) > 8000
    assert len(after["study_session"][1]) == len(before["study_session"][1]) > 600


def test_the_schema_is_a_new_databases(
    migrated: AppPaths, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Tables and indexes, with the SQL that made them; only ``rootpage`` is not compared."""
    assert schema(migrated.database) == new_database_schema(tmp_path_factory.mktemp("new"))


def test_every_review_and_session_reads_back(upgraded: Upgraded) -> None:
    decks = {d["id"]: d["name"] for d in rows("deck")}
    card_key = {c["id"]: (decks[c["deck_id"]], c["key"]) for c in rows("card")}
    fields = ("rating", "duration_ms", "state_before", "state_after", "card_before")

    def log(r: dict[str, Any], key: tuple[str, str]) -> tuple[Any, ...]:
        due_after = r["due_after"] and instant(r["due_after"])
        return (*key, instant(r["reviewed_at"]), *(r[f] for f in fields), due_after)

    old_logs = sorted(log(r, card_key[r["card_id"]]) for r in rows("review_log"))
    new_logs = sorted(log(r, (r["deck"], r["key"])) for r in upgraded.migrated["review_logs"])
    assert new_logs == old_logs
    times = ("started_at", "ended_at", "paused_at", "heartbeat_at", "deleted_at")
    same = ("category", "note", "source", "status", "timezone", "planned_seconds",
            "paused_seconds", "external_id")  # fmt: skip

    def session(s: dict[str, Any], topic: str) -> tuple[Any, ...]:
        return (s[topic], *(s[k] for k in same), *(s[k] and instant(s[k]) for k in times))

    old_sessions = sorted(map(str, (session(s, "topic_id") for s in rows("study_session"))))
    new_sessions = sorted(map(str, (session(s, "topic") for s in upgraded.migrated["sessions"])))
    assert new_sessions == old_sessions


def test_every_card_keeps_its_due_study_day(upgraded: Upgraded) -> None:
    decks = {d["id"]: d["name"] for d in rows("deck")}
    migrated = card_map(upgraded.migrated)
    due = [c for c in rows("card") if c["due"] is not None]
    assert len(due) > 1000
    for card in due:
        key = (decks[card["deck_id"]], card["key"])
        assert study_day(migrated[key]["due"]) == study_day(card["due"]), key
    # After the sync, merged copies and their home cards: test_the_sync_keeps_every_review.
    assert_synced_cards_keep_their_due_day(upgraded.migrated, upgraded.synced, study_day)


# -- the sync of the new bundled decks --------------------------------------------------------


def test_the_sync_refuses_no_deck_and_reports_no_problem(upgraded: Upgraded) -> None:
    report = upgraded.report
    assert (report.refused, report.problems) == (0, []), report.summary()
    assert report.synced > 0


def test_the_sync_keeps_every_review(upgraded: Upgraded) -> None:
    assert_sync_keeps_every_review(upgraded.migrated, upgraded.synced, upgraded.report)


def test_the_sync_changes_only_what_it_documents(upgraded: Upgraded) -> None:
    assert_sync_changes_only_what_it_documents(
        upgraded.migrated, upgraded.synced, upgraded.retired_on_purpose, EXPORT_CONVERSIONS
    )


# -- the commands ----------------------------------------------------------------------------


def test_the_commands_run_on_the_upgraded_home(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kept = [s for s in rows("study_session") if s["deleted_at"] is None]
    assert_commands_run(unpack(HOME_ARCHIVE, isolated_home), capsys, len(kept))
