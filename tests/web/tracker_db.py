"""Build a SQLite file shaped like Rasa's SQL tracker store (table `events`) for tests."""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Any

EVENTS_DDL = ("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, "
              "type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), "
              "action_name VARCHAR(255), data TEXT)")


def make_tracker(path: Path, rows: list[tuple[str, str, str | None, dict[str, Any], float]]) -> None:
    """Rows (sender, type, intent, event, timestamp) added to the file's `events` (made when missing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(path, timeout=5)) as conn, conn:
        conn.execute(EVENTS_DDL)
        conn.executemany("INSERT INTO events (sender_id, type_name, intent_name, data, timestamp) VALUES (?,?,?,?,?)",
                         [(s, t, i, json.dumps(d, ensure_ascii=False), ts) for s, t, i, d, ts in rows])


def turn(sender: str, text: str, parse: dict[str, Any], replies: list[dict[str, Any]],
         slots: dict[str, Any]) -> list[tuple[str, str, str | None, dict[str, Any], float]]:
    """One turn as Rasa's tracker store records it: the user message, the slots set, the bot's messages."""
    now = time.time()
    intent = (parse.get("intent") or {}).get("name")
    rows = [(sender, "user", intent, {"event": "user", "text": text, "parse_data": parse}, now)]
    rows += [(sender, "slot", None, {"event": "slot", "name": k, "value": v}, now) for k, v in slots.items()]
    rows += [(sender, "bot", None, {"event": "bot", "text": r.get("text", ""), "metadata": {}}, now) for r in replies]
    return rows


def user(text: str, intent: str, confidence: float) -> dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": confidence}}}
