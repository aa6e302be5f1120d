"""Reading the tracker: the latest text, intent and entities, the responses answered so far."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker


def latest_text(tracker: Tracker) -> str:
    """The user's latest text, '' for a button payload ('/intent{...}')."""
    text = (tracker.latest_message or {}).get("text") or ""
    return "" if text.lstrip().startswith("/") else text.strip()


def latest_intent(tracker: Tracker) -> str | None:
    """Name of the latest user intent."""
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def entity_values(tracker: Tracker, entity: str) -> list[str]:
    """Values of `entity` in the latest user message, as strings, in order."""
    return [str(v).strip() for v in tracker.get_latest_entity_values(entity) if str(v).strip()]


def answered(events: list[dict[str, Any]]) -> list[str]:
    """The response each bot message of `events` was (Rasa records it as the bot event's utter_action), in order."""
    return [name for e in events if e.get("event") == "bot"
            and (name := (e.get("metadata") or {}).get("utter_action"))]
