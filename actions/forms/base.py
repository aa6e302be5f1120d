"""FormValidator: the behaviour every form validator shares. Each slot is filled from its entity, or by parsing
the latest text (the question just asked, or the message that activated the form); an answer to the question
that cannot be read is rejected with a helpful message, so the form asks again; anything else (a question in
between) is left to the rules."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT, FormValidationAction
from rasa_sdk.types import DomainDict

from actions.common import entity_values, latest_intent, latest_text

_NOTHING = object()


@dataclass(frozen=True)
class SlotSpec:
    """How one form slot is filled: from `entity`, else from the text. `first_text` reads a message that was not an
    answer to this slot's question (the activating one, or one with an intent in `intents`)."""

    slot: str
    entity: str
    from_entity: Callable[[str], Any]
    from_text: Callable[[str], Any]
    first_text: Callable[[str], Any] | None = None
    intents: frozenset[str] = frozenset()  # intents that carry this slot: their text is read even when not asked


class FormValidator(FormValidationAction, ABC):
    """Shared extraction and validation; subclasses declare their slots, rejection and confirmation texts."""

    # intents that answer the form's question: an unreadable answer with one of them is rejected (and asked
    # again); with any other intent the form lets the rules answer the question in between
    answer_intents: frozenset[str] = frozenset({"nlu_fallback", "affirm"})

    @abstractmethod
    def specs(self) -> list[SlotSpec]:
        """The slots this form fills, in the order they are asked."""

    @abstractmethod
    def reject_text(self, spec: SlotSpec, tracker: Tracker) -> str:
        """What to say when the answer to `spec` could not be understood."""

    def valid(self, spec: SlotSpec, value: Any) -> bool:
        """Whether an extracted value is acceptable (override for ranges)."""
        return value is not None

    def confirm(self, spec: SlotSpec, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        """Hook: acknowledge an accepted value before the next question (default: silent). Not called when the
        form is complete: the submit action answers then."""

    def unreadable(self, spec: SlotSpec, tracker: Tracker) -> bool:
        """Hook: the latest text says something `spec` cannot be filled from, whatever an entity says (default: no)."""
        return False

    def _extract(self, spec: SlotSpec, tracker: Tracker, requested: str | None) -> Any:
        if self.unreadable(spec, tracker):
            return None if requested == spec.slot else _NOTHING  # an answer to its question is rejected
        for raw in entity_values(tracker, spec.entity):
            value = spec.from_entity(raw)
            if value is not None:
                return value
        text = latest_text(tracker)
        if text and (requested is None or latest_intent(tracker) in spec.intents):
            value = (spec.first_text or spec.from_text)(text)
            if value is not None:
                return value
        if requested == spec.slot and text:
            value = spec.from_text(text)
            if value is not None:
                return value
        return _NOTHING

    async def get_extraction_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> list[EventType]:
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        requested = tracker.get_slot(REQUESTED_SLOT)
        events: list[EventType] = []
        for spec in self.specs():
            if spec.slot not in required:
                continue
            value = self._extract(spec, tracker, requested)
            if value is not _NOTHING:
                events.append(SlotSet(spec.slot, value))
        if not events and requested in required and latest_intent(tracker) in self.answer_intents:
            events.append(SlotSet(requested, None))  # an answer that could not be read: reject and ask again
        return events

    async def get_validation_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> list[EventType]:
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        specs = {spec.slot: spec for spec in self.specs()}
        requested = tracker.get_slot(REQUESTED_SLOT)
        events: list[EventType] = []
        accepted: list[tuple[SlotSpec, Any]] = []
        for slot, value in tracker.slots_to_validate().items():
            spec = specs.get(slot)
            if spec is None or slot not in required:
                continue
            if value is None and slot != requested:
                continue  # cleared in this turn (a reset before the form starts), not an answer: nothing to reject
            if isinstance(value, str):
                value = spec.from_entity(value)
            if self.valid(spec, value):
                accepted.append((spec, value))
            else:
                value = None
                dispatcher.utter_message(text=self.reject_text(spec, tracker))
            events.append(SlotSet(slot, value))
        filled = {**tracker.slots, **{e["name"]: e["value"] for e in events}}
        if any(filled.get(slot) is None for slot in required):  # the form asks on: acknowledge what it got
            for spec, value in accepted:
                self.confirm(spec, value, dispatcher, tracker)
        return events
