"""Read recent poorly answered questions from Rasa's SQL tracker store (SQLite), read-only, with PII masked."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

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


def _rows(db: Path) -> list[tuple[Any, ...]]:
    uri = f"file:{db.resolve().as_posix()}?mode=ro"
    with sqlite3.connect(uri, uri=True, timeout=2.0) as conn:
        return conn.execute(
            "SELECT intent_name, data, timestamp FROM events WHERE type_name = 'user' "
            "AND lower(substr(sender_id, 1, ?)) != ? ORDER BY timestamp DESC LIMIT ?",
            (len(CONSOLE_SENDER_PREFIX), CONSOLE_SENDER_PREFIX, SCAN_LIMIT),
        ).fetchall()


def unanswered(db: Path, threshold: float = 0.6, limit: int = 50) -> list[Unanswered]:
    """Newest first, one entry per (masked) question text with how often it was asked."""
    if not db.is_file():
        return []
    found: dict[str, Unanswered] = {}
    for intent_column, raw, timestamp in _rows(db):
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
