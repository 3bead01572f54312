"""Watson (``td-watson``): ``report --week`` on the benchmark's pomodoros, in its own environment.

    python watson_bench.py setup   --dir DIR --scale SCALE --now EPOCH
    python watson_bench.py measure --dir DIR --runs N

``setup`` writes the sessions of ``bench/data.py`` as Watson frames (project = category, tag =
topic) plus an empty state file into DIR, Watson's config folder (``WATSON_DIR``). ``measure``
runs ``watson report --week --json`` in-process through Watson's own command-line entry point,
each run with a fresh ``Watson`` object (so the frames file is read and parsed each time, as
every ``watson`` command does), and prints one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import data  # bench/data.py, standard library only


def setup(folder: Path, scale: data.Scale, now: float) -> dict[str, Any]:
    t0 = time.perf_counter()
    ds = data.generate(scale)
    t_gen = time.perf_counter() - t0
    folder.mkdir(parents=True, exist_ok=True)
    frames = []
    for i, s in enumerate(reversed(ds.sessions)):  # oldest first, as Watson appends
        start = int(now - s.start)
        stop = start + s.seconds
        frames.append([start, stop, s.category, f"{i:032x}", [s.topic], stop])
    (folder / "frames").write_text(json.dumps(frames, indent=1))
    (folder / "state").write_text("{}")
    (folder / "config").write_text("[options]\npager = false\nreport_current = false\n")
    return {"generate_s": t_gen, "frames": len(frames)}


def measure(folder: Path, runs: int) -> dict[str, Any]:
    os.environ["WATSON_DIR"] = str(folder)
    from watson.cli import cli

    samples = []
    report: dict[str, Any] = {}
    for _ in range(runs):
        buffer = io.StringIO()
        t = time.perf_counter()
        with contextlib.redirect_stdout(buffer):
            cli.main(["report", "--week", "--json"], prog_name="watson", standalone_mode=False)
        samples.append(time.perf_counter() - t)
        report = json.loads(buffer.getvalue())
    return {
        "runs": runs,
        "report_week_ms": [x * 1000 for x in samples],
        "week_seconds": report.get("time"),
        "projects": {p["name"]: p["time"] for p in report.get("projects", [])},
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=("setup", "measure"))
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--scale", default="small")
    parser.add_argument("--now", type=float, default=time.time())
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    if args.command == "setup":
        result = setup(args.dir, data.SCALES[args.scale], args.now)
    else:
        result = measure(args.dir, args.runs)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
