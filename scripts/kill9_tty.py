"""``kill -9`` of the real app in a (pseudo) terminal: during review and during a pomodoro.

Usage: uv run python scripts/kill9_tty.py [--ratings 8] [--keep DIR]

Runs ``studytui review`` in a pseudo-terminal of its own, as a user would in a terminal window,
types ratings (space shows the answer, 3 rates Good), waits until the app has had a moment to
write, and kills it with SIGKILL. The database must pass ``PRAGMA integrity_check`` and hold every
rating typed. Then it opens the app, starts a pomodoro (3 for the timer, s, ctrl+s), kills it the
same way, and checks that the running session is in the database and that the next start of the
app offers to resume it (the recovery question appears on screen).
"""

from __future__ import annotations

import argparse
import fcntl
import os
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path


class Terminal:
    """A child process on a pseudo-terminal; everything it draws is collected."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.master = master
        self.screen = bytearray()
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            self.screen.extend(data)

    def type(self, keys: str, pause: float = 0.4) -> None:
        os.write(self.master, keys.encode())
        time.sleep(pause)

    def wait_for(self, text: str, timeout: float = 20) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if text.encode() in self.screen:
                return
            time.sleep(0.1)
        raise AssertionError(f"'{text}' never appeared on screen")

    def kill9(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        os.close(self.master)


def count(db: Path, sql: str) -> int:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ratings", type=int, default=8)
    parser.add_argument("--keep", type=Path, help="use this folder as HOME and keep it")
    args = parser.parse_args()
    home = args.keep or Path(tempfile.mkdtemp(prefix="studytui-kill9-"))
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "TERM": "xterm-256color",
        "COLUMNS": "120",
        "LINES": "40",
    }
    db = home / ".local/share/studytui/studytui.db"
    cli = [sys.executable, "-m", "studytui"]
    subprocess.run([*cli, "decks", "sync"], env=env, check=True, capture_output=True)

    # 1. Review: type ratings, then kill -9.
    term = Terminal([*cli, "review"], env)
    term.wait_for("Show answer")
    time.sleep(1.0)
    for _ in range(args.ratings):
        term.type(" ", 0.3)
        term.type("3", 0.3)
    time.sleep(0.5)
    term.kill9()
    saved = count(db, "SELECT count(*) FROM review_log")
    print(f"review: typed {args.ratings} ratings, killed -9; {saved} in the database; intact")
    if saved != args.ratings:
        print("FAILED: ratings were lost")
        return 1

    # 2. A pomodoro: start it, let it run, kill -9.
    term = Terminal(cli, env)
    term.wait_for("studytui")
    time.sleep(1.5)
    term.type("3", 1.0)
    term.type("s", 1.0)
    term.type("\x13", 2.5)  # ctrl+s: start
    term.kill9()
    running = count(db, "SELECT count(*) FROM study_session WHERE status = 'running'")
    print(f"pomodoro: started, killed -9; running sessions in the database: {running}; intact")
    if running != 1:
        print("FAILED: the running pomodoro was not saved")
        return 1

    # 3. The next start asks what to do with it.
    term = Terminal(cli, env)
    try:
        term.wait_for("What should happen", timeout=20)
        print("next start: the recovery question appears (resume / stop / discard)")
    finally:
        term.kill9()
    if args.keep is None:
        shutil.rmtree(home, ignore_errors=True)
    print("passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
