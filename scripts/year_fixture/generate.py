"""Make the upgrade fixtures: a home after a year of use of an old release, made by that release.

    uv run python scripts/year_fixture/generate.py                    # --release last
    uv run python scripts/year_fixture/generate.py --release oldest

Checks out the release into a temporary worktree, runs its driver inside it (``uv run
--project``), so that release's own services write a year of reviews, pomodoros and the rest into
a fresh home, and packs that home (config folder and database) deterministically: sorted names,
fixed times, owner and modes, gzip without a time stamp. Beside it goes the old release's own
snapshot of the home, taken before any upgrade. The releases (``RELEASES``):

- ``last``, the last release (9cd2052, schema version 4), driven by ``drive.py``: makes
  ``tests/data/year_old_home.tar.gz`` and its own export ``tests/data/year_old_export.json.gz``,
  opened by ``tests/test_year_old_upgrade.py``;
- ``oldest``, the oldest shipped schema (3283e63, schema version 3), driven by
  ``drive_oldest.py``: makes ``tests/data/oldest_home.tar.gz`` and, as that release has no
  export, a plain dump of its database ``tests/data/oldest_export.json.gz``, opened by
  ``tests/test_oldest_upgrade.py``.

Why 3283e63: versions 1 to 3 came with the first storage commit (505eaa7), but 1b0a896 later
edited the version-3 DDL in place (``ix_card_state_due`` replaced by the partial ``ix_card_queue``
and ``ix_card_live``, ``ix_review_log_time`` widened into a covering index), so a version-3
database made before 1b0a896 has other indexes than one made after it, at the same version
number. Of the commits before 1b0a896, 3283e63 is the oldest with every service a year of use
needs: topic statuses and checklists (the roadmap service, since 977949b), pomodoros, manual
sessions and their soft delete (the sessions service, since 987fa17, which also gave version 3
its ``timezone`` column) and flashcard reviews with deck sync, bury, undo, edit and add (the
review and deck services, new in 3283e63, which also gave version 2 its ``ix_card_state_due``).
The storage code does not change from 3283e63 to 1b0a896's parent (c753333), so its database is
the one every commit of that range makes, those with the review and timer screens included.

Everything the drivers do is seeded and runs on a manual clock, and the checkout and the home lie
at fixed paths (``$TMPDIR/studytui-year-fixture``, ``$TMPDIR/studytui-oldest-fixture``), so two
runs give the same files.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DATA = REPO / "tests" / "data"


@dataclass(frozen=True)
class Release:
    commit: str
    driver: str  # in this folder, run inside the release's checkout
    home_archive: str  # in tests/data
    snapshot_archive: str  # in tests/data: the release's export, or a dump of its database
    workdir: str  # under $TMPDIR, fixed: the database stores each deck file's path


RELEASES = {
    "last": Release(
        "9cd2052", "drive.py", "year_old_home.tar.gz", "year_old_export.json.gz",
        "studytui-year-fixture",
    ),
    "oldest": Release(
        "3283e63", "drive_oldest.py", "oldest_home.tar.gz", "oldest_export.json.gz",
        "studytui-oldest-fixture",
    ),
}  # fmt: skip
# 2026-12-01 00:00 UTC: every member of the archive carries this time.
FIXED_MTIME = 1_796_083_200
# What the archive holds, relative to the home; the daily backups, the timer's lock file and
# SQLite's -wal/-shm (none after a clean close) are left out.
KEEP = (".config/studytui", ".local/share/studytui/studytui.db")


def home_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "STUDYTUI"))}
    if "UV_CACHE_DIR" not in env:  # uv's own cache stays where it was, outside the home
        found = subprocess.run(["uv", "cache", "dir"], check=True, capture_output=True, text=True)
        env["UV_CACHE_DIR"] = found.stdout.strip()
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_STATE_HOME=str(home / ".local" / "state"),
        TZ="Europe/Berlin",
    )
    return env


def members(home: Path) -> list[Path]:
    out: list[Path] = []
    for keep in KEEP:
        top = home / keep
        out.append(top)
        if top.is_dir():
            out.extend(sorted(top.rglob("*")))
    return out


def pack(home: Path, target: Path) -> None:
    """A tar.gz that depends only on the files' names and bytes."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        seen: set[str] = set()
        for path in members(home):
            name = path.relative_to(home).as_posix()
            parts = name.split("/")
            for i in range(1, len(parts)):  # parent folders first
                parent = "/".join(parts[:i])
                if parent not in seen:
                    seen.add(parent)
                    tar.addfile(_info(parent, tarfile.DIRTYPE, 0))
            if name in seen:
                continue
            seen.add(name)
            if path.is_dir():
                tar.addfile(_info(name, tarfile.DIRTYPE, 0))
            else:
                data = path.read_bytes()
                tar.addfile(_info(name, tarfile.REGTYPE, len(data)), io.BytesIO(data))
    write_gzip(target, buf.getvalue())


def _info(name: str, kind: bytes, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.size = size
    info.mode = 0o700 if kind == tarfile.DIRTYPE else 0o600
    info.mtime = FIXED_MTIME
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def write_gzip(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with (
        target.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz,
    ):
        gz.write(data)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--release", choices=sorted(RELEASES), default="last")
    parser.add_argument(
        "--out", type=Path, default=DATA, help="write both files here (to check two runs agree)"
    )
    args = parser.parse_args()
    release = RELEASES[args.release]
    home_archive = args.out / release.home_archive
    snapshot_archive = args.out / release.snapshot_archive
    # A fixed place: the database stores each deck file's path (and digests it), so the
    # checkout and the home must lie at the same paths in every run.
    tmp = Path(tempfile.gettempdir()) / release.workdir
    if tmp.exists():  # left by an interrupted run
        subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(tmp / "old")],
                       check=False)  # fmt: skip
        shutil.rmtree(tmp)
    tmp.mkdir()
    old = tmp / "old"
    home = tmp / "home"
    home.mkdir()
    snapshot = tmp / "export.json"
    subprocess.run(
        ["git", "-C", str(REPO), "worktree", "add", "--detach", str(old), release.commit],
        check=True,
    )
    try:
        result = subprocess.run(
            ["uv", "run", "--project", str(old), "python", str(HERE / release.driver), str(home),
             str(snapshot)],
            cwd=old, env=home_env(home), check=True, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        summary = json.loads(result.stdout)
        pack(home, home_archive)
        write_gzip(snapshot_archive, snapshot.read_bytes())
    finally:
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "remove", "--force", str(old)], check=False
        )
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(summary, indent=1))
    for path in (home_archive, snapshot_archive):
        print(f"{path}: {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
