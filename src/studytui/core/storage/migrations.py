"""Versioned schema migrations.

The schema version lives in ``PRAGMA user_version``. Each step runs in one transaction together
with its version bump, so a crash leaves the database at the old or the new version, never in
between. A consistent copy of the file is taken before the first step (see ``backup.py``).
Steps are frozen DDL: once released, a step never changes; a new change is a new step. (Steps 2
and 3 were once edited in place, by 1b0a896, before step 4 shipped; step 6 brings the files made
before that edit to the indexes of today, and is right on every file, see its comment.)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]
    # Columns (table, column, type) a step adds only where missing: for a column an in-place
    # edit of an earlier step gave some databases of the same version and not others.
    missing_columns: tuple[tuple[str, str, str], ...] = ()


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "roadmap progress: topic status history and checklists",
        (
            """CREATE TABLE topic_status_event (
                id INTEGER NOT NULL PRIMARY KEY,
                topic_id VARCHAR NOT NULL,
                status VARCHAR NOT NULL,
                at DATETIME NOT NULL
            )""",
            "CREATE INDEX ix_topic_status_event_topic_id ON topic_status_event (topic_id)",
            """CREATE TABLE checklist_event (
                id INTEGER NOT NULL PRIMARY KEY,
                curriculum_id VARCHAR NOT NULL,
                list_id VARCHAR NOT NULL,
                item TEXT NOT NULL,
                done INTEGER NOT NULL,
                at DATETIME NOT NULL
            )""",
            "CREATE INDEX ix_checklist_event_list ON checklist_event (curriculum_id, list_id)",
        ),
    ),
    Migration(
        2,
        "flashcards: decks, cards with FSRS state, review logs, fitted parameters",
        (
            """CREATE TABLE deck (
                id INTEGER NOT NULL PRIMARY KEY,
                name VARCHAR NOT NULL UNIQUE,
                topic_id VARCHAR,
                title VARCHAR NOT NULL,
                source VARCHAR,
                source_hash VARCHAR,
                synced_at DATETIME
            )""",
            "CREATE INDEX ix_deck_topic_id ON deck (topic_id)",
            """CREATE TABLE card (
                id INTEGER NOT NULL PRIMARY KEY,
                deck_id INTEGER NOT NULL REFERENCES deck (id) ON DELETE CASCADE,
                "key" VARCHAR NOT NULL,
                kind VARCHAR NOT NULL,
                front TEXT NOT NULL,
                back TEXT NOT NULL,
                tags VARCHAR NOT NULL,
                position INTEGER NOT NULL,
                origin VARCHAR NOT NULL,
                state INTEGER NOT NULL,
                step INTEGER,
                stability FLOAT,
                difficulty FLOAT,
                due DATETIME,
                last_review DATETIME,
                suspended INTEGER NOT NULL,
                buried_until DATE,
                retired_at DATETIME,
                created_at DATETIME NOT NULL,
                edited_at DATETIME
            )""",
            'CREATE UNIQUE INDEX ux_card_deck_key ON card (deck_id, "key")',
            "CREATE INDEX ix_card_due ON card (deck_id, state, due)",
            """CREATE INDEX ix_card_queue ON card (state, due, deck_id, buried_until)
                WHERE retired_at IS NULL AND suspended = 0""",
            "CREATE INDEX ix_card_live ON card (deck_id, suspended) WHERE retired_at IS NULL",
            """CREATE TABLE review_log (
                id INTEGER NOT NULL PRIMARY KEY,
                card_id INTEGER NOT NULL REFERENCES card (id) ON DELETE CASCADE,
                rating INTEGER NOT NULL,
                reviewed_at DATETIME NOT NULL,
                duration_ms INTEGER,
                state_before INTEGER NOT NULL,
                state_after INTEGER NOT NULL,
                card_before TEXT NOT NULL,
                due_after DATETIME
            )""",
            "CREATE INDEX ix_review_log_card ON review_log (card_id, reviewed_at)",
            """CREATE INDEX ix_review_log_time
                ON review_log (reviewed_at, state_before, rating, duration_ms, card_id)""",
            """CREATE TABLE scheduler_params (
                id INTEGER NOT NULL PRIMARY KEY,
                fitted_at DATETIME NOT NULL,
                parameters TEXT NOT NULL,
                reviews_used INTEGER NOT NULL,
                loss_before FLOAT,
                loss_after FLOAT
            )""",
        ),
    ),
    Migration(
        3,
        "time log: study sessions, at most one running",
        (
            """CREATE TABLE study_session (
                id INTEGER NOT NULL PRIMARY KEY,
                category VARCHAR NOT NULL,
                topic_id VARCHAR,
                curriculum_id VARCHAR,
                note TEXT,
                source VARCHAR NOT NULL,
                status VARCHAR NOT NULL,
                started_at DATETIME NOT NULL,
                timezone VARCHAR,
                planned_seconds INTEGER,
                ended_at DATETIME,
                paused_seconds INTEGER NOT NULL,
                paused_at DATETIME,
                heartbeat_at DATETIME,
                deleted_at DATETIME,
                external_id VARCHAR UNIQUE
            )""",
            "CREATE INDEX ix_session_time ON study_session (started_at, ended_at)",
            "CREATE INDEX ix_study_session_topic_id ON study_session (topic_id)",
            """CREATE UNIQUE INDEX ux_session_one_open
                ON study_session ((status IN ('running', 'paused')))
                WHERE status IN ('running', 'paused')""",
        ),
    ),
    Migration(
        4,
        "leeches: each card's lapses from a partial index of the review log",
        (
            """CREATE INDEX ix_review_log_lapse ON review_log (card_id)
                WHERE state_before = 2 AND rating = 1""",
        ),
    ),
    Migration(
        5,
        "one home per fact: the cards of other decks a deck's reviews show",
        (
            """CREATE TABLE deck_include (
                deck_id INTEGER NOT NULL REFERENCES deck (id) ON DELETE CASCADE,
                card_id INTEGER NOT NULL REFERENCES card (id) ON DELETE CASCADE,
                PRIMARY KEY (deck_id, card_id)
            )""",
            "CREATE INDEX ix_deck_include_card ON deck_include (card_id)",
        ),
    ),
    Migration(
        6,
        "deck presets: FSRS parameters fitted per preset (NULL: the default preset)",
        ("ALTER TABLE scheduler_params ADD COLUMN preset VARCHAR",),
    ),
    # Versions 2 and 3 were edited in place before version 4 shipped (1b0a896): a database that
    # reached version 3 before that edit has ix_card_state_due instead of the partial
    # ix_card_queue and ix_card_live, and an ix_review_log_time on reviewed_at alone. Each
    # statement is right on both histories and on a new file: the two partial indexes are made
    # only where missing (same text as version 2's, so every file's schema reads the same), and
    # ix_review_log_time, the same name on both histories, is rebuilt everywhere.
    Migration(
        7,
        "indexes of version-3 databases made before 1b0a896: the queue and log indexes of today",
        (
            "DROP INDEX IF EXISTS ix_card_state_due",
            """CREATE INDEX IF NOT EXISTS ix_card_queue ON card (state, due, deck_id, buried_until)
                WHERE retired_at IS NULL AND suspended = 0""",
            "CREATE INDEX IF NOT EXISTS ix_card_live ON card (deck_id, suspended)"
            " WHERE retired_at IS NULL",
            "DROP INDEX IF EXISTS ix_review_log_time",
            """CREATE INDEX ix_review_log_time
                ON review_log (reviewed_at, state_before, rating, duration_ms, card_id)""",
        ),
    ),
    # 987fa17 added study_session.timezone to version 3 in place: a version-3 file made before
    # it (505eaa7 to 987fa17's parent, no time log service yet) has no such column.
    Migration(
        8,
        "study_session.timezone for version-3 databases made before 987fa17",
        (),
        missing_columns=(("study_session", "timezone", "VARCHAR"),),
    ),
    Migration(
        9,
        "the live timer from the command line and tags: detached sessions, where a session "
        "was started, free tags",
        (
            "ALTER TABLE study_session ADD COLUMN tags VARCHAR NOT NULL DEFAULT ''",
            "ALTER TABLE study_session ADD COLUMN started_via VARCHAR",
            "ALTER TABLE study_session ADD COLUMN detached_at DATETIME",
        ),
    ),
)

LATEST_VERSION = MIGRATIONS[-1].version
