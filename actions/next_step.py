"""'下一步呢 / 然后呢': the step after the last one the bot explained, found in the conversation's own events."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.api import kb
from actions.case import Case
from actions.common import answered
from actions.compose import Answer
from actions.contact import contact, contact_text

# the response that follows each answer on the way to applying (三、网上申领 steps 1-5, 四、现场申领)
FOLLOWS: dict[str, str] = {
    "utter_ask_how_to_apply": "utter_ask_online_apply",
    "utter_ask_online_register": "utter_ask_online_fill",
    "utter_ask_online_fill": "utter_ask_online_attachment",
    "utter_ask_online_attachment": "utter_ask_online_submit",
    "utter_ask_onsite_apply": "utter_ask_documents",
    "utter_onsite_short": "utter_ask_documents",
    "utter_elig_header": "utter_ask_how_to_apply",
    "utter_elig_met_short": "utter_ask_how_to_apply",
    "utter_elig_met_short_worked": "utter_ask_how_to_apply",
}
# answers after which the guide has no further step: what says so
LAST: dict[str, str] = {
    "utter_ask_online_apply": "utter_next_after_all_steps",
    "utter_ask_online_submit": "utter_next_after_last_step",
    "utter_ask_app": "utter_next_after_app",
    "utter_ask_changchun_channels": "utter_next_after_changchun",
    "bureau": "utter_next_after_bureau",
}
# answers that named a bureau: next come the documents (what follows the on-site answer), once
BUREAU_RESPONSES = {"utter_bureau_found", "utter_bureau_insured", "utter_bureau_remembered", "utter_bureau_phone_again",
                    "utter_bureau_region", "utter_bureau_several", "utter_nearest"}


def session_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events since the latest session start: an earlier session's steps are not what "then" refers to."""
    starts = [i for i, event in enumerate(events) if event.get("event") == "session_started"]
    return events[starts[-1] + 1:] if starts else events


def last_step(names: list[str]) -> str | None:
    """The latest answer that is a step on the way to applying."""
    known = FOLLOWS.keys() | LAST.keys() | BUREAU_RESPONSES | {"utter_ask_documents"}
    return next((name for name in reversed(names) if name in known), None)


class ActionNextStep(Action):
    """Answers '下一步呢' with what follows the last step explained; where the guide stops, says so with a phone."""

    def name(self) -> str:
        return "action_next_step"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        names = answered(session_events(tracker.events))
        step = last_step(names)
        if step in BUREAU_RESPONSES:
            step = "bureau" if "utter_ask_documents" in names else "utter_ask_onsite_apply"
        case = Case.from_tracker(tracker)
        out = Answer(domain)
        if step == "utter_ask_documents":  # documents ready: where to take them
            bureau, phone = contact(case)
            if (bureau, phone) != kb.province_contact():  # a bureau found, or a place named in passing
                out.add("utter_next_bureau_known", bureau=bureau, phone=phone)
            else:
                out.add("utter_next_bureau_unknown")
        elif step in LAST:
            out.add(LAST[step], contact=contact_text(case))
        else:
            out.add(FOLLOWS.get(step or "", "utter_ask_how_to_apply"), contact=contact_text(case))
        return out.send(dispatcher)
