"""A pomodoro the user chose to leave running when quitting, told apart from a crash.

Quitting during a work phase asks what to do with it; "keep running" leaves the session open, as
a crash would, and writes this small marker next to the database. The next start finds the open
session with a marker naming it and carries on (or logs it at its planned end, if that passed
meanwhile) instead of asking what happened. A marker that names no open session is stale and
ignored, so a crash after the marker was written is still asked about as a crash.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

MARKER_NAME = "timer.kept-running.json"
MARKER_MAX_BYTES = 4096


@dataclass(frozen=True)
class KeptRunning:
    session_id: int
    quit_at: datetime


def marker_path(data_dir: Path) -> Path:
    return data_dir / MARKER_NAME


def write_marker(data_dir: Path, session_id: int, quit_at: datetime) -> None:
    """Write the marker atomically (a torn marker must not look like a decision)."""
    data = json.dumps({"session_id": session_id, "quit_at": quit_at.isoformat()})
    fd, tmp = tempfile.mkstemp(dir=data_dir, prefix=".kept-running-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, marker_path(data_dir))
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_marker(data_dir: Path) -> KeptRunning | None:
    """The marker, or None when there is none or it cannot be read as one (then: a crash)."""
    path = marker_path(data_dir)
    try:
        if not path.is_file() or path.stat().st_size > MARKER_MAX_BYTES:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        session_id = data["session_id"]
        quit_at = datetime.fromisoformat(data["quit_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(session_id, int) or isinstance(session_id, bool) or quit_at.tzinfo is None:
        return None
    return KeptRunning(session_id, quit_at)


def clear_marker(data_dir: Path) -> None:
    marker_path(data_dir).unlink(missing_ok=True)
