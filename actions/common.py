"""Reading the tracker: the latest text and entities, and whom to phone."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.api import kb


@dataclass
class Reply:
    """One bot message and the slots it sets."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    slots: dict[str, Any] = field(default_factory=dict)

    def send(self, dispatcher: CollectingDispatcher) -> list[dict[str, Any]]:
        """Utter the message and return the SlotSet events."""
        if self.buttons:
            dispatcher.utter_message(text=self.text, buttons=self.buttons)
        else:
            dispatcher.utter_message(text=self.text)
        return [SlotSet(name, value) for name, value in self.slots.items()]


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


def contact(tracker: Tracker) -> tuple[str, str]:
    """(bureau, phone) to ask: the user's bureau if known (slots), else 吉林省社会保险局."""
    name, phone = tracker.get_slot("bureau_name"), tracker.get_slot("bureau_phone")
    if isinstance(phone, str) and phone:
        return (name if isinstance(name, str) and name else "社会保险局"), phone
    place = tracker.get_slot("location")  # named in passing ("我在梅河口上班被开了…"), never looked up yet
    if isinstance(place, str) and place.strip():
        result = kb.lookup(place)
        if result.status == "found" and result.best:
            return result.best.bureau, result.best.phone
    return kb.province_contact()


def contact_line(tracker: Tracker) -> str:
    """'咨询电话：X 0431-…' for the bureau to ask."""
    name, phone = contact(tracker)
    return f"咨询电话：{name} {phone}"
