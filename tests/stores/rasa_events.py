"""Helpers of the store tests: fresh sender ids, and Rasa's `events` table with events as Rasa writes them."""

from __future__ import annotations

import json
import uuid
from typing import Any

import sqlalchemy as sa

from bench.tracker_fill import POSTGRES_DDL, SQLITE_DDL

# Rasa's table as its SQL tracker store creates it (the columns the stores read)
EVENTS = {"sqlite": SQLITE_DDL, "postgresql": POSTGRES_DDL}


def sender() -> str:
    return f"web_{uuid.uuid4().hex[:16]}"


def add_events(engine: sa.engine.Engine, sender_id: str, events: list[dict[str, Any]], start: float = 1_000.0) -> None:
    """Events as Rasa writes them: type_name, timestamp, intent_name, the event as JSON."""
    with engine.begin() as conn:
        for ddl in EVENTS[engine.dialect.name]:
            conn.execute(sa.text(ddl))
        for i, event in enumerate(events):
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            conn.execute(sa.text("INSERT INTO events (sender_id, type_name, timestamp, intent_name, data) "
                                 "VALUES (:s, :t, :ts, :i, :d)"),
                         {"s": sender_id, "t": event["event"], "ts": start + i, "i": intent,
                          "d": json.dumps({**event, "timestamp": start + i}, ensure_ascii=False)})


def user(text: str, intent: str = "request_human") -> dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": 0.9}}}


def bot(text: str) -> dict[str, Any]:
    return {"event": "bot", "text": text, "metadata": {}}


def slot(name: str, value: Any) -> dict[str, Any]:
    return {"event": "slot", "name": name, "value": value}
