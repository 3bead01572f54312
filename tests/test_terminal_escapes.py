"""Text that would drive the terminal (ESC sequences, C1 controls, bidi overrides) is printed
as visible escapes by the CLI, never raw, and JSON output still reads back as the stored text."""

from __future__ import annotations

import json
import re

import pytest

from studytui.cli import run
from studytui.core.plaintext import json_text, printable

HOSTILE = "\x1b]0;PWNED\x07\x1b[2J\x9b31m\u202eevil"
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]")


def test_printable_and_json_text() -> None:
    assert printable(HOSTILE) == "\\x1b]0;PWNED\\x07\\x1b[2J\\x9b31m\\u202eevil"
    assert printable("two\nlines\tok") == "two\nlines\tok"
    assert printable("two\nlines", inline=True) == "two\\x0alines"
    text = json_text({"note": HOSTILE})
    assert not RAW_CONTROL.search(text)
    assert json.loads(text) == {"note": HOSTILE}


def test_a_hostile_note_never_reaches_the_terminal_raw(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["log", "25m", "theory", "--note", HOSTILE]) == 0
    for argv in (["sessions"], ["sessions", "--all"], ["sessions", "--json"], ["export", "-"]):
        capsys.readouterr()
        assert run(argv) == 0, argv
        out, err = capsys.readouterr()
        assert not RAW_CONTROL.search(out.replace("\r\n", "\n")), argv
        assert not RAW_CONTROL.search(err), argv
    assert run(["export", "-"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["sessions"][0]["note"] == HOSTILE


def test_error_messages_quoting_user_input_are_escaped(
    capsys: pytest.CaptureFixture[str],
) -> None:
    run(["log", "25m", "theory", "--topic", HOSTILE])
    _, err = capsys.readouterr()
    assert err
    assert not RAW_CONTROL.search(err)
