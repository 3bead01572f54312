"""studytui against Anki and Watson on the same data, in the same run.

    uv run python bench/run.py --scale small          # a tenth of full scale, under a minute
    uv run python bench/run.py --scale full           # 100k cards, 1M review logs, 20k pomodoros
    uv run python bench/run.py --scaling              # 1k, 10k and 100k, one table

The peers are installed by this script into throwaway virtual environments (``uv venv`` +
``uv pip install``) inside the work folder, never into the project. Each side's data is written
first (setups run two at a time); then every measurement runs in a fresh process, one after the
other, so peak memory is each program's own and the machine is not shared while timing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import data  # noqa: E402
from studytui_bench import home_env  # noqa: E402

PEERS = {"anki": "anki", "watson": "td-watson"}


@dataclass(frozen=True)
class Row:
    operation: str
    ours: str
    peer: str
    ratio: float | None
    target: str
    met: bool | None
    method: str


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def p95(xs: list[float]) -> float:
    ordered = sorted(xs)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def fmt_ms(ms: float | None) -> str:
    if ms is None:
        return "—"
    if ms >= 1000:
        return f"{ms / 1000:.2f} s"
    if ms >= 10:
        return f"{ms:.0f} ms"
    if ms >= 1:
        return f"{ms:.2f} ms"
    return f"{ms:.3f} ms"


# -- child processes ---------------------------------------------------------------------------


def run_json(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} failed:\n{proc.stderr[-4000:]}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def start_json(cmd: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def wait_json(proc: subprocess.Popen[str]) -> dict[str, Any]:
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"bench: {proc.args!r} failed:\n{err[-4000:]}")
    return dict(json.loads(out.strip().splitlines()[-1]))


def base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    env["TZ"] = "UTC"
    return env


def make_peer_envs(folder: Path) -> tuple[dict[str, Path], float]:
    """A virtual environment per peer, made with uv; returns their pythons and the time taken."""
    uv = shutil.which("uv")
    if uv is None:
        raise SystemExit("bench: uv is needed to install the peers (https://docs.astral.sh/uv/)")
    t = time.perf_counter()
    pythons: dict[str, Path] = {}
    for name, package in PEERS.items():
        env_dir = folder / f"{name}-env"
        py = f"{sys.version_info.major}.{sys.version_info.minor}"
        subprocess.run([uv, "venv", "-q", "--python", py, str(env_dir)], check=True)
        subprocess.run(
            [uv, "pip", "install", "-q", "--python", str(env_dir / "bin" / "python"), package],
            check=True,
        )
        pythons[name] = env_dir / "bin" / "python"
    return pythons, time.perf_counter() - t


def peer_versions(pythons: dict[str, Path]) -> dict[str, str]:
    out = {}
    for name, package in PEERS.items():
        code = f"import importlib.metadata as m; print(m.version({package!r}))"
        proc = subprocess.run([str(pythons[name]), "-c", code], capture_output=True, text=True)
        out[name] = proc.stdout.strip()
    return out


# -- one scale -------------------------------------------------------------------------------


def run_scale(
    scale: data.Scale,
    work: Path,
    pythons: dict[str, Path] | None,
    runs: int,
    starts: int,
    ratings: int,
) -> dict[str, Any]:
    now = time.time()
    home = work / f"studytui-{scale.name}"
    sync_home = work / f"studytui-sync-{scale.name}"
    anki_dir = work / f"anki-{scale.name}"
    watson_dir = work / f"watson-{scale.name}"
    ours = [sys.executable, str(BENCH / "studytui_bench.py")]
    env = base_env()
    results: dict[str, Any] = {"scale": scale.name, "describe": scale.describe()}

    log(f"{scale.name}: writing data ({scale.describe()})")
    t = time.perf_counter()
    jobs = [
        ("setup", [*ours, "setup", "--home", str(home), "--scale", scale.name, "--now", str(now)]),
        ("sync_setup", [*ours, "sync-setup", "--home", str(sync_home), "--scale", scale.name]),
    ]
    if pythons:
        jobs.append(
            ("anki_setup", [str(pythons["anki"]), str(BENCH / "peers" / "anki_bench.py"), "setup",
                            "--dir", str(anki_dir), "--scale", scale.name, "--now", str(now)])
        )  # fmt: skip
        jobs.append(
            ("watson_setup", [str(pythons["watson"]), str(BENCH / "peers" / "watson_bench.py"),
                              "setup", "--dir", str(watson_dir), "--scale", scale.name,
                              "--now", str(now)])
        )  # fmt: skip
    pending = list(jobs)
    while pending:  # two at a time: the machine has two cores
        batch, pending = pending[:2], pending[2:]
        procs = [(key, start_json(cmd, env)) for key, cmd in batch]
        for key, proc in procs:
            results[key] = wait_json(proc)
    results["setup_s"] = time.perf_counter() - t

    log(f"{scale.name}: first card of a fresh process ({starts} starts each)")
    results["first_queue"] = first_queues(home, anki_dir, pythons, starts, env)
    log(f"{scale.name}: studytui services")
    results["studytui"] = run_json(
        [*ours, "measure", "--home", str(home), "--runs", str(runs), "--ratings", str(ratings)],
        env,
    )
    results["studytui_full_sync"] = run_json(
        [*ours, "measure", "--home", str(home), "--runs", "1", "--ratings", str(ratings // 2),
         "--synchronous", "FULL"],
        env,
    )  # fmt: skip
    log(f"{scale.name}: studytui start to first frame ({starts} starts)")
    results["first_frame"] = first_frames(home, starts)
    log(f"{scale.name}: studytui deck sync")
    results["sync"] = run_json(
        [*ours, "sync", "--home", str(sync_home), "--scale", scale.name, "--runs", str(runs // 4)],
        env,
    )
    if pythons:
        log(f"{scale.name}: Anki")
        results["anki"] = run_json(
            [str(pythons["anki"]), str(BENCH / "peers" / "anki_bench.py"), "measure",
             "--dir", str(anki_dir), "--runs", str(runs), "--ratings", str(ratings)],
            env,
        )  # fmt: skip
        log(f"{scale.name}: Watson")
        results["watson"] = run_json(
            [str(pythons["watson"]), str(BENCH / "peers" / "watson_bench.py"), "measure",
             "--dir", str(watson_dir), "--runs", str(runs)],
            env,
        )  # fmt: skip
    return results


def first_queues(
    home: Path, anki_dir: Path, pythons: dict[str, Path] | None, starts: int, env: dict[str, str]
) -> dict[str, Any]:
    """The review screen's first card and Anki's first queue, each in fresh processes, taken
    in turn on the same data (before the rating runs change it)."""
    ours = [sys.executable, str(BENCH / "studytui_bench.py"), "first-queue", "--home", str(home)]
    out: dict[str, Any] = {"studytui": [], "anki": []}
    for _ in range(starts):
        out["studytui"].append(run_json(ours, env))
        if pythons:
            anki = [str(pythons["anki"]), str(BENCH / "peers" / "anki_bench.py"), "first-queue",
                    "--dir", str(anki_dir)]  # fmt: skip
            out["anki"].append(run_json(anki, env))
    return out


def first_frames(home: Path, starts: int) -> dict[str, Any]:
    """Process start to the dashboard's frames, one fresh process per start."""
    env = base_env()
    env.update(home_env(home))
    cmd = [sys.executable, str(BENCH / "first_frame.py")]
    kinds = ("first_frame", "loaded_frame", "activity_frame")
    out: dict[str, Any] = {f"{k}{unit}": [] for k in kinds for unit in ("_ms", "_cpu_ms")}
    for i in range(starts + 1):
        t0 = time.monotonic()
        marks = run_json(cmd, env)
        if any(k not in marks for k in kinds):
            raise SystemExit(f"bench: the dashboard was never painted: {marks}")
        if i == 0:  # untimed: warms the page cache
            out["warmup_first_frame_ms"] = (marks["first_frame"] - t0) * 1000
            continue
        for k in kinds:
            out[f"{k}_ms"].append((marks[k] - t0) * 1000)
            out[f"{k}_cpu_ms"].append(marks[f"{k}_cpu"] * 1000)
    return out


