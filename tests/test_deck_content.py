"""Deck content: the lint rules, coverage computed from covers:, retired: keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studytui.cli import run
from studytui.core.context import AppContext
from studytui.core.curriculum.loader import parse_curriculum
from studytui.core.decks.coverage import curriculum_coverage, unknown_covers
from studytui.core.decks.lint import lint_decks
from studytui.core.decks.parser import parse_deck_text
from studytui.core.decks.sync import sync_decks
from studytui.core.errors import InputError
from studytui.core.yamldoc import load_yaml
from test_decks_sync import cards_of, rate_card, write_deck


def deck(body: str, topic: str = "demo") -> str:
    return f"schema: 1\ntopic: {topic}\ntitle: Demo\n{body}"


S = "statements:\n  - id: s\n    text: "  # a deck's one statement, its text to follow


def rules(body: str) -> list[str]:
    return [f.rule for f in lint_decks([parse_deck_text(deck(body), "demo.yaml")]).findings]


@pytest.mark.parametrize(
    ("body", "rule"),
    [
        (  # the answer stands next to its own blank
            S + "A {{c1::symmetric}} matrix is symmetric about its diagonal.\n",
            "cloze-shows-answer",
        ),
        (  # a hint that gives the answer away
            S + "Adam adapts {{c1::learning rates::learning rates}} per weight.\n",
            "cloze-shows-answer",
        ),
        (  # the answer's words run together in a name of the question
            S
            + "Hardware is chosen by {{c1::execution providers}} such as CUDAExecutionProvider.\n",
            "cloze-shows-answer",
        ),
        (  # the answer, a name, glued into a longer one
            S + "Use {{c1::GroupKFold}} for groups; StratifiedGroupKFold also balances.\n",
            "cloze-shows-answer",
        ),
        (
            S + "'Q-learning: Q ← Q + α [{{c1::r + γ max Q(s′, a′)}} − Q]'\n",
            "cloze-in-brackets",
        ),
        (
            "cards:\n  - id: c\n    front: What is dropout? Why?\n    back: Zeroing.\n",
            "two-questions",
        ),
        (  # code with the minus sign: a SyntaxError when typed or pasted
            "cards:\n  - id: c\n    front: Distances?\n"
            "    back: ((X[:, None] − C[None])**2).sum(-1)\n",
            "code-minus",
        ),
        ("concepts:\n  - term: Long\n    definition: " + "word " * 45 + "\n", "long-definition"),
        (
            "cards:\n  - id: c\n    front: Why?\n    back: " + "word " * 65 + "\n",
            "long-answer",
        ),
        (
            "concepts:\n  - term: Batch normalization\n"
            "    definition: Batch normalization normalizes activations over a batch.\n",
            "reverse-gives-answer",
        ),
        (
            "cards:\n  - id: c\n    type: reversed\n    front: Adam\n"
            "    back: Adam is an adaptive optimizer.\n",
            "reverse-gives-answer",
        ),
        (
            "cards:\n  - id: c\n    front: Is the Transformer's activation GELU or ReLU?\n"
            "    back: GELU\n",
            "answer-in-question",
        ),
        (
            "cards:\n  - {id: a, front: Why dropout?, back: Units cannot co-adapt.}\n"
            "  - {id: c, front: why  dropout, back: It regularises.}\n",
            "duplicate-front",
        ),
    ],
)
def test_each_rule_finds_its_defect(body: str, rule: str) -> None:
    assert rule in rules(body)


def test_good_cards_have_no_findings() -> None:
    body = (
        "concepts:\n  - term: Dropout\n    definition: Zeroing a random subset of units at each"
        " training step.\n"
        "statements:\n  - id: s\n    text: Adam keeps a mean of {{c1::squared gradients}}.\n"
        "  - id: q\n    text: 'Q-learning updates by α ({{c1::r + γ max Q(s′, a′)}} − Q(s, a))'\n"
        "cards:\n  - id: c\n    front: Why does dropout reduce overfitting?\n"
        "    back: Units cannot co-adapt, so the net learns redundant features.\n"
    )
    assert rules(body) == []


def test_a_waiver_silences_one_rule_and_is_counted() -> None:
    body = (
        "statements:\n  - id: s\n    text: A {{c1::symmetric}} matrix is symmetric.\n"
        "    waive: {cloze-shows-answer: the second word is the test of the first}\n"
    )
    result = lint_decks([parse_deck_text(deck(body), "demo.yaml")])
    assert (result.findings, result.waived) == ((), 1)


def test_a_waiver_needs_a_reason() -> None:
    body = "statements:\n  - id: s\n    text: A {{c1::x}}.\n    waive: {two-questions: ''}\n"
    with pytest.raises(InputError, match="give the reason"):
        parse_deck_text(deck(body), "demo.yaml")


def test_duplicates_are_found_across_decks() -> None:
    a = parse_deck_text(deck("concepts:\n  - {term: PCA, definition: x y z.}\n", "a"), "a.yaml")
    b = parse_deck_text(deck("concepts:\n  - {term: pca, definition: u v w.}\n", "b"), "b.yaml")
    findings = lint_decks([a, b]).findings
    assert [(f.file, f.rule) for f in findings] == [("b.yaml", "duplicate-front")]
    assert "deck 'a'" in findings[0].message


CURRICULUM = """\
schema: 1
id: cov
title: Coverage
phases:
  - id: p
    title: P
    span: "1"
    weeks:
      - span: "1"
        title: W
        topics: [demo]
