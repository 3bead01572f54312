"""Settings: a typed, frozen object read from config.yaml with documented defaults.

Every key is optional. A bad value or an unknown key is an InputError that names the file, the
line, the key and what is allowed; studytui never falls back to a default silently.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from studytui.core.categories import TimeSplit
from studytui.core.errors import InputError
from studytui.core.review_settings import ReviewSettings, parse_review
from studytui.core.timezone import system_zone, valid_zone
from studytui.core.validate import Checker
from studytui.core.yamldoc import Located, PathKey, load_yaml, read_text

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEFAULT_CURRICULUM = "ml-ai-senior-12w"
# A roadmap's first day: from the first day a session may be stored on to a plan made long ahead;
# beyond it, a 48-week calendar overflows Python's dates (year 9999).
START_DATE_MIN = date(1970, 1, 1)
START_DATE_MAX = date(2199, 12, 31)
ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_start_date(raw: object) -> date | str:
    """A roadmap start date from config, the CLI or the picker; else the reason it is refused.

    One rule for every way a start date enters: a calendar date (not a date and time) within
    ``START_DATE_MIN`` to ``START_DATE_MAX``.
    """
    if isinstance(raw, datetime):
        return f"'{raw}' is a date and time; write only the date, YYYY-MM-DD"
    if isinstance(raw, date):
        day = raw
    else:
        text = str(raw).strip()
        try:
            day = date.fromisoformat(text)
        except ValueError as exc:
            why = "" if "isoformat" in str(exc) else f" ({exc})"  # "day is out of range…"
            return f"'{text[:40]}' is not a date{why}; write it as YYYY-MM-DD"
        if not ISO_DATE_RE.match(text):
            return f"'{text[:40]}' is not a date; write it as YYYY-MM-DD"
    if not START_DATE_MIN <= day <= START_DATE_MAX:
        return f"{day.isoformat()} is out of range; allowed: {START_DATE_MIN} to {START_DATE_MAX}"
    return day


# The whole-number pomodoro settings and their allowed ranges: one table for config.yaml and
# for the app's dialog (``ui/screens/pomodoro_dialog.py``), so both refuse the same values.
POMODORO_RANGES: dict[str, tuple[int, int]] = {
    "work_minutes": (1, 240),
    "short_break_minutes": (1, 120),
    "long_break_minutes": (1, 240),
    "long_break_every": (1, 20),
    "daily_goal": (0, 50),
}


def pomodoro_number(key: str, text: str) -> int | str:
    """A whole-number pomodoro setting typed in the app, or why it is refused (the same rule
    as config.yaml's)."""
    lo, hi = POMODORO_RANGES[key]
    raw = text.strip()
    if not re.fullmatch(r"[+-]?\d{1,6}", raw):
        return f"'{raw[:20]}' is not a whole number; allowed: {lo}-{hi}"
    value = int(raw)
    if not lo <= value <= hi:
        return f"{value} is out of range; allowed: {lo}-{hi}"
    return value


# ``pomodoro.sound`` values that are not a file.
SOUND_WORDS = ("bell", "none")


@dataclass(frozen=True)
class PomodoroSettings:
    """Lengths of the work / break cycle, what happens at a phase end, and the daily goal."""

    work_minutes: int = 25
    short_break_minutes: int = 5
    long_break_minutes: int = 15
    long_break_every: int = 4
    bell: bool = True
    desktop_notifications: bool = False
    # A detached pomodoro (started from the CLI, or left running at quit) whose planned end
    # passed with no app holding it: "log" it completed at that end, or "ask" what to do.
    detached_end: str = "log"
    # A finished pomodoro's break starts by itself (what the timer always did), and a finished
    # break's pomodoro does not: starting focus is the user's decision unless they opt in.
    auto_start_breaks: bool = True
    auto_start_work: bool = False
    daily_goal: int = 0  # completed pomodoros a study day aims at; 0: no goal shown
    # "bell", "none" or a sound file; None (not set) leaves it to ``bell``, so a config.yaml
    # written before ``sound`` existed keeps ringing, or staying quiet, as it did.
    sound: str | None = None

    @property
    def phase_sound(self) -> str:
        """What a phase end plays: ``sound`` when set, else the bell unless ``bell: false``."""
        if self.sound is not None:
            return self.sound
        return "bell" if self.bell else "none"


@dataclass(frozen=True)
class Settings:
    """Everything a user can set in config.yaml."""

    curriculum: str = DEFAULT_CURRICULUM
    start_date: date | None = None
    timezone: str = "UTC"
    week_start: str = "monday"
    day_rollover_hour: int = 4
    target_split: TimeSplit | None = None
    streak_minutes: int = 25
    pomodoro: PomodoroSettings = field(default_factory=PomodoroSettings)
    review: ReviewSettings = field(default_factory=ReviewSettings)
    theme: str = "textual-dark"
    keys: tuple[tuple[str, str], ...] = ()
    backups_keep: int = 7
    source: str = ""

    @property
    def week_start_index(self) -> int:
        return WEEKDAYS.index(self.week_start)

    @property
    def keymap(self) -> dict[str, str]:
        return dict(self.keys)


TOP_KEYS = (
    "curriculum", "start_date", "timezone", "week_start", "day_rollover_hour", "target_split",
    "streak_minutes", "pomodoro", "review", "theme", "keys", "backups_keep",
)  # fmt: skip


def load_settings(path: Path) -> Settings:
    """Read config.yaml; a missing file gives the defaults with the system time zone."""
    if not path.exists():
        return Settings(timezone=system_zone(), source=str(path))
    doc = load_yaml(read_text(path), str(path))
    return parse_settings(doc)


def parse_settings(doc: Located) -> Settings:
    data = doc.data if doc.data is not None else {}
    c = Checker(doc)
    top = c.mapping(data, (), optional=TOP_KEYS)
    if top is None:
        c.raise_if_any()
        raise AssertionError("unreachable")
    values: dict[str, Any] = {"source": doc.file}
    if (cur := c.slug(top, "curriculum", ())) if "curriculum" in top else None:
        values["curriculum"] = cur
    if "start_date" in top and top["start_date"] is not None:
        start = parse_start_date(top["start_date"])
        if isinstance(start, date):
            values["start_date"] = start
        else:
            c.error(("start_date",), start)
    zone = c.text(top, "timezone", ())
    if zone is not None and not valid_zone(zone):
        c.error(("timezone",), f"'{zone}' is not an IANA time zone such as Europe/Berlin")
    values["timezone"] = zone if zone and valid_zone(zone) else system_zone()
    day = c.text(top, "week_start", ())
    if day is not None:
        if day.lower() in WEEKDAYS:
            values["week_start"] = day.lower()
        else:
            c.error(("week_start",), f"'{day}'; allowed: {', '.join(WEEKDAYS)}")
    _put(values, "day_rollover_hour", c.integer(top, "day_rollover_hour", (), 0, 23))
    _put(values, "streak_minutes", c.integer(top, "streak_minutes", (), 1, 1440))
    _put(values, "backups_keep", c.integer(top, "backups_keep", (), 0, 365))
    _put(values, "theme", c.text(top, "theme", (), required=True))
    if "target_split" in top and top["target_split"] is not None:
        values["target_split"] = c.time_split(top["target_split"], ("target_split",))
    if "pomodoro" in top and top["pomodoro"] is not None:
        values["pomodoro"] = _pomodoro(c, top["pomodoro"])
    if "review" in top and top["review"] is not None:
        values["review"] = parse_review(c, top["review"])
    if "keys" in top and top["keys"] is not None:
        keys = top["keys"]
        km = c.mapping(keys, ("keys",), optional=tuple(keys) if isinstance(keys, dict) else ())
        if km is not None:
            values["keys"] = tuple(
                (k, v) for k in km if (v := c.text(km, k, ("keys",), required=True))
            )
    c.raise_if_any()
    return Settings(**values)


def _put(values: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        values[key] = value


def _pomodoro(c: Checker, raw: Any) -> PomodoroSettings:
    path: PathKey = ("pomodoro",)
    m = c.mapping(
        raw,
        path,
        optional=(
            "work_minutes", "short_break_minutes", "long_break_minutes", "long_break_every",
            "bell", "desktop_notifications", "detached_end", "auto_start_breaks",
            "auto_start_work", "daily_goal", "sound",
        ),
    )  # fmt: skip
    if m is None:
        return PomodoroSettings()
    values: dict[str, Any] = {}
    for key, (lo, hi) in POMODORO_RANGES.items():
        _put(values, key, c.integer(m, key, path, lo, hi))
    for flag in ("bell", "auto_start_breaks", "auto_start_work"):
        _put(values, flag, c.boolean(m, flag, path))
    # Any text: a word of SOUND_WORDS or a file; a missing file or player is a warning when
    # the app starts (``core/sound.py``), never a refused config.
    _put(values, "sound", c.text(m, "sound", path, required=True))
    _put(values, "desktop_notifications", c.boolean(m, "desktop_notifications", path))
    _put(values, "detached_end", c.choice(m, "detached_end", path, ("log", "ask")))
    return PomodoroSettings(**values)


CONFIG_TEMPLATE = """\
# studytui configuration. Every key is optional; the commented values are the defaults.
# Run `studytui locate` to see where this file and the database live.

# The active curriculum (`studytui curriculum list`) and the first day of its first week.
curriculum: {curriculum}
start_date: {start_date}

# Your IANA time zone; the default is the system's.
# timezone: {timezone}
# First day of a calendar week, used when no curriculum week applies.
# week_start: monday
# The study day rolls over at this hour: study at 01:00 counts for the day before.
# day_rollover_hour: 4
# Target split of weekly focus time; the default is the curriculum's, else 70/20/10.
# target_split: {{hands-on: 70, theory: 20, community: 10}}
# Minutes of focus a day needs to count towards a streak.
# streak_minutes: 25
# pomodoro:
#   work_minutes: 25
#   short_break_minutes: 5
#   long_break_minutes: 15
#   long_break_every: 4
#   auto_start_breaks: true     # a finished pomodoro's break starts by itself (false: press s)
#   auto_start_work: false      # a finished break's pomodoro starts by itself, same topic
#   daily_goal: 0               # pomodoros a day to aim at, shown as 3/8 (0: no goal)
#   sound: bell                 # at a phase end: bell, none, or a sound file (~/ding.wav)
#   bell: true                  # the old switch: false means sound: none when sound is unset
#   desktop_notifications: false
#   detached_end: log           # a pomodoro no app holds, past its end: log it, or ask
# review:
#   new_cards_per_day: 20
#   reviews_per_day: 200        # also caps new cards, as in Anki, unless:
#   new_cards_ignore_review_limit: false
#   desired_retention: 0.9
#   learning_steps: [1m, 10m]
#   relearning_steps: [10m]
#   maximum_interval_days: 36500
#   fuzz: true
#   leech_threshold: 8          # lapses before a card is a leech (0: never)
#   leech_action: suspend       # or tag: list it only (`studytui decks leeches`)
#   bury_new_siblings: true     # a note's new cards wait a day after one of its cards is seen
#   bury_review_siblings: false
#   bury_interday_learning_siblings: false
#   presets:                    # Anki's deck option presets (docs/decks.md, *Presets*)
#     maths:
#       decks: [calculus, linear-algebra]
#       new_cards_per_day: 5      # each deck's own limits, within the ones above
#       desired_retention: 0.92
#       learning_steps: [1m, 10m, 1h]
# theme: textual-dark
# Remap keys by binding id, e.g. `review.again: "1,j"` (see the help screen, F1).
# keys: {{}}
# How many daily database backups to keep.
# backups_keep: 7
"""


def write_initial_config(path: Path, curriculum: str, start_date: date, timezone: str) -> None:
    """Create config.yaml on first run; never overwrites an existing file."""
    text = CONFIG_TEMPLATE.format(
        curriculum=curriculum, start_date=start_date.isoformat(), timezone=timezone
    )
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)  # yours alone, as the db
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)


