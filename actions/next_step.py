"""'下一步呢 / 然后呢': the step after the last one the bot explained, found in the conversation's own events."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.api import kb
from actions.common import contact
from actions.guide import LAST_INSURED, ONLINE_APP, ONLINE_CHANGCHUN, ONLINE_SYSTEM, ONSITE, basis, button

# the response that follows each answer on the way to applying (三、网上申领 steps 1-5, 四、现场申领)
FOLLOWS: dict[str, str] = {
    "utter_ask_how_to_apply": "utter_ask_online_apply",
    "utter_ask_online_register": "utter_ask_online_fill",
    "utter_ask_online_fill": "utter_ask_online_attachment",
    "utter_ask_online_attachment": "utter_ask_online_submit",
    "utter_ask_onsite_apply": "utter_ask_documents",
    "action_assess_eligibility": "utter_ask_how_to_apply",
}
# answers after which the guide has no further step: what it says last, and the section
LAST: dict[str, tuple[str, str]] = {
    "utter_ask_online_apply": ("网上申领一共5步，上面已经全部列出，最后一步是上报后点击“同步审批结果”，关注审批结果。"
                               "想细看哪一步，可以点下面的按钮。", ONLINE_SYSTEM),
    "utter_ask_online_submit": ("点击“同步审批结果”、关注审批结果，已经是网上申领的最后一步（第5步）了。",
                                ONLINE_SYSTEM),
    "utter_ask_app": ("《指南》对APP只写到：扫描二维码下载“吉林掌上社保”APP，通过APP进行失业保险金申领；"
                      "APP里具体怎么操作，《指南》没有写。", ONLINE_APP),
    "utter_ask_changchun_channels": ("《指南》对长春只写到可以用这几个平台办理，平台里具体怎么操作，《指南》没有写。",
                                     ONLINE_CHANGCHUN),
    "bureau": ("现场申领就是携带有效身份证件（激活金融社会保障卡，或本人身份证、银行卡、存折），"
               "到失业保险最后参保地社会保险局申领。", ONSITE),
}
BUREAU_ACTIONS = {"action_find_bureau", "action_give_phone", "action_nearest_bureau"}
ONLINE_STEP_BUTTONS = [button("注册登录", "ask_online_register"), button("填写信息", "ask_online_fill"),
                       button("上传附件", "ask_online_attachment"), button("上报和结果", "ask_online_submit")]


def session_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events since the latest session start: an earlier session's steps are not what "then" refers to."""
    starts = [i for i, event in enumerate(events) if event.get("event") == "session_started"]
    return events[starts[-1] + 1:] if starts else events


def responded(events: list[dict[str, Any]], response: str) -> bool:
    """Whether the bot answered with `response` in these events (Rasa records it as the bot event's utter_action)."""
    return any(e.get("event") == "bot" and (e.get("metadata") or {}).get("utter_action") == response for e in events)


def last_step(events: list[dict[str, Any]]) -> str | None:
    """The latest answer in `events` that is a step on the way to applying (a response or an action)."""
    known = FOLLOWS.keys() | LAST.keys() | BUREAU_ACTIONS | {"utter_ask_documents"}
    for event in reversed(events):
        if event.get("event") == "bot":
            name = (event.get("metadata") or {}).get("utter_action")
        elif event.get("event") == "action":
            name = event.get("name")
        else:
            continue
        if name in known:
            return name
    return None


class ActionNextStep(Action):
    """Answers '下一步呢' with what follows the last step explained; where the guide stops, says so with a phone."""

    def name(self) -> str:
        return "action_next_step"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        events = session_events(tracker.events)
        step = last_step(events)
        if step in BUREAU_ACTIONS:  # a bureau found: next the documents (what follows the on-site answer), once
            step = "bureau" if responded(events, "utter_ask_documents") else "utter_ask_onsite_apply"
        bureau, phone = contact(tracker)
        if step == "utter_ask_documents":  # documents ready: where to take them
            known = (bureau, phone) != kb.province_contact()  # a bureau found, or a place named in passing
            where = (f"您问过的是{bureau}，电话：{phone}。" if known
                     else "告诉我您最后参保的市、县（区），我帮您查是哪个社会保险局和电话。")
            buttons = [] if known else [button("查社保局电话", "find_bureau")]
            dispatcher.utter_message(text=f"带齐证件后，到失业保险最后参保地社会保险局申领。{where}\n"
                                          f"提醒：{LAST_INSURED}\n{basis(ONSITE)}", buttons=buttons)
        elif step in LAST:
            text, section = LAST[step]
            online = section == ONLINE_SYSTEM
            silent = f"{'审核多久出结果、' if online else ''}之后的事《指南》没有说明，请咨询{bureau}：{phone}。"
            dispatcher.utter_message(
                text=f"{text}\n{silent}\n{basis(section)}",
                buttons=ONLINE_STEP_BUTTONS if online else [button("网上申领", "ask_online_apply")])
        else:
            dispatcher.utter_message(response=FOLLOWS.get(step or "", "utter_ask_how_to_apply"))
        return []
