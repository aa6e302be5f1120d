"""The nearest bureaus to a position the widget (or WeChat) shared: approximate, and with the reminder that the
bureau to apply at is the one of the last insured place, not the nearest."""

from __future__ import annotations

import logging
import math
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.api import kb
from actions.common import entity_values
from actions.compose import Answer
from actions.config import get_settings

logger = logging.getLogger(__name__)


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
    """The nearest bureaus to a shared position (latitude/longitude entities)."""

    def name(self) -> str:
        return "action_nearest_bureau"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        lat, lon = _coordinate(tracker, "latitude"), _coordinate(tracker, "longitude")
        try:
            nearby = kb.nearest(lat, lon) if lat is not None and lon is not None else []
        except ValueError:
            logger.info("position out of range: %s, %s", lat, lon)
            nearby = []
        out = Answer(domain)
        if not nearby:
            return out.add("utter_nearest_none").send(dispatcher)
        lines = [f"{i}. {n.bureau}：{n.phone}，约 {_km(n.distance_km)} 公里（按所在地城区估算）"
                 for i, n in enumerate(nearby, 1)]
        out.add("utter_nearest", bureaus="\n".join(lines))
        if nearby[0].distance_km > get_settings().far_km:
            out.add("utter_note_far")
        for n in nearby:
            short = n.bureau.replace("社会保险局", "")
            out.button(short, "inform_location", location=short)
        return out.send(dispatcher)
