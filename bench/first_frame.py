"""Start studytui the way ``studytui`` does and note when the dashboard first reaches the screen.

Run by ``run.py`` as a fresh process (``python bench/first_frame.py``) with the benchmark home in
the XDG variables. The app runs headless at 120x40; its frames are still composed by the
compositor, and this harness turns each dashboard frame into terminal output (what Textual would
write to a real terminal) before noting the time. Two instants are printed as JSON on stdout, on
the system-wide monotonic clock, so the parent can subtract the instant it started the process:

- ``first_frame``: the first frame of the dashboard (its layout, "Loading this week…");
- ``loaded_frame``: the first frame after the week's plan arrived from the dashboard's worker;
- ``activity_frame``: the first frame showing the split bars and cards due as well.

``*_cpu`` are the CPU seconds the process had used by then (all threads): on a busy machine
they move less than wall time.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

marks: dict[str, float] = {}


def main() -> int:
    from rich.console import Console
    from textual._compositor import CompositorUpdate

    from studytui.ui import app as app_module
    from studytui.ui.screens.dashboard import DashboardScreen

    console = Console(file=open(os.devnull, "w"), width=120, height=40)  # noqa: SIM115
    app_class = app_module.StudyApp
    display = app_class._display

    def watched_display(self: Any, screen: Any, renderable: Any) -> None:
        """The real display step, then the frame made into terminal output and timed."""
        display(self, screen, renderable)
        if renderable is None or not isinstance(screen, DashboardScreen):
            return
        if isinstance(renderable, CompositorUpdate):
            renderable.render_segments(console)
        now = time.monotonic()
        if "first_frame" not in marks:
            marks["first_frame"] = now
            marks["first_frame_cpu"] = time.process_time()
        if getattr(screen, "_bench_loaded", False) and "loaded_frame" not in marks:
            marks["loaded_frame"] = now
            marks["loaded_frame_cpu"] = time.process_time()
        if getattr(screen, "_bench_activity", False) and "activity_frame" not in marks:
            marks["activity_frame"] = now
            marks["activity_frame_cpu"] = time.process_time()
        if "loaded_frame" in marks and "activity_frame" in marks:
            self.exit()

    original = DashboardScreen.on_dashboard_loaded

    def loaded(self: Any, message: Any) -> None:
        original(self, message)
        self._bench_loaded = True

    original_activity = DashboardScreen.on_activity_loaded

    def activity(self: Any, message: Any) -> None:
        original_activity(self, message)
        self._bench_activity = True

    run = app_class.run

    def headless_run(self: Any, *args: Any, **kwargs: Any) -> Any:
        return run(self, *args, headless=True, size=(120, 40), **kwargs)

    app_class._display = watched_display  # type: ignore[method-assign,unused-ignore]
    app_class.run = headless_run  # type: ignore[method-assign,unused-ignore]
    DashboardScreen.on_dashboard_loaded = loaded  # type: ignore[method-assign,unused-ignore]
    DashboardScreen.on_activity_loaded = activity  # type: ignore[method-assign,unused-ignore]

    from studytui.__main__ import main as studytui_main

    code = studytui_main([])
    marks["exit"] = time.monotonic()
    json.dump({"code": code, **marks}, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
