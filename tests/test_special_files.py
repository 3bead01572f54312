"""Special files as input or output: devices, FIFOs, folders and links to them.

``/dev/zero`` reports size 0 and never ends, a FIFO with no writer blocks its reader forever:
every reader must refuse them (``core/textfile.read_bytes`` reads regular files only, with a byte
cap), and ``export --force`` replaces regular files only. Each command runs in a child process
with a timeout, so a regression fails instead of hanging the suite.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

READERS = [
    ["curriculum", "check"],
    ["decks", "check"],
    ["import"],
    ["import", "--format", "watson"],
    ["restore"],
]


def _run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "studytui", *argv],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ.copy(),
        stdin=subprocess.DEVNULL,
    )


def _special(kind: str, tmp_path: Path) -> Path:
    if kind == "dev-zero":
        return Path("/dev/zero")
    if kind == "dev-null":
        return Path("/dev/null")
    if kind == "fifo":
        fifo = tmp_path / "pipe.yaml"
        os.mkfifo(fifo)
        return fifo
    if kind == "folder":
        folder = tmp_path / "folder.yaml"
        folder.mkdir()
        return folder
    link = tmp_path / "zero-link.yaml"
    link.symlink_to("/dev/zero")
    return link


@pytest.mark.parametrize("kind", ["dev-zero", "dev-null", "fifo", "folder", "link-to-dev-zero"])
@pytest.mark.parametrize("command", READERS, ids=lambda c: "-".join(c))
def test_special_files_are_refused_as_input(kind: str, command: list[str], tmp_path: Path) -> None:
    target = _special(kind, tmp_path)
    done = _run([*command, str(target)])
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    assert f"{target}: " in done.stderr
    assert "regular file" in done.stderr or "folder" in done.stderr, done.stderr


@pytest.mark.parametrize("kind", ["dev-null", "fifo", "folder"])
def test_export_force_never_replaces_a_special_file(kind: str, tmp_path: Path) -> None:
    target = _special(kind, tmp_path)
    mode = os.lstat(target).st_mode
    done = _run(["export", str(target), "--force"])
    assert done.returncode != 0, done.stdout
    assert "Traceback" not in done.stderr
    assert "only a regular file can be replaced" in done.stderr, done.stderr
    assert stat.S_IFMT(os.lstat(target).st_mode) == stat.S_IFMT(mode)
