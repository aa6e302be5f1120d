"""The composer: one answer per message, the question asked first, then what the facts imply. Each kind of
question has one function here that adds its responses; `plan` runs the one for the question the intent names,
then (at most one) other question the message also asks, then the eligibility implication of the facts it gave.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from actions import handoff, verdict
from actions.api import kb
from actions.bureaus import answer_bureau, single_bureau
from actions.case import Case
from actions.compose import Answer
from actions.contact import contact, contact_text
from citizen import questions as q
from citizen.tone import ENGLISH, JAPANESE, KOREAN, RUSSIAN
from offices_kb.normalize import fold

if TYPE_CHECKING:
    from offices_kb import Match

# kinds for intents that the cue words do not name
ONSITE = q.ONSITE
SCOPE, BOT, OTHER_INSURANCE, OTHER_PROVINCE, NOT_IN_GUIDE, OUT_OF_SCOPE, FALLBACK = (
    "scope", "bot", "other_insurance", "other_province", "not_in_guide", "out_of_scope", "fallback")
REGISTER, FILL, ATTACHMENT, SUBMIT = "online_register", "online_fill", "online_attachment", "online_submit"

INTENT_KIND: dict[str, str] = {
    "ask_how_to_apply": q.HOW, "ask_scope": SCOPE, "ask_eligibility": q.CONDITIONS, "check_eligibility": q.CAN_I,
    "restart_check": q.CAN_I, "inform_contribution": q.CAN_I, "inform_leave_reason": q.CAN_I,
    "ask_online_apply": q.ONLINE, "ask_online_register": REGISTER, "ask_online_fill": FILL,
    "ask_online_attachment": ATTACHMENT, "ask_online_submit": SUBMIT, "ask_app": q.APP,
    "ask_changchun_channels": q.CHANGCHUN, "ask_onsite_apply": ONSITE, "ask_documents": q.DOCUMENTS,
    "find_bureau": q.WHERE, "inform_location": q.WHERE, "ask_phone": q.PHONE, "request_human": q.HUMAN,
    "bot_challenge": BOT, "ask_benefit_amount": q.AMOUNT, "ask_benefit_duration": q.BENEFIT_DURATION,
    "ask_processing_time": q.PROCESSING, "ask_other_insurance": OTHER_INSURANCE, "ask_other_province": OTHER_PROVINCE,
    "ask_not_in_guide": NOT_IN_GUIDE, "out_of_scope": OUT_OF_SCOPE, "nlu_fallback": FALLBACK, "ask_next_step": q.NEXT,
    "dont_know": "dont_know",
}
# what the guide does not say, by kind
SILENT = {q.AMOUNT: "utter_silent_amount", q.BENEFIT_DURATION: "utter_silent_duration",
          q.PROCESSING: "utter_silent_processing", OTHER_INSURANCE: "utter_silent_other_insurance",
          OTHER_PROVINCE: "utter_silent_other_province"}
SILENT_KINDS = frozenset({*SILENT, q.CONDITIONS, q.OTHER_BENEFIT})
# ask_not_in_guide: what the question was about (first matching words win); the guide says nothing on any
UNLISTED_TOPICS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("支付宝", "邮寄", "快递", "打电话办", "电话办", "社区", "街道办", "银行办", "代办点", "网点",
      "云闪付", "微信支付", "政务大厅"), "utter_silent_channel"),
    (("代办", "代领", "代理", "委托", "替我", "帮我去办", "家属", "家里人", "子女", "别人去"), "utter_silent_proxy"),
    (("失业登记", "失业证", "就业失业登记"), "utter_silent_registration"),
    (("离职证明", "解除劳动合同证明", "单位证明", "开证明", "证明"), "utter_silent_certificate"),
    (("找工作", "再就业", "找到工作", "新工作", "上班了", "又上班", "打零工", "兼职"), "utter_silent_reemployment"),
    (("不给交", "没给交", "不给我交", "没给我交", "没交", "没给上", "不给上", "没给我上", "不给我上",
      "欠缴", "欠社保", "断缴", "补缴", "漏缴", "停缴"), "utter_silent_arrears"),
    (("停发", "停止发放", "取消", "暂停"), "utter_silent_stop"),
    (("几号发", "哪天发", "啥时候发", "什么时候发", "一次性"), "utter_silent_payment"),
    (("打到", "发到", "哪张卡", "哪个卡", "什么卡", "啥卡", "咋发", "怎么发"), "utter_silent_payment"),
)
# a cue that names the question more precisely than the intent does
_REFINES: dict[str, frozenset[str]] = {
    q.DOCUMENTS: q.DOCUMENT_KINDS, ONSITE: q.DOCUMENT_KINDS - {q.DOCUMENTS}, q.HUMAN: frozenset({q.PHONE_UNANSWERED}),
    q.PHONE: frozenset({q.PHONE_UNANSWERED}), q.BENEFIT_DURATION: frozenset({q.CONDITIONS}),
    q.ONLINE: frozenset({q.OTHER_WAY}), REGISTER: frozenset({q.OTHER_WAY}), q.APP: frozenset({q.OTHER_WAY}),
    q.HOW: frozenset({q.OTHER_WAY}),
}
_DOCUMENT_RESPONSES = {q.DOCUMENTS: "utter_ask_documents", q.DOC_ID_ONLY: "utter_documents_id_only",
                       q.DOC_CARD_INACTIVE: "utter_documents_card_inactive",
                       q.DOC_CARD_ONLY: "utter_documents_card_only", q.DOC_NO_CARD: "utter_documents_no_card",
                       q.DOC_ID_LOST: "utter_documents_id_lost", q.DOC_ID_AND_BANK: "utter_documents_id_and_bank",
                       q.DOC_OTHER: "utter_documents_other"}
FOREIGN_RESPONSES = {KOREAN: "utter_foreign_ko", ENGLISH: "utter_foreign_en", RUSSIAN: "utter_foreign_ru",
                     JAPANESE: "utter_foreign_ja"}
MAX_ANSWERS = 2  # the question the intent names and one more from the same message

Handler = Callable[[Case, Answer], frozenset[str]]


def _known_bureau(case: Case) -> Match | None:
    """The bureau of the last insured place, else of the first place asked about that has one."""
    for place in [case.insured_place, *(p.text for p in case.asked_places)]:
        match = single_bureau(kb.lookup(place)) if place else None
        if match is not None:
            return match
    return None


def _in_changchun(case: Case) -> bool:
    """The guide's 长春市失业人员: a last insured place (or a place named) in the 长春 group of the phone table."""
    match = _known_bureau(case)
    return match is not None and match.region == "长春地区"


