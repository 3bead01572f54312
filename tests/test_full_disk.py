"""A real full disk: the data folder on a small tmpfs filled to the last block.

Not a mocked exception: SQLite itself fails to write. The command must say it could not write
the database, exit 1, print no traceback, and leave the database intact with nothing half-saved;
once there is room again the same command works. Needs root to mount a tmpfs (CI runs as root);
elsewhere the test is skipped with the reason.
"""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import FIXED_NOW
from studytui.cli import run
from studytui.core.clock import ManualClock
from studytui.core.context import open_context
from studytui.paths import AppPaths


@pytest.fixture
def small_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    monkeypatch.setenv("XDG_DATA_HOME", str(mount / "data"))
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(mount: Path) -> Path:
    filler = mount / "filler"
    with contextlib.suppress(OSError), filler.open("wb") as fh:
        while True:
            fh.write(b"\0" * 4096)
            fh.flush()
    return filler


def _sessions(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return int(conn.execute("SELECT count(*) FROM study_session").fetchone()[0])
    finally:
        conn.close()


def test_a_write_on_a_full_disk_is_reported_and_saves_nothing(
    small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = AppPaths.default()
    assert run(["decks", "sync"]) == 0
    holder = open_context(paths, ManualClock(FIXED_NOW))  # another studytui keeps it open
    filler = _fill(small_disk)
    capsys.readouterr()
    code = run(["log", "25m", "theory"])
    _, err = capsys.readouterr()
    assert code == 1, err
    assert "Traceback" not in err
    assert f"cannot write the database (disk full): {paths.database}" in err, err
    holder.close()
    filler.unlink()
    assert _sessions(paths.database) == 0, "a write that failed is not half-saved"
    assert run(["log", "25m", "theory"]) == 0
    assert _sessions(paths.database) == 1


def test_opening_on_a_full_disk_is_reported(
    small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["decks", "sync"]) == 0
    filler = _fill(small_disk)
    capsys.readouterr()
    code = run(["log", "25m", "theory"])
    _, err = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in err
    assert "cannot write the database (" in err, err
    assert "not a studytui database" not in err
    filler.unlink()
    assert _sessions(AppPaths.default().database) == 0
