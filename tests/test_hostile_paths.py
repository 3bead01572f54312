"""Folder names that are not URI-safe: ``#``, ``?``, ``%``, ``%41``, spaces, non-ASCII.

Each test points the data folder (and so the database and its backup folder) into such a
folder and runs real commands; nothing may be created outside it, copies must hold the data,
and a newer database must still be refused untouched.
"""

from __future__ import annotations

import ast
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from studytui.cli import run
from studytui.core.storage.database import read_version
from studytui.core.storage.migrations import LATEST_VERSION
from studytui.paths import AppPaths
from test_upgrades import build, read_rows

SRC = Path(__file__).parent.parent / "src" / "studytui"
FOLDERS = ["we#ird", "what?mode=rw", "per%cent", "%41%2F", "two words", "Übung ☃", "a#b?c%d"]


@pytest.fixture(params=FOLDERS)
def hostile_home(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AppPaths:
    root = tmp_path / "home" / request.param
    monkeypatch.setenv("XDG_DATA_HOME", str(root / "data"))
    return AppPaths.default()


def _files_outside(tmp_path: Path, inside: Path) -> list[str]:
    """Files created anywhere under tmp_path except the data folder and the config folder."""
    config = AppPaths.default().config_dir
    out = []
    for p in tmp_path.rglob("*"):
        if p.is_file() and inside not in p.parents and config not in p.parents:
            out.append(str(p.relative_to(tmp_path)))
    return out


def _rows(db: Path, table: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def test_first_start_and_backups_stay_in_their_folder(
    hostile_home: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    earlier = (datetime.now(UTC).astimezone() - timedelta(hours=3)).strftime("%Y-%m-%d %H:%M")
    assert run(["log", "25m", "theory", "--note", "in a # folder"]) == 0
    assert run(["decks", "sync"]) == 0
    capsys.readouterr()
    assert hostile_home.database.is_file()
    assert read_version(hostile_home.database) == LATEST_VERSION
    assert run(["backup"]) == 0
    out = capsys.readouterr().out
    made = Path(out.strip().removeprefix("Backup written to "))
    assert made.parent == hostile_home.backup_dir
    assert made.stat().st_size > 4096, "the copy holds the database, not an empty file"
    assert _rows(made, "study_session") == 1
    assert _rows(made, "card") == _rows(hostile_home.database, "card") > 0
    assert run(["backup", "--list"]) == 0
    assert made.name in capsys.readouterr().out
    assert run(["log", "10m", "community", "--at", earlier]) == 0
    assert run(["restore", str(made)]) == 0
    capsys.readouterr()
    assert _rows(hostile_home.database, "study_session") == 1
    assert _files_outside(tmp_path, hostile_home.data_dir) == []


def test_an_older_database_is_copied_once_then_upgraded(
    hostile_home: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile_home.ensure()
    written = build(hostile_home.database, 1)
    for _ in range(3):
        assert run(["curriculum", "list"]) == 0
    capsys.readouterr()
    assert read_version(hostile_home.database) == LATEST_VERSION
    assert read_rows(hostile_home.database, written) == written
    copies = list(hostile_home.backup_dir.glob("studytui-v1-before-migration-*.db"))
    assert len(copies) == 1
    assert read_version(copies[0]) == 1
    assert read_rows(copies[0], written) == written
    assert _files_outside(tmp_path, hostile_home.data_dir) == []


def test_a_newer_database_is_refused_untouched(
    hostile_home: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile_home.ensure()
    conn = sqlite3.connect(hostile_home.database)
    conn.execute("CREATE TABLE from_the_future (x)")
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.commit()
    conn.close()
    before = hostile_home.database.read_bytes()
    assert run(["week"]) == 1
    err = capsys.readouterr().err
    assert "written by a newer studytui" in err
    assert "Traceback" not in err
    assert hostile_home.database.read_bytes() == before
    assert {p.name for p in hostile_home.data_dir.iterdir()} == {"studytui.db"}
    assert _files_outside(tmp_path, hostile_home.data_dir) == []


def test_no_sqlite_uri_is_built_from_a_path_outside_the_quoting_helper() -> None:
    """``f"file:{path}..."`` anywhere in src is the bug this file tests; only uri.py builds URIs."""
    offenders = []
    for py in SRC.rglob("*.py"):
        if py.name == "uri.py":
            continue
        for node in ast.walk(ast.parse(py.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr) and node.values:
                first = node.values[0]
                if isinstance(first, ast.Constant) and str(first.value).startswith(
                    ("file:", "sqlite:")
                ):
                    offenders.append(f"{py.relative_to(SRC)}:{node.lineno}")
    assert offenders == []
