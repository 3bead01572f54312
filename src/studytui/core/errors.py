"""Errors a user can act on: each names the file, the line and the field at fault."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class StudyError(Exception):
    """Base class for errors shown to the user as a message, never as a traceback."""


class InputError(StudyError):
    """An input file (config, curriculum, deck, export) is malformed."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def single(cls, file: Path | str, line: int | None, field: str, message: str) -> InputError:
        return cls([Problem(str(file), line, field, message)])


class DatabaseError(StudyError):
    """The database cannot be opened or upgraded safely."""


class ArgumentError(StudyError):
    """A value the user typed (a duration, a time, a week) is out of range or malformed.

    The command line exits with status 2 for it, as for a malformed file: the input is at fault,
    not the machine. ``field`` names the argument (``START``, ``DURATION``) as the message's
    first word, as ``InputError`` names a file's field.
    """

    def __init__(self, message: str, field: str = "") -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}" if field else message)


class NotFoundError(StudyError):
    """A named curriculum, week, topic, deck or session does not exist (exit status 2)."""


class ConflictError(StudyError):
    """An action would break a rule of the data (overlapping sessions, two running timers)."""
