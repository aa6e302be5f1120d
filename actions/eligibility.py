"""The eligibility form (缴费满1年 + 非因本人意愿) and the assessment. The form asks only for what could change the
answer: nothing once a fact settles it (七个月, 自己辞职, 还没离职), and never a fact the conversation already has."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from actions import verdict
from actions.answer import PERSONAL_NUMBERS, finish
from actions.api import kb
from actions.bureaus import single_bureau
from actions.case import FACT_SLOTS, Case, settled, settled_months
from actions.common import latest_text
from actions.compose import Answer
from actions.contact import contact_text
from actions.forms.base import UNREADABLE, FormValidator, SlotSpec
from citizen.durations import parse_duration
from citizen.facts import read_facts
from citizen.leave import LEAVE_VALUES, VOLUNTARY, parse_leave_reason, unclear_leave_reason

FORM_SLOTS = ("contribution_months", "leave_reason")


def _months_in_first_message(text: str) -> float | None:
    """In a message that was not the answer to "how long", a period counts next to paying or working words
    ('工作了三年', '交了两年'), not on its own ('等了两个月')."""
    found = settled(read_facts(text, lambda _: []).duration)
    return None if found is None else found.months


class ValidateEligibilityForm(FormValidator):
    """Fills contribution_months (float months) and leave_reason (voluntary | involuntary), and keeps the other
    facts of each message (who paid, still employed, places, the period in the user's words)."""

    answer_intents = frozenset({"inform_contribution", "inform_leave_reason", "check_eligibility", "nlu_fallback",
                                "affirm", "dont_know"})

    def name(self) -> str:
        return "validate_eligibility_form"

    def specs(self) -> list[SlotSpec]:
        return [SlotSpec("contribution_months", "duration", settled_months, settled_months, _months_in_first_message,
                         frozenset({"inform_contribution", "check_eligibility"})),
                SlotSpec("leave_reason", "leave_reason", parse_leave_reason, parse_leave_reason,
                         intents=frozenset({"inform_leave_reason", "check_eligibility"}))]

    def needed(self, tracker: Tracker) -> list[str]:
        return verdict.missing(self._case(tracker))

    def _case(self, tracker: Tracker) -> Case:
        return Case.from_tracker(tracker, answering_duration=tracker.get_slot(REQUESTED_SLOT) == "contribution_months")

    def valid(self, spec: SlotSpec, value: Any) -> bool:
        if spec.slot == "contribution_months":
            return isinstance(value, (int, float)) and 0 < value < 1200
        return value in LEAVE_VALUES

    def unreadable(self, spec: SlotSpec, tracker: Tracker) -> bool:
        # "公司让我主动辞职": DIET tags 辞职 as voluntary, but the guide does not say which kind this is
        return spec.slot == "leave_reason" and unclear_leave_reason(latest_text(tracker)) is not None

    def contact(self, tracker: Tracker) -> str:
        return contact_text(self._case(tracker))

    def reject(self, spec: SlotSpec, tracker: Tracker, dispatcher: CollectingDispatcher) -> None:
        if spec.slot == "contribution_months":
            stated = parse_duration(latest_text(tracker))
            if stated is not None and settled(stated) is None:  # '不到两年': which side of the year?
                dispatcher.utter_message(response="utter_contribution_either_side", said=stated.words)
            else:
                dispatcher.utter_message(response="utter_unreadable_contribution")
            return
        text = latest_text(tracker)
        if unclear := unclear_leave_reason(text):
            dispatcher.utter_message(response="utter_unclassified_reason_choose", reason=unclear,
                                     contact=self.contact(tracker))
        elif "到期" in text:
            dispatcher.utter_message(response="utter_contract_ended_who")
        else:
            dispatcher.utter_message(response="utter_unreadable_leave_reason")

    def extra_events(self, tracker: Tracker) -> list[EventType]:
        # every other fact of the message (the form's own slots are extracted and validated by the base class)
        return [SlotSet(slot, value) for slot, value in self._case(tracker).remembered().items()]

    async def get_validation_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> list[EventType]:
        events = await super().get_validation_events(dispatcher, tracker, domain)
        if tracker.get_slot(REQUESTED_SLOT) is not None:
            return events
        case = self._case(tracker)  # the opening question: what it says beside the facts the form needs
        if case.facts.personal_numbers:
            dispatcher.utter_message(response=PERSONAL_NUMBERS)
        if case.facts.upset and verdict.missing(case):
            dispatcher.utter_message(response="utter_ack_upset_call", contact=self.contact(tracker))
        if unclear := unclear_leave_reason(case.text):
            dispatcher.utter_message(response="utter_unclassified_reason", reason=unclear,
                                     contact=self.contact(tracker))
        match = single_bureau(kb.lookup(case.insured_place)) if case.facts.places.insured else None
        if match is not None and verdict.missing(case):  # the form asks on: first whom the user will deal with
            dispatcher.utter_message(response="utter_note_your_bureau", place=match.place, bureau=match.bureau,
                                     phone=match.phone)
        return events

    def confirm(self, spec: SlotSpec, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        if spec.slot == "leave_reason":
            dispatcher.utter_message(response="utter_got_voluntary" if value == VOLUNTARY else "utter_got_involuntary")
            return
        stated = parse_duration(latest_text(tracker))
        said = stated.words if stated is not None and stated.months == value else Case.from_tracker(tracker).said
        if stated is not None and stated.bound == "less_than":
            dispatcher.utter_message(response="utter_got_contribution_less", said=said)
        else:
            met = "已满1年" if value >= verdict.minimum() else "不满1年"
            dispatcher.utter_message(response="utter_got_contribution", said=said, met=met)


class ActionAssessEligibility(Action):
    """Says what the guide's two conditions imply for the facts the form collected (and answers any other question
    the activating message asked)."""

    def name(self) -> str:
        return "action_assess_eligibility"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        case = Case.from_tracker(tracker)
        out = Answer(domain)
        verdict.assess(case, out, unclear_leave_reason(latest_text(tracker)))
        return finish(case, out, dispatcher)


class ActionResetEligibility(Action):
    """Clears what the user said about their case so that a new check ("重新判断") starts afresh."""

    def name(self) -> str:
        return "action_reset_eligibility"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        slots = [s for s in FACT_SLOTS if s not in ("insured_place", "residence_place")]
        return [SlotSet(slot, None) for slot in slots] + [SlotSet(REQUESTED_SLOT, None), SlotSet(UNREADABLE, 0.0)]


__all__ = ["ActionAssessEligibility", "ActionResetEligibility", "ValidateEligibilityForm"]
