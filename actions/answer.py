"""The answering actions: each reads the case (the latest message's facts over the remembered ones), composes the
answer with actions.answers and remembers the facts and whom to call. They differ only in which question they
answer when the message's words do not say: the one its intent names."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import answers, handoff
from actions.case import Case
from actions.compose import Answer
from actions.contact import SLOT as CONTACT
from actions.contact import contact_text, province_text
from citizen import questions as q

PERSONAL_NUMBERS = "utter_ack_personal_numbers"


class ComposingAction(Action, ABC):
    """Answer the latest message; `kind` (None: the intent's) is the question answered first."""

    kind: str | None = None

    @abstractmethod
    def name(self) -> str:
        """The action's name in the domain."""

    def compose(self, case: Case, out: Answer) -> None:
        answers.plan(case, out, self.kind)

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        case = Case.from_tracker(tracker)
        out = Answer(domain)
        self.compose(case, out)
        if not out:
            out.add("utter_fallback", contact=contact_text(case))
            handoff.after_fallback(case, out)
        return finish(case, out, dispatcher)


def finish(case: Case, out: Answer, dispatcher: CollectingDispatcher) -> list[dict[str, Any]]:
    """Send the answer (first, when the message had a personal number, that it is not needed and was not kept);
    remember the message's facts and, from what is now known, whom to call."""
    if case.facts.personal_numbers:
        out.prefix(PERSONAL_NUMBERS)
    out.set(**case.remembered())
    case.slots.update(out.slots)
    whom, before = contact_text(case), case.slots.get(CONTACT)
    if whom != (before or province_text()):  # an empty slot means the province's line
        out.set(**{CONTACT: whom})
    return out.send(dispatcher)


class ActionAnswer(ComposingAction):
    """Questions answered from the guide (how, scope, conditions, online, app, 长春, on site, documents), a person
    to talk to, who the assistant is, and anything off topic."""

    def name(self) -> str:
        return "action_answer"


class ActionFindBureau(ComposingAction):
    """The bureau (and phone) for the place in the latest message, or the place given earlier."""

    kind = q.WHERE

    def name(self) -> str:
        return "action_find_bureau"


class ActionGivePhone(ActionFindBureau):
    """The phone of the bureau found earlier; a place in this message is looked up; otherwise ask for the place."""

    kind = q.PHONE

    def name(self) -> str:
        return "action_give_phone"


class ActionNotCovered(ComposingAction):
    """Questions the guide is silent on: say so, name the topic, give whom to ask. Never a number."""

    def name(self) -> str:
        return "action_not_covered"

    def compose(self, case: Case, out: Answer) -> None:
        kind = answers.INTENT_KIND.get(case.intent or "")
        answers.plan(case, out, kind if kind in answers.SILENT_KINDS else answers.NOT_IN_GUIDE)
