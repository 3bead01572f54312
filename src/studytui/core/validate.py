"""A small checker for located YAML/JSON documents: it collects every problem, not the first."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from studytui.core.categories import TimeSplit
from studytui.core.errors import InputError, Problem
from studytui.core.yamldoc import Located, PathKey

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MAX_TEXT = 20_000


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    return {
        dict: "a mapping",
        list: "a list",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)


class Checker:
    """Reads typed fields out of a located document, recording a Problem for each mistake."""

    def __init__(self, doc: Located) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def error(self, path: PathKey, message: str) -> None:
        self.problems.append(self.doc.problem(path, message))

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(self.problems)

    def mapping(
        self,
        value: Any,
        path: PathKey,
        required: Iterable[str] = (),
        optional: Iterable[str] = (),
    ) -> dict[str, Any] | None:
        """Check that ``value`` is a mapping with exactly the allowed keys."""
        if not isinstance(value, dict):
            self.error(path, f"expected a mapping, got {_type_name(value)}")
            return None
        required = tuple(required)
        allowed = set(required) | set(optional)
        for key in value:
            if key not in allowed:
                self.error((*path, key), f"unknown key; allowed: {', '.join(sorted(allowed))}")
        for key in required:
            if key not in value:
                self.error(path, f"missing required key '{key}'")
        return value

    def text(
        self, m: dict[str, Any], key: str, path: PathKey, *, required: bool = False
    ) -> str | None:
        """The text at ``key``; a required key left blank (``title:``) is a problem, not None."""
        if key not in m:
            return None
        value = m[key]
        if value is None:
            if required:
                self.error((*path, key), "must not be empty")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error((*path, key), f"expected text, got {_type_name(value)}")
            return None
        result = str(value).strip()
        if required and not result:
            self.error((*path, key), "must not be empty")
            return None
        if len(result) > MAX_TEXT:
            self.error((*path, key), f"too long ({len(result)} characters, at most {MAX_TEXT})")
            return None
        return result

    def slug(self, m: dict[str, Any], key: str, path: PathKey) -> str | None:
        value = self.text(m, key, path, required=True)
        if value is not None and not SLUG.match(value):
            self.error((*path, key), f"'{value}' is not an id: use a-z, 0-9 and '-'")
            return None
        return value

    def choice(
        self, m: dict[str, Any], key: str, path: PathKey, allowed: tuple[str, ...]
    ) -> str | None:
        """One of ``allowed`` (any case), or None when absent."""
        if key not in m or m[key] is None:
            return None
        value = self.text(m, key, path, required=True)
        if value is None:
            return None
        if value.lower() not in allowed:
            self.error((*path, key), f"'{value}'; allowed: {', '.join(allowed)}")
            return None
        return value.lower()

    def boolean(self, m: dict[str, Any], key: str, path: PathKey) -> bool | None:
        if key not in m or m[key] is None:
            return None
        if not isinstance(m[key], bool):
            self.error((*path, key), f"expected true or false, got {_type_name(m[key])}")
            return None
        return bool(m[key])

    def integer(self, m: dict[str, Any], key: str, path: PathKey, lo: int, hi: int) -> int | None:
        if key not in m or m[key] is None:
            return None
        value = m[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.error((*path, key), f"expected a whole number from {lo} to {hi}")
            return None
        if not lo <= value <= hi:
            self.error((*path, key), f"{value} is out of range; allowed: {lo} to {hi}")
            return None
        return value

    def number(
        self, m: dict[str, Any], key: str, path: PathKey, lo: float, hi: float
    ) -> float | None:
        if key not in m or m[key] is None:
            return None
        value = m[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error((*path, key), f"expected a number from {lo} to {hi}")
            return None
        if not lo <= value <= hi:
            self.error((*path, key), f"{value} is out of range; allowed: {lo} to {hi}")
            return None
        return float(value)

    def items(self, m: dict[str, Any], key: str, path: PathKey) -> list[Any]:
        """A list value, or [] when absent; records a problem when it is not a list."""
        if key not in m or m[key] is None:
            return []
        value = m[key]
        if not isinstance(value, list):
            self.error((*path, key), f"expected a list, got {_type_name(value)}")
            return []
        return value

    def texts(self, m: dict[str, Any], key: str, path: PathKey) -> tuple[str, ...]:
        out: list[str] = []
        for i, item in enumerate(self.items(m, key, path)):
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                self.error((*path, key, i), f"expected text, got {_type_name(item)}")
                continue
            text = str(item).strip()
            if text:
                out.append(text)
        return tuple(out)

    def time_split(self, value: Any, path: PathKey) -> TimeSplit | None:
        """``{hands-on: N, theory: N, community: N}``: whole percents summing to 100."""
        m = self.mapping(value, path, required=("hands-on", "theory", "community"))
        if m is None:
            return None
        parts = [self.integer(m, k, path, 0, 100) for k in ("hands-on", "theory", "community")]
        if any(p is None for p in parts):
            return None
        h, t, c = (p or 0 for p in parts)
        if h + t + c != 100:
            self.error(path, f"percentages must sum to 100, not {h + t + c}")
            return None
        return TimeSplit(h, t, c)
