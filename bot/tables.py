"""The tables the web app keeps beside Rasa's `events` in the tracker store's database (SQLite var/rasa/tracker.db,
or PostgreSQL via TRACKER_STORE_URL), each created where missing with CREATE ... IF NOT EXISTS.

The one copy of each schema: the helpers' contract names `feedback` (好差评 ratings, personal numbers masked before
they are stored); the dashboard's own summaries (stats_*) are its incremental rollup of `events`
(bot/stats_rollup.py). PostgreSQL gets DOUBLE PRECISION where SQLite says REAL: PostgreSQL's REAL has 24 bits,
too few for a POSIX timestamp.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

FEEDBACK = ("CREATE TABLE IF NOT EXISTS feedback (id {serial} PRIMARY KEY, sender_id TEXT NOT NULL, "
            "created_at {real} NOT NULL, rating INTEGER NULL, helpful BOOLEAN NULL, comment TEXT NULL, "
            "intent TEXT NULL, question TEXT NULL)")
STATS = (
    "CREATE TABLE IF NOT EXISTS stats_state (name VARCHAR(32) PRIMARY KEY, last_id BIGINT NOT NULL, "
    "config TEXT NOT NULL)",
    # one row per China-time day, metric (questions, sessions, fallback, low, intent, place) and item
    "CREATE TABLE IF NOT EXISTS stats_daily (day CHAR(10) NOT NULL, metric VARCHAR(16) NOT NULL, "
    "item TEXT NOT NULL, n BIGINT NOT NULL, PRIMARY KEY (day, metric, item))",
    # each poorly answered question (masked) by the id of its event, with its group of near-duplicates (the id
    # of the group's first event); deleted with its conversation (forget_sender, and a purge in the background)
    "CREATE TABLE IF NOT EXISTS stats_unanswered (event_id BIGINT PRIMARY KEY, sender_id TEXT NOT NULL, "
    "day CHAR(10) NOT NULL, text TEXT NOT NULL, folded TEXT NOT NULL, grp BIGINT NOT NULL)",
)
INDEXES = (
    "CREATE INDEX IF NOT EXISTS ix_feedback_created_at ON feedback (created_at)",
    "CREATE INDEX IF NOT EXISTS ix_feedback_sender_id ON feedback (sender_id)",
    "CREATE INDEX IF NOT EXISTS ix_stats_unanswered_day ON stats_unanswered (day)",
    "CREATE INDEX IF NOT EXISTS ix_stats_unanswered_sender_id ON stats_unanswered (sender_id)",
)
# What the web app keeps of one conversation besides Rasa's events: POST /api/forget deletes these too.
SENDER_ROWS = ("feedback", "stats_unanswered")


def _types(conn: Connection) -> dict[str, str]:
    if conn.dialect.name == "postgresql":
        return {"serial": "SERIAL", "real": "DOUBLE PRECISION"}
    return {"serial": "INTEGER", "real": "REAL"}


def ensure_tables(conn: Connection) -> None:
    """Creates `feedback` and the stats tables with their indexes where missing (inside the caller's transaction)."""
    conn.execute(sa.text(FEEDBACK.format(**_types(conn))))
    for statement in (*STATS, *INDEXES):
        conn.execute(sa.text(statement))


def has_table(conn: Connection, name: str) -> bool:
    return bool(sa.inspect(conn).has_table(name))


def forget_sender(conn: Connection, sender: str) -> int:
    """Deletes a conversation's rows from the web app's tables (inside the caller's transaction); how many."""
    return sum(conn.execute(sa.text(f"DELETE FROM {table} WHERE sender_id = :sender"), {"sender": sender}).rowcount
               for table in SENDER_ROWS if has_table(conn, table))