def _changchun(case: Case, out: Answer) -> frozenset[str]:
    """长春's own channels; for someone insured elsewhere in Jilin, that they are 长春's and which ones to use."""
    match = _known_bureau(case)
    if match is not None and match.region != "长春地区":
        out.add("utter_changchun_not_yours", place=match.place)
    else:
        out.add("utter_ask_changchun_channels")
    return frozenset({q.CHANGCHUN, q.ONLINE, q.APP})


def _say(response: str, covers: frozenset[str]) -> Handler:
    """A handler that adds one response (with whom to call where it says so)."""
    def handler(case: Case, out: Answer) -> frozenset[str]:
        out.add(response, contact=contact_text(case), province=kb.province_contact()[1])
        if contact(case) != kb.province_contact():  # a bureau of the user's is known: no need to look one up
            out.drop_button("/find_bureau")
        return covers
    return handler


def _online(case: Case, out: Answer) -> frozenset[str]:
    if _in_changchun(case):  # the guide's own channels for 长春市失业人员 first, named, with the URL
        out.add("utter_ask_changchun_channels").add("utter_online_short")
    else:
        out.add("utter_ask_online_apply")
    return frozenset({q.ONLINE, q.CAN_I, q.CHANGCHUN})


def _app(case: Case, out: Answer) -> frozenset[str]:
    out.add("utter_ask_app")
    if _in_changchun(case):
        out.add("utter_ask_changchun_channels")
    return frozenset({q.APP, q.ONLINE, q.CAN_I})


