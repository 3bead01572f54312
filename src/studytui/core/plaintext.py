"""Text from users and files made safe to print on a terminal.

A note, a topic title, a deck or a file name can hold ESC sequences (``\\x1b]0;…\\a`` retitles the
terminal, ``\\x1b[2J`` clears it) or C1 controls (``\\x9b`` is a one-byte CSI on some terminals).
The CLI's error messages, warnings and session lines pass through ``printable``, which shows each
such character as visible ``\\xNN`` text, so output is what was stored, never an instruction to
the terminal (other plain-text commands do not yet). JSON output escapes C0 itself
(``json.dumps``) but not DEL or C1: ``json_text`` covers those.
"""

from __future__ import annotations

import json
import re
from typing import Any

# C0 except newline and tab, DEL, C1; also the Unicode line/paragraph separators and bidi
# overrides, which reorder what a reader sees.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
NOT_ESCAPED_BY_JSON = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
UNSAFE_INLINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object, *, inline: bool = False) -> str:
    """``text`` with every control character shown as ``\\xNN``; newlines and tabs kept unless
    ``inline`` (one field on one line, such as a note in a list)."""
    return (UNSAFE_INLINE if inline else UNSAFE).sub(_escape, str(text))


def json_text(data: Any, *, indent: int = 2) -> str:
    """``data`` as JSON that is safe on a terminal and still exactly ``data``: ``json.dumps``
    escapes C0 itself; DEL, C1 and the bidi/line separators (which can only occur inside strings)
    become ``\\uXXXX`` escapes, which any JSON reader turns back into the same characters."""
    text = json.dumps(data, indent=indent, ensure_ascii=False, default=str)
    return NOT_ESCAPED_BY_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