# -- the table -------------------------------------------------------------------------------


def ratio_row(
    operation: str,
    ours: float,
    peer: float | None,
    target_ms: float | None,
    method: str,
    judged: bool = True,
) -> Row:
    """A row; ``judged`` rows hold studytui to ratio <= 1 when there is a peer figure."""
    ratio = ours / peer if peer else None
    met: bool | None = None
    target = "—"
    checks = []
    if target_ms is not None:
        target = f"≤ {fmt_ms(target_ms)}"
        checks.append(ours <= target_ms)
    if ratio is not None and judged:
        target = f"{target}, ratio ≤ 1" if target != "—" else "ratio ≤ 1"
        checks.append(ratio <= 1.0)
    if checks:
        met = all(checks)
    return Row(operation, fmt_ms(ours), fmt_ms(peer), ratio, target, met, method)


def build_rows(r: dict[str, Any]) -> list[Row]:
    s = r["studytui"]
    a = r.get("anki")
    w = r.get("watson")
    ff = r["first_frame"]
    sync = r["sync"]
    n_runs = s["runs"]
    n_starts = len(ff["first_frame_ms"])
    rows = [
        ratio_row(
            "start → dashboard, first frame",
            median(ff["first_frame_ms"]),
            None,
            500,
            f"median of {n_starts} fresh processes (after one untimed start), headless "
            "120x40, frame rendered to terminal output; CPU "
            f"{median(ff['first_frame_cpu_ms']):.0f} ms",
        ),
        ratio_row(
            "start → dashboard, week shown",
            median(ff["loaded_frame_ms"]),
            None,
            None,
            "same starts: first frame after the week's plan arrived; CPU "
            f"{median(ff['loaded_frame_cpu_ms']):.0f} ms",
        ),
        ratio_row(
            "start → dashboard, split bars and cards due shown",
            median(ff["activity_frame_ms"]),
            None,
            1000,
            "same starts: first frame with focus time, split bars and cards due; CPU "
            f"{median(ff['activity_frame_cpu_ms']):.0f} ms",
        ),
        ratio_row(
            "open (context / collection)",
            median(s["open_ms"]),
            median(a["open_ms"]) if a else None,
            None,
            f"median of {n_runs}: open_context() (settings, curricula, DB) vs Collection()",
        ),
    ]
    if "due_counts_ms" in s:
        rows.append(
            ratio_row(
                "due counts, all decks",
                median(s["due_counts_ms"]),
                median(a["due_tree_ms"]) if a else None,
                5,
                f"median of {n_runs}: DeckStatsService.{s.get('due_counts_call', 'decks')}() "
                "vs sched.deck_due_tree()",
            )
        )
    if "rate_next_ms" in s:
        n = len(s["rate_next_ms"])
        rows.append(
            ratio_row(
                "rating → next card ready, median",
                median(s["rate_next_ms"]),
                median(a["rate_next_ms"]) if a else None,
                0.3,
                f"median of {n} ratings: rate() + next_card() + flush() (its commit) vs "
                "answer_card() + get_queued_cards()"
                + (
                    " (Anki does not commit each answer: another connection does not see it)"
                    if a and not a.get("committed_per_answer", True)
                    else ""
                ),
            )
        )
        rows.append(
            ratio_row(
                "rating → next card ready, p95",
                p95(s["rate_next_ms"]),
                p95(a["rate_next_ms"]) if a else None,
                None,
                f"95th percentile of the same {n} ratings",
            )
        )
        full = r.get("studytui_full_sync", {}).get("rate_next_ms")
        if full:
            rows.append(
                ratio_row(
                    "rating → next card, synchronous=FULL",
                    median(full),
                    median(a["rate_next_ms"]) if a else None,
                    None,
                    f"median of {len(full)}: studytui with SQLite's synchronous=FULL (an fsync "
                    "per rating) vs Anki's answers, which are not committed one by one",
                    judged=False,
                )
            )
        rows.append(
            ratio_row(
                "rating → next card shown (write queued)",
                median(s["rate_next_shown_ms"]),
                median(a["rate_next_ms"]) if a else None,
                None,
                "same ratings, before flush() (the review screen writes in a worker): like "
                "Anki, whose answer is committed later",
                judged=False,
            )
        )
        rows.append(
            ratio_row(
                "review queue load",
                s["queue_load_ms"][0],
                None,
                None,
                f"one ReviewService.start() over all decks ({s['queue']})",
            )
        )
    fq = r.get("first_queue")
    if fq and fq["studytui"]:
        ours_first = [x["first_card_ms"] for x in fq["studytui"]]
        ours_whole = [x["whole_queue_ms"] for x in fq["studytui"]]
        anki_first = [x["first_queue_ms"] for x in fq["anki"]]
        peer = median(anki_first) if anki_first else None
        counts = fq["studytui"][0]["counts"]
        rows.append(
            ratio_row(
                "review screen's first card, fresh process",
                median(ours_first),
                peer,
                None,
                f"median of {len(ours_first)} processes: start_head() + next_card() after "
                "open_context vs Anki's first get_queued_cards() after opening the collection",
            )
        )
        rows.append(
            ratio_row(
                "whole queue (read by the screen's worker)",
                median(ours_whole),
                peer,
                None,
                f"same processes: start() after the first card ({counts}); the screen shows "
                "the first card meanwhile",
                judged=False,
            )
        )
    if "week_report_ms" in s:
        rows.append(
            ratio_row(
                "week report",
                median(s["week_report_ms"]),
                median(w["report_week_ms"]) if w else None,
                10,
                f"median of {n_runs}: TimeStatsService.week() vs `watson report --week --json` "
                "in-process (fresh Watson object each run)",
            )
        )
    rows.append(
        ratio_row(
            "deck sync, unchanged",
            median(sync["sync_unchanged_ms"]),
            None,
            None,
            f"median of {sync['runs']}: sync_decks() over {sync['files']} files "
            f"({r['scale']}: {data.SCALES[r['scale']].sync_cards:,} cards) and the bundled decks",
        )
    )
    rows.append(
        ratio_row(
            "deck sync, changed",
            median(sync["sync_changed_ms"]),
            None,
            None,
            f"median of {sync['runs']}: every file edited, a third of its cards changed",
        )
    )
    peak_a = a["peak_rss_mb"] if a else None
    rows.append(
        Row(
            "peak memory",
            f"{s['peak_rss_mb']:.0f} MB",
            f"{peak_a:.0f} MB" if peak_a else "—",
            s["peak_rss_mb"] / peak_a if peak_a else None,
            "ratio ≤ 1" if peak_a else "—",
            s["peak_rss_mb"] <= peak_a if peak_a else None,
            "ru_maxrss of the process that ran the measurements above (Anki's: its own)",
        )
    )
    if w:
        rows.append(
            Row(
                "peak memory (week report peer)",
                f"{s['peak_rss_mb']:.0f} MB",
                f"{w['peak_rss_mb']:.0f} MB",
                None,
                "—",
                None,
                "Watson's measuring process, for reference",
            )
        )
    return rows


