"""Every table the assistant adds to the tracker store's database, defined here only and created when missing
(CREATE ... IF NOT EXISTS: each process that needs them calls ensure() once; Rasa creates its own `events`).

The shared contract: `handoff` (咨询编号) and `feedback` (好差评), the two indexes on Rasa's `events`. Times are
seconds since the epoch: REAL in SQLite (8 bytes), DOUBLE PRECISION in PostgreSQL (its REAL has 4 bytes, a
resolution of minutes for today's timestamps). Then the console's own: staff accounts, their sessions (only a hash
of the cookie's token is kept), the audit log of who opened which conversation, and the dashboard's incremental
rollup of `events` (bot/stats_rollup.py: a watermark, daily counts, the poorly answered questions, masked).
"""

from __future__ import annotations

import logging

import sqlalchemy as sa

log = logging.getLogger(__name__)

# records/ (privacy): hashes of deleted conversations' ids (deleting twice is harmless, not "unknown"), and what
# each retention purge removed (the web app's /metrics sums it). A deletion or a purge creates only these.
PRIVACY_TABLES = (
    "CREATE TABLE IF NOT EXISTS forgotten (sender_hash TEXT PRIMARY KEY, forgotten_at {time} NOT NULL)",
    """CREATE TABLE IF NOT EXISTS retention_log (
        id {id},
        ran_at {time} NOT NULL,
        cutoff {time} NOT NULL,
        conversations INTEGER NOT NULL,
        events INTEGER NOT NULL,
        feedback INTEGER NOT NULL,
        handoffs INTEGER NOT NULL)""",
)
TABLES = (
    """CREATE TABLE IF NOT EXISTS handoff (
        code TEXT PRIMARY KEY,
        sender_id TEXT NOT NULL,
        created_at {time} NOT NULL,
        expires_at {time} NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS ix_handoff_sender_id ON handoff (sender_id)",
    """CREATE TABLE IF NOT EXISTS feedback (
        id {id},
        sender_id TEXT NOT NULL,
        created_at {time} NOT NULL,
        rating INTEGER NULL CHECK (rating BETWEEN 1 AND 5),
        helpful BOOLEAN NULL,
        comment TEXT NULL,
        intent TEXT NULL,
        question TEXT NULL)""",
    "CREATE INDEX IF NOT EXISTS ix_feedback_created_at ON feedback (created_at)",
    "CREATE INDEX IF NOT EXISTS ix_feedback_sender_id ON feedback (sender_id)",
    """CREATE TABLE IF NOT EXISTS staff (
        username TEXT PRIMARY KEY,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL,
        disabled BOOLEAN NOT NULL,
        created_at {time} NOT NULL,
        failed_logins INTEGER NOT NULL,
        locked_until {time} NULL)""",
    """CREATE TABLE IF NOT EXISTS staff_session (
        token_hash TEXT PRIMARY KEY,
        username TEXT NOT NULL,
        created_at {time} NOT NULL,
        expires_at {time} NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS ix_staff_session_expires_at ON staff_session (expires_at)",
    """CREATE TABLE IF NOT EXISTS staff_audit (
        id {id},
        at {time} NOT NULL,
        username TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS ix_staff_audit_at ON staff_audit (at)",
    # the dashboard: the last event counted (with the settings it was counted with) ...
    """CREATE TABLE IF NOT EXISTS stats_state (
        name VARCHAR(32) PRIMARY KEY,
        last_id BIGINT NOT NULL,
        config TEXT NOT NULL)""",
    # ... one row per China-time day, metric (questions, sessions, fallback, low, intent, place) and item ...
    """CREATE TABLE IF NOT EXISTS stats_daily (
        day CHAR(10) NOT NULL,
        metric VARCHAR(16) NOT NULL,
        item TEXT NOT NULL,
        n BIGINT NOT NULL,
        PRIMARY KEY (day, metric, item))""",
    # ... and each poorly answered question (masked) by the id of its event, with its group of near-duplicates
    # (the id of the group's first event); deleted with its conversation (stores.forget, and a background purge)
    """CREATE TABLE IF NOT EXISTS stats_unanswered (
        event_id BIGINT PRIMARY KEY,
        sender_id TEXT NOT NULL,
        day CHAR(10) NOT NULL,
        text TEXT NOT NULL,
        folded TEXT NOT NULL,
        grp BIGINT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS ix_stats_unanswered_day ON stats_unanswered (day)",
    "CREATE INDEX IF NOT EXISTS ix_stats_unanswered_sender_id ON stats_unanswered (sender_id)",
    *PRIVACY_TABLES,
)
# the tables holding rows of one conversation (its sender_id): POST /api/forget deletes them all (stores/forget.py)
SENDER_TABLES = ("events", "feedback", "handoff", "stats_unanswered")
# on Rasa's table, once it exists (the names are shared by everyone who needs them)
EVENTS_INDEXES = (
    "CREATE INDEX IF NOT EXISTS ix_events_timestamp ON events (timestamp)",
    "CREATE INDEX IF NOT EXISTS ix_events_sender_id ON events (sender_id)",
)
_TYPES = {"sqlite": {"id": "INTEGER PRIMARY KEY", "time": "REAL"},
          "postgresql": {"id": "SERIAL PRIMARY KEY", "time": "DOUBLE PRECISION"}}


def ensure(engine: sa.engine.Engine) -> None:
    """Create what is missing. Two processes starting at once may both try: IF NOT EXISTS makes that harmless,
    except PostgreSQL's catalog race on the same name, which the second one survives by trying again."""
    for attempt in range(3):
        try:
            with engine.begin() as conn:
                create(conn)
            break
        except sa.exc.IntegrityError:  # pg_type_typname_nsp_index: another process created it meanwhile
            if attempt == 2:
                raise
    ensure_events_indexes(engine)


def create(conn: sa.engine.Connection, statements: tuple[str, ...] = TABLES) -> None:
    """Run `statements` (all of TABLES by default) in the caller's transaction, with the dialect's types."""
    types = _TYPES.get(conn.dialect.name, _TYPES["postgresql"])
    for ddl in statements:
        conn.execute(sa.text(ddl.format(**types)))


def has_table(bind: sa.engine.Engine | sa.engine.Connection, name: str) -> bool:
    return bool(sa.inspect(bind).has_table(name))


def ensure_events_indexes(engine: sa.engine.Engine) -> bool:
    """The indexes on `events` when Rasa has created it; False when it has not (yet). A database user that may
    not index Rasa's table (PostgreSQL: only its owner may) reads without them, with a warning in the log."""
    if not has_table(engine, "events"):
        return False
    try:
        with engine.begin() as conn:
            for ddl in EVENTS_INDEXES:
                conn.execute(sa.text(ddl))
    except sa.exc.DBAPIError as exc:
        log.warning("indexes on events not created (%s): queries by sender scan the table", type(exc.orig).__name__)
    return True
