"""Questions the guide does not answer: say so, and give the phone of the bureau to ask. Never a number."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import Reply, contact, latest_intent
from actions.guide import ONLINE_SYSTEM, PHONES, basis, button

# what the guide does not cover, per intent
NOT_COVERED: dict[str, str] = {
    "ask_benefit_amount": "《失业保险金申领指南》没有写失业保险金能领多少钱（领取标准）。",
    "ask_benefit_duration": "《失业保险金申领指南》没有写失业保险金能领多长时间（领取期限）。",
    "ask_processing_time": "《失业保险金申领指南》没有写审核或到账需要多长时间。",
    "ask_other_insurance": "本助手只解答失业保险金申领；《失业保险金申领指南》不涉及养老、医疗、工伤、生育等其他保险。",
    "ask_other_province": ("《失业保险金申领指南》只说明吉林省的失业保险金申领，不涉及其他省份；"
                           "本助手也只解答吉林省的问题。"),
}
GENERIC = "《失业保险金申领指南》没有涉及这个问题。"
# what the guide does say that helps with the question
EXTRA: dict[str, str] = {
    "ask_processing_time": "网上申领的，上报完成后可点击“同步审批结果”，关注审批结果。",
    "ask_other_province": "失业保险需到最后参保地社会保险局申领。",
}


def not_covered_reply(intent: str | None, bureau: str, phone: str) -> Reply:
    """What the guide does not cover for `intent`, and whom to phone."""
    lines = [NOT_COVERED.get(intent or "", GENERIC)]
    if intent in EXTRA:
        lines.append(EXTRA[intent])
    lines.append(f"请咨询{bureau}：{phone}")
    lines.append(basis(ONLINE_SYSTEM if intent == "ask_processing_time" else PHONES))
    buttons = [button("申领条件", "ask_eligibility"), button("网上申领", "ask_online_apply"),
               button("现场办理", "ask_onsite_apply")]
    if phone and bureau.startswith("吉林省"):
        buttons.append(button("查本地社保局电话", "find_bureau"))
    return Reply("\n".join(lines), buttons)


class ActionNotCovered(Action):
    """Answers questions the guide is silent on (amount, duration, processing time, other insurances, provinces)."""

    def name(self) -> str:
        return "action_not_covered"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        bureau, phone = contact(tracker)
        return not_covered_reply(latest_intent(tracker), bureau, phone).send(dispatcher)
