"""Build a SQLite file shaped like Rasa's SQL tracker store (table `events`, and the assistant's `feedback`) for
tests. Imports nothing of the web app but its plain modules: the browser tests use it in Rasa's venv too."""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench.tracker_fill import SQLITE_DDL
from bot.stats import today
from stores.schema import ensure

Row = tuple[str, str, "str | None", dict[str, Any], float]  # sender, type, intent, event data, timestamp
DAY = 86400


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


def midnight(days_ago: int) -> float:
    """China-time midnight `days_ago` days before today."""
    day = today() - timedelta(days=days_ago)
    return (date(day.year, day.month, day.day) - date(1970, 1, 1)).days * DAY - 8 * 3600


def iso(days_ago: int) -> str:
    return (today() - timedelta(days=days_ago)).isoformat()


def started(sender: str, ts: float) -> tuple[str, str, None, dict[str, Any], float]:
    return (sender, "session_started", None, {"event": "session_started"}, ts)


def said(sender: str, text: str, intent: str, confidence: float, ts: float,
         places: tuple[str, ...] = ()) -> tuple[str, str, str, dict[str, Any], float]:
    return (sender, "user", intent, user(text, intent, confidence, places), ts)


def add_feedback(db: Path, rows: list[dict[str, Any]]) -> None:
    engine = sa.create_engine(f"sqlite:///{db}", future=True)
    ensure(engine)
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO feedback (sender_id, created_at, rating, helpful, comment, intent, question) "
                             "VALUES (:sender, :at, :rating, :helpful, NULL, NULL, NULL)"), rows)
    engine.dispose()
