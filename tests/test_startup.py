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


def test_dashboard_data_on_a_fresh_home_imports_no_sqlalchemy() -> None:
    """The week, the split bars and the cards due of a first start (database created, decks
    loaded) come through plain sqlite3: SQLAlchemy's import would put ~0.3 s before them."""
    code = (
        "import sys\n"
        "from datetime import UTC, datetime\n"
        "from studytui.core.clock import ManualClock\n"
        "from studytui.core.context import open_context\n"
        "from studytui.core.services.facade import Services\n"
        "from studytui.paths import AppPaths\n"
        "clock = ManualClock(datetime(2026, 11, 21, 9, tzinfo=UTC))\n"
        "ctx = open_context(AppPaths.default(), clock)\n"
        "dashboard = Services(ctx).dashboard\n"
        "plan, activity = dashboard.plan(), dashboard.activity()\n"
        "print(plan.week.number, activity.reviews.due_today, activity.reviews.new_available,\n"
        "      len(activity.time.categories), activity.reviews.states.new)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy'\n"
        "             or m.startswith('studytui.core.storage.models'))\n"
        "print(bad[:5])\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    figures, imported = proc.stdout.splitlines()
    assert imported == "[]", f"the dashboard's data path imported {imported}"
    week, due, new, categories, new_cards = map(int, figures.split())
    assert (week, due, categories) == (1, 0, 3)
    assert new == 20  # the default new-card limit, out of every bundled card
    assert new_cards > 1500
