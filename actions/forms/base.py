"""FormValidator: the behaviour every form validator shares. Each slot is filled from its entity, or by parsing
the latest text (the question just asked, or the message that activated the form); an answer to the question
that cannot be read is rejected with a helpful message, so the form asks again; anything else (a question in
between) is left to the rules. After MAX_UNREADABLE unreadable answers in a row the form stops asking that slot
and says whom to ask instead (a way out, never a loop).

Domain contract (what a subclass's form needs in domain.yml):
- the form's `required_slots`, each slot with a `custom` mapping;
- a float slot `unreadable_answers` (initial 0): the count of unreadable answers in a row;
- the responses a subclass names in `reject` and `WAY_OUT` (`utter_form_way_out`, filled with {contact}).
"""

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
UNREADABLE = "unreadable_answers"
MAX_UNREADABLE = 2
WAY_OUT = "utter_form_way_out"


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
    """Shared extraction, validation and the way out; subclasses declare their slots, which of them are still
    needed, the rejection and confirmation responses, and whom to call."""

    # intents that answer the form's question: an unreadable answer with one of them is rejected (and asked
    # again); with any other intent the form lets the rules answer the question in between
    answer_intents: frozenset[str] = frozenset({"nlu_fallback", "affirm"})

    @abstractmethod
    def specs(self) -> list[SlotSpec]:
        """The slots this form fills, in the order they are asked."""

    @abstractmethod
    def needed(self, tracker: Tracker) -> list[str]:
        """The slots still needed to answer, given what the tracker knows (a form may need fewer than all)."""

    @abstractmethod
    def reject(self, spec: SlotSpec, tracker: Tracker, dispatcher: CollectingDispatcher) -> None:
        """Say that the answer to `spec` could not be understood (utter a response)."""

    @abstractmethod
    def contact(self, tracker: Tracker) -> str:
        """Whom to call, for the way out ('name：phone')."""

    def valid(self, spec: SlotSpec, value: Any) -> bool:
        """Whether an extracted value is acceptable (override for ranges)."""
        return value is not None

    def confirm(self, spec: SlotSpec, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        """Hook: acknowledge an accepted value before the next question (default: silent). Not called when the
        form is complete: the submit action answers then."""

    def unreadable(self, spec: SlotSpec, tracker: Tracker) -> bool:
        """Hook: the latest text says something `spec` cannot be filled from, whatever an entity says (default: no)."""
        return False

    def extra_events(self, tracker: Tracker) -> list[EventType]:
        """Hook: other slots the latest message fills (facts the form does not ask for but keeps)."""
        return []

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> list[str]:
        given_up = tracker.get_slot(REQUESTED_SLOT) if _unreadable(tracker) >= MAX_UNREADABLE else None
        return [slot for slot in self.needed(tracker) if slot in domain_slots and slot != given_up]

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
        for spec in self.specs():  # every slot the message fills, asked or not: facts are kept
            value = self._extract(spec, tracker, requested)
            if value is not _NOTHING:
                events.append(SlotSet(spec.slot, value))
        if not events and requested in required and latest_intent(tracker) in self.answer_intents:
            events.append(SlotSet(requested, None))  # an answer that could not be read: reject and ask again
        return events

    async def get_validation_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> list[EventType]:
        specs = {spec.slot: spec for spec in self.specs()}
        if tracker.get_slot(REQUESTED_SLOT) and not any(slot in specs for slot in tracker.slots_to_validate()):
            # a question in between ('网上能办不'): no event at all, so Rasa rejects the form and the rules answer
            # it (any SlotSet, even of a fact or of the count, would count as an answer and the form would ask on)
            return []
        extra = [e for e in self.extra_events(tracker) if e["name"] not in specs]
        tracker.add_slots(extra)
        events: list[EventType] = list(extra)
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        requested = tracker.get_slot(REQUESTED_SLOT)
        accepted: list[tuple[SlotSpec, Any]] = []
        rejected = False
        before = _unreadable(tracker) if requested else 0  # a new form starts counting afresh
        for slot, value in tracker.slots_to_validate().items():
            spec = specs.get(slot)
            if spec is None:
                continue
            if value is None and slot != requested:
                continue  # cleared in this turn (a reset before the form starts), not an answer: nothing to reject
            if isinstance(value, str):
                value = spec.from_entity(value)
            if self.valid(spec, value):
                accepted.append((spec, value))
            else:
                value = None
                rejected = True
                if before + 1 < MAX_UNREADABLE:
                    self.reject(spec, tracker, dispatcher)
            events.append(SlotSet(slot, value))
        count = before + 1 if rejected else 0
        events.append(SlotSet(UNREADABLE, float(count)))
        if rejected and count >= MAX_UNREADABLE:
            dispatcher.utter_message(response=WAY_OUT, contact=self.contact(tracker))
        filled = {**tracker.slots, **{e["name"]: e["value"] for e in events}}
        if any(filled.get(slot) is None for slot in required):  # the form asks on: acknowledge what it got
            for spec, value in accepted:
                self.confirm(spec, value, dispatcher, tracker)
        return events


def _unreadable(tracker: Tracker) -> int:
    value = tracker.get_slot(UNREADABLE)
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0
