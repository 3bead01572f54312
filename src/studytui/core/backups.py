"""Backups of the database: rotating daily copies, manual copies, and restoring one.

Every copy is a consistent snapshot made with SQLite's backup API (``storage/backup.py``), even
while the app or another command writes. Files live in ``paths.backup_dir``, readable by the user
alone:

- ``studytui-daily-YYYY-MM-DD.db``: taken on the first start of a study day, the last
  ``settings.backups_keep`` kept (0 turns them off and leaves existing ones alone);
- ``studytui-manual-<UTC stamp>.db``: ``studytui backup``; never deleted by studytui;
- ``studytui-before-restore-<UTC stamp>.db``: what ``studytui restore`` replaced; never deleted;
- ``studytui-v<N>-before-migration-<UTC stamp>.db``: taken before a schema upgrade; never deleted.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from studytui.core.errors import ConflictError, DatabaseError, InputError
from studytui.core.storage.backup import PART_SUFFIX, backup_database, fsync_dir
from studytui.core.storage.database import BUSY_TIMEOUT_MS, migrate
from studytui.core.storage.migrations import LATEST_VERSION, MIGRATIONS
from studytui.core.storage.row_check import row_problems
from studytui.core.storage.uri import file_uri
from studytui.paths import AppPaths

if TYPE_CHECKING:
    from studytui.core.context import AppContext

DAILY_PREFIX = "studytui-daily-"
DAILY_RE = re.compile(r"^studytui-daily-(\d{4}-\d{2}-\d{2})\.db$")
STALE_PART_SECONDS = 3600
CLOCK_SLACK = timedelta(minutes=10)
"""How far a copy's write time may lie ahead of the clock before it counts as in the future."""
SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class BackupFile:
    """One file in the backup folder."""

    path: Path
    kind: str  # daily | manual | before-restore | before-migration | other
    size: int

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class RestoreResult:
    source: Path
    source_version: int
    kept_copy: Path | None  # what the restore replaced, or None when there was no database
    migrated: bool  # the restored file was upgraded to the current schema


def stamp(now: datetime) -> str:
    """A UTC timestamp for file names, sortable as text."""
    return now.strftime("%Y%m%dT%H%M%SZ")


# -- daily rotation -------------------------------------------------------------------------


def daily_backup_path(backup_dir: Path, day: date) -> Path:
    return backup_dir / f"{DAILY_PREFIX}{day.isoformat()}.db"


def set_aside_future_dailies(backup_dir: Path, day: date, now: datetime) -> list[Path]:
    """Rename daily copies that claim a later study day than ``day``, or were written after
    ``now``, to ``studytui-clock-ahead-<day>-<time>.db``; the renamed copies are returned.

    Such a copy was taken while the system clock ran ahead. Under its daily name it would
    hold a rotation slot (pushing out a real copy) and, when its date came, stand in for that
    day's real copy although it holds none of that day's work. Renamed, it is kept (never
    rotated, listed by ``backup --list``) and counts as no day's copy.
    """
    moved: list[Path] = []
    for named_day, path in daily_backups(backup_dir):
        try:
            written = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        except OSError:
            continue
        if named_day <= day and written <= now + CLOCK_SLACK:
            continue
        stem = f"studytui-clock-ahead-{named_day.isoformat()}-{stamp(written)}"
        for candidate in unique_path(backup_dir, stem):
            if not candidate.exists():
                path.rename(candidate)
                moved.append(candidate)
                break
    return moved


def take_daily_backup(
    db_path: Path, backup_dir: Path, day: date, keep: int, now: datetime | None = None
) -> Path | None:
    """Copy the database once per study day and keep the newest ``keep`` daily copies.

    Returns the new copy, or None when there was nothing to do (turned off, no database yet,
    or today's copy exists). With ``now``, copies dated ahead of the clock are set aside first
    (``set_aside_future_dailies``), so a day's copy is one taken on that day.
    """
    if keep <= 0 or not db_path.exists():
        return None
    if now is not None:
        set_aside_future_dailies(backup_dir, day, now)
    target = daily_backup_path(backup_dir, day)
    if target.exists():
        return None
    try:
        backup_database(db_path, target, overwrite=False)
    except FileExistsError:
        if target.exists():  # another process took today's copy a moment ago
            return None
        raise
    if now is not None:  # the copy's time is the clock's, the one it is judged by later
        os.utime(target, (now.timestamp(), now.timestamp()))
    prune_daily(backup_dir, keep)
    remove_stale_parts(backup_dir)
    return target