INLINE_COMMENT_RE = re.compile(
    r"""^[^:]*:\s*(?:'(?:[^']|'')*'|"(?:[^"\\]|\\.)*"|[^#'"\n]*?)(?P<comment>\s+#.*?)?\s*$"""
)


def _inline_comment(line: str) -> str:
    """The ``  # …`` ending a ``key: value`` line (kept when the value changes), or ''."""
    match = INLINE_COMMENT_RE.match(line.rstrip("\r\n"))
    return (match.group("comment") or "") if match else ""


def set_config_values(path: Path, updates: dict[str, str]) -> None:
    """Set top-level scalar keys in config.yaml, keeping every other line and comment as is.

    The new text is validated before it replaces the file (atomically), so a failed edit leaves
    the old file untouched.
    """
    text = read_text(path) if path.exists() else ""
    lines = text.splitlines(keepends=True)
    for key, value in updates.items():
        pattern = re.compile(rf"^{re.escape(key)}\s*:")
        new_line = f"{key}: {value}\n"
        for i, line in enumerate(lines):
            if pattern.match(line):
                lines[i] = f"{key}: {value}{_inline_comment(line)}\n"
                break
        else:
            if lines and not lines[-1].endswith("\n"):
                lines[-1] += "\n"
            lines.append(new_line)
    new_text = "".join(lines)
    write_config_text(path, new_text)


def write_config_text(path: Path, new_text: str) -> None:
    """Replace config.yaml with ``new_text`` once it parses as valid settings (atomically, so a
    failed write leaves the old file whole)."""
    parse_settings(load_yaml(new_text, str(path)))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".config-", suffix=".yaml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(new_text)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


__all__ = [
    "DEFAULT_CURRICULUM",
    "POMODORO_RANGES",
    "InputError",
    "PomodoroSettings",
    "ReviewSettings",
    "Settings",
    "load_settings",
    "parse_settings",
    "parse_start_date",
    "pomodoro_number",
    "set_config_values",
    "write_config_text",
    "write_initial_config",
]
