"""Questions the guide does not answer: say so, and give the phone of the bureau to ask. Never a number."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import Reply, contact, latest_intent, latest_text
from actions.guide import ONLINE_SYSTEM, PHONES, basis, button
from actions.parsing import fold

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
CHANNEL_TOPIC = "这种办理渠道"
# ask_not_in_guide: name what the question was about (first matching words win); the guide says nothing on any
UNLISTED_TOPICS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("支付宝", "邮寄", "快递", "打电话办", "电话办", "社区", "街道办", "银行办", "代办点", "网点",
      "云闪付", "微信支付", "政务大厅"), CHANNEL_TOPIC),
    (("代办", "代领", "代理", "委托", "替我", "帮我去办", "家属", "家里人", "子女", "别人去"), "能否由他人代办"),
    (("失业登记", "失业证", "就业失业登记"), "要不要办失业登记、怎么办"),
    (("离职证明", "解除劳动合同证明", "单位证明", "开证明", "证明"), "要不要单位出具的证明"),
    (("找工作", "再就业", "找到工作", "新工作", "上班了", "又上班", "打零工", "兼职"),
     "领取期间找工作、再就业的规定"),
    (("不给交", "没给交", "不给我交", "没给我交", "没交", "没给上", "不给上", "没给我上", "不给我上",
      "欠缴", "欠社保", "断缴", "补缴", "漏缴", "停缴"),
     "单位未缴、欠缴或补缴社保怎么处理"),
    (("停发", "停止发放", "取消", "暂停"), "什么情况下停发失业保险金"),
    (("打到", "发到", "哪张卡", "哪个卡", "什么卡", "啥卡", "咋发", "怎么发"), "失业保险金怎么发放、发到哪张卡"),
)
# the channels the guide does list, for "can I apply through X?"
LISTED_CHANNELS = ("《指南》写到的申领渠道只有：网上经办系统、“吉林掌上社保”APP、长春市的公共服务平台和“长春社会保险”"
                   "微信公众号/小程序，以及到失业保险最后参保地社会保险局现场申领。")


def unlisted_topic(text: str) -> str | None:
    """What an ask_not_in_guide question was about, in words for the reply; None when no topic word is there."""
    for words, topic in UNLISTED_TOPICS:
        if any(word in text for word in words):
            return topic
    return None
# what the guide does say that helps with the question
EXTRA: dict[str, str] = {
    "ask_processing_time": "网上申领的，上报完成后可点击“同步审批结果”，关注审批结果。",
    "ask_other_province": "失业保险需到最后参保地社会保险局申领。",
}


def not_covered_reply(intent: str | None, bureau: str, phone: str, text: str = "") -> Reply:
    """What the guide does not cover for `intent` (for ask_not_in_guide: the topic of `text`), and whom to phone."""
    topic = unlisted_topic(text) if intent == "ask_not_in_guide" else None
    lines = [f"《失业保险金申领指南》没有说明{topic}。" if topic else NOT_COVERED.get(intent or "", GENERIC)]
    if topic == CHANNEL_TOPIC:
        lines.append(LISTED_CHANNELS)
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
    """Answers questions the guide is silent on (amount, duration, processing time, other insurances, provinces,
    and the named topics of ask_not_in_guide)."""

    def name(self) -> str:
        return "action_not_covered"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        bureau, phone = contact(tracker)
        return not_covered_reply(latest_intent(tracker), bureau, phone, fold(latest_text(tracker))).send(dispatcher)
