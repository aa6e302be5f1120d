"""Forget one conversation (POST /api/forget, a WeChat unsubscribe): Rasa's events and every row the assistant
keeps of it (its ratings, its 咨询编号, the dashboard's copies of its poorly answered questions), in one
transaction. The dashboard's daily counts are anonymous and stay."""

from __future__ import annotations

import sqlalchemy as sa

from stores.db import run
from stores.schema import SENDER_TABLES, has_table


def forget(conn: sa.engine.Connection, sender_id: str) -> int:
    """Deletes the conversation's rows inside the caller's transaction; how many (0 for one already forgotten or
    never seen: calling it twice is harmless). A table not created yet holds nothing to delete."""
    return sum(run(conn, f"DELETE FROM {table} WHERE sender_id = :sender", sender=sender_id)  # names from SENDER_TABLES
               for table in SENDER_TABLES if has_table(conn, table))