def table(rows: list[Row], markdown: bool) -> str:
    head = ("operation", "studytui", "peer", "ratio", "target", "met", "method")
    body = [
        (
            row.operation,
            row.ours,
            row.peer,
            f"{row.ratio:.2f}" if row.ratio is not None else "—",
            row.target,
            {True: "yes", False: "**no**" if markdown else "NO", None: "—"}[row.met],
            row.method,
        )
        for row in rows
    ]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(cells) + " |" for cells in body]
        return "\n".join(lines)
    widths = [max(len(h), *(len(b[i]) for b in body)) for i, h in enumerate(head[:-1])]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head[:-1], widths, strict=False)) + "  method"]
    for cells in body:
        left = "  ".join(c.ljust(w) for c, w in zip(cells[:-1], widths, strict=False))
        lines.append(f"{left}  {cells[-1]}")
    return "\n".join(lines)


SCALING_OPS = (
    ("due counts, all decks", "due_counts_ms", "due_tree_ms", "anki"),
    ("rating → next card ready, median", "rate_next_ms", "rate_next_ms", "anki"),
    ("week report", "week_report_ms", "report_week_ms", "watson"),
    ("open (context / collection)", "open_ms", "open_ms", "anki"),
)


def scaling_table(all_results: list[dict[str, Any]]) -> str:
    scales = [r["scale"] for r in all_results]
    head = ["operation", *(f"{s} studytui / peer" for s in scales)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]

    def cell(r: dict[str, Any], ours: str, theirs: str, peer: str) -> str:
        mine = r["studytui"].get(ours)
        other = (r.get(peer) or {}).get(theirs)
        left = fmt_ms(median(mine)) if mine else "—"
        right = fmt_ms(median(other)) if other else "—"
        return f"{left} / {right}"

    for name, ours, theirs, peer in SCALING_OPS:
        cells = [cell(r, ours, theirs, peer) for r in all_results]
        lines.append("| " + " | ".join([name, *cells]) + " |")
    rows: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
        ("start → dashboard, first frame",
         lambda r: fmt_ms(median(r["first_frame"]["first_frame_ms"]))),
        ("review queue load", lambda r: fmt_ms(r["studytui"]["queue_load_ms"][0])
         if "queue_load_ms" in r["studytui"] else "—"),
        ("deck sync, unchanged", lambda r: fmt_ms(median(r["sync"]["sync_unchanged_ms"]))),
        ("deck sync, changed", lambda r: fmt_ms(median(r["sync"]["sync_changed_ms"]))),
        ("peak memory", lambda r: f"{r['studytui']['peak_rss_mb']:.0f} MB / "
         f"{r['anki']['peak_rss_mb']:.0f} MB" if r.get("anki") else
         f"{r['studytui']['peak_rss_mb']:.0f} MB"),
    ]  # fmt: skip
    for name, fn in rows:
        lines.append("| " + " | ".join([name, *(fn(r) for r in all_results)]) + " |")
    return "\n".join(lines)


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    git = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "commit": git or "?",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(data.SCALES), default="small")
    parser.add_argument("--scaling", action="store_true", help="run 1k, 10k and 100k in turn")
    parser.add_argument("--runs", type=int, default=20, help="runs per timed operation")
    parser.add_argument("--starts", type=int, default=8, help="process starts to time")
    parser.add_argument("--ratings", type=int, default=1000)
    parser.add_argument("--no-peers", action="store_true", help="studytui only, no installs")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.add_argument("--json", type=Path, help="also write every raw figure to this file")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()

    t_all = time.perf_counter()
    work = args.keep or Path(tempfile.mkdtemp(prefix="studytui-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    info = machine()
    try:
        pythons = None
        install_s = None
        versions: dict[str, str] = {}
        if not args.no_peers:
            log("installing the peers into throwaway environments")
            pythons, install_s = make_peer_envs(work / "envs")
            versions = peer_versions(pythons)
            log(f"peers installed in {install_s:.1f} s: {versions}")
        t_bench = time.perf_counter()
        scales = ["1k", "10k", "100k"] if args.scaling else [args.scale]
        all_results = []
        for name in scales:
            all_results.append(
                run_scale(data.SCALES[name], work, pythons, args.runs, args.starts, args.ratings)
            )
        bench_s = time.perf_counter() - t_bench
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)

    print(
        f"studytui benchmark, {info['date']}, {info['nproc']} × {info['cpu']}, Python "
        f"{info['python']}, commit {info['commit']}; peers: "
        + (", ".join(f"{k} {v}" for k, v in versions.items()) or "none")
    )
    for r in all_results:
        print(f"\n{r['scale']}: {r['describe']}\n")
        print(table(build_rows(r), args.markdown))
    if len(all_results) > 1:
        print("\nscaling (median; studytui / peer)\n")
        print(scaling_table(all_results))
    timing = f"\nbenchmark {bench_s:.1f} s"
    if install_s is not None:
        timing += f" (peer installs {install_s:.1f} s more, not counted)"
    print(timing + f"; wall {time.perf_counter() - t_all:.1f} s")
    if args.json:
        payload = {
            "machine": info,
            "peers": versions,
            "install_s": install_s,
            "results": all_results,
        }
        args.json.write_text(json.dumps(payload, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
