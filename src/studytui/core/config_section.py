"""Setting keys inside one section of config.yaml (``pomodoro:``), keeping the user's text.

``set_config_values`` rewrites top-level lines only; the app's pomodoro dialog changes keys one
level down. The file is edited line by line, as the theme is, so every comment, every other key
and the order stay as the user wrote them:

- ``pomodoro:`` followed by indented ``key: value`` lines: a key's line gets its new value (its
  ``# comment`` kept); a key not there yet is added after the section's last key, at its indent;
- ``pomodoro: {work_minutes: 50}`` on one line: that mapping is rewritten with the new values;
- no ``pomodoro:`` line (the first-run file has it only commented out): the section is added at
  the end of the file.

The result is validated as a whole before it replaces the file, atomically.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from studytui.core.config import _inline_comment, write_config_text
from studytui.core.errors import InputError
from studytui.core.yamldoc import load_yaml, read_text

PLAIN = re.compile(r"^[A-Za-z0-9_./~-]+$")  # written as it is; anything else is quoted

KEY_LINE = re.compile(r"^(?P<indent>[ \t]+)(?P<key>[A-Za-z0-9_-]+)\s*:")


def _is_block_line(line: str) -> bool:
    """Part of the section above it: indented, blank, or a comment."""
    stripped = line.strip()
    return not stripped or stripped.startswith("#") or line[:1] in (" ", "\t")


def set_section_values(path: Path, section: str, updates: dict[str, str]) -> None:
    """Set ``section.KEY`` to each value (YAML text, such as ``30`` or ``true``)."""
    text = read_text(path) if path.exists() else ""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    header = re.compile(rf"^{re.escape(section)}\s*:(?P<rest>.*)$")
    at = next((i for i, line in enumerate(lines) if header.match(line.rstrip("\r\n"))), None)
    if at is None:
        lines.append(f"{section}:\n")
        lines.extend(f"  {key}: {value}\n" for key, value in updates.items())
    else:
        match = header.match(lines[at].rstrip("\r\n"))
        assert match is not None
        comment = _inline_comment(lines[at])
        rest = match.group("rest")
        rest = rest[: len(rest) - len(comment)] if comment and rest.endswith(comment) else rest
        rest = rest.strip()
        if rest.startswith("{"):
            lines[at] = _flow(path, section, rest, updates) + comment + "\n"
        elif rest in ("", "~", "null"):
            _block(lines, at, section, updates, comment)
        else:
            raise InputError.single(
                str(path), at + 1, section, f"expected a mapping, got '{rest[:40]}'"
            )
    write_config_text(path, "".join(lines))


def _flow(path: Path, section: str, rest: str, updates: dict[str, str]) -> str:
    """``section: {a: 1, b: 2}`` with the updates merged in, keys in their order."""
    current = load_yaml(rest, str(path)).data
    if not isinstance(current, dict):
        raise InputError.single(str(path), None, section, "expected a mapping")
    merged = {str(key): _scalar(value) for key, value in current.items()}
    merged.update(updates)
    body = ", ".join(f"{key}: {value}" for key, value in merged.items())
    return f"{section}: {{{body}}}"


def _scalar(value: Any) -> str:
    """A value read from a one-line mapping, written back as YAML (a nested value as JSON,
    which YAML reads the same)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str) and PLAIN.match(value) and value not in ("true", "false", "null"):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _block(lines: list[str], at: int, section: str, updates: dict[str, str], comment: str) -> None:
    """Edit an indented section starting at line ``at`` (in place)."""
    if re.match(rf"^{re.escape(section)}\s*:\s*(~|null)", lines[at]):  # ``pomodoro: ~``
        lines[at] = f"{section}:{comment}\n"
    end = at + 1
    while end < len(lines) and _is_block_line(lines[end]):
        end += 1
    keys: dict[str, int] = {}
    indent = "  "
    last = at
    for i in range(at + 1, end):
        found = KEY_LINE.match(lines[i])
        if found is None:
            continue
        if not keys:
            indent = found.group("indent")
        if found.group("indent") == indent:
            keys[found.group("key")] = i
    for i in range(at + 1, end):  # after the section's last value line (nested ones too)
        stripped = lines[i].strip()
        if stripped and not stripped.startswith("#"):
            last = i
    added: list[str] = []
    for key, value in updates.items():
        if key in keys:
            i = keys[key]
            lines[i] = f"{indent}{key}: {value}{_inline_comment(lines[i])}\n"
        else:
            added.append(f"{indent}{key}: {value}\n")
    lines[last + 1 : last + 1] = added
