"""Reading user files as UTF-8 text, with errors that name the file and line."""

from __future__ import annotations

from pathlib import Path

from studytui.core.errors import InputError


def read_bytes(path: Path, name: str, limit: int) -> bytes:
    """The file's bytes; a missing, unreadable or oversized file is an InputError."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError.single(name, None, "", f"file is too large ({size} bytes)")
        return path.read_bytes()
    except OSError as exc:
        raise InputError.single(name, None, "", f"cannot read file: {exc.strerror}") from exc


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
