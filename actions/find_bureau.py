"""Bureau actions: find the bureau for a place, the nearest bureaus to a shared position, repeat the phone."""

from __future__ import annotations

import logging
import math
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import bureau_replies
from actions.api import kb
from actions.bureau_lookup import resolve
from actions.common import Reply, entity_values, latest_text
from actions.config import get_settings
from actions.guide import LAST_INSURED, PHONES, basis, button

logger = logging.getLogger(__name__)


class ActionFindBureau(Action):
    """The bureau (and phone) for the place in the latest message, or the place given earlier."""

    def name(self) -> str:
        return "action_find_bureau"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        return bureau_replies.reply_for(resolve(tracker), latest_text(tracker)).send(dispatcher)


def _coordinate(tracker: Tracker, entity: str) -> float | None:
    for value in entity_values(tracker, entity):
        try:
            number = float(value)
        except ValueError:
            continue
        if math.isfinite(number):
            return number
    return None


def _km(distance: float) -> str:
    return f"{distance:.1f}" if distance < 10 else f"{round(distance)}"


class ActionNearestBureau(Action):
    """The nearest bureaus to a position the widget shared (latitude/longitude entities)."""

    def name(self) -> str:
        return "action_nearest_bureau"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        lat, lon = _coordinate(tracker, "latitude"), _coordinate(tracker, "longitude")
        try:
            nearby = kb.nearest(lat, lon) if lat is not None and lon is not None else []
        except ValueError:
            logger.info("position out of range: %s, %s", lat, lon)
            nearby = []
        if not nearby:
            return Reply("没有收到有效的位置信息。" + bureau_replies.ASK_PLACE).send(dispatcher)
        lines = ["离您所在位置较近的社会保险局："]
        lines += [f"{i}. {n.bureau}：{n.phone}，约 {_km(n.distance_km)} 公里（按所在地城区估算）"
                  for i, n in enumerate(nearby, 1)]
        if nearby[0].distance_km > get_settings().far_km:
            lines.append("您的位置离吉林省的社会保险局都较远，可能不在吉林省；本助手只解答吉林省的失业保险金申领。")
        lines += [f"注意：{LAST_INSURED}最近的不一定是您该去的。", basis(PHONES)]
        buttons = [button(n.bureau.replace("社会保险局", ""), "inform_location",
                          location=n.bureau.replace("社会保险局", "")) for n in nearby]
        return Reply("\n".join(lines), buttons).send(dispatcher)


class ActionGivePhone(Action):
    """The phone of the bureau found earlier; a place in this message is looked up; otherwise ask for the place."""

    def name(self) -> str:
        return "action_give_phone"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        name, phone = tracker.get_slot("bureau_name"), tracker.get_slot("bureau_phone")
        res = resolve(tracker)
        if res.result is not None and not res.remembered:  # '珲春的电话呢': a new place
            return bureau_replies.reply_for(res, latest_text(tracker)).send(dispatcher)
        if isinstance(phone, str) and phone:
            head = f"{name or '社会保险局'}失业保险经办咨询电话：{phone}"
            lines = bureau_replies.phone_lines(head, latest_text(tracker))
            text = "\n".join([*lines, basis(PHONES)])
            return Reply(text, [button("带什么材料", "ask_documents"), button("网上申领", "ask_online_apply")]
                         ).send(dispatcher)
        region = tracker.get_slot("bureau_region")
        if isinstance(region, str) and region:
            bureaus = kb.bureaus_in(region)
            if bureaus:
                return bureau_replies.bureau_list(region, bureaus).send(dispatcher)
        if res.result is not None:  # a place given earlier that had no single bureau (朝阳区)
            return bureau_replies.reply_for(res).send(dispatcher)
        province, province_phone = kb.province_contact()
        text = f"{bureau_replies.ASK_PLACE}\n全省咨询：{province} {province_phone}\n{basis(PHONES)}"
        return Reply(text).send(dispatcher)
