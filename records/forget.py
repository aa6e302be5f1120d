"""Deleting one conversation: its events, its ratings, its handoff code, at once, and remembering (by a hash of its
id) that it was deleted, so that a second request is answered as the first ("deleted"), not as an unknown sender."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from records.schema import EVENTS, FEEDBACK, FORGOTTEN, HANDOFF, ensure, has_table


@dataclass(frozen=True)
class Forgotten:
    """What one deletion removed; `known`: the conversation existed (or had been deleted before)."""

    events: int = 0
    feedback: int = 0
    handoffs: int = 0
    known: bool = False


def sender_hash(sender_id: str) -> str:
    return hashlib.sha256(sender_id.encode("utf-8")).hexdigest()


def _delete(conn: Connection, table: str, sender_id: str) -> int:
    if not has_table(conn, table):
        return 0
    return int(conn.execute(sa.text(f"DELETE FROM {table} WHERE sender_id = :s"), {"s": sender_id}).rowcount or 0)


def was_forgotten(conn: Connection, sender_id: str) -> bool:
    if not has_table(conn, FORGOTTEN):
        return False
    row = conn.execute(sa.text(f"SELECT 1 FROM {FORGOTTEN} WHERE sender_hash = :h"), {"h": sender_hash(sender_id)})
    return row.first() is not None


def forget_rows(conn: Connection, sender_id: str, events_deleted: int | None = None) -> Forgotten:
    """Delete the conversation's rows in one transaction (the caller's). `events_deleted`: the events were deleted
    by the caller (a tracker store other than SQL), else the `events` rows are deleted here."""
    ensure(conn)
    before = was_forgotten(conn, sender_id)
    events = _delete(conn, EVENTS, sender_id) if events_deleted is None else events_deleted
    feedback, handoffs = _delete(conn, FEEDBACK, sender_id), _delete(conn, HANDOFF, sender_id)
    known = before or bool(events or feedback or handoffs)
    if known:
        conn.execute(sa.text(f"INSERT INTO {FORGOTTEN} (sender_hash, forgotten_at) VALUES (:h, :t) "
                             "ON CONFLICT (sender_hash) DO UPDATE SET forgotten_at = excluded.forgotten_at"),
                     {"h": sender_hash(sender_id), "t": time.time()})
    return Forgotten(events, feedback, handoffs, known)
