"""Build a SQLite file shaped like Rasa's SQL tracker store (table `events`) for tests."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any


def make_tracker(path: Path, rows: list[tuple[str, str, str | None, dict[str, Any], float]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, "
                     "type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), "
                     "action_name VARCHAR(255), data TEXT)")
        conn.executemany("INSERT INTO events (sender_id, type_name, intent_name, data, timestamp) VALUES (?,?,?,?,?)",
                         [(s, t, i, json.dumps(d, ensure_ascii=False), ts) for s, t, i, d, ts in rows])


def user(text: str, intent: str, confidence: float) -> dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": confidence}}}
