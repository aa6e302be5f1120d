"""The eligibility form (缴费满1年 + 非因本人意愿) and the condition-by-condition assessment. The guide states the
two conditions only; the assessment says what they imply for the user's facts, never more, and leaves the
decision to the bureau."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from actions.common import Reply, contact, entity_values, latest_text
from actions.config import get_settings
from actions.forms.base import FormValidator, SlotSpec
from actions.guide import CONDITIONS, basis, button
from actions.parsing import (
    INVOLUNTARY,
    LEAVE_VALUES,
    VOLUNTARY,
    describe_months,
    parse_duration,
    parse_leave_reason,
    parse_months,
    unclear_leave_reason,
)

FORM_SLOTS = ("contribution_months", "leave_reason")
_CONTRIBUTION_CONTEXT = re.compile(r"交|缴|参保|社保|保险")
TAIL = "最终以社会保险局审核为准。"


def _months_in_first_message(text: str) -> float | None:
    """In the message that starts the form, a period counts only next to 交/缴/参保 ('工作了三年' does not)."""
    return parse_months(text) if _CONTRIBUTION_CONTEXT.search(text) else None


class ValidateEligibilityForm(FormValidator):
    """Fills contribution_months (float months) and leave_reason (voluntary | involuntary)."""

    answer_intents = frozenset({"inform_contribution", "inform_leave_reason", "check_eligibility", "nlu_fallback",
                                "affirm"})

    def name(self) -> str:
        return "validate_eligibility_form"

    def specs(self) -> list[SlotSpec]:
        return [SlotSpec("contribution_months", "duration", parse_months, parse_months, _months_in_first_message,
                         frozenset({"inform_contribution", "check_eligibility"})),
                SlotSpec("leave_reason", "leave_reason", parse_leave_reason, parse_leave_reason,
                         intents=frozenset({"inform_leave_reason", "check_eligibility"}))]

    def valid(self, spec: SlotSpec, value: Any) -> bool:
        if spec.slot == "contribution_months":
            return isinstance(value, (int, float)) and 0 < value < 1200
        return value in LEAVE_VALUES

    def unreadable(self, spec: SlotSpec, tracker: Tracker) -> bool:
        # "公司让我主动辞职": DIET tags 辞职 as voluntary, but the guide does not say which kind this is
        return spec.slot == "leave_reason" and unclear_leave_reason(latest_text(tracker)) is not None

    def reject_text(self, spec: SlotSpec, tracker: Tracker) -> str:
        if spec.slot == "contribution_months":
            return ("没能看懂缴费时间。请直接说缴费了多长时间，例如：8个月、一年半、两年；"
                    "记不清可以选“不满1年”或“满1年及以上”。")
        text = latest_text(tracker)
        if unclear := unclear_leave_reason(text):
            return _unclear_note(tracker, unclear) + "也可以选最接近的情况："
        if "到期" in text:
            return "合同到期后，是单位不续签，还是您自己不续签？"
        return ("没能判断离职原因。是您自己辞职（本人意愿），"
                "还是被辞退、裁员、合同到期单位不续签、单位倒闭等（非因本人意愿）？")

    async def get_validation_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> list[EventType]:
        events = await super().get_validation_events(dispatcher, tracker, domain)
        unclear = unclear_leave_reason(latest_text(tracker))
        if unclear and tracker.get_slot(REQUESTED_SLOT) is None:  # said in the opening question
            dispatcher.utter_message(text=_unclear_note(tracker, unclear))
        return events

    def confirm(self, spec: SlotSpec, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        if spec.slot == "leave_reason":
            kind = "自己离职，属于本人意愿" if value == VOLUNTARY else "属于非因本人意愿中断就业"
            dispatcher.utter_message(text=f"好的，离职原因：{kind}。")
            return
        stated = next((d for d in map(parse_duration, [*entity_values(tracker, "duration"), latest_text(tracker)])
                       if d is not None and d.months == value), None)
        amount = stated.describe() if stated else describe_months(value)
        met = "已满1年" if value >= get_settings().min_contribution_months else "不满1年"
        note = "" if amount.startswith("不到") else f"（{met}）"
        dispatcher.utter_message(text=f"好的，缴费时间：{amount}{note}。")


def _unclear_note(tracker: Tracker, reason: str) -> str:
    """'“协商解除劳动合同”算不算非因本人意愿，《指南》没有说明，请咨询…' for a reason the guide does not classify."""
    name, phone = contact(tracker)
    return f"“{reason}”算不算非因本人意愿，《指南》没有说明，请咨询{name} {phone}。"


def assessment(months: float | None, reason: str | None, bureau: str, phone: str) -> Reply:
    """Condition by condition, what the guide's two conditions imply for these facts."""
    minimum = get_settings().min_contribution_months
    lines = ["按《指南》的两个申领条件逐条对照："]
    if months is None:
        lines.append("（一）缴费满1年：您还没说缴费多长时间，无法对照。")
    elif months >= minimum:
        lines.append(f"（一）缴费满1年：您说缴费{describe_months(months)}，已满1年，这一条看起来符合"
                     "（《指南》要求依法参加失业保险，单位和本人按规定履行缴费义务满1年）。")
    else:
        lines.append("（一）缴费满1年：您说的缴费时间不满1年，这一条不符合。")
    if reason == INVOLUNTARY:
        lines.append("（二）非因本人意愿中断就业：按您说的离职原因，属于非因本人意愿，这一条看起来符合。")
    elif reason == VOLUNTARY:
        lines.append("（二）非因本人意愿中断就业：您是自己离职，属于本人意愿，这一条不符合。")
    else:
        lines.append("（二）非因本人意愿中断就业：您还没说离职原因，无法对照。")
    both = months is not None and months >= minimum and reason == INVOLUNTARY
    unmet = (months is not None and months < minimum) or reason == VOLUNTARY
    if both:
        lines.append("结论：按《指南》的条件，您的情况两个条件看起来都符合，可以提出申领；" + TAIL)
        buttons = [button("网上申领", "ask_online_apply"), button("现场办理", "ask_onsite_apply"),
                   button("查社保局电话", "find_bureau")]
    else:
        verdict = ("两个条件需同时满足，按《指南》的条件，您的情况看起来不符合；" + TAIL) if unmet \
            else "还缺少信息，无法对照全部条件。"
        lines.append("结论：" + verdict)
        buttons = [button("申领条件", "ask_eligibility"), button("查社保局电话", "find_bureau"),
                   button("重新判断", "check_eligibility")]
    lines += [f"有疑问请咨询：{bureau} {phone}", basis(CONDITIONS)]
    return Reply("\n".join(lines), buttons)


class ActionAssessEligibility(Action):
    """Says, condition by condition, what the guide implies for the facts the form collected."""

    def name(self) -> str:
        return "action_assess_eligibility"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        months = tracker.get_slot("contribution_months")
        months = float(months) if isinstance(months, (int, float)) and not isinstance(months, bool) else None
        reason = tracker.get_slot("leave_reason")
        bureau, phone = contact(tracker)
        return assessment(months, reason if reason in LEAVE_VALUES else None, bureau, phone).send(dispatcher)


class ActionResetEligibility(Action):
    """Clears the form's slots so that a new check starts afresh."""

    def name(self) -> str:
        return "action_reset_eligibility"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        return [SlotSet(slot, None) for slot in FORM_SLOTS] + [SlotSet("requested_slot", None)]
