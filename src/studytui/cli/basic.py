"""``studytui`` (the app) and ``studytui locate``."""

from __future__ import annotations

import argparse
from typing import Any

from studytui.cli.common import context
from studytui.paths import AppPaths


def register(sub: Any) -> None:
    p = sub.add_parser("locate", help="print the config, data and database paths")
    p.set_defaults(handler=locate)


def locate(_args: argparse.Namespace) -> int:
    paths = AppPaths.default()
    print(f"config file:      {paths.config_file}")
    print(f"user curricula:   {paths.user_curriculum_dir}")
    print(f"user decks:       {paths.user_deck_dir}")
    print(f"data folder:      {paths.data_dir}")
    print(f"database:         {paths.database}")
    print(f"backups:          {paths.backup_dir}")
    return 0


def open_app(_args: argparse.Namespace, mode: str | None = None, **options: Any) -> int:
    ctx = context()
    try:
        from studytui.core.services.facade import Services
        from studytui.ui.app import StudyApp

        services = Services.build(ctx)
        services.start_deck_sync()  # on another core while Textual starts
        app = StudyApp(ctx, start_mode=mode, services=services, **options)
        app.run()
    finally:
        ctx.close()
    # Textual prints an unhandled exception and returns normally: the status must say so.
    return 1 if app.return_code or app._exception is not None else 0