def _documents(kind: str) -> Handler:
    def handler(case: Case, out: Answer) -> frozenset[str]:
        out.add(_DOCUMENT_RESPONSES[kind], contact=contact_text(case), document=q.other_document(case.text))
        if case.facts.places.named:
            answer_bureau(case, out)
        return q.DOCUMENT_KINDS | {q.CAN_I}
    return handler


def _bureau(case: Case, out: Answer) -> frozenset[str]:
    known = case.facts.places.named or case.insured_place or case.slots.get("bureau_phone") \
        or case.slots.get("bureau_region") or case.typed_places
    if not known and q.WHERE in case.facts.kinds:  # "去哪办" with no place at all: the rule, then the question
        out.add("utter_ask_onsite_apply")
    answer_bureau(case, out, phone=q.PHONE in case.facts.kinds or case.intent == "ask_phone")
    return frozenset({q.WHERE, q.PHONE, ONSITE})


def _onsite(case: Case, out: Answer) -> frozenset[str]:
    out.add("utter_ask_onsite_apply")
    answer_bureau(case, out, phone=False)
    return frozenset({ONSITE, q.WHERE, q.PHONE, q.ONLINE})


def _onsite_for_elderly(case: Case, out: Answer) -> frozenset[str]:
    """Someone who cannot use a phone or computer: the on-site way in short and the bureau of the place named."""
    out.add("utter_onsite_short")
    answer_bureau(case, out)
    return frozenset({q.HOW, q.ONLINE, q.APP, ONSITE, q.WHERE, q.PHONE, q.DOCUMENTS})


def _handing_over(handler: Handler) -> Handler:
    """The handler's answer and the conversation's 咨询编号: the citizen will call, the agent reads the story."""
    def handler_with_code(case: Case, out: Answer) -> frozenset[str]:
        covers = handler(case, out)
        handoff.offer(case, out)
        return covers
    return handler_with_code


@_handing_over
def _not_in_guide(case: Case, out: Answer) -> frozenset[str]:
    folded = fold(case.text)
    response = next((r for words, r in UNLISTED_TOPICS if any(w in folded for w in words)), "utter_silent_generic")
    return _say(response, frozenset({NOT_IN_GUIDE}))(case, out)


def _can_i(case: Case, out: Answer) -> frozenset[str]:
    verdict.assess(case, out)
    return frozenset({q.CAN_I})


def _how(case: Case, out: Answer) -> frozenset[str]:
    out.add("utter_ask_how_to_apply")
    if _in_changchun(case):  # 长春市失业人员: their own channels, with the address
        out.add("utter_ask_changchun_channels")
    return frozenset({q.HOW, q.ONLINE, q.WHERE, q.CHANGCHUN})


ANSWERS: dict[str, Handler] = {
    q.HOW: _how,
    SCOPE: _say("utter_ask_scope", frozenset({SCOPE})),
    q.RETIREMENT: _say("utter_ask_scope", frozenset({SCOPE, q.RETIREMENT})),
    q.SILENT_TOPIC: lambda case, out: _not_in_guide(case, out) | {q.SILENT_TOPIC},
    q.CONDITIONS: _say("utter_ask_eligibility", frozenset({q.CONDITIONS})),
    q.OTHER_BENEFIT: _say("utter_only_unemployment_insurance_benefit",
                          frozenset({q.OTHER_BENEFIT, SCOPE, q.CONDITIONS})),
    q.ONLINE: _online,
    REGISTER: _say("utter_ask_online_register", frozenset({REGISTER, q.ONLINE})),
    FILL: _say("utter_ask_online_fill", frozenset({FILL, q.ONLINE})),
    ATTACHMENT: _say("utter_ask_online_attachment", frozenset({ATTACHMENT, q.ONLINE, q.DOCUMENTS})),
    SUBMIT: _say("utter_ask_online_submit", frozenset({SUBMIT, q.ONLINE})),
    q.APP: _app,
    q.CHANGCHUN: _changchun,
    ONSITE: _onsite,
    **{kind: _documents(kind) for kind in _DOCUMENT_RESPONSES},
    q.WHERE: _bureau,
    q.PHONE: _bureau,
    q.NEAR: _bureau,
    q.HUMAN: _handing_over(_say("utter_request_human", frozenset({q.HUMAN, q.PHONE}))),
    q.OTHER_WAY: _say("utter_other_way", frozenset({q.OTHER_WAY, q.ONLINE, q.APP, q.HOW, ONSITE, REGISTER})),
    q.PHONE_UNANSWERED: _say("utter_phone_unanswered", frozenset({q.PHONE_UNANSWERED, q.PHONE, q.HUMAN, q.ONLINE})),
    BOT: _say("utter_bot_challenge", frozenset({BOT})),
    **{kind: _handing_over(_say(response, frozenset({kind}))) for kind, response in SILENT.items()},
    NOT_IN_GUIDE: _not_in_guide,
    OUT_OF_SCOPE: _say("utter_out_of_scope", frozenset({OUT_OF_SCOPE})),
    "dont_know": _say("utter_dont_know", frozenset({"dont_know"})),
    q.CAN_I: _can_i,
}


