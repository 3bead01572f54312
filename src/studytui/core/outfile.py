"""Where a command may write a file the user named: ``--force`` replaces regular files only.

Writing an export onto ``/dev/null``, a FIFO or a folder (or a symbolic link to one) would
otherwise rename a new regular file over it, replacing a device node or a pipe another program
relies on. The check follows symbolic links, so a link to a regular file may be replaced.
"""

from __future__ import annotations

import os
from pathlib import Path

from studytui.core.errors import ConflictError, InputError
from studytui.core.textfile import not_regular


def check_target(path: Path, *, force: bool) -> None:
    """Refuse ``path`` as an output unless it is new, or a regular file and ``force`` is set."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if path.is_symlink():
            raise ConflictError(f"{path}: is a dangling symbolic link; choose a new name") from None
        return
    except OSError as exc:
        raise ConflictError(f"{path}: cannot check the file: {exc.strerror}") from exc
    why = not_regular(info.st_mode)
    if why is not None:
        raise ConflictError(f"{path}: is {why}; only a regular file can be replaced")
    if not force:
        raise ConflictError(f"{path}: file exists; choose a new name or pass --force")


def check_regular_input(path: Path) -> None:
    """Refuse an existing ``path`` that is not a regular file before another library opens it
    (SQLite would wait on a FIFO or read a device)."""
    try:
        info = os.stat(path)
    except OSError:
        return  # missing: the reader says so in its own words
    why = not_regular(info.st_mode)
    if why is not None:
        raise InputError.single(str(path), None, "", f"is {why}, not a regular file")
