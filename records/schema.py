"""The tables the processes share in the tracker store's database, and the indexes on Rasa's `events`.

Rasa creates `events` itself (its SQL tracker store, at start). `forgotten` and `retention_log` are created here by
whoever needs them first, with CREATE TABLE IF NOT EXISTS, so that no process depends on another having started;
`handoff` and `feedback` (the shared contract) only by `ensure_shared`, for their owner: a deletion or a purge
deletes from them when they exist and never creates them. Times are Unix
seconds: REAL in SQLite (8 bytes), DOUBLE PRECISION in PostgreSQL (its REAL has 4 bytes, too few for seconds).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

EVENTS = "events"
HANDOFF = "handoff"
FEEDBACK = "feedback"
FORGOTTEN = "forgotten"  # hashes of deleted conversations' ids: deleting twice is harmless, not "unknown"
RETENTION_LOG = "retention_log"  # what each purge removed (the web app's /metrics sums it)
EVENT_INDEXES = {"ix_events_timestamp": "timestamp", "ix_events_sender_id": "sender_id"}


def _types(postgres: bool) -> tuple[str, str]:
    """(time column, autoincrement key) for the dialect."""
    return ("DOUBLE PRECISION", "SERIAL PRIMARY KEY") if postgres else ("REAL", "INTEGER PRIMARY KEY")


def _own_tables(postgres: bool) -> list[str]:
    """The tables of this package: deletions remembered, purges logged."""
    time, key = _types(postgres)
    return [
        f"CREATE TABLE IF NOT EXISTS {FORGOTTEN} (sender_hash TEXT PRIMARY KEY, forgotten_at {time} NOT NULL)",
        f"CREATE TABLE IF NOT EXISTS {RETENTION_LOG} (id {key}, ran_at {time} NOT NULL, cutoff {time} NOT NULL, "
        "conversations INTEGER NOT NULL, events INTEGER NOT NULL, feedback INTEGER NOT NULL, "
        "handoffs INTEGER NOT NULL)",
    ]


def _contract_tables(postgres: bool) -> list[str]:
    """`handoff` and `feedback` as the team's contract defines them. Their owner (issue 14: the handoff codes and
    the ratings) creates them; deleting and purging only delete from them when they exist, and never create them."""
    time, key = _types(postgres)
    return [
        f"CREATE TABLE IF NOT EXISTS {HANDOFF} (code TEXT PRIMARY KEY, sender_id TEXT NOT NULL, "
        f"created_at {time} NOT NULL, expires_at {time} NOT NULL)",
        f"CREATE INDEX IF NOT EXISTS ix_{HANDOFF}_sender_id ON {HANDOFF} (sender_id)",
        f"CREATE TABLE IF NOT EXISTS {FEEDBACK} (id {key}, sender_id TEXT NOT NULL, created_at {time} NOT NULL, "
        "rating INTEGER NULL CHECK (rating BETWEEN 1 AND 5), helpful BOOLEAN NULL, comment TEXT NULL, "
        "intent TEXT NULL, question TEXT NULL)",
        f"CREATE INDEX IF NOT EXISTS ix_{FEEDBACK}_created_at ON {FEEDBACK} (created_at)",
        f"CREATE INDEX IF NOT EXISTS ix_{FEEDBACK}_sender_id ON {FEEDBACK} (sender_id)",
    ]


def is_postgres(conn: Connection) -> bool:
    return conn.dialect.name.startswith("postgres")


def has_table(conn: Connection, name: str) -> bool:
    return bool(sa.inspect(conn).has_table(name))


def ensure(conn: Connection) -> None:
    """Create this package's tables, and the indexes on `events` once Rasa has created it (idempotent)."""
    for statement in _own_tables(is_postgres(conn)):
        conn.execute(sa.text(statement))
    ensure_event_indexes(conn)


def ensure_shared(conn: Connection) -> None:
    """`ensure`, and the contract's `handoff` and `feedback` tables (for their owner, and for tests)."""
    for statement in _contract_tables(is_postgres(conn)):
        conn.execute(sa.text(statement))
    ensure(conn)


def ensure_event_indexes(conn: Connection) -> bool:
    """The indexes a purge needs (the last event of each conversation, by time); False when there is no `events`
    table yet. `ix_events_sender_id` is also the name SQLAlchemy gives Rasa's own index on the column."""
    if not has_table(conn, EVENTS):
        return False
    for name, column in EVENT_INDEXES.items():
        conn.execute(sa.text(f"CREATE INDEX IF NOT EXISTS {name} ON {EVENTS} ({column})"))
    return True
