"""Why a change could not be written, in words a user can act on.

SQLite reports a full disk, a read-only file or folder and a failing disk as driver errors
("database or disk is full", "attempt to write a readonly database", "disk I/O error"), which
SQLAlchemy wraps once more. Screens and commands show ``not_saved(exc)``: the same words for the
same cause wherever the write was, instead of the driver's text or a traceback.
"""

from __future__ import annotations

import errno
import sqlite3

from studytui.core.errors import StudyError


class NotSavedError(StudyError):
    """A change was not written (nothing of it is stored); the reason says what to fix."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _causes(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None or any(e is s for s in seen):
            continue
        seen.append(e)
        orig = getattr(e, "orig", None)  # SQLAlchemy's DBAPIError keeps the driver's error
        todo += [orig if isinstance(orig, BaseException) else None, e.__cause__, e.__context__]
    return seen


def reason(exc: BaseException) -> str:
    """The cause of a failed write as one short phrase."""
    for e in _causes(exc):
        if isinstance(e, NotSavedError):
            return e.reason
        if isinstance(e, sqlite3.Error):
            text = str(e).lower()
            if "full" in text:
                return "the disk is full"
            if "readonly" in text or "read-only" in text:
                return "the database is read-only (check the data folder and its permissions)"
            if "disk i/o" in text:
                return "the disk refused the write (read-only, full or failing)"
            if "locked" in text or "busy" in text:
                return "the database is busy in another program"
            return f"the database refused the write ({e})"
        if isinstance(e, OSError) and e.errno is not None:
            if e.errno in (errno.ENOSPC, errno.EDQUOT):
                return "the disk is full"
            if e.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                return f"the file or folder is read-only ({e.strerror})"
    if isinstance(exc, StudyError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def not_saved(exc: BaseException) -> NotSavedError:
    """``exc`` as a NotSavedError (itself when it already is one)."""
    return exc if isinstance(exc, NotSavedError) else NotSavedError(reason(exc))
