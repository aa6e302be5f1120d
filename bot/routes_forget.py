"""POST /api/forget {"sender": ...}: delete a conversation at the citizen's request (the widget's "结束咨询").

The deletion runs inside Rasa (channels/guarded_rest.py's /webhooks/rest/forget, serving/forget.py) under the
conversation's lock, so a turn still running cannot write the conversation back: its events, its ratings and its
handoff code go at once. 200 {"deleted": true}, also the second time (the conversation is remembered as deleted);
404 for a sender that never talked; 400 for a malformed one; 503 when Rasa cannot be reached.
"""

from __future__ import annotations

import logging

from aiohttp import web

from bot import keys
from bot.guards import rate_limit, rate_limit_sender, read_json_body
from bot.rasa_client import RasaUnavailable
from bot.replies import PROVINCE_PHONE
from bot.responses import json_error, json_ok
from bot.validation import check_no_unknown, check_sender

log = logging.getLogger(__name__)
routes = web.RouteTableDef()


@routes.post("/api/forget")
async def forget(request: web.Request) -> web.Response:
    rate_limit(request)
    data = await read_json_body(request)
    check_no_unknown(data, {"sender"})
    sender = check_sender(data.get("sender"))
    rate_limit_sender(request, sender)
    try:
        result = await request.app[keys.RASA].forget(sender)
    except RasaUnavailable as exc:
        log.warning("forget failed: %s", exc.detail)
        return json_error(503, f"暂时无法删除聊天记录，请稍后再试，或拨打吉林省社会保险局咨询电话 {PROVINCE_PHONE}。")
    if not result["known"]:
        return json_error(404, "没有找到这个会话的聊天记录。")
    log.info("conversation deleted at the citizen's request")
    return json_ok({"deleted": True})
