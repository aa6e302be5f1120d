"""咨询编号 in the answers that hand over to a person: 转人工 / 投诉 (request_human), the second request to rephrase
in a conversation, and the answers saying the guide does not cover the question. The reply then carries
'咨询编号：XXXXXXX' (utter_handoff_code) beside the phone it already names; read on the phone, the code opens this
conversation in the staff console (stores/handoff.py; GET /console/api/handoff/<code>)."""

from __future__ import annotations

import logging
import time

from actions.case import Case
from actions.compose import Answer
from actions.config import get_settings
from stores import handoff
from stores.db import Lazy, describe

log = logging.getLogger(__name__)
DATABASE = Lazy()  # the tracker store's database (TRACKER_STORE_URL, else TRACKER_DB): connected on first use
FAILED_TRIES = 2  # the second "请换个说法" of a conversation comes with a code


def offer(case: Case, out: Answer) -> None:
    """Add the conversation's code. Without a database the answer goes out without it: it names the phone anyway."""
    if not case.sender or out.has("utter_handoff_code"):  # two answers in one reply: one code line
        return
    days = get_settings().handoff_days
    try:
        code = handoff.code_for(DATABASE.get(), case.sender, time.time(), days)
    except Exception:  # noqa: BLE001 - a database that is down must not cost the citizen the answer
        log.exception("no handoff code for this answer (database %s)", _where())
        return
    out.add("utter_handoff_code", code=code.code, days=f"{days:g}")


def after_fallback(case: Case, out: Answer) -> None:
    """A request to rephrase: the second one in the conversation offers the code."""
    if case.earlier_fallbacks + 1 >= FAILED_TRIES:
        offer(case, out)


def _where() -> str:
    try:
        return describe(DATABASE.get())
    except Exception:  # noqa: BLE001
        return "unreachable"
