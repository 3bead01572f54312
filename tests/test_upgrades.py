"""Upgrades: a database of every earlier schema version opens, is copied first, keeps every row.

Each earlier version is built by running only its migrations, then every table is filled with
rows that use every column (found by introspection, so a new column or table is covered without
editing this test). After opening, each of those rows must read back unchanged.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from studytui.cli import run
from studytui.core.errors import DatabaseError
from studytui.core.storage import database as database_module
from studytui.core.storage.database import Database, read_version
from studytui.core.storage.migrations import LATEST_VERSION, MIGRATIONS, Migration
from studytui.core.storage.uri import file_uri
from studytui.paths import AppPaths

ROWS = 3
EARLIER = list(range(1, LATEST_VERSION))


def _value(table: str, column: str, decl: str, i: int) -> Any:
    decl = decl.upper()
    if "INT" in decl:
        return i * 7
    if "FLOAT" in decl or "REAL" in decl:
        return i + 0.25
    if decl == "DATETIME":
        return f"2026-0{i}-15 10:0{i}:00.000000"
    if decl == "DATE":
        return f"2026-0{i}-0{i}"
    return f"{table}.{column}.{i} · ünïcode"


def fill(conn: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Insert ROWS rows into every table, using every column; returns them per table."""
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY rowid"
        )
    ]
    written: dict[str, list[tuple[Any, ...]]] = {}
    for table in tables:
        info = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
        fks = {r[3] for r in conn.execute(f'PRAGMA foreign_key_list("{table}")')}
        columns = [r[1] for r in info]
        rows = []
        for i in range(1, ROWS + 1):
            row = tuple(
                i if (pk or name in fks) else _value(table, name, decl, i)
                for _, name, decl, _, _, pk in info
            )
            rows.append(row)
        quoted = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        conn.executemany(f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})', rows)
        written[table] = rows
    return written


def build(path: Path, version: int) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys=ON")
    for step in MIGRATIONS[:version]:
        for statement in step.statements:
            conn.execute(statement)
    written = fill(conn)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    return written


def read_rows(path: Path, written: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[Any]]:
    conn = sqlite3.connect(file_uri(path), uri=True)
    try:
        out: dict[str, list[Any]] = {}
        for table, rows in written.items():
            old_columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            cols = ", ".join(f'"{c}"' for c in old_columns[: len(rows[0])])
            out[table] = conn.execute(f'SELECT {cols} FROM "{table}" ORDER BY rowid').fetchall()
        return out
    finally:
        conn.close()


@pytest.mark.parametrize("version", EARLIER)
def test_every_earlier_version_upgrades_keeping_every_row(tmp_path: Path, version: int) -> None:
    db_path = tmp_path / "studytui.db"
    written = build(db_path, version)
    before = db_path.read_bytes()
    db = Database(db_path, tmp_path / "backups")
    db.close()
    assert db.previous_version == version
    assert read_version(db_path) == LATEST_VERSION
    assert read_rows(db_path, written) == written
    # The copy taken first is the old file, whole: same version, same rows.
    backups = list((tmp_path / "backups").glob(f"studytui-v{version}-before-migration-*.db"))
    assert len(backups) == 1
    assert backups[0].stat().st_mode & 0o777 == 0o600
    assert read_version(backups[0]) == version
    assert read_rows(backups[0], written) == written
    assert len(before) > 0
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()
    # A second open changes nothing and copies nothing more.
    Database(db_path, tmp_path / "backups").close()
    assert len(list((tmp_path / "backups").iterdir())) == 1


@pytest.mark.parametrize("version", EARLIER)
def test_upgrade_through_the_cli_keeps_everything(
    version: int, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = AppPaths.default()
    paths.ensure()
    written = build(paths.database, version)
    assert run(["curriculum", "list", "--json"]) == 0
    capsys.readouterr()
    assert read_version(paths.database) == LATEST_VERSION
    assert read_rows(paths.database, written) == written
    assert list(paths.backup_dir.glob(f"studytui-v{version}-before-migration-*.db"))


def test_a_failing_step_leaves_the_old_version_and_the_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path = tmp_path / "studytui.db"
    written = build(db_path, 1)
    broken = Migration(2, "broken", ("CREATE TABLE ok_so_far (x)", "THIS IS NOT SQL"))
    monkeypatch.setattr(database_module, "MIGRATIONS", (MIGRATIONS[0], broken))
    monkeypatch.setattr(database_module, "LATEST_VERSION", 2)
    with pytest.raises(DatabaseError, match="migration failed"):
        Database(db_path, tmp_path / "backups")
    assert read_version(db_path) == 1
    assert read_rows(db_path, written) == written
    conn = sqlite3.connect(db_path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    conn.close()
    assert "ok_so_far" not in tables, "the step's transaction was rolled back whole"
    assert len(list((tmp_path / "backups").glob("studytui-v1-before-migration-*.db"))) == 1


def test_newer_database_is_refused_by_the_cli_and_untouched(
    capsys: pytest.CaptureFixture[str],
) -> None:
    paths = AppPaths.default()
    paths.ensure()
    conn = sqlite3.connect(paths.database)
    conn.execute("CREATE TABLE from_the_future (x)")
    conn.execute("INSERT INTO from_the_future VALUES ('precious')")
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.commit()
    conn.close()
    before = paths.database.read_bytes()
    mtime = paths.database.stat().st_mtime_ns
    for argv in (["week"], ["curriculum", "list"]):
        code = run(argv)
        _, err = capsys.readouterr()
        assert code == 1, argv
        assert "written by a newer studytui" in err
        assert "left untouched" in err or "upgrade studytui" in err
        assert "Traceback" not in err
    assert paths.database.read_bytes() == before
    assert paths.database.stat().st_mtime_ns == mtime
    assert not paths.backup_dir.exists()
    leftovers = {p.name for p in paths.data_dir.iterdir()}
    assert leftovers == {"studytui.db"}
    # Copying it is still allowed (it only reads), so the user can keep it safe.
    assert run(["backup"]) == 0
    capsys.readouterr()
    assert paths.database.read_bytes() == before
    assert len(list(paths.backup_dir.glob("studytui-manual-*.db"))) == 1