def primary_kind(case: Case, kind: str | None = None) -> str:
    """The question `kind` (default: the one the intent names), made precise by a cue word of the message where
    one is ('只带身份证够吗' is DOC_ID_ONLY, not the documents in general)."""
    kind = kind or INTENT_KIND.get(case.intent or "", FALLBACK)
    cues = case.facts.kinds
    if kind == OTHER_PROVINCE or (kind in (q.CAN_I, q.HOW, FALLBACK) and case.facts.places.insured_outside_jilin):
        return OTHER_PROVINCE
    refined = next((k for k in cues if k in _REFINES.get(kind, ())), None)
    if refined:
        return refined
    strong = next((k for k in cues if k in q.STRONG), None)
    if strong and kind in (FALLBACK, OUT_OF_SCOPE, SCOPE, q.CONDITIONS, NOT_IN_GUIDE, q.BENEFIT_DURATION, q.CAN_I,
                           q.HOW, ONSITE):
        return strong
    if kind in (FALLBACK, OUT_OF_SCOPE) and cues:
        return cues[0]
    return kind


def _your_bureau(case: Case, out: Answer) -> None:
    """A story that names the last insured place gets that bureau's phone, whatever the question was."""
    insured = case.facts.places.insured
    if insured is None or not insured.in_jilin:
        return
    match = single_bureau(kb.lookup(insured.text))
    if match is not None and match.phone not in out.text():
        out.add("utter_note_your_bureau", place=match.place, bureau=match.bureau, phone=match.phone)


def plan(case: Case, out: Answer, kind: str | None = None) -> None:
    """Add the answer for `case` (its primary question `kind`, else the intent's) to `out`."""
    facts = case.facts
    if facts.language in FOREIGN_RESPONSES:
        out.add(FOREIGN_RESPONSES[facts.language], province=kb.province_contact()[1])
        return
    kind = primary_kind(case, kind)
    if facts.elderly and kind in (q.HOW, q.ONLINE, q.APP, FALLBACK, q.WHERE, ONSITE, q.CHANGCHUN, q.OTHER_WAY):
        kind = "elderly_onsite"
    if facts.upset and kind in (FALLBACK, OUT_OF_SCOPE) and not facts.kinds:
        kind = "upset"
    handlers = {**ANSWERS, "elderly_onsite": _onsite_for_elderly,
                "upset": _say("utter_talk_to_person", frozenset({FALLBACK, OUT_OF_SCOPE}))}
    covered: set[str] = set()
    answered = 0
    for asked in [kind, *(k for k in facts.kinds if k != kind)]:
        handler = handlers.get(asked)
        if handler is None or asked in covered or answered == MAX_ANSWERS:
            continue
        if asked == q.CAN_I and answered:  # asked beside another question: the implication below says it
            continue
        covered |= handler(case, out)
        answered += 1
    if q.CAN_I not in covered:
        verdict.implication(case, out)
    if out:
        _your_bureau(case, out)
    if out and facts.upset:
        out.prefix("utter_ack_upset")
    elif out and facts.elderly:
        out.prefix("utter_ack_elderly")
