"""The sound at a phase end (``pomodoro.sound``): the terminal bell, nothing, or a sound file.

A file is played by the first player found (``paplay``, ``aplay``, ``afplay``), in a worker
thread, best effort: the notification on screen is what tells the user, so a missing player, a
missing file or a player that fails is a warning when the app starts (``sound_warnings``) and a
silent miss at the phase end, never an error that stops the timer. No I/O at import time.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from studytui.core.config import SOUND_WORDS, PomodoroSettings

PLAYERS = ("paplay", "aplay", "afplay")  # PulseAudio/PipeWire, ALSA, macOS
PLAY_TIMEOUT = 30.0  # seconds a player may take before it is given up on


def sound_file(settings: PomodoroSettings, config_file: str) -> Path | None:
    """The file ``sound`` names (``~`` expanded; relative to config.yaml's folder), or None
    for ``bell`` and ``none``."""
    choice = settings.phase_sound
    if choice in SOUND_WORDS:
        return None
    path = Path(choice).expanduser()
    if not path.is_absolute() and config_file:
        path = Path(config_file).parent / path
    return path


def find_player(which: Callable[[str], str | None] = shutil.which) -> str | None:
    """The first sound player on PATH."""
    return next((found for name in PLAYERS if (found := which(name))), None)


def sound_warnings(
    settings: PomodoroSettings,
    config_file: str,
    which: Callable[[str], str | None] = shutil.which,
) -> list[str]:
    """Why a configured sound file would not play, for the app's start-up warnings."""
    path = sound_file(settings, config_file)
    if path is None:
        return []
    where = f"{config_file or 'config.yaml'}: pomodoro.sound"
    problems: list[str] = []
    if not path.is_file():
        problems.append(f"{where}: no sound file {str(path)[:120]}; phase ends will be silent")
    if find_player(which) is None:
        problems.append(
            f"{where}: no sound player found ({', '.join(PLAYERS)}); phase ends will be silent"
        )
    return problems


def play_file(path: Path, which: Callable[[str], str | None] = shutil.which) -> bool:
    """Play ``path`` once and wait for the player (call it from a worker); True if it played."""
    player = find_player(which)
    if player is None or not path.is_file():
        return False
    try:
        result = subprocess.run(
            [player, str(path)],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=PLAY_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0
