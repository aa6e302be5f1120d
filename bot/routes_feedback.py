"""POST /api/feedback: 好差评 from the widget. A 有用/没用 on an answer or the five-level rating of the conversation
(with an optional comment of at most 200 characters), stored with the question it rates (the citizen's latest turn
before the bot's latest answer) and that turn's intent; the comment and the question with personal numbers masked.
201 {"ok": true}; a clear 400 for anything else, a sender that never talked included."""

from __future__ import annotations

import time

from aiohttp import web

from bot import keys
from bot.guards import in_db, rate_limit, rate_limit_sender, read_json_body
from bot.privacy import mask_pii
from bot.responses import json_error, json_ok
from bot.validation import parse_feedback_request
from stores import feedback

routes = web.RouteTableDef()


@routes.post("/api/feedback")
async def rate(request: web.Request) -> web.Response:
    rate_limit(request)
    asked = parse_feedback_request(await read_json_body(request))
    rate_limit_sender(request, asked.sender)
    records = request.app[keys.RECORDS]
    conversation = await in_db(request, lambda: records.events.read(asked.sender))
    if conversation is None or not any(turn.who == "user" for turn in conversation.turns):
        return json_error(400, "这个会话还没有对话记录，无法评价。")
    question = conversation.last_question()
    row = feedback.Feedback(
        asked.sender, time.time(), rating=asked.rating, helpful=asked.helpful,
        comment=mask_pii(asked.comment) if asked.comment else None,
        intent=question.intent if question else None,
        question=mask_pii(question.text)[:500] if question else None)
    await in_db(request, lambda: feedback.add(records.engine, row))
    return json_ok({"ok": True}, status=201)
