"""The argument parser: argparse's errors as one ``studytui: ARG: message`` line, exit 2.

argparse prints a usage block and ``studytui log: error: …``; every parser of the command line
(the root and, through ``parser_class``, every subcommand) is a ``CliParser``, which says instead
which argument is at fault, then the usage of the command that was typed on one line. ``--help``
and ``--version`` are argparse's own.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from studytui.core.plaintext import printable

# A token that starts with '-' then a digit is a value (a negative duration, '-5m'), never an
# option: no option of studytui starts with a digit. argparse's own rule takes only '-5' or '-.5'
# as a number, so `log -5m theory` said "CATEGORY is required" instead of naming DURATION.
VALUE_LIKE = re.compile(r"^--?\.?\d")

ARGUMENT = re.compile(r"argument (?P<name>\S+?): (?P<text>.*)", re.S)
CHOICE = re.compile(r"invalid choice: (?P<value>'.*?') \(choose from (?P<choices>.*)\)", re.S)
REQUIRED = re.compile(r"the following arguments are required: (?P<names>.*)", re.S)
AMBIGUOUS = re.compile(r"ambiguous option: (?P<option>[^=\s]+)\S* could match (?P<matches>.*)")


def file_path(text: str) -> Path:
    """A FILE argument: ``''`` would be ``Path('.')``, the current folder, never meant."""
    return Path(file_path_text(text))


def file_path_text(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("empty; give a file path")
    return text


def week_number(text: str) -> int:
    """A roadmap week number; its range is checked against the curriculum later."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text[:40]}' is not a week number") from None


def _field(name: str) -> str:
    """How a message names an argument: ``--at`` as typed, a positional as ``DURATION``."""
    if "/" in name:  # "-h/--help": the long form
        name = max(name.split("/"), key=len)
    return name if name.startswith("-") else name.upper()


class CliParser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = VALUE_LIKE
        self._typed: list[str] = []
        # The deepest subcommand parsed sets this last: its usage goes with "unrecognized".
        self.set_defaults(_cli_parser=self)

    def add_subparsers(self, **kwargs: Any) -> Any:
        kwargs.setdefault("parser_class", CliParser)
        return super().add_subparsers(**kwargs)

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        self._typed = list(sys.argv[1:] if args is None else args)
        return super().parse_known_args(args, namespace)

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            parser = getattr(parsed, "_cli_parser", self)
            first, rest = extras[0], extras[1:]
            also = f" (nor is {' '.join(rest)})" if rest else ""
            kind = "an option" if first.startswith("-") else "an argument"
            parser.reject(first, f"not {kind} of `{parser.prog}`{also}")
        return parsed

    def error(self, message: str) -> NoReturn:
        field, text = self._explain(message)
        self.reject(field, text)

    def reject(self, field: str, text: str) -> NoReturn:
        """Print ``studytui: FIELD: text`` and this command's usage, and exit with status 2."""
        line = f"studytui: {field}: {text}" if field else f"studytui: {text}"
        sys.stderr.write(printable(line, inline=True) + "\n")
        sys.stderr.write(" ".join(self.format_usage().split()) + "\n")
        self.exit(2)

    def _unknown_options(self) -> list[str]:
        """Option-looking words typed to this command that are none of its options."""
        unknown: list[str] = []
        for token in self._typed:
            if token == "--":
                break
            if not token.startswith("-") or token == "-" or VALUE_LIKE.match(token):
                continue
            name = token.split("=", 1)[0]
            if not any(o.startswith(name) for o in self._option_string_actions):
                unknown.append(token)
        return unknown

    def _explain(self, message: str) -> tuple[str, str]:
        if (m := REQUIRED.fullmatch(message)) is not None:
            unknown = self._unknown_options()
            if unknown:  # `log -x theory`: the unknown option, not "CATEGORY is required"
                return unknown[0], f"not an option of `{self.prog}`"
            # argparse lists a positional that takes "zero or more" (``+TAG``) as required too.
            optional = {
                _field(str(a.metavar or a.dest))
                for a in self._actions
                if not a.option_strings and a.nargs in ("*", "?")
            }
            names = [n for n in (_field(n.strip()) for n in m.group("names").split(",")) if n]
            names = [n for n in names if n not in optional] or names
            also = f" ({', '.join(names[1:])} too)" if names[1:] else ""
            return names[0], f"required but not given{also}"
        if (m := AMBIGUOUS.fullmatch(message)) is not None:
            return m.group("option"), f"ambiguous; could be {m.group('matches')}"
        if (m := ARGUMENT.fullmatch(message)) is not None:
            field, text = _field(m.group("name")), m.group("text")
            if (c := CHOICE.fullmatch(text)) is not None:
                what = {"COMMAND": "a command", "ACTION": "an action"}.get(field, "allowed")
                choices = c.group("choices").replace("'", "")
                text = f"{c.group('value')} is not {what}; choose from {choices}"
            return field, text
        return "", message
