"""A conversation as Rasa's SQL tracker store keeps it (table `events`, written by Rasa): the citizen's and the bot's
turns in order, and the facts gathered so far (the slots, as the latest slot events left them), read-only."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from stores.db import rows, transaction
from stores.schema import ensure_events_indexes

# the slots an agent continues from (domain.yml), in the order the console shows them
FACT_SLOTS = ("contribution_months", "contribution_said", "leave_reason", "paid_by", "employment", "insured_place",
              "residence_place", "bureau_name", "bureau_phone", "bureau_region", "contact")
MAX_EVENTS = 5000  # the newest of a very long conversation


@dataclass(frozen=True)
class Turn:
    who: str  # "user" | "bot"
    text: str
    time: float
    intent: str | None = None  # of a user turn


@dataclass
class Conversation:
    sender_id: str
    turns: list[Turn] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    def last_question(self) -> Turn | None:
        """The citizen's latest turn before the bot's latest answer (what a rating of that answer rates)."""
        last_bot = max((i for i, t in enumerate(self.turns) if t.who == "bot"), default=None)
        if last_bot is None:
            return None
        return next((t for t in reversed(self.turns[:last_bot]) if t.who == "user"), None)


class EventsReader:
    """Reads `events` through the given engine; until Rasa has created the table there is nothing to read."""

    def __init__(self, engine: sa.engine.Engine) -> None:
        self.engine = engine
        self._ready = False

    def _has_events(self) -> bool:
        if not self._ready:  # once Rasa has made the table it stays; then its indexes are made once
            self._ready = ensure_events_indexes(self.engine)
        return self._ready

    def talked(self, sender_id: str) -> bool:
        """Whether the conversation has a message from the citizen."""
        if not self._has_events():
            return False
        with transaction(self.engine) as conn:
            return bool(rows(conn, "SELECT 1 AS found FROM events WHERE sender_id = :sender AND type_name = 'user' "
                                   "LIMIT 1", sender=sender_id))

    def read(self, sender_id: str) -> Conversation | None:
        """The conversation, or None when the store has no event of it."""
        if not self._has_events():
            return None
        with transaction(self.engine) as conn:
            found = rows(conn, "SELECT type_name, timestamp, intent_name, data FROM events WHERE sender_id = :sender "
                               "ORDER BY id DESC LIMIT :limit", sender=sender_id, limit=MAX_EVENTS)
        if not found:
            return None
        conversation = Conversation(sender_id)
        for row in reversed(found):
            _apply(conversation, row)
        return conversation


def _apply(conversation: Conversation, row: dict[str, Any]) -> None:
    kind = row["type_name"]
    try:
        data = json.loads(row["data"]) if row["data"] else {}
    except ValueError:
        return
    if not isinstance(data, dict):
        return
    when = float(row["timestamp"] or 0.0)
    if kind in ("user", "bot"):
        text = data.get("text")
        if isinstance(text, str) and text.strip():
            intent = row["intent_name"] if kind == "user" else None
            conversation.turns.append(Turn(kind, text, when, intent))
    elif kind == "slot" and data.get("name") in FACT_SLOTS:
        conversation.facts[data["name"]] = data.get("value")
    elif kind in ("restart", "reset_slots"):  # carry_over_slots_to_new_session: a new session keeps them
        conversation.facts.clear()


def facts_of(conversation: Conversation) -> dict[str, Any]:
    """The facts that have a value, in FACT_SLOTS order."""
    return {name: conversation.facts[name] for name in FACT_SLOTS
            if conversation.facts.get(name) not in (None, "", [])}