def daily_backups(backup_dir: Path) -> list[tuple[date, Path]]:
    """The daily copies, oldest first."""
    out: list[tuple[date, Path]] = []
    if not backup_dir.is_dir():
        return out
    for entry in backup_dir.iterdir():
        match = DAILY_RE.match(entry.name)
        if match is None:
            continue
        try:
            out.append((date.fromisoformat(match.group(1)), entry))
        except ValueError:
            continue
    return sorted(out)


def prune_daily(backup_dir: Path, keep: int) -> list[Path]:
    """Delete daily copies beyond the newest ``keep``; other backups are never touched."""
    if keep <= 0:
        return []
    found = daily_backups(backup_dir)
    removed = [path for _, path in found[: max(0, len(found) - keep)]]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def remove_stale_parts(backup_dir: Path) -> None:
    """Remove temporary files of backups interrupted (by a crash) more than an hour ago."""
    limit = time.time() - STALE_PART_SECONDS
    for entry in backup_dir.glob(f".*{PART_SUFFIX}"):
        with contextlib.suppress(OSError):
            if entry.stat().st_mtime < limit:
                entry.unlink()


# -- file modes -----------------------------------------------------------------------------


def _private(path: Path, mode: int) -> None:
    with contextlib.suppress(OSError):
        st = path.lstat()
        if stat.S_ISLNK(st.st_mode):
            return
        if st.st_mode & 0o077:
            os.chmod(path, mode)


def make_private(paths: AppPaths) -> None:
    """Make the database, its journal files, every backup and config.yaml (it names what you
    study and when) readable by the user alone.

    New files are created that way; this repairs files made by older versions or by hand.
    """
    _private(paths.data_dir, 0o700)
    _private(paths.config_dir, 0o700)
    _private(paths.config_file, 0o600)
    db = paths.database
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        _private(path, 0o600)
    if paths.backup_dir.is_dir():
        _private(paths.backup_dir, 0o700)
        for entry in paths.backup_dir.iterdir():
            _private(entry, 0o600)


# -- listing and manual backups ---------------------------------------------------------------


def _kind(name: str) -> str:
    if DAILY_RE.match(name):
        return "daily"
    for kind in ("manual", "before-restore", "before-import", "clock-ahead"):
        if name.startswith(f"studytui-{kind}-"):
            return kind
    if "-before-migration-" in name:
        return "before-migration"
    return "other"


def list_backups(backup_dir: Path) -> list[BackupFile]:
    """Backup files, newest first (by modification time)."""
    if not backup_dir.is_dir():
        return []
    entries = [
        e
        for e in backup_dir.iterdir()
        if e.is_file() and not e.name.startswith(".") and e.suffix == ".db"
    ]
    entries.sort(key=lambda e: (e.stat().st_mtime, e.name), reverse=True)
    return [BackupFile(e, _kind(e.name), e.stat().st_size) for e in entries]


def unique_path(folder: Path, stem: str, suffix: str = ".db") -> Iterator[Path]:
    """Candidate names ``stem.db``, ``stem-2.db``, … for a file that must not replace another."""
    yield folder / f"{stem}{suffix}"
    for n in range(2, 1000):
        yield folder / f"{stem}-{n}{suffix}"


def backup_new(db_path: Path, folder: Path, stem: str) -> Path:
    """A consistent copy under a new name in ``folder`` (never replacing a file)."""
    for candidate in unique_path(folder, stem):
        try:
            return backup_database(db_path, candidate, overwrite=False)
        except FileExistsError:
            if not candidate.exists():
                raise
    raise ConflictError(f"{folder}: too many backups named {stem}*")


