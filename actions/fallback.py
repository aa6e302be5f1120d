"""The fallback: a message in another language gets one line in that language with the province's phone; any other
unclear message is asked to be rephrased, with the four main topics and whom to call."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import answers, handoff
from actions.answer import PERSONAL_NUMBERS, finish
from actions.case import Case
from actions.compose import Answer
from actions.contact import contact_text
from citizen import questions


class ActionDefaultFallback(Action):
    """Replaces Rasa's default fallback. A message the composer can still answer from its own words (a question
    cue, another language, an upset line) is answered; a question about the benefit that names no topic the guide
    covers gets "the guide does not say" with whom to ask; otherwise the user is asked to rephrase, and the
    unclear message is taken back from the conversation so it does not steer what comes next."""

    def name(self) -> str:
        return "action_default_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        case = Case.from_tracker(tracker)
        out = Answer(domain)
        if case.facts.language or case.facts.kinds:
            answers.plan(case, out)
        elif questions.asks_about_the_benefit(case.text):  # a question on the benefit the guide does not answer
            answers.plan(case, out, answers.NOT_IN_GUIDE)
        elif case.facts.upset:
            answers.plan(case, out)
        if out:
            return finish(case, out, dispatcher)
        out.add("utter_fallback", contact=contact_text(case))
        if case.facts.personal_numbers:  # a message that was only a number
            out.prefix(PERSONAL_NUMBERS)
        handoff.after_fallback(case, out)
        out.send(dispatcher)
        return [UserUtteranceReverted()]
