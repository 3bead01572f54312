"""Command line: plain text by default, ``--json`` where documented, errors on stderr.

Each command lives in its own module with a ``register(subparsers)`` function; commands import
what they need lazily so ``studytui --help`` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from importlib import import_module

from studytui import __version__
from studytui.cli.parser import CliParser
from studytui.core.errors import ArgumentError, InputError, NotFoundError, StudyError
from studytui.core.plaintext import printable

COMMAND_MODULES = (
    "basic", "curriculum_cmd", "data_cmd", "sessions_cmd", "timer_cmd", "report_cmd", "decks_cmd",
    "cards_cmd",
)  # fmt: skip

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = CliParser(
        prog="studytui",
        description=(
            "A terminal study companion: this week of your roadmap, pomodoros split into "
            "hands-on / theory / community time, and FSRS flashcards. Run without a command "
            "to open the app."
        ),
    )
    parser.add_argument("--version", action="version", version=f"studytui {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=CliParser)
    for name in COMMAND_MODULES:
        import_module(f"studytui.cli.{name}").register(sub)
    return parser


def run(argv: list[str]) -> int:
    handler: Handler | None
    if argv:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as exc:  # --help, --version (0) or a usage error, already printed (2)
            return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
        handler = getattr(args, "handler", None)
    else:  # the app: no command modules (and what they import) on the way to its first frame
        args = argparse.Namespace(command=None)
        handler = None
    if handler is None:
        from studytui.cli.basic import open_app

        handler = open_app
    try:
        return handler(args)
    except InputError as exc:
        for problem in exc.problems:
            print(printable(f"studytui: {problem}"), file=sys.stderr)
        return 2
    except (ArgumentError, NotFoundError) as exc:  # what was typed is at fault, as above
        print(printable(f"studytui: {exc}"), file=sys.stderr)
        return 2
    except StudyError as exc:
        print(printable(f"studytui: {exc}"), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a full disk, a folder that cannot be written: say so, no traceback
        print(printable(f"studytui: {exc}"), file=sys.stderr)
        return 1
    except Exception as exc:
        # A write that SQLite refused (full disk, read-only folder) reaches here as sqlite3's
        # error or SQLAlchemy's wrapper of it: say what failed and where, never a traceback.
        message = _database_failure(exc)
        if message is None:
            raise
        print(printable(f"studytui: {message}"), file=sys.stderr)
        return 1


def _database_failure(exc: BaseException) -> str | None:
    """The user's message for a database error, or None when ``exc`` is not one."""
    import sqlite3

    orig = getattr(exc, "orig", None)
    cause = exc if isinstance(exc, sqlite3.Error) else orig
    if not isinstance(cause, sqlite3.Error):
        return None
    from studytui.core.storage.database import cannot_use
    from studytui.paths import AppPaths

    return cannot_use(AppPaths.default().database, cause)