def manual_backup(paths: AppPaths, now: datetime, target: Path | None = None) -> Path:
    """``studytui backup [FILE]``: copy the database, refusing to replace an existing file."""
    if not paths.database.exists():
        raise DatabaseError(f"{paths.database}: there is no database yet; nothing to back up")
    if target is not None and (target.exists() or target.is_symlink()):
        raise ConflictError(f"{target}: file exists; choose a new name (nothing was written)")
    try:
        if target is None:
            return backup_new(paths.database, paths.backup_dir, f"studytui-manual-{stamp(now)}")
        return backup_database(paths.database, target, overwrite=False)
    except FileExistsError:
        raise ConflictError(f"{target}: file exists; choose a new name") from None
    except OSError as exc:
        raise DatabaseError(f"cannot write the backup ({exc})") from exc
    except sqlite3.Error as exc:
        raise DatabaseError(f"{paths.database}: cannot copy the database ({exc})") from exc


# -- checking a file --------------------------------------------------------------------------


def expected_schema(version: int) -> dict[str, set[str]]:
    """Table → columns of a database at ``version``, built by running the migrations up to it."""
    conn = sqlite3.connect(":memory:")
    try:
        for step in MIGRATIONS:
            if step.version > version:
                break
            for statement in step.statements:
                conn.execute(statement)
        return _schema(conn)
    finally:
        conn.close()


def _schema(conn: sqlite3.Connection) -> dict[str, set[str]]:
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {t: {r[1] for r in conn.execute(f'PRAGMA table_info("{t}")')} for t in tables}


