"""Desktop notifications where the system has a notifier (``notify-send``, ``osascript``).

Best effort and opt-in (``pomodoro.desktop_notifications``): run in a worker thread; a missing
notifier or a failure is silently ignored, since the in-app notification and the bell remain.
"""

from __future__ import annotations

import shutil
import subprocess
import sys


def desktop_notify(title: str, body: str) -> bool:
    """Send one notification; True when a notifier accepted it."""
    if sys.platform == "darwin" and (osascript := shutil.which("osascript")):
        script = f"display notification {_quote(body)} with title {_quote(title)}"
        command = [osascript, "-e", script]
    elif notify_send := shutil.which("notify-send"):
        command = [notify_send, "--app-name=studytui", title, body]
    else:
        return False
    try:
        result = subprocess.run(command, capture_output=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0


def _quote(text: str) -> str:
    """An AppleScript string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
