"""Messages about bureaus, built from offices_kb results: found, region list, ambiguous, outside, not found."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from actions.bureau_lookup import Resolution, choice_text
from actions.common import Reply
from actions.config import get_settings
from actions.guide import LAST_INSURED, PHONES, basis, button
from actions.parsing import fold

if TYPE_CHECKING:
    from offices_kb import Bureau, Match

ASK_PLACE = ("请问您的失业保险最后参保地是哪个市、县（区）？例如：珲春、长春朝阳区、九台。"
             "我帮您查对应的社会保险局和咨询电话。")
REMINDER = "提醒：" + LAST_INSURED
# the guide's table has names and phones only: a question for an address or opening hours is told so
# ("南关区失业金在哪领" asks which bureau, "社保局在哪" where it is)
_ADDRESS_OR_HOURS = re.compile(r"地址|地点|位置|局(?:在|搁)(?:哪|啥地方)|怎么走|咋走|几点|上班时间|下班|办公时间"
                               r"|工作时间|营业|周末|周六|周日|星期[六天日]|礼拜[六天日]|双休|节假日|放假"
                               r"|开门|关门|午休|休息|在哪办公|(?:你们|单位|那)(?:在|搁)(?:哪|啥地方)")
NO_ADDRESS_IN_GUIDE = "《指南》只列出各社会保险局的咨询电话，没有写地址和办公时间"
NO_ADDRESS = NO_ADDRESS_IN_GUIDE + "，可以打上面的电话询问。"


def asks_address_or_hours(text: str) -> bool:
    """'珲春社保局地址', '几点下班', '周末上班吗'."""
    return bool(_ADDRESS_OR_HOURS.search(fold(text)))


def phone_lines(phone_line: str, asked: str) -> list[str]:
    """A bureau's phone line, the note that the guide has no address or hours if `asked` wants one, the reminder."""
    return [phone_line, *([NO_ADDRESS] if asks_address_or_hours(asked) else []), REMINDER]


def _after_found_buttons(region: str) -> list[dict[str, str]]:
    buttons = [button("带什么材料", "ask_documents"), button("网上申领", "ask_online_apply"),
               button("我能领吗", "check_eligibility")]
    if region == "长春地区":
        buttons.append(button("长春网上渠道", "ask_changchun_channels"))
    return buttons


def _place_label(match: Match) -> str:
    if match.level == "province" or match.place in match.bureau:
        return match.place
    return f"{match.place}（{match.region}）"


def found(match: Match, res: Resolution, outside: list[str], asked: str = "") -> Reply:
    """One bureau: its name, phone and the 最后参保地 reminder; remembers it in the slots. `asked`: the question,
    for the note that the guide gives no address or hours."""
    lines = []
    if res.insured:
        lines.append(f"按您说的参保地（{res.insured}）：")
    elif res.remembered:
        lines.append("按您之前说的地方：")
    lines.append(match.bureau if match.level == "bureau" else f"{_place_label(match)}：{match.bureau}")
    lines += phone_lines(f"失业保险经办咨询电话：{match.phone}", asked)
    if outside and not res.insured:
        lines.append(f"如果您的最后参保地在吉林省外（{'、'.join(outside)}），本助手无法解答：《指南》只涉及吉林省。")
    lines.append(basis(PHONES))
    slots = {"bureau_name": match.bureau, "bureau_phone": match.phone, "bureau_region": match.region,
             "location": choice_text(match)}
    return Reply("\n".join(lines), _after_found_buttons(match.region), slots)


def bureau_list(region: str, bureaus: list[Bureau] | list[Match]) -> Reply:
    """A region without one bureau of its own (延边): all its bureaus with their phones."""
    names = [(b.bureau if hasattr(b, "bureau") else b.name, b.phone) for b in bureaus]
    lines = [f"《指南》的咨询电话表中，{region}有 {len(names)} 个社会保险局，请按您的失业保险最后参保地选择："]
    lines += [f"{name} {phone}" for name, phone in names]
    lines += [REMINDER, basis(PHONES)]
    limit = get_settings().max_buttons
    buttons = [button(n.replace("社会保险局", ""), "inform_location", location=n.replace("社会保险局", ""))
               for n, _ in names[:limit]]
    slots = {"bureau_region": region, "bureau_name": None, "bureau_phone": None}
    return Reply("\n".join(lines), buttons, slots)


def ambiguous(message: str, matches: list[Match]) -> Reply:
    """Several places fit: the Jilin candidates with phones, and a button for each."""
    limit = get_settings().max_buttons
    choices = [(choice_text(m), m) for m in matches[:limit]]
    lines = [message or "找到多个可能的地方，请选择。", "吉林省内可能是："]
    lines += [f"{text}：{m.bureau} {m.phone}" for text, m in choices]
    lines += [REMINDER, basis(PHONES)]
    buttons = [button(text, "inform_location", location=text) for text, _ in choices]
    return Reply("\n".join(lines), buttons)


def outside(places: list[str]) -> Reply:
    """A place outside Jilin: no Jilin bureau is given."""
    named = "、".join(places) or "您说的地方"
    text = (f"{named}不在吉林省。本助手只解答吉林省的失业保险金申领，《失业保险金申领指南》不涉及吉林省以外的地方。\n"
            "如果您的失业保险最后参保地在吉林省内，请告诉我是哪个市、县（区）。")
    return Reply(text, [button("申领条件", "ask_eligibility"), button("网上申领", "ask_online_apply")])


def not_found(typed: str, asked: str = "") -> Reply:
    """No place found: ask for the city or county (saying first that the guide has no address or hours, if asked)."""
    head = f"没有找到“{typed}”这个地方。" if typed else ""
    if asks_address_or_hours(asked):
        head += NO_ADDRESS_IN_GUIDE + "。"
    return Reply(head + ASK_PLACE)


def reply_for(res: Resolution, asked: str = "") -> Reply:
    """The message for a resolved lookup; `asked` is the user's question."""
    result = res.result
    if result is None or result.status == "not_found":
        return not_found(res.typed, asked)
    if result.status == "outside_jilin":
        return outside(result.outside)
    if result.status == "found":
        return found(result.matches[0], res, result.outside, asked)
    if result.region:
        return bureau_list(result.matches[0].region if result.matches else result.region, result.matches)
    return ambiguous(result.message, result.matches)
