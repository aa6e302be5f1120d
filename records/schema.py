"""The tables records/ works on, by name, from the one schema (stores/schema.py).

A deletion or a purge creates only this package's own tables (`forgotten`, `retention_log`: stores.schema's
PRIVACY_TABLES) and the indexes on Rasa's `events` once Rasa has created it; the assistant's other tables (handoff
codes, ratings, the dashboard's) are created by their owners (stores.schema.ensure) and are deleted from here
only when they exist.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from stores.schema import EVENTS_INDEXES, PRIVACY_TABLES, create, has_table

EVENTS = "events"
HANDOFF = "handoff"
FEEDBACK = "feedback"
FORGOTTEN = "forgotten"  # hashes of deleted conversations' ids: deleting twice is harmless, not "unknown"
RETENTION_LOG = "retention_log"  # what each purge removed (the web app's /metrics sums it)

__all__ = ["EVENTS", "FEEDBACK", "FORGOTTEN", "HANDOFF", "RETENTION_LOG", "ensure", "ensure_event_indexes",
           "has_table"]


def ensure(conn: Connection) -> None:
    """Create this package's tables, and the indexes on `events` once Rasa has created it (idempotent), in the
    caller's transaction."""
    create(conn, PRIVACY_TABLES)
    ensure_event_indexes(conn)


def ensure_event_indexes(conn: Connection) -> bool:
    """The indexes a purge needs (the last event of each conversation, by time); False when there is no `events`
    table yet. In the caller's transaction (stores.schema.ensure_events_indexes takes an engine and its own)."""
    if not has_table(conn, EVENTS):
        return False
    for ddl in EVENTS_INDEXES:
        conn.execute(sa.text(ddl))
    return True
