"""Start-up cost: the app reaches its first frame without importing the database layer."""

from __future__ import annotations

import subprocess
import sys


def test_app_start_path_imports_no_sqlalchemy() -> None:
    """SQLAlchemy, the models and the services load in the dashboard's worker, after the first
    frame (see bench/ and docs/performance.md): importing them first costs ~0.3 s of start-up."""
    code = (
        "import sys\n"
        "import studytui.cli, studytui.cli.basic, studytui.ui.app, studytui.ui.screens.dashboard\n"
        "from studytui.core.services.facade import Services\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'fsrs')\n"
        "             or m.startswith('studytui.core.storage.models'))\n"
        "print(bad[:5])\n"
        "raise SystemExit(1 if bad else 0)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, f"imported before the first frame: {proc.stdout}{proc.stderr}"
