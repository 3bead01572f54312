"""The bundled decks cover their curricula: computed from the cards' covers:, never claimed."""

from __future__ import annotations

from studytui.core.context import AppContext
from studytui.core.decks.coverage import MIN_NOTES_PER_SUBTOPIC
from studytui.core.services.deck_content import check_content, coverage

BUNDLED_CURRICULA = {
    "ai-engineer-2025",
    "ai-ml-2025",
    "ml-ai-expert",
    "ml-ai-senior-12w",
    "senior-ai-ml-48w",
}


def test_every_subtopic_of_every_bundled_curriculum_has_three_notes_and_decks_fit_their_topic(
    ctx: AppContext,
) -> None:
    result, problems = coverage(ctx)
    assert problems == []
    assert {c.curriculum for c in result} == BUNDLED_CURRICULA
    short = [
        f"{c.curriculum}/{t.topic}/{s.title}: {s.notes}"
        for c in result
        for t in c.topics
        for s in t.short
    ]
    assert short == [], f"under {MIN_NOTES_PER_SUBTOPIC} notes"
    sizes = [
        f"{c.curriculum}/{t.topic}: {t.cards} cards, wanted {t.size_range}"
        for c in result
        for t in c.topics
        if not t.size_met
    ]
    assert sizes == []


def test_the_bundled_decks_have_no_content_findings(ctx: AppContext) -> None:
    report = check_content(ctx)
    assert report.problems == ()
    assert [str(f) for f in report.findings] == []
    assert [str(u) for u in report.unknown_covers] == []
