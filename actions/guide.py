"""The guide's sections as cited at the end of answers, and the shared quick-reply buttons."""

from __future__ import annotations

import json

BASIS = "依据：《失业保险金申领指南》"
SCOPE = "一、申领范围"
CONDITIONS = "二、申领条件"
ONLINE_SYSTEM = "三、网上申领（一）吉林省社会保险网上经办系统"
ONLINE_APP = "三、网上申领（二）吉林掌上社保APP"
ONLINE_CHANGCHUN = "三、网上申领（3）长春市失业人员申领"
ONSITE = "四、现场申领"
PHONES = "四、现场申领（咨询电话表）"

LAST_INSURED = "失业保险需到最后参保地社会保险局申领（最后参保地可能和您现在住的地方不同）。"


def basis(section: str) -> str:
    """The closing line naming the guide section an answer rests on."""
    return BASIS + section


def button(title: str, intent: str, **entities: str) -> dict[str, str]:
    """A quick-reply button whose payload triggers `intent` (with entities) directly."""
    if entities:
        payload = json.dumps(entities, ensure_ascii=False, separators=(",", ":"))
        return {"title": title, "payload": f"/{intent}{payload}"}
    return {"title": title, "payload": f"/{intent}"}


def topic_buttons() -> list[dict[str, str]]:
    """The four main topics: offered after fallbacks and answers that end a thread."""
    return [button("申领条件", "ask_eligibility"), button("网上申领", "ask_online_apply"),
            button("现场办理", "ask_onsite_apply"), button("查社保局电话", "find_bureau")]
