"""Read recent poorly answered questions from Rasa's SQL tracker store, read-only, with PII masked.

The store is the SQLite file of endpoints.yml (TRACKER_DB) or, with several Rasa instances, the database of
endpoints.production.yml (TRACKER_STORE_URL, e.g. postgresql://user:password@host:5432/rasa). One TrackerReader
per web-app process, made when the app starts: one SQLAlchemy engine holding at most one connection.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.pool import QueuePool

from bot.privacy import mask_pii
from bot.validation import CONSOLE_SENDER_PREFIX

FALLBACK_INTENTS = {"nlu_fallback"}
SCAN_LIMIT = 5000


@dataclass(frozen=True)
class Unanswered:
    text: str
    intent: str
    confidence: float
    timestamp: float
    count: int

    def to_dict(self) -> dict[str, Any]:
        when = datetime.fromtimestamp(self.timestamp, tz=timezone.utc).astimezone()
        return {"text": self.text, "intent": self.intent, "confidence": round(self.confidence, 3),
                "time": when.isoformat(timespec="seconds"), "count": self.count}


def _intent(data: dict[str, Any], column: str | None) -> tuple[str, float]:
    parse = data.get("parse_data") if isinstance(data.get("parse_data"), dict) else {}
    intent = parse.get("intent") if isinstance(parse.get("intent"), dict) else {}
    name = intent.get("name") or column or ""
    try:
        confidence = float(intent.get("confidence") or 0.0)
    except (TypeError, ValueError):
        confidence = 0.0
    return str(name), confidence


QUERY = sa.text(
    "SELECT intent_name, data, timestamp FROM events WHERE type_name = 'user' "
    "AND lower(substr(sender_id, 1, :prefix_len)) != :prefix ORDER BY timestamp DESC LIMIT :scan_limit")
CONNECT_TIMEOUT_S = 3


class TrackerReader:
    def __init__(self, sqlite_path: Path, url: str = "") -> None:
        self.sqlite_path = sqlite_path
        self.url = url
        if url:
            connect_args = {"connect_timeout": CONNECT_TIMEOUT_S} if url.startswith("postgres") else {}
            self.engine = sa.create_engine(url, poolclass=QueuePool, pool_size=1, max_overflow=0,
                                           pool_pre_ping=True, pool_recycle=600, connect_args=connect_args)
        else:
            uri = f"file:{sqlite_path.resolve().as_posix()}?mode=ro"
            # recycled every minute: Rasa may have replaced the file since the connection was opened
            self.engine = sa.create_engine(
                "sqlite://", poolclass=QueuePool, pool_size=1, max_overflow=0, pool_recycle=60,
                creator=lambda: sqlite3.connect(uri, uri=True, timeout=2.0, check_same_thread=False))

    @property
    def description(self) -> str:
        return self.engine.url.render_as_string(hide_password=True) if self.url else str(self.sqlite_path)

    def exists(self) -> bool:
        """False when there is nothing to read yet (no SQLite file: Rasa has not run)."""
        return bool(self.url) or self.sqlite_path.is_file()

    def rows(self) -> list[tuple[Any, ...]]:
        if not self.exists():
            return []
        with self.engine.connect() as conn:  # the pool's one connection: requests take turns
            result = conn.execute(QUERY, {"prefix_len": len(CONSOLE_SENDER_PREFIX), "prefix": CONSOLE_SENDER_PREFIX,
                                          "scan_limit": SCAN_LIMIT})
            return [tuple(row) for row in result]

    def unanswered(self, threshold: float = 0.6, limit: int = 50) -> list[Unanswered]:
        return unanswered_in(self.rows(), threshold, limit)

    def close(self) -> None:
        self.engine.dispose()


def unanswered_in(rows: list[tuple[Any, ...]], threshold: float = 0.6, limit: int = 50) -> list[Unanswered]:
    """Newest first, one entry per (masked) question text with how often it was asked."""
    found: dict[str, Unanswered] = {}
    for intent_column, raw, timestamp in rows:
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            continue
        text = data.get("text") if isinstance(data, dict) else None
        if not isinstance(text, str) or not text.strip() or text.startswith("/"):
            continue  # button payloads are not questions
        name, confidence = _intent(data, intent_column)
        if name not in FALLBACK_INTENTS and confidence >= threshold:
            continue
        key = mask_pii(text.strip())[:300]
        if key in found:
            old = found[key]
            found[key] = Unanswered(old.text, old.intent, old.confidence, old.timestamp, old.count + 1)
        elif len(found) < limit:
            found[key] = Unanswered(key, name, confidence, float(timestamp or 0.0), 1)
    return list(found.values())
