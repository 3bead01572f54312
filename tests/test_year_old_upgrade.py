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
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

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
    new_database_schema,
    schema,
    upgrade,
    user_version,
    without_new_fields,
)
from upgrade_fixtures import unpack as unpack_archive

HOME_ARCHIVE = DATA / "year_old_home.tar.gz"
EXPORT_ARCHIVE = DATA / "year_old_export.json.gz"
OLD_VERSION = 4  # PRAGMA user_version of the last release
UPGRADE_AT = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)  # the morning the new version is installed
CALENDAR = StudyCalendar("Europe/Berlin", 4, 0)  # the fixture's config.yaml: Berlin, 04:00

# Top-level fields of the export that differ after the upgrade, each on purpose:
EXPORT_CONVERSIONS = {
    "exported_at": "the time of the export: taken days later",
    "schema": f"the database schema version the export was taken from: {OLD_VERSION} -> "
    f"{LATEST_VERSION} (migration 5 adds the deck_include table, migration 6 the scheduler_params "
    "preset column, migration 7 makes the version-3 indexes of today where missing and rebuilds "
    "ix_review_log_time; no row changes; migration 9 adds three study_session columns, whose "
    "values on an old session are in upgrade_fixtures.NEW_EXPORT_FIELDS)",
}


def unpack(home: Path) -> AppPaths:
    return unpack_archive(HOME_ARCHIVE, home)


def old_export() -> dict[str, Any]:
    with gzip.open(EXPORT_ARCHIVE, "rt", encoding="utf-8") as fh:
        doc: dict[str, Any] = json.load(fh)
    return doc


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory: pytest.TempPathFactory) -> Upgraded:
    """The fixture's home opened by this version once: migrated, exported, synced, exported."""
    return upgrade(unpack(tmp_path_factory.mktemp("year") / "home"), UPGRADE_AT)


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
    old = old_export()
    new = without_new_fields(old, upgraded.migrated)
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


def test_the_schema_is_a_new_databases(
    upgraded: Upgraded, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A version-3 history made after 1b0a896: migration 7 leaves its indexes those of today."""
    new = new_database_schema(tmp_path_factory.mktemp("new"))
    assert schema(upgraded.paths.database) == new


# -- the sync of the new bundled decks --------------------------------------------------------


def test_the_sync_refuses_no_deck_and_reports_no_problem(upgraded: Upgraded) -> None:
    report = upgraded.report
    assert (report.refused, report.problems) == (0, []), report.summary()
    assert report.synced > 0


def test_the_sync_keeps_every_review(upgraded: Upgraded) -> None:
    assert_sync_keeps_every_review(old_export(), upgraded.synced, upgraded.report)


def test_every_card_keeps_its_due_study_day(upgraded: Upgraded) -> None:
    old, migrated = old_export(), card_map(upgraded.migrated)
    due = [c for c in old["cards"] if c["due"] is not None]
    assert len(due) > 1000
    for card in due:
        key = (card["deck"], card["key"])
        assert study_day(migrated[key]["due"]) == study_day(card["due"]), key
    # After the sync, merged copies and their home cards: test_the_sync_keeps_every_review.
    assert_synced_cards_keep_their_due_day(old, upgraded.synced, study_day)


def test_the_sync_changes_only_what_it_documents(upgraded: Upgraded) -> None:
    """Every difference between the old export and the synced one, by kind."""
    assert_sync_changes_only_what_it_documents(
        old_export(), upgraded.synced, upgraded.retired_on_purpose, EXPORT_CONVERSIONS
    )


# -- the commands ----------------------------------------------------------------------------


def test_the_commands_run_on_the_upgraded_home(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kept = [s for s in old_export()["sessions"] if s["deleted_at"] is None]
    assert_commands_run(unpack(isolated_home), capsys, len(kept))
