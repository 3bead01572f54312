"""The bundled decks of this version keep every card of the last release's, with its history.

``tests/data/bundled_keys_2026-12-03.json`` lists every card key the bundled decks made at the
last release (9cd2052). Each must still be made by its deck, be retired on purpose (``retired:``)
or belong to a copy merged into its home deck (``include: … replaces:``): never retired by
accident, which would make the sync refuse the deck for every learner who reviewed the card.
"""

from __future__ import annotations

import json
from pathlib import Path

from studytui.core.clock import ManualClock
from studytui.core.context import AppContext
from studytui.core.decks.parser import load_deck_file
from studytui.core.decks.sync import sync_decks
from studytui.core.scheduling import CardState, Status
from studytui.core.services.deck_content import deck_file_paths
from studytui.core.storage.sqltypes import db_datetime

OLD = json.loads(
    (Path(__file__).parent / "data/bundled_keys_2026-12-03.json").read_text(encoding="utf-8")
)["decks"]


def _note(key: str) -> str:
    return ":".join(key.split(":", 2)[:2])


def test_every_card_of_the_last_release_is_kept_retired_on_purpose_or_merged(
    ctx: AppContext,
) -> None:
    paths = deck_file_paths(ctx)
    lost: list[str] = []
    for deck, keys in OLD.items():
        current = load_deck_file(paths[deck], expect_topic=deck)
        made = {c.key for c in current.cards()}
        replaced = {inc.replaces for inc in current.includes}
        lost.extend(
            f"{deck}/{key}"
            for key in keys
            if key not in made and key not in current.retired and _note(key) not in replaced
        )
    assert lost == []


def test_an_old_database_syncs_the_new_decks_keeping_every_review(
    ctx: AppContext, clock: ManualClock
) -> None:
    """A database holding the last release's cards, each reviewed once, takes the new decks."""
    sync_decks(ctx)
    reviewed_at = clock.now()
    state = CardState(Status.REVIEW, None, 5.0, 5.0, reviewed_at, reviewed_at)
    paths = deck_file_paths(ctx)
    with ctx.db.change() as conn:
        decks = dict(conn.execute("SELECT name, id FROM deck"))
        stored = {(d, k) for d, k in conn.execute('SELECT deck_id, "key" FROM card')}
        text = {
            (d, k): (f, b)
            for d, k, f, b in conn.execute('SELECT deck_id, "key", front, back FROM card')
        }
        for deck, keys in OLD.items():
            # A copy merged into its home deck held the home card's text (what it asked).
            homes = {
                inc.replaces: (inc.deck, inc.note)
                for inc in load_deck_file(paths[deck], expect_topic=deck).includes
                if inc.replaces
            }
            for position, key in enumerate(keys):
                if (decks[deck], key) not in stored:  # a card the new files no longer make
                    home_deck, home_note = homes.get(_note(key), (deck, _note(key)))
                    role = key.split(":", 2)[2:] or [""]
                    same = (decks[home_deck], ":".join([home_note, *role]).rstrip(":"))
                    first = next(
                        (t for (d, k), t in text.items()
                         if d == decks[home_deck] and (k + ":").startswith(home_note + ":")),
                        ("f", "b"),
                    )  # fmt: skip
                    front, back = text.get(same, first)
                    conn.execute(
                        'INSERT INTO card (deck_id, "key", kind, front, back, tags, position, '
                        "origin, state, suspended, created_at) VALUES (?, ?, 'concept', ?, "
                        "?, '', ?, 'file', 0, 0, ?)",
                        (decks[deck], key, front, back, position, db_datetime(reviewed_at)),
                    )
            placeholders = ", ".join("?" * len(keys))
            ids = [
                card_id
                for (card_id,) in conn.execute(
                    f'SELECT id FROM card WHERE deck_id = ? AND "key" IN ({placeholders})',
                    (decks[deck], *keys),
                )
            ]
            conn.executemany(
                "UPDATE card SET state = 2, stability = 5.0, difficulty = 5.0, due = ?, "
                "last_review = ? WHERE id = ?",
                [(db_datetime(reviewed_at), db_datetime(reviewed_at), i) for i in ids],
            )
            conn.executemany(
                "INSERT INTO review_log (card_id, rating, reviewed_at, duration_ms, "
                "state_before, state_after, card_before, due_after) VALUES (?, 3, ?, 1000, 2, "
                "2, ?, ?)",
                [
                    (i, db_datetime(reviewed_at), state.to_json(), db_datetime(reviewed_at))
                    for i in ids
                ],
            )
        conn.execute("UPDATE deck SET source_hash = 'the last release'")
        (logs_before,) = conn.execute("SELECT count(*) FROM review_log").fetchone()
    clock.advance(days=1)
    report = sync_decks(ctx)
    assert (report.refused, report.problems) == (0, [])
    assert report.merged > 50  # the copies merged into their home decks
    with ctx.db.query() as conn:
        (logs_after,) = conn.execute("SELECT count(*) FROM review_log").fetchone()
        (orphans,) = conn.execute(
            "SELECT count(*) FROM review_log WHERE card_id NOT IN (SELECT id FROM card)"
        ).fetchone()
        # Every review is on a card that is shown, except those of cards retired on purpose.
        on_retired = {
            key
            for (key,) in conn.execute(
                'SELECT DISTINCT card."key" FROM review_log JOIN card ON card.id = card_id '
                "WHERE card.retired_at IS NOT NULL"
            )
        }
    retired_on_purpose = {
        key
        for deck in OLD
        for key in load_deck_file(deck_file_paths(ctx)[deck], expect_topic=deck).retired
    }
    assert (logs_after, orphans) == (logs_before, 0)
    assert on_retired <= retired_on_purpose
