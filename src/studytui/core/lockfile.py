"""An advisory lock held by the studytui process that runs the pomodoro timer.

The kernel releases the lock when that process dies (a crash, ``kill -9``, a closed terminal),
so "an open session and nobody holds the lock" means the timer was abandoned, however recently
its last heartbeat was written. Where ``fcntl`` is missing (Windows) the lock is always free,
so every open session found at start-up counts as abandoned.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

try:  # POSIX only
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class OwnerLock:
    """A non-blocking exclusive ``flock`` on one file; re-acquiring while held is a no-op."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> bool:
        """Take the lock if no other process (or other handle) holds it; True when held."""
        if self._fd is not None:
            return True
        if fcntl is None:  # pragma: no cover - Windows
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def __del__(self) -> None:
        self.release()

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        with contextlib.suppress(OSError):
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
