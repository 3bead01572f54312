"""Consistent copies of the database file, made with SQLite's backup API."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from pathlib import Path

from studytui.core.storage.uri import file_uri

PART_SUFFIX = ".part"


def backup_database(source: Path, target: Path, *, overwrite: bool = True) -> Path:
    """Copy ``source`` to ``target`` consistently (even while other connections write).

    With ``overwrite=False`` an existing ``target`` is never replaced: FileExistsError instead.

    The copy is written to a private temporary file (mode 0600, a unique name, so two processes
    backing up at once never share it), made self-contained (rollback journal, no ``-wal``),
    flushed to disk, and only then renamed over ``target``: a crash leaves either the old target
    or the complete new one, plus at worst a stray ``*.part`` file.
    """
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp_name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=PART_SUFFIX
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        src = sqlite3.connect(file_uri(source), uri=True, timeout=10)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        if overwrite:
            os.replace(tmp, target)
        else:
            _link_new(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)
    return target


def _link_new(tmp: Path, target: Path) -> None:
    """Give ``tmp`` the name ``target`` only if no such file exists (atomically where possible)."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: check, then rename
        if target.exists() or target.is_symlink():
            raise FileExistsError(target) from None
        os.replace(tmp, target)
        return
    tmp.unlink()


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where directories cannot be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
