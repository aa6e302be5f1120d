"""Conversations an agent continues: GET /console/api/handoff/<code> (the 咨询编号 a caller reads out) and
GET /console/api/conversations/<sender> (from the list of bad ratings, GET /console/api/feedback). Each opening is
rate-limited per staff member and written to the audit log; personal numbers are masked in every turn."""

from __future__ import annotations

import time

from aiohttp import web

from bot import keys
from bot.guards import in_db, query_limit, rate_limit_staff, require_console
from bot.records import conversation_json, iso
from bot.responses import json_error, json_ok
from bot.validation import InvalidInput, check_sender
from stores import feedback, handoff

routes = web.RouteTableDef()
UNKNOWN_CODE = "没有找到这个咨询编号，或已过有效期。请核对编号（不含字母 O、I 和数字 0、1）。"


@routes.get("/console/api/handoff/{code}")
async def open_handoff(request: web.Request) -> web.Response:
    principal = require_console(request)
    rate_limit_staff(request, principal)
    code = handoff.normalize(request.match_info["code"])
    if code is None:
        return json_error(404, UNKNOWN_CODE)
    records = request.app[keys.RECORDS]
    now = time.time()
    found = await in_db(request, lambda: handoff.find(records.engine, code, now))
    if found is None:
        return json_error(404, UNKNOWN_CODE)
    conversation = await in_db(request, lambda: records.events.read(found.sender_id))
    await in_db(request, records.accounts.audit, principal.name, "open_handoff", f"{code} {found.sender_id}")
    return json_ok({"code": code, "sender": found.sender_id, "created": iso(found.created_at),
                    "expires": iso(found.expires_at),
                    **(conversation_json(conversation) if conversation else {"turns": [], "facts": {}})})


@routes.get("/console/api/conversations/{sender}")
async def open_conversation(request: web.Request) -> web.Response:
    principal = require_console(request)
    rate_limit_staff(request, principal)
    try:
        sender = check_sender(request.match_info["sender"])
    except InvalidInput:
        return json_error(404, "没有这段对话。")
    records = request.app[keys.RECORDS]
    conversation = await in_db(request, lambda: records.events.read(sender))
    if conversation is None:
        return json_error(404, "没有这段对话。")
    await in_db(request, records.accounts.audit, principal.name, "open_conversation", sender)
    return json_ok({"sender": sender, **conversation_json(conversation)})


@routes.get("/console/api/feedback")
async def bad_ratings(request: web.Request) -> web.Response:
    """The latest 差评 (1-2 and 没用) to follow up, newest first."""
    require_console(request)
    limit = query_limit(request, 50, 200)
    records = request.app[keys.RECORDS]
    rows = await in_db(request, lambda: feedback.bad(records.engine, limit))
    return json_ok({"items": [{"id": r["id"], "sender": r["sender_id"], "time": iso(r["created_at"]),
                               "rating": r["rating"], "helpful": r["helpful"], "comment": r["comment"],
                               "intent": r["intent"], "question": r["question"]} for r in rows]})
