"""The fallback: ask to rephrase and offer the four main topics."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import contact
from actions.guide import topic_buttons

TEXT = ("抱歉，我没太明白您的意思，请换个说法再问。"
        "我可以解答失业保险金的申领条件、网上申领、现场办理，也可以查各地社会保险局的咨询电话。")


class ActionDefaultFallback(Action):
    """Replaces Rasa's default fallback: rephrase + topic buttons; the unclear message is taken back from the
    conversation so it does not steer what comes next."""

    def name(self) -> str:
        return "action_default_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        name, phone = contact(tracker)  # the bureau talked about, else the province's
        dispatcher.utter_message(text=f"{TEXT}《指南》没有写到的问题，请咨询{name}：{phone}。", buttons=topic_buttons())
        return [UserUtteranceReverted()]
