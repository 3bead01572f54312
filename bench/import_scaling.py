"""How `studytui import` scales with the number of sessions (target: 100k at most 12x 10k).

Builds export documents with N back-to-back 25-minute sessions (and a Watson frames file with
N frames) in a temporary home, imports each into a fresh home through the CLI in-process, and
prints the seconds and the ratio of each size to the smallest. Run:

    uv run python bench/import_scaling.py [--sizes 10000 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path


def _export(n: int) -> dict[str, object]:
    start = datetime(2020, 1, 1, tzinfo=UTC)
    sessions = []
    for i in range(n):
        begin = start + timedelta(minutes=30 * i)
        sessions.append(
            {
                "category": ("hands-on", "theory", "community")[i % 3],
                "source": "manual",
                "status": "completed",
                "started_at": begin.isoformat().replace("+00:00", "Z"),
                "ended_at": (begin + timedelta(minutes=25)).isoformat().replace("+00:00", "Z"),
                "paused_seconds": 0,
            }
        )
    return {"format": "studytui-export", "version": 1, "sessions": sessions}


def _frames(n: int) -> list[list[object]]:
    t0 = int(datetime(2020, 1, 1, tzinfo=UTC).timestamp())
    return [
        [t0 + 1800 * i, t0 + 1800 * i + 1500, "study", f"{i:032x}", ["theory"], t0]
        for i in range(n)
    ]


def _timed(argv: list[str], home: Path) -> float:
    os.environ.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local/share"),
    )
    from studytui.cli import run

    began = time.perf_counter()
    code = run(argv)
    took = time.perf_counter() - began
    if code != 0:
        raise SystemExit(f"{argv} exited {code}")
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        rows: list[tuple[str, int, float]] = []
        for n in args.sizes:
            doc = root / f"export-{n}.json"
            doc.write_text(json.dumps(_export(n)), encoding="utf-8")
            frames = root / f"frames-{n}.json"
            frames.write_text(json.dumps(_frames(n)), encoding="utf-8")
            rows.append(("json", n, _timed(["import", str(doc)], root / f"home-json-{n}")))
            watson = ["import", "--format", "watson", str(frames), "--category", "theory"]
            rows.append(("watson", n, _timed(watson, root / f"home-watson-{n}")))
        base = {kind: t for kind, n, t in rows if n == args.sizes[0]}
        for kind, n, took in rows:
            print(f"{kind:7} {n:>8} sessions  {took:7.2f} s  x{took / base[kind]:.1f}", flush=True)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
