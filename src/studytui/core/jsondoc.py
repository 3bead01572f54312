"""JSON documents with the line of every value, for ``file:line: field: message`` errors.

The document is parsed by the standard library (fast, strict: no NaN or Infinity, no duplicate
keys). Lines are found only when a message needs one, by a second, position-tracking pass over
the text, so valid files cost nothing extra.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from studytui.core.errors import InputError
from studytui.core.textfile import decode_text, read_bytes
from studytui.core.yamldoc import Located, PathKey, path_str

MAX_JSON_BYTES = 512 * 1024 * 1024
MAX_DEPTH = 200

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_scanstring: Any = json.decoder.scanstring  # type: ignore[attr-defined]


class _Duplicate(Exception):
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Duplicate(key)
        out[key] = value
    return out


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


class JsonLocated(Located):
    """A parsed JSON document; ``line()`` locates values in the text on first use."""

    def __init__(self, file: str, data: Any, text: str) -> None:
        super().__init__(file=file, data=data)
        self._text = text
        self._located = False

    def line(self, path: PathKey) -> int | None:
        if not self._located:
            self._located = True
            try:
                self.lines = locate_lines(self._text, self.file)
            except (InputError, RecursionError):
                self.lines = {}
        return super().line(path)


def load_json_file(path: Path, label: str | None = None) -> JsonLocated:
    name = label or str(path)
    return load_json(decode_text(read_bytes(path, name, MAX_JSON_BYTES), name), name)


def load_json(text: str, file: str) -> JsonLocated:
    """Parse one JSON document; every failure is an InputError naming the file and line."""
    if not text.strip():
        raise InputError.single(file, None, "", "the file is empty; expected a JSON document")
    try:
        data = json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise InputError.single(file, exc.lineno, "", f"invalid JSON: {exc.msg}") from exc
    except _Duplicate:
        locate_lines(text, file)  # raises with the line and the path of the duplicate
        raise InputError.single(file, None, "", "invalid JSON: duplicate key") from None
    except RecursionError:
        raise InputError.single(file, None, "", "invalid JSON: nesting too deep") from None
    except ValueError as exc:  # NaN / Infinity, or an integer with thousands of digits
        line = _first_line_of_bad_number(text)
        message = str(exc) if "NaN" in str(exc) or "Infinity" in str(exc) else "a number too long"
        raise InputError.single(file, line, "", f"invalid JSON: {message}") from exc
    return JsonLocated(file, data, text)


def _first_line_of_bad_number(text: str) -> int | None:
    for match in re.finditer(r"NaN|-?Infinity|\d{1000,}", text):
        return text.count("\n", 0, match.start()) + 1
    return None


def locate_lines(text: str, file: str) -> dict[PathKey, int]:
    """The line of every member (its key) and item in ``text``; raises on duplicate keys."""
    return _Locator(text, file).run()


class _Locator:
    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self.lines: dict[PathKey, int] = {}
        self._newlines = [m.start() for m in re.finditer("\n", text)]

    def line_at(self, pos: int) -> int:
        from bisect import bisect_left

        return bisect_left(self._newlines, pos) + 1

    def ws(self, pos: int) -> int:
        m = _WS.match(self.text, pos)
        return m.end() if m else pos

    def run(self) -> dict[PathKey, int]:
        pos = self.ws(0)
        if self.text.startswith("\ufeff"):
            pos = self.ws(1)
        self.lines[()] = self.line_at(pos)
        self.value(pos, (), 0)
        return self.lines

    def value(self, pos: int, path: PathKey, depth: int) -> int:
        if depth > MAX_DEPTH:
            raise InputError.single(
                self.file, self.line_at(pos), path_str(path), "nesting too deep"
            )
        ch = self.text[pos : pos + 1]
        if ch == "{":
            return self.obj(pos + 1, path, depth)
        if ch == "[":
            return self.arr(pos + 1, path, depth)
        if ch == '"':
            return int(_scanstring(self.text, pos + 1)[1])
        for word in ("true", "false", "null"):
            if self.text.startswith(word, pos):
                return pos + len(word)
        m = _NUMBER.match(self.text, pos)
        if m is None:
            raise InputError.single(self.file, self.line_at(pos), path_str(path), "invalid JSON")
        return m.end()

    def obj(self, pos: int, path: PathKey, depth: int) -> int:
        seen: set[str] = set()
        pos = self.ws(pos)
        if self.text.startswith("}", pos):
            return pos + 1
        while True:
            key_line = self.line_at(pos)
            key, pos = _scanstring(self.text, pos + 1)
            child = (*path, key)
            if key in seen:
                raise InputError.single(self.file, key_line, path_str(child), "duplicate key")
            seen.add(key)
            self.lines[child] = key_line
            pos = self.ws(self.ws(pos) + 1)  # the colon
            pos = self.ws(self.value(pos, child, depth + 1))
            if self.text.startswith("}", pos):
                return pos + 1
            pos = self.ws(pos + 1)  # the comma

    def arr(self, pos: int, path: PathKey, depth: int) -> int:
        pos = self.ws(pos)
        if self.text.startswith("]", pos):
            return pos + 1
        i = 0
        while True:
            child = (*path, i)
            self.lines[child] = self.line_at(pos)
            pos = self.ws(self.value(pos, child, depth + 1))
            if self.text.startswith("]", pos):
                return pos + 1
            pos = self.ws(pos + 1)
            i += 1
