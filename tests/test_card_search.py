"""Card search in Anki's syntax, the browser's actions and their undo, and `studytui cards`."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from studytui.cli import run
from studytui.core.cardsearch.actions import CardActions
from studytui.core.cardsearch.query import SearchError, parse_query
from studytui.core.cardsearch.service import CardSearchService
from studytui.core.clock import ManualClock
from studytui.core.context import AppContext
from studytui.core.decks.sync import sync_decks
from studytui.core.errors import ConflictError
from studytui.core.scheduling import Rating
from studytui.core.services.review import ReviewFilter, ReviewService

DEMO = """\
schema: 1
topic: demo
title: Demo deck
cards:
  - {id: a, front: "Alpha question", back: "alpha answer", tags: [greek]}
  - {id: b, front: "Beta question", back: "beta answer", tags: [greek, second]}
  - {id: c, front: "Gamma question", back: "gamma answer"}
  - {id: d, front: "Delta question", back: "delta answer"}
  - {id: e, front: "Epsilon question", back: "epsilon answer"}
  - {id: f, front: "Zeta question", back: "a literal [b]markup[/b] answer"}
"""


@pytest.fixture
def demo(ctx: AppContext) -> dict[str, int]:
    """The demo deck: A learning (Good), B in review (Easy), C learning (Again), D suspended,
    E buried, F new; the card id of each key."""
    folder = ctx.paths.user_deck_dir
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "demo.yaml").write_text(DEMO, encoding="utf-8")
    sync_decks(ctx)
    session = ReviewService(ctx).start(ReviewFilter(deck="demo"))
    ids: dict[str, int] = {}
    for rating in (Rating.Good, Rating.Easy, Rating.Again):
        card = session.next_card()
        assert card is not None
        ids[card.key.removeprefix("card:")] = card.id
        session.rate(rating)
    session.flush()
    found = CardSearchService(ctx).search("deck:demo")
    for row in found.rows:
        ids.setdefault(row.key.removeprefix("card:"), row.id)
    actions = CardActions(ctx)
    actions.suspend([ids["d"]])
    actions.bury([ids["e"]])
    return ids


def keys(ctx: AppContext, query: str) -> set[str]:
    return {r.key.removeprefix("card:") for r in CardSearchService(ctx).search(query).rows}


# -- the syntax ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("is:foo", "not a state"),
        ("prop:size>3", "use prop:NAME<op>NUMBER"),
        ("prop:ivl>>3", "use prop:NAME<op>NUMBER"),
        ("rated:0", "from 1 to 36500"),
        ("rated:3:5", "the rating is 1 (Again) to 4 (Easy)"),
        ("(deck:a", "a '(' without its ')'"),
        ("deck:a)", "a ')' without its '('"),
        ("deck:a or", "'or' needs a term after it"),
        ('"unclosed', "an unclosed quote"),
        ("deck:", "nothing after 'deck:'"),
        ('"re:("', "not a regular expression"),  # parentheses inside a term: quoted
        ("kind:image", "kind is one of"),
    ],
)
def test_a_query_that_cannot_be_read_is_refused(query: str, message: str) -> None:
    with pytest.raises(SearchError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_query(query)


def test_states_and_fields(ctx: AppContext, demo: dict[str, int]) -> None:
    assert keys(ctx, "deck:demo is:new") == {"d", "e", "f"}
    assert keys(ctx, "deck:demo is:learn") == {"a", "c"}
    assert keys(ctx, "deck:demo is:review") == {"b"}
    assert keys(ctx, "deck:demo is:suspended") == {"d"}
    assert keys(ctx, "deck:demo is:buried") == {"e"}
    assert keys(ctx, "deck:demo -is:new") == {"a", "b", "c"}
    assert keys(ctx, "deck:dem* tag:greek") == {"a", "b"}
    assert keys(ctx, "tag:second") == {"b"}
    assert keys(ctx, "deck:demo alph*") == {"a"}
    assert keys(ctx, 'deck:demo "gamma answer"') == {"c"}
    assert keys(ctx, "deck:demo front:zeta") == {"f"}
    assert keys(ctx, "deck:demo back:question") == set()
    assert keys(ctx, "deck:demo [b]markup") == {"f"}  # text, never markup
    assert keys(ctx, r'deck:demo "re:^(beta|delta)\s"') == {"b", "d"}
    assert keys(ctx, f"cid:{demo['a']},{demo['f']}") == {"a", "f"}
    assert keys(ctx, "deck:demo key:card:?") == {"a", "b", "c", "d", "e", "f"}


def test_or_binds_looser_than_and_as_in_anki(ctx: AppContext, demo: dict[str, int]) -> None:
    # "deck:demo is:new or is:review" is (deck:demo AND is:new) OR is:review
    assert keys(ctx, "deck:demo (is:suspended or is:buried)") == {"d", "e"}
    assert keys(ctx, "deck:demo -(is:new or is:learn)") == {"b"}
    mixed = CardSearchService(ctx).search("deck:demo is:new or is:review").rows
    assert {r.key for r in mixed if r.deck == "demo"} == {"card:d", "card:e", "card:f", "card:b"}


def test_due_rated_and_properties(
    ctx: AppContext, clock: ManualClock, demo: dict[str, int]
) -> None:
    assert keys(ctx, "deck:demo rated:1") == {"a", "b", "c"}
    assert keys(ctx, "deck:demo rated:1:1") == {"c"}
    assert keys(ctx, "deck:demo rated:1:4") == {"b"}
    assert keys(ctx, "deck:demo prop:reps=1") == {"a", "b", "c"}
    assert keys(ctx, "deck:demo added:1") == {"a", "b", "c", "d", "e", "f"}
    b = CardSearchService(ctx).card(demo["b"])
    assert b.interval_days is not None
    assert b.interval_days >= 1
    assert keys(ctx, f"deck:demo prop:ivl={b.interval_days}") == {"b"}
    assert keys(ctx, "deck:demo prop:d>=0 prop:d<1") == {"a", "b", "c"}
    assert keys(ctx, "deck:demo prop:d=0") == {"b"}  # Easy on a new card: difficulty 1, 0 %
    assert keys(ctx, "deck:demo is:due") == {"a", "c"}  # learning, due today; B is ahead
    clock.advance(timedelta(days=b.interval_days))
    assert "b" in keys(ctx, "deck:demo is:due")
    assert keys(ctx, "deck:demo prop:due<=0") == {"a", "b", "c"}  # learning too, as in Anki
    assert keys(ctx, "deck:demo rated:1") == set()  # a study day later
    assert keys(ctx, f"deck:demo rated:{b.interval_days + 1}") == {"a", "b", "c"}


def test_sorting_puts_cards_without_a_value_last(ctx: AppContext, demo: dict[str, int]) -> None:
    svc = CardSearchService(ctx)
    by_due = [r.key for r in svc.search("deck:demo", "due").rows]
    assert by_due[-3:] == ["card:d", "card:e", "card:f"]  # new: no due, in file order
    by_reviews = [r.key for r in svc.search("deck:demo", "reviews", descending=True).rows]
    assert set(by_reviews[:3]) == {"card:a", "card:b", "card:c"}
    with pytest.raises(SearchError):
        svc.search("deck:demo", "colour")


# -- actions and undo --------------------------------------------------------------------------


def test_actions_change_only_what_they_say_and_undo_puts_it_back(
    ctx: AppContext, demo: dict[str, int]
) -> None:
    svc, actions = CardSearchService(ctx), CardActions(ctx)
    before = {r.id: r for r in svc.search("deck:demo").rows}
    everything = list(before)
    done = actions.suspend(everything)
    assert done.count == 5  # D was suspended already
    assert keys(ctx, "deck:demo -is:suspended") == set()
    actions.undo(done)
    assert {r.id: r for r in svc.search("deck:demo").rows} == before

    reset = actions.reset([demo["b"]])
    assert keys(ctx, "deck:demo is:review") == set()
    assert svc.card(demo["b"]).reps == 1  # its history stays
    actions.undo(reset)
    assert svc.card(demo["b"]) == before[demo["b"]]

    moved = actions.set_due([demo["b"]], "3")
    b = svc.card(demo["b"])
    assert b.due_day == ctx.today() + timedelta(days=3)
    actions.undo(moved)
    assert svc.card(demo["b"]) == before[demo["b"]]
    with pytest.raises(ConflictError, match="is new"):
        actions.set_due([demo["b"], demo["f"]], "1-7")
    assert svc.card(demo["b"]) == before[demo["b"]]  # one transaction: nothing changed


# -- the command line ------------------------------------------------------------------------------


def test_cards_search_show_and_act(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    clock: ManualClock,
    ctx: AppContext,
    demo: dict[str, int],
) -> None:
    monkeypatch.setattr("studytui.cli.common.SystemClock", lambda: clock)
    assert run(["cards", "search", "deck:demo is:learn", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert {c["key"] for c in found} == {"card:a", "card:c"}
    assert run(["cards", "search", "deck:demo", "--sort", "reviews", "--reverse",
                "--limit", "2"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "2 of 6 of" in out
    assert run(["cards", "show", str(demo["c"])]) == 0
    out = capsys.readouterr().out
    assert "Front: Gamma question" in out
    assert "Again" in out
    assert run(["cards", "reset", "deck:demo -is:new"]) == 0
    assert "3 cards match; add --yes" in capsys.readouterr().out
    assert keys(ctx, "deck:demo -is:new") == {"a", "b", "c"}
    assert run(["cards", "suspend", "deck:demo tag:greek"]) == 0
    assert "Suspended 2 of 2 matching cards." in capsys.readouterr().out
    assert run(["cards", "search", "is:nonsense"]) == 2
    assert "studytui: QUERY: 'is:nonsense': not a state" in capsys.readouterr().err
