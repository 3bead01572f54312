"""Reading user files as UTF-8 text, with errors that name the file and line.

Every user-supplied file (config, curricula, decks, exports, Watson frames) is read through
``read_bytes``, so the rules live in one place: only regular files are read (a device such as
``/dev/zero`` or a FIFO is refused instead of read forever or waited on), and at most ``limit``
bytes are read whatever ``stat`` says (``/proc`` files and growing files report sizes that lie).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from studytui.core.errors import InputError

CHUNK = 1 << 20


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def not_regular(mode: int) -> str | None:
    """Why a file of this ``st_mode`` is refused as input or as a target, or None if regular."""
    return None if stat.S_ISREG(mode) else _kind(mode)


def read_bytes(path: Path, name: str, limit: int) -> bytes:
    """The file's bytes; a missing, unreadable, non-regular or oversized file is an InputError.

    The file is opened with ``O_NONBLOCK`` (opening a FIFO with no writer would otherwise wait
    forever) and the *opened* descriptor is checked, so a file swapped between a check and the
    open cannot slip through.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError:
        raise InputError.single(name, None, "", "cannot read file: is a folder") from None
    except OSError as exc:
        raise InputError.single(name, None, "", f"cannot read file: {exc.strerror}") from exc
    try:
        info = os.fstat(fd)
        why = not_regular(info.st_mode)
        if why is not None:
            raise InputError.single(name, None, "", f"cannot read file: {why}, not a regular file")
        if info.st_size > limit:
            raise InputError.single(name, None, "", f"file is too large ({info.st_size} bytes)")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise InputError.single(name, None, "", f"file is too large (over {limit} bytes)")
        return b"".join(chunks)
    except OSError as exc:
        raise InputError.single(name, None, "", f"cannot read file: {exc.strerror}") from exc
    finally:
        os.close(fd)


def decode_text(raw: bytes, name: str) -> str:
    """UTF-8 (a BOM is allowed); UTF-16, NUL bytes and other encodings are refused with a line."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError.single(name, 1, "", "UTF-16 text; save the file as UTF-8")
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise InputError.single(name, line, "", "not a text file (contains NUL bytes)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError.single(name, line, "", "not valid UTF-8 text") from exc


YAML_SUFFIXES = (".yaml", ".yml")


def yaml_files(folder: Path) -> list[Path]:
    """The YAML files of a user folder, ``.yaml`` and ``.yml`` alike, by name; where both
    ``x.yaml`` and ``x.yml`` exist, ``x.yaml`` comes last so that it is the one kept by stem."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.suffix in YAML_SUFFIXES and p.is_file()]
    return sorted(found, key=lambda p: (p.stem, p.suffix == ".yaml", p.name))
