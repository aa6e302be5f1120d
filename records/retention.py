"""Retention: conversations whose last event is older than RETENTION_DAYS (default 180) are deleted with their
ratings; handoff codes go when they expire. Run by `make purge`, by cron as `python -m records purge`, and once a
day by the launcher of `make run`. Logs (and records in `retention_log`) how much it removed.

A conversation is found by its last event through the two indexes on `events` (timestamp: only conversations
with an event older than the cutoff are looked at; sender_id: their last event), and deleted in batches, each its
own short transaction, so that Rasa's workers writing to the same SQLite file wait milliseconds, not the whole run.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from records.schema import EVENTS, FEEDBACK, FORGOTTEN, HANDOFF, RETENTION_LOG, ensure, has_table

log = logging.getLogger(__name__)

DEFAULT_DAYS = 180
DAY_S = 24 * 3600
BATCH = 200

_OLD_CONVERSATIONS = sa.text(
    f"SELECT sender_id FROM {EVENTS} WHERE sender_id IN "
    f"(SELECT sender_id FROM {EVENTS} WHERE timestamp < :cutoff) "
    "GROUP BY sender_id HAVING MAX(timestamp) < :cutoff")
_DELETE_EVENTS = sa.text(f"DELETE FROM {EVENTS} WHERE sender_id IN :senders AND timestamp < :cutoff").bindparams(
    sa.bindparam("senders", expanding=True))


@dataclass(frozen=True)
class Purged:
    cutoff: float
    conversations: int = 0
    events: int = 0
    feedback: int = 0
    handoffs: int = 0

    def describe(self, days: float) -> str:
        return (f"retention ({days:g} days): removed {self.conversations} conversations ({self.events} events), "
                f"{self.feedback} ratings, {self.handoffs} handoff codes")


def _count(engine: Engine, statement: str, values: dict[str, float], table: str) -> int:
    with engine.begin() as conn:
        if not has_table(conn, table):
            return 0
        return int(conn.execute(sa.text(statement), values).rowcount or 0)


def purge(engine: Engine, days: float = DEFAULT_DAYS, now: float | None = None, batch: int = BATCH) -> Purged:
    """Delete what is older than `days`; returns (and logs) the counts."""
    now = time.time() if now is None else now
    cutoff = now - days * DAY_S
    with engine.begin() as conn:
        ensure(conn)
        events_exist = has_table(conn, EVENTS)
        senders = [row[0] for row in conn.execute(_OLD_CONVERSATIONS, {"cutoff": cutoff})] if events_exist else []
    events = 0
    for start in range(0, len(senders), batch):
        with engine.begin() as conn:
            result = conn.execute(_DELETE_EVENTS, {"senders": senders[start:start + batch], "cutoff": cutoff})
            events += int(result.rowcount or 0)
    feedback = _count(engine, f"DELETE FROM {FEEDBACK} WHERE created_at < :cutoff", {"cutoff": cutoff}, FEEDBACK)
    handoffs = _count(engine, f"DELETE FROM {HANDOFF} WHERE expires_at < :now OR created_at < :cutoff",
                      {"now": now, "cutoff": cutoff}, HANDOFF)
    _count(engine, f"DELETE FROM {FORGOTTEN} WHERE forgotten_at < :cutoff", {"cutoff": cutoff}, FORGOTTEN)
    purged = Purged(cutoff, len(senders), events, feedback, handoffs)
    with engine.begin() as conn:
        conn.execute(sa.text(f"INSERT INTO {RETENTION_LOG} (ran_at, cutoff, conversations, events, feedback, handoffs)"
                             " VALUES (:ran_at, :cutoff, :conversations, :events, :feedback, :handoffs)"),
                     {"ran_at": now, **asdict(purged)})
    log.info(purged.describe(days))
    return purged


def totals(engine: Engine) -> dict[str, int]:
    """What all purges removed, by kind (empty before the first purge)."""
    with engine.connect() as conn:
        if not has_table(conn, RETENTION_LOG):
            return {}
        row = conn.execute(sa.text(f"SELECT COALESCE(SUM(conversations), 0), COALESCE(SUM(events), 0), "
                                   f"COALESCE(SUM(feedback), 0), COALESCE(SUM(handoffs), 0) FROM {RETENTION_LOG}"))
        conversations, events, feedback, handoffs = row.one()
    return {"conversations": int(conversations), "events": int(events), "feedback": int(feedback),
            "handoffs": int(handoffs)}
