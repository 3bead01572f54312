"""The bundled decks cover their curricula: computed from the cards' covers:, never claimed."""

from __future__ import annotations

from studytui.core.context import AppContext
from studytui.core.decks.cards import KIND_BASIC_REV, KIND_CONCEPT_REV
from studytui.core.decks.coverage import MIN_NOTES_PER_SUBTOPIC
from studytui.core.decks.parser import load_deck_file
from studytui.core.services.deck_content import check_content, coverage, deck_file_paths

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


def test_at_least_4000_cards_and_at_most_a_third_reverse(ctx: AppContext) -> None:
    cards = [
        card
        for name, path in deck_file_paths(ctx).items()
        for card in load_deck_file(path, expect_topic=name).cards()
    ]
    reverse = sum(1 for c in cards if c.kind in (KIND_CONCEPT_REV, KIND_BASIC_REV))
    assert len(cards) >= 4000
    assert reverse <= len(cards) / 3