def check_database_file(path: Path, *, role: str = "backup", now: datetime | None = None) -> int:
    """Check that ``path`` is an intact studytui database this version can read; its version.

    Beyond the schema and ``integrity_check``, every row is checked by the rules the app writes
    by (``storage/row_check.py``; with ``now``, nothing may lie in the future). Opens the file
    read-only: checking never changes it.
    """
    name = str(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise InputError.single(name, None, "", "no such file") from None
    except IsADirectoryError:
        raise InputError.single(name, None, "", "is a folder, not a database file") from None
    except OSError as exc:
        raise InputError.single(name, None, "", f"cannot read file: {exc.strerror}") from exc
    if head != SQLITE_MAGIC:
        raise InputError.single(name, None, "", "not a SQLite database (a studytui .db file)")
    try:
        conn = sqlite3.connect(file_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise InputError.single(name, None, "", f"cannot open the database ({exc})") from exc
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version > LATEST_VERSION:
            raise InputError.single(
                name,
                None,
                "",
                f"written by a newer studytui (schema {version}; this version knows up to "
                f"{LATEST_VERSION}); upgrade studytui to use it",
            )
        if version < 1:
            raise InputError.single(name, None, "", "not a studytui database (no schema)")
        found = _schema(conn)
        wanted = expected_schema(version)
        for table, columns in sorted(wanted.items()):
            if table not in found:
                raise InputError.single(
                    name, None, table, f"table missing for schema {version}; not a studytui {role}"
                )
            if missing := sorted(columns - found[table]):
                raise InputError.single(
                    name, None, table, f"columns missing for schema {version}: {', '.join(missing)}"
                )
        result = [r[0] for r in conn.execute("PRAGMA integrity_check(5)")]
        if result != ["ok"]:
            raise InputError.single(
                name, None, "", f"the database is damaged ({'; '.join(map(str, result))})"
            )
        if problems := row_problems(conn, name, now):
            raise InputError(problems)
    except sqlite3.DatabaseError as exc:
        raise InputError.single(name, None, "", f"not a readable database ({exc})") from exc
    finally:
        conn.close()
    return version


# -- restoring --------------------------------------------------------------------------------


def open_session_started(db_path: Path) -> datetime | None:
    """When the running (or paused) timer session in ``db_path`` started, if there is one."""
    try:
        conn = sqlite3.connect(file_uri(db_path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute(
            "SELECT started_at FROM study_session WHERE status IN ('running', 'paused') "
            "AND deleted_at IS NULL LIMIT 1"
        ).fetchone()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    if row is None:
        return None
    try:
        return datetime.fromisoformat(str(row[0]))
    except ValueError:
        return None


def _healthy(db_path: Path) -> bool:
    try:
        conn = sqlite3.connect(file_uri(db_path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            ok = conn.execute("PRAGMA quick_check(1)").fetchone()[0] == "ok"
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return ok and version <= LATEST_VERSION


def restore(paths: AppPaths, source: Path, now: datetime, *, force: bool = False) -> RestoreResult:
    """Replace the database's content with the backup ``source``, keeping a copy of it first.

    Refused while a timer runs (unless ``force``): the running session would vanish. The copy
    goes into the live file through SQLite's backup API, so other connections stay valid and see
    the restored content on their next transaction. A damaged database cannot be copied that way:
    it is moved aside, whole, into the backup folder and the backup copied in its place.
    """
    source = _resolve_source(paths, source)
    db = paths.database
    if db.exists() and source.resolve() == db.resolve():
        raise ConflictError(f"{source}: is the database itself; choose a backup file")
    version = check_database_file(source, now=now)
    kept: Path | None = None
    if db.exists() and db.stat().st_size > 0:
        started = open_session_started(db)
        if started is not None and not force:
            raise ConflictError(
                f"a timer is running (started {started:%Y-%m-%d %H:%M} UTC); stop it first, "
                "or pass --force to replace it too (nothing was changed)"
            )
        if _healthy(db):
            kept = backup_new(db, paths.backup_dir, f"studytui-before-restore-{stamp(now)}")
            _copy_into_live(source, db)
        else:
            kept = _move_aside(db, paths.backup_dir, f"studytui-before-restore-{stamp(now)}")
            _copy_to_new(source, db)
    else:
        paths.ensure()
        db.unlink(missing_ok=True)
        _copy_to_new(source, db)
    migrated = False
    if version < LATEST_VERSION:
        migrate(db, paths.backup_dir, now)
        migrated = True
    return RestoreResult(source=source, source_version=version, kept_copy=kept, migrated=migrated)


def _resolve_source(paths: AppPaths, source: Path) -> Path:
    """A path as given, else a bare file name found in the backup folder."""
    if source.exists() or source.parent != Path("."):
        return source
    candidate = paths.backup_dir / source.name
    return candidate if candidate.exists() else source


def _copy_into_live(source: Path, db: Path) -> None:
    src = sqlite3.connect(file_uri(source), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        dst = sqlite3.connect(db, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            src.backup(dst)
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise DatabaseError(f"{db}: restore failed ({exc}); the database was not changed") from exc
    finally:
        src.close()


def _copy_to_new(source: Path, db: Path) -> None:
    try:
        backup_database(source, db, overwrite=False)
        conn = sqlite3.connect(db)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
        finally:
            conn.close()
    except (sqlite3.Error, OSError) as exc:
        raise DatabaseError(f"{db}: restore failed ({exc})") from exc


def _move_aside(db: Path, folder: Path, stem: str) -> Path:
    """Move a damaged database (and its -wal, -shm) into ``folder`` under a new name."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    for candidate in unique_path(folder, stem):
        if candidate.exists():
            continue
        os.replace(db, candidate)
        for extra in ("-wal", "-shm"):
            side = db.with_name(db.name + extra)
            if side.exists():
                os.replace(side, candidate.with_name(candidate.name + extra))
        fsync_dir(folder)
        fsync_dir(db.parent)
        return candidate
    raise ConflictError(f"{folder}: too many backups named {stem}*")


def on_open(ctx: AppContext) -> list[str]:
    """Start-up housekeeping: private file modes and the day's backup. Never raises.

    A database created just now has nothing worth copying; its first backup comes the next day.
    Returns messages for the user (a failed backup must not stop anyone from studying).
    """
    make_private(ctx.paths)
    if ctx.db.previous_version == 0:
        return []
    try:
        take_daily_backup(
            ctx.paths.database,
            ctx.paths.backup_dir,
            ctx.today(),
            ctx.settings.backups_keep,
            ctx.clock.now(),
        )
    except (OSError, sqlite3.Error) as exc:
        return [f"the daily backup into {ctx.paths.backup_dir} failed: {exc}"]
    return []
