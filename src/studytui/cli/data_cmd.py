"""``studytui backup``, ``restore``, ``export``, ``import``: keeping the user's data safe."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from studytui.cli.common import context, print_json
from studytui.cli.parser import file_path, file_path_text
from studytui.core.clock import SystemClock
from studytui.core.minutes import minutes_label
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
    p.add_argument(
        "file",
        metavar="FILE",
        nargs="?",
        type=file_path,
        help="where to write the copy (a new file)",
    )
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
    p.add_argument("file", metavar="FILE", type=file_path)
    p.add_argument("--force", action="store_true", help="restore even while a timer is running")
    p.set_defaults(handler=restore)

    p = sub.add_parser(
        "export",
        help="write everything you made to one JSON file",
        description=(
            "Write progress, milestones, sessions, cards with their FSRS state, every review, "
            "settings and your own curriculum and deck files to FILE ('-' for standard output). "
            "The file is readable by you alone; an existing file is replaced only with --force."
        ),
    )
    p.add_argument(
        "file", metavar="FILE", type=file_path_text, help="where to write (a new file, or '-')"
    )
    p.add_argument("--format", choices=("json",), default="json", help="the format (json)")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.set_defaults(handler=export)

    p = sub.add_parser(
        "import",
        help="merge an export (or a Watson frames file) into your data, without duplicates",
        description=(
            "Merge FILE into the database: a studytui export (--format studytui, the default) "
            "or Watson's frames file (--format watson). Nothing already there is added twice; "
            "a session that would overlap another is refused and nothing is imported."
        ),
    )
    p.add_argument("file", metavar="FILE", type=file_path)
    p.add_argument("--format", choices=("studytui", "watson"), default="studytui")
    p.add_argument(
        "--settings",
        choices=("auto", "replace", "keep"),
        default="auto",
        help="the export's config.yaml: replace yours (a copy is kept), keep yours, or auto: "
        "replace only in a home with no data yet (default)",
    )
    p.add_argument(
        "--category",
        type=_category,
        help="watson: the category of frames that have no category tag",
    )
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="PROJECT=CATEGORY",
        type=_mapping,
        help="watson: the category of a project's frames (repeatable)",
    )
    p.set_defaults(handler=import_file)


def _category(text: str) -> Any:
    from studytui.core.categories import CATEGORIES, Category
    from studytui.core.services.watson import CATEGORY_TAGS

    value = CATEGORY_TAGS.get(text.strip().lower())
    if value is None:
        allowed = ", ".join(c.value for c in CATEGORIES)
        raise argparse.ArgumentTypeError(f"'{text}' is not a category; use {allowed}")
    return Category(value)


def _mapping(text: str) -> tuple[str, Any]:
    project, sep, category = text.rpartition("=")
    if not sep or not project.strip():
        raise argparse.ArgumentTypeError(f"'{text}' is not PROJECT=CATEGORY")
    return project.strip(), _category(category)


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
    from studytui.core.outfile import check_regular_input

    paths = AppPaths.default()
    check_regular_input(args.file)
    result = do_restore(paths, args.file, SystemClock().now(), force=args.force)
    print(f"Restored {result.source} (schema {result.source_version}) into {paths.database}")
    if result.migrated:
        print("It was upgraded to the current schema (a copy of it as restored is in the backups).")
    if result.kept_copy is not None:
        print(f"The database it replaced is kept as {result.kept_copy}")
    return 0


def export(args: argparse.Namespace) -> int:
    import sys

    from studytui.core.outfile import check_target
    from studytui.core.services.transfer import TransferService

    if args.file != "-":
        check_target(Path(args.file), force=args.force)
    ctx = context()
    try:
        service = TransferService(ctx)
        if args.file == "-":
            from studytui.core.plaintext import json_text

            sys.stdout.write(json_text(service.document(), indent=1) + "\n")
            return 0
        target = service.export(Path(args.file), force=args.force)
    finally:
        ctx.close()
    print(f"Exported to {target}")
    return 0


def import_file(args: argparse.Namespace) -> int:
    ctx = context()
    try:
        if args.format == "watson":
            from studytui.core.services.watson import WatsonImporter

            importer = WatsonImporter(ctx, category=args.category, projects=dict(args.map))
            w = importer.import_file(args.file)
            print(
                f"Imported {w.added} Watson frames ({minutes_label(w.minutes)} min); "
                f"{w.already} were already here."
            )
            for category, minutes in sorted(w.by_category.items()):
                print(f"  {category}: {minutes_label(minutes)} min")
            return 0
        from studytui.core.services.transfer import TransferService

        report = TransferService(ctx).import_file(args.file, settings=args.settings)
        print(f"Imported {args.file}")
        for line in report.lines():
            print(f"  {line}")
    finally:
        ctx.close()
    return 0
