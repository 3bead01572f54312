"""The deck file format: card generation, cloze expansion, identity keys, file:line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from studytui.core.decks import cloze
from studytui.core.decks.cards import concept_items, generate, sibling_group, slug
from studytui.core.decks.parser import parse_deck_text
from studytui.core.errors import InputError

DECK = """\
schema: 1
topic: transformers
title: Transformers
tags: [deep-learning]
concepts:
  - term: Self-attention
    definition: Every position attends to every position.
  - id: mha
    term: Multi-head attention
    definition: Several attention operations in parallel.
    tags: [attention]
statements:
  - id: scaling
    text: Scores are divided by {{c1::the square root of d_k}}.
  - id: parts
    text: The Transformer has an {{c1::encoder}} and a {{c2::decoder::generates output}}.
    extra: From 2017.
  - text: Both {{c1::BERT}} and {{c1::RoBERTa}} are encoder-only.
cards:
  - id: why-pos
    front: Why positional encodings?
    back: Attention is permutation-invariant.
  - id: bert
    type: reversed
    front: Encoder-only Transformer pre-trained with MLM
    back: BERT
    tags: [models]
"""


def test_cards_generated_from_each_part() -> None:
    deck = parse_deck_text(DECK, "transformers.yaml", expect_topic="transformers")
    cards = {c.key: c for c in deck.cards()}
    assert deck.title == "Transformers"
    assert cards["concept:self-attention:fwd"].front == "Self-attention"
    assert cards["concept:self-attention:rev"].front == "Every position attends to every position."
    assert cards["concept:self-attention:rev"].back == "Self-attention"
    assert cards["concept:mha:fwd"].tags == ("deep-learning", "attention")
    assert cards["cloze:scaling:c1"].front == "Scores are divided by [...]."
    assert cards["cloze:parts:c1"].front == "The Transformer has an [...] and a decoder."
    assert (
        cards["cloze:parts:c2"].front == "The Transformer has an encoder and a [generates output]."
    )
    assert (
        cards["cloze:parts:c2"].back
        == "The Transformer has an encoder and a decoder.\n\nFrom 2017."
    )
    assert cards["card:why-pos"].kind == "basic"
    assert cards["card:bert:rev"].front == "BERT"
    assert cards["card:bert:rev"].back == "Encoder-only Transformer pre-trained with MLM"
    # 2 concepts x 2 + clozes (1 + 2 + 1) + 1 basic + 1 reversed x 2
    assert len(cards) == 4 + 4 + 1 + 2
    # A note's cards together, in note order (Anki's order of new cards: note, then template).
    order = [c.key for c in deck.cards()]
    assert order[:4] == [
        "concept:self-attention:fwd",
        "concept:self-attention:rev",
        "concept:mha:fwd",
        "concept:mha:rev",
    ]
    assert order[-2:] == ["card:bert", "card:bert:rev"]


def test_same_number_deletions_are_hidden_together() -> None:
    text = "Both {{c1::BERT}} and {{c1::RoBERTa}} are {{c2::encoder-only}}."
    cards = cloze.expand(text)
    assert [c.number for c in cards] == [1, 2]
    assert cards[0].question == "Both [...] and [...] are encoder-only."
    assert cards[1].question == "Both BERT and RoBERTa are [...]."
    assert cards[0].answer == "Both BERT and RoBERTa are encoder-only."


def test_statement_without_id_keeps_its_key_when_the_answer_changes() -> None:
    a = parse_deck_text(DECK, "t.yaml").cards()
    b = parse_deck_text(DECK.replace("{{c1::RoBERTa}}", "{{c1::DeBERTa}}"), "t.yaml").cards()
    key_a = next(c.key for c in a if "BERT" in c.back and c.kind == "cloze")
    key_b = next(c.key for c in b if "BERT" in c.back and c.kind == "cloze")
    assert key_a == key_b


def test_slugs_and_siblings() -> None:
    assert slug("Multi-head attention (MHA)") == "multi-head-attention-mha"
    assert slug("Régression") == "regression"
    assert sibling_group("concept:mha:fwd") == sibling_group("concept:mha:rev") == "concept:mha"
    assert sibling_group("cloze:parts:c2") == "cloze:parts"
    assert sibling_group("card:bert") == sibling_group("card:bert:rev")
    items = concept_items([("Loss", "a"), ("loss", "b")])
    assert [i.id for i in items] == ["loss", "loss-2"]
    assert len(generate(items, (), ())) == 4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (DECK.replace("title: Transformers\n", ""), "t.yaml:1: missing required key 'title'"),
        (DECK.replace("schema: 1", "schema: 2"), "t.yaml:1: schema: unsupported schema 2"),
        (
            DECK.replace("{{c1::the square root of d_k}}", "the square root"),
            "t.yaml:14: statements[0].text: has no cloze deletion",
        ),
        (
            DECK.replace("{{c1::the square root of d_k}}", "{{c1:the square root}}"),
            "t.yaml:14: statements[0].text: has",
        ),
        (DECK.replace("id: mha", "id: self-attention"), "t.yaml:8: concepts[1]: duplicate id"),
        (DECK.replace("type: reversed", "type: double"), "t.yaml:24: cards[1].type: 'double'"),
        (DECK.replace("    extra:", "    extras:"), "t.yaml:17: statements[1].extras: unknown key"),
        (DECK.replace("topic: transformers", "topic: rag"), "t.yaml:2: topic: 'rag' does not"),
        (DECK + "  - front: only a front\n", "t.yaml:28: cards[2]: missing required key 'back'"),
        ("schema: 1\ntopic: x\ntitle: [unclosed\n", "t.yaml:4: invalid YAML"),
        ("", "t.yaml: the file is empty"),
    ],
    ids=[
        "missing-title",
        "schema",
        "no-cloze",
        "malformed-cloze",
        "duplicate-id",
        "card-type",
        "unknown-key",
        "topic-mismatch",
        "missing-back",
        "yaml-syntax",
        "empty-file",
    ],
)
def test_errors_name_file_line_and_field(text: str, expected: str) -> None:
    with pytest.raises(InputError) as info:
        parse_deck_text(text, "t.yaml", expect_topic="transformers")
    messages = [str(p) for p in info.value.problems]
    assert any(m.startswith(expected) for m in messages), messages


def test_every_problem_is_reported_at_once() -> None:
    bad = DECK.replace("schema: 1", "schema: 3").replace("type: reversed", "type: x")
    with pytest.raises(InputError) as info:
        parse_deck_text(bad, "t.yaml")
    assert len(info.value.problems) == 2


def test_bundled_decks_are_valid_and_have_six_cards() -> None:
    from studytui.core.decks.sync import bundled_deck_dir, check_deck_file

    folder = bundled_deck_dir()
    assert folder is not None
    files = sorted(Path(folder).glob("*.yaml"))
    assert files
    for path in files:
        deck = check_deck_file(path)
        assert len(deck.cards()) >= 6, path.name
        keys = [c.key for c in deck.cards()]
        assert len(keys) == len(set(keys)), path.name
