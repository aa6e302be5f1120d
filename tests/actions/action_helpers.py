"""Helpers for action tests: build a rasa_sdk Tracker, run an action with a CollectingDispatcher."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
SLOTS = ("location", "bureau_name", "bureau_phone", "bureau_region", "contribution_months", "leave_reason",
         "requested_slot", "insured_place", "residence_place", "contact", "contribution_said", "contribution_worked",
         "paid_by", "employment", "unreadable_answers")


_DOMAIN: dict[str, Any] = {}


def load_domain() -> dict[str, Any]:
    """The real domain.yml as the action server receives it (a dict), read once."""
    if not _DOMAIN:
        _DOMAIN.update(yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8")))
    return _DOMAIN


def rendered(message: dict[str, Any]) -> dict[str, Any]:
    """A dispatched message as the user gets it: a `response` is filled from the domain as Rasa fills it."""
    name = message.get("response")
    if not name:
        return message
    values = {k: v for k, v in message.items() if k not in ("response", "text", "buttons") and v is not None}
    variant = load_domain()["responses"][name][0]
    buttons = [{"title": b["title"].format_map(values), "payload": b["payload"].format_map(values)}
               for b in variant.get("buttons") or []]
    return {**message, "text": variant["text"].format_map(values), "buttons": buttons + (message.get("buttons") or [])}


def make_tracker(text: str = "", intent: str | None = None, entities: list[dict[str, Any]] | None = None,
                 slots: dict[str, Any] | None = None, events: list[dict[str, Any]] | None = None,
                 active_loop: str | None = None, sender: str = "test") -> Tracker:
    """A tracker whose latest user message is `text` with `intent` and `entities` ({'entity','value'} dicts)."""
    message = {"text": text, "intent": {"name": intent, "confidence": 1.0} if intent else {},
               "entities": [{"start": 0, "end": 0, **e} for e in (entities or [])]}
    all_slots = dict.fromkeys(SLOTS)
    all_slots.update(slots or {})
    history = [{"event": "action", "name": "action_listen"},
               {"event": "user", "text": text, "parse_data": message}, *(events or [])]
    return Tracker(sender, all_slots, message, history, False, None,
                   {"name": active_loop} if active_loop else {}, "action_listen")


def load_tracker(name: str) -> Tracker:
    """A tracker from tests/actions/fixtures/<name>.json (Rasa's tracker JSON)."""
    return Tracker.from_dict(json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8")))


@dataclass
class Outcome:
    """What an action said and did."""

    messages: list[dict[str, Any]]
    events: list[dict[str, Any]]

    def __post_init__(self) -> None:
        self.messages = [rendered(m) for m in self.messages]

    @property
    def text(self) -> str:
        return "\n".join(m.get("text") or "" for m in self.messages)

    @property
    def buttons(self) -> list[dict[str, str]]:
        return [b for m in self.messages for b in m.get("buttons") or []]

    @property
    def payloads(self) -> list[str]:
        return [b["payload"] for b in self.buttons]

    def slots(self) -> dict[str, Any]:
        return {e["name"]: e["value"] for e in self.events if e.get("event") == "slot"}


async def run(action: Action, tracker: Tracker, domain: dict[str, Any] | None = None) -> Outcome:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, domain or load_domain())
    return Outcome(dispatcher.messages, list(events))
