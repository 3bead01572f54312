"""The footer follows focus and keymaps, and is rebuilt only when what it shows changes."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets._footer import FooterKey

from studytui.core.context import AppContext
from studytui.ui.app import StudyApp
from studytui.ui.widgets.checklist import Checklist
from studytui.ui.widgets.footer import Footer
from studytui.ui.widgets.topic_list import TopicList


def footer_labels(app: StudyApp) -> set[str]:
    return {key.description for key in app.screen.query_one(Footer).query(FooterKey)}


async def test_footer_follows_focus(ctx: AppContext) -> None:
    app = StudyApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.focused is app.screen.query_one(TopicList)
        assert {"Learning", "Done", "Review", "Timer"} <= footer_labels(app)
        app.screen.query_one(Checklist).focus()
        await pilot.pause()
        await pilot.pause()
        labels = footer_labels(app)
        assert "Learning" not in labels
        assert {"Review", "Timer"} <= labels
        app.screen.query_one(TopicList).focus()
        await pilot.pause()
        await pilot.pause()
        assert "Learning" in footer_labels(app)


async def test_dashboard_start_rebuilds_the_footer_once(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual's own footer rebuilt itself six times while the dashboard started (~0.3 s)."""
    rebuilds: list[Any] = []
    recompose = Footer.recompose

    async def counted(self: Footer) -> None:
        rebuilds.append(self.screen)
        await recompose(self)

    monkeypatch.setattr(Footer, "recompose", counted)
    app = StudyApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        assert {"Learning", "Review"} <= footer_labels(app)
    assert len(rebuilds) == 1
