"""``studytui backup``, ``restore``, ``export``, ``import``: keeping the user's data safe."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from studytui.cli.common import print_json
from studytui.core.clock import SystemClock
from studytui.paths import AppPaths


def register(sub: Any) -> None:
    p = sub.add_parser(
        "backup",
        help="copy the database now (into the backup folder, or to FILE)",
        description=(
            "Write a consistent copy of the database. Without FILE it goes into the backup "
            "folder (`studytui locate`); an existing file is never replaced."
        ),
    )
    p.add_argument("file", nargs="?", type=Path, help="where to write the copy (a new file)")
    p.add_argument("--list", action="store_true", help="list the backups instead")
    p.add_argument("--json", action="store_true", help="with --list: print JSON")
    p.set_defaults(handler=backup)

    p = sub.add_parser(
        "restore",
        help="replace the database with a backup (a copy of the current one is kept)",
        description=(
            "Replace the database with FILE, a studytui backup (a path, or a name from "
            "`studytui backup --list`). The current database is first copied into the backup "
            "folder. Refused while a timer is running, unless --force. Quit the app first."
        ),
    )
    p.add_argument("file", type=Path)
    p.add_argument("--force", action="store_true", help="restore even while a timer is running")
    p.set_defaults(handler=restore)


def backup(args: argparse.Namespace) -> int:
    from studytui.core.backups import list_backups, manual_backup

    paths = AppPaths.default()
    if args.list:
        files = list_backups(paths.backup_dir)
        if args.json:
            print_json(
                [
                    {"name": f.name, "kind": f.kind, "bytes": f.size, "path": str(f.path)}
                    for f in files
                ]
            )
            return 0
        if not files:
            print(f"no backups yet in {paths.backup_dir}")
        width = max((len(f.name) for f in files), default=0)
        for f in files:
            print(f"{f.name:<{width}}  {f.kind:<16}  {f.size:>12,} bytes")
        return 0
    target = manual_backup(paths, SystemClock().now(), args.file)
    print(f"Backup written to {target}")
    return 0


def restore(args: argparse.Namespace) -> int:
    from studytui.core.backups import restore as do_restore

    paths = AppPaths.default()
    result = do_restore(paths, args.file, SystemClock().now(), force=args.force)
    print(f"Restored {result.source} (schema {result.source_version}) into {paths.database}")
    if result.migrated:
        print("It was upgraded to the current schema (a copy of it as restored is in the backups).")
    if result.kept_copy is not None:
        print(f"The database it replaced is kept as {result.kept_copy}")
    return 0