topics:
  - id: demo
    title: Demo
    subtopics:
      - title: Linear Algebra
        subtopics: [Eigenvalues, "Matrix decomposition"]
      - Chain rule
"""


def test_coverage_counts_distinct_notes_and_parents_through_children() -> None:
    cur = parse_curriculum(load_yaml(CURRICULUM, "cov.yaml"), origin="bundled")
    body = (
        "concepts:\n  - {term: Eigenvector, definition: v with Av = λv., covers: [eigenvalues]}\n"
        "statements:\n  - id: s\n    text: '{{c1::SVD}} factors any {{c2::matrix}}.'\n"
        "    covers: [Matrix  decomposition, Eigenvalues]\n"
        "cards:\n  - {id: c, front: Why?, back: Because., covers: Chain rule}\n"
        "  - {id: d, front: How?, back: So.}\n"
    )
    d = parse_deck_text(deck(body), "demo.yaml")
    (topic,) = curriculum_coverage(cur, {"demo": d}, [cur]).topics
    counts = {s.title: s.notes for s in topic.subtopics}
    assert counts == {
        "Linear Algebra": 2,  # the concept and the statement, each counted once
        "Eigenvalues": 2,
        "Matrix decomposition": 1,
        "Chain rule": 1,
    }
    assert (topic.cards, topic.notes, topic.reverse_cards, topic.uncovered_notes) == (6, 4, 1, 1)
    assert topic.broad
    assert not topic.size_met
    assert [s.title for s in topic.short] == list(counts)


def test_a_cover_naming_no_subtopic_is_reported() -> None:
    cur = parse_curriculum(load_yaml(CURRICULUM, "cov.yaml"), origin="bundled")
    body = "cards:\n  - {id: c, front: Why?, back: Because., covers: [Chain rules]}\n"
    (found,) = unknown_covers([parse_deck_text(deck(body), "demo.yaml")], [cur])
    assert (found.item, found.title) == ("cards (c)", "Chain rules")


def test_retired_keys_retire_reviewed_cards_without_refusing_the_deck(ctx: AppContext) -> None:
    two = "statements:\n  - id: s\n    text: '{{c1::Adam}} keeps {{c2::two}} moments.'\n"
    path = write_deck(ctx, "demo", deck(two))
    sync_decks(ctx)
    rate_card(ctx, "demo", "cloze:s:c1")
    one = "retired: ['cloze:s:c1']\n" + S + "'Adam keeps {{c2::two}} moments.'\n"
    path.write_text(deck(one), encoding="utf-8")
    report = sync_decks(ctx)
    assert (report.refused, report.retired, report.problems) == (0, 1, [])
    cards = cards_of(ctx, "demo")
    assert cards["cloze:s:c1"].retired_at is not None
    assert cards["cloze:s:c1"].last_review is not None
    assert cards["cloze:s:c2"].retired_at is None


def test_retired_must_name_a_card_the_file_no_longer_makes() -> None:
    body = "retired: ['cloze:s:c1', 'nonsense']\nstatements:\n  - id: s\n    text: '{{c1::x}} y.'\n"
    with pytest.raises(InputError) as exc:
        parse_deck_text(deck(body), "demo.yaml")
    text = str(exc.value)
    assert "'cloze:s:c1' is still made by this file" in text
    assert "'nonsense' is not a card key" in text


def test_decks_check_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = tmp_path / "demo.yaml"
    clean.write_text(deck("cards:\n  - {id: c, front: Why?, back: Because.}\n"), "utf-8")
    assert run(["decks", "check", str(clean)]) == 0
    assert "valid (1 cards), 0 content findings" in capsys.readouterr().out
    flawed = tmp_path / "demo2.yaml"
    flawed.write_text(
        deck("cards:\n  - {id: c, front: What? Why?, back: Because.}\n", "demo2"), "utf-8"
    )
    assert run(["decks", "check", str(flawed), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [f["rule"] for f in report["findings"]] == ["two-questions"]
    assert run(["decks", "check", str(tmp_path / "demo3.yaml")]) == 2


def test_decks_coverage_cli(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["decks", "coverage", "ml-ai-senior-12w", "--json"]) == 0
    (cur,) = json.loads(capsys.readouterr().out)
    assert cur["curriculum"] == "ml-ai-senior-12w"
    assert {"topic", "cards", "notes", "size_met", "subtopics"} <= set(cur["topics"][0])
    assert run(["decks", "coverage", "nope"]) == 2


@pytest.mark.parametrize(
    ("first", "second", "duplicate"),
    [
        ("Vanishing gradient problem", "Vanishing gradients", False),  # "problem" stays a word
        ("Vanishing gradient", "Vanishing gradients", True),
        ("Autograd (PyTorch)", "Autograd", True),  # one label: the same term
        ("Generator (Python)", "Generator (GAN)", False),  # labels tell them apart
        ("Pipeline (scikit-learn)", "pipeline (scikit-learn)", True),
    ],
)
def test_near_copies_of_a_term_are_duplicates(first: str, second: str, duplicate: bool) -> None:
    a = parse_deck_text(deck(f"concepts:\n  - {{term: '{first}', definition: x y z.}}\n", "a"), "a")
    b = parse_deck_text(deck(f"concepts:\n  - {{term: '{second}', definition: u v.}}\n", "b"), "b")
    assert bool(lint_decks([a, b]).findings) is duplicate


@pytest.mark.parametrize(
    "text",
    [
        "Insertion sort takes {{c1::O(n)}} time on sorted input, against O(n²) in general.",
        "He initialisation draws weights with variance {{c1::2 / fan_in}}, not 1 / fan_in.",
        "PyTorch's {{c1::nn.Linear}} applies a linear layer.",
    ],
)
def test_formulas_and_plain_names_are_not_taken_for_a_name_holding_the_answer(text: str) -> None:
    assert rules(S + text + "\n") == []


def test_math_keeps_its_minus_sign_next_to_code() -> None:
    """A formula beside a function name is math, not code: "np.linalg.lstsq solves min‖Xw − y‖"."""
    body = S + "Call {{c1::np.linalg.lstsq}}, which solves min‖Xw − y‖ directly from X.\n"
    assert "code-minus" not in rules(body)
