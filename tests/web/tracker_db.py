"""Build a SQLite file shaped like Rasa's SQL tracker store (table `events`) for tests."""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Any

from bench.tracker_fill import SQLITE_DDL

Row = tuple[str, str, "str | None", dict[str, Any], float]  # sender, type, intent, event data, timestamp


def make_tracker(path: Path, rows: list[Row]) -> None:
    """Creates the store where missing and adds `rows`; the action_name column gets the event's `name` (an
    action's or a slot's), as Rasa's SQLTrackerStore writes it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(path, timeout=5)) as conn, conn:
        for statement in SQLITE_DDL:
            conn.execute(statement)
        conn.executemany("INSERT INTO events (sender_id, type_name, intent_name, action_name, data, timestamp) "
                         "VALUES (?,?,?,?,?,?)", [(s, t, i, d.get("name") if isinstance(d, dict) else None,
                                                   json.dumps(d, ensure_ascii=False), ts) for s, t, i, d, ts in rows])


def turn(sender: str, text: str, parse: dict[str, Any], replies: list[dict[str, Any]],
         slots: dict[str, Any]) -> list[Row]:
    """One turn as Rasa's tracker store records it: the user message, the slots set, the bot's messages."""
    now = time.time()
    intent = (parse.get("intent") or {}).get("name")
    rows: list[Row] = [(sender, "user", intent, {"event": "user", "text": text, "parse_data": parse}, now)]
    rows += [(sender, "slot", None, slot(k, v), now) for k, v in slots.items()]
    rows += [(sender, "bot", None, {"event": "bot", "text": r.get("text", ""), "metadata": {}}, now) for r in replies]
    return rows


def user(text: str, intent: str, confidence: float, places: tuple[str, ...] = ()) -> dict[str, Any]:
    entities = [{"entity": "location", "value": place} for place in places]
    return {"event": "user", "text": text,
            "parse_data": {"intent": {"name": intent, "confidence": confidence}, "entities": entities}}


def slot(name: str, value: Any) -> dict[str, Any]:
    return {"event": "slot", "name": name, "value": value}
