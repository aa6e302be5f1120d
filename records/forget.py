"""Deleting one conversation: its events and every row the assistant keeps of it (stores.forget: ratings, handoff
code, the dashboard's copies of its questions), at once, and remembering (by a hash of its id) that it was
deleted, so that a second request is answered as the first ("deleted"), not as an unknown sender."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from records.schema import FORGOTTEN, ensure, has_table
from stores.forget import forget


@dataclass(frozen=True)
class Forgotten:
    """What one deletion removed (rows of every table); `known`: the conversation existed (or had been deleted
    before)."""

    rows: int = 0
    known: bool = False


def sender_hash(sender_id: str) -> str:
    return hashlib.sha256(sender_id.encode("utf-8")).hexdigest()


def was_forgotten(conn: Connection, sender_id: str) -> bool:
    if not has_table(conn, FORGOTTEN):
        return False
    row = conn.execute(sa.text(f"SELECT 1 FROM {FORGOTTEN} WHERE sender_hash = :h"), {"h": sender_hash(sender_id)})
    return row.first() is not None


def forget_rows(conn: Connection, sender_id: str, rows_deleted: int = 0) -> Forgotten:
    """Delete the conversation's rows in one transaction (the caller's), with stores.forget. `rows_deleted`: rows
    the caller deleted elsewhere (the events of a tracker store other than SQL)."""
    ensure(conn)
    before = was_forgotten(conn, sender_id)
    rows = forget(conn, sender_id) + rows_deleted
    known = before or bool(rows)
    if known:
        conn.execute(sa.text(f"INSERT INTO {FORGOTTEN} (sender_hash, forgotten_at) VALUES (:h, :t) "
                             "ON CONFLICT (sender_hash) DO UPDATE SET forgotten_at = excluded.forgotten_at"),
                     {"h": sender_hash(sender_id), "t": time.time()})
    return Forgotten(rows, known)
