"""One answer composed of domain responses. An action picks responses and passes values, as Rasa's financial demo
does; where a citizen's message asks one thing and says several others, the answer is several responses joined
into one message, the question asked first, with one closing 依据 line that names every section they rest on.

Rendering follows Rasa's own (Python format: {value}, {{ and }} for literal braces), from the domain the action
server receives with every call, so the wording stays in domain.yml and is checked there against the guide.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

import guide
from actions.config import get_settings

logger = logging.getLogger(__name__)


class Answer:
    """The parts of one reply, its extra buttons and the slots it sets."""

    def __init__(self, domain: dict[str, Any]) -> None:
        self._responses: dict[str, list[dict[str, Any]]] = (domain or {}).get("responses") or {}
        self.parts: list[str] = []
        self.names: list[str] = []
        self.buttons: list[dict[str, str]] = []
        self.custom: dict[str, Any] = {}
        self.slots: dict[str, Any] = {}
        self._prefix: list[str] = []

    def __bool__(self) -> bool:
        return bool(self.parts)

    def add(self, name: str, **values: Any) -> Answer:
        """Add response `name` filled with `values`. A response the domain lacks (an action server newer than the
        model) is left out and logged, so the rest of the answer still reaches the user."""
        if name not in self._responses:
            logger.error("response %s is not in the model's domain: retrain", name)
            return self
        variant = self._responses[name][0]
        self.parts.append(variant["text"].format_map(values))
        self.names.append(name)
        self.buttons += [{"title": b["title"].format_map(values), "payload": b["payload"].format_map(values)}
                         for b in variant.get("buttons") or []]
        self.custom.update(variant.get("custom") or {})
        return self

    def prefix(self, name: str, **values: Any) -> Answer:
        """A line before the answer (an acknowledgement); the answer keeps its name and buttons."""
        if name not in self._responses:
            logger.error("response %s is not in the model's domain: retrain", name)
            return self
        self._prefix.append(self._responses[name][0]["text"].format_map(values))
        return self

    def has(self, name: str) -> bool:
        return name in self.names

    def button(self, title: str, intent: str, **entities: str) -> Answer:
        """A button built at run time (a place to choose), placed before the responses' own buttons."""
        self.buttons.insert(sum(1 for b in self.buttons if b.get("runtime")),
                            {**button(title, intent, **entities), "runtime": "1"})
        return self

    def drop_button(self, payload: str) -> Answer:
        self.buttons = [b for b in self.buttons if b["payload"] != payload]
        return self

    def set(self, **slots: Any) -> Answer:
        self.slots.update(slots)
        return self

    def text(self) -> str:
        """The parts joined, their 依据 lines merged into one at the end."""
        body: list[str] = []
        sections: list[str] = []
        for part in self._prefix + self.parts:
            for line in part.splitlines():
                cited = guide.cited_sections(line) if line.startswith(guide.BASIS) else []
                if cited:
                    sections += [s.key for s in cited if s.key not in sections]
                elif line.strip():
                    body.append(line)
        return "\n".join(body + ([guide.cite(*sections)] if sections else []))

    def send(self, dispatcher: CollectingDispatcher) -> list[dict[str, Any]]:
        """Utter the answer as one message (named after its first response, as Rasa names a response's bot event)
        and return the SlotSet events."""
        if self.parts:
            seen: set[str] = set()
            buttons = []
            for b in self.buttons:
                if b["payload"] not in seen:
                    seen.add(b["payload"])
                    buttons.append({"title": b["title"], "payload": b["payload"]})
            dispatcher.utter_message(text=self.text(), buttons=buttons[:get_settings().max_buttons],
                                     json_message=self.custom or None, utter_action=self.names[0])
        return [SlotSet(name, value) for name, value in self.slots.items()]


def button(title: str, intent: str, **entities: str) -> dict[str, str]:
    """A quick-reply button whose payload triggers `intent` (with entities) directly."""
    if entities:
        payload = json.dumps(entities, ensure_ascii=False, separators=(",", ":"))
        return {"title": title, "payload": f"/{intent}{payload}"}
    return {"title": title, "payload": f"/{intent}"}
