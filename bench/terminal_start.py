"""Time `uv run studytui` in a real terminal (tmux), as a new user starts it.

Each start runs in a fresh tmux session of 120x40 with HOME and the XDG folders pointed at a
temporary home: with ``--clean`` (the default) that home is emptied first, so the start creates
config.yaml and the database and loads the bundled decks; ``--warm`` keeps what the previous
start made. The pane is read every 10 ms until it shows

- ``first``: anything at all (Textual's first frame);
- ``week``: "Week 1 of" (the week's plan);
- ``due``: "new today" or "nothing due now" (cards due) together with "Hands-on" (the split bars).

Times run from just before tmux is asked to start the command, so they include uv's own start.
Needs tmux. Prints one JSON line per start, then the medians.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SESSION = "studytui-bench-start"


def pane() -> str:
    return subprocess.run(
        ["tmux", "capture-pane", "-p", "-t", SESSION], capture_output=True, text=True, check=False
    ).stdout


def start(home: Path, command: str, timeout: float) -> dict[str, float]:
    env = " ".join(
        f"{k}={home / sub}"
        for k, sub in (("HOME", ""), ("XDG_CONFIG_HOME", "c"), ("XDG_DATA_HOME", "d"),
                       ("XDG_STATE_HOME", "s"), ("XDG_CACHE_HOME", "k"))
    )  # fmt: skip
    subprocess.run(["tmux", "kill-session", "-t", SESSION], stderr=subprocess.DEVNULL, check=False)
    t0 = time.monotonic()
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", SESSION, "-x", "120", "-y", "40",
         f"cd {ROOT} && env {env} {command}"],
        check=True,
    )  # fmt: skip
    marks: dict[str, float] = {}
    try:
        while time.monotonic() - t0 < timeout and "due" not in marks:
            text = pane()
            now = time.monotonic() - t0
            if "first" not in marks and text.strip():
                marks["first"] = now
            if "week" not in marks and "Week 1 of" in text:
                marks["week"] = now
            due = "new today" in text or "nothing due now" in text
            if due and "Hands-on" in text:
                marks["due"] = now
            time.sleep(0.01)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", SESSION], check=False)
    if "due" not in marks:
        raise SystemExit(f"terminal_start: cards due never shown within {timeout} s:\n{text}")
    return marks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--warm", action="store_true", help="keep the home between starts")
    parser.add_argument("--command", default="uv run studytui")
    parser.add_argument("--timeout", type=float, default=10.0)
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        raise SystemExit("terminal_start: needs tmux")
    runs = []
    with tempfile.TemporaryDirectory(prefix="studytui-start-") as tmp:
        home = Path(tmp) / "home"
        for _ in range(args.starts):
            if not args.warm:
                shutil.rmtree(home, ignore_errors=True)
            home.mkdir(exist_ok=True)
            marks = start(home, args.command, args.timeout)
            runs.append(marks)
            print(json.dumps({k: round(v, 3) for k, v in marks.items()}))
    medians = {k: round(statistics.median(r[k] for r in runs), 3) for k in runs[0]}
    print(json.dumps({"median": medians, "starts": len(runs), "clean": not args.warm}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
