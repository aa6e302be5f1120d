"""Hotline staff console: its token-protected JSON APIs (the page itself is a static file: bot.assets.FILES)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web

from bot import keys
from bot.guards import query_limit, rate_limit, read_json_body, require_console
from bot.guide_sections import cited_passages
from bot.rasa_client import RasaUnavailable
from bot.records import conversation_json
from bot.replies import answer_text, find_phones, format_replies, read_aloud
from bot.responses import json_error, json_ok
from bot.validation import CONSOLE_SENDER_PREFIX, SENDER_RE, InvalidInput, check_no_unknown, check_text

log = logging.getLogger(__name__)
routes = web.RouteTableDef()
TOP_ALTERNATIVES = 5
BUREAU_FACTS = ("bureau_name", "bureau_phone", "bureau_region", "contact")


def _session_sender(value: Any) -> str:
    if value is None or value == "":
        return CONSOLE_SENDER_PREFIX + "default"
    max_len = 64 - len(CONSOLE_SENDER_PREFIX)
    if not isinstance(value, str) or not SENDER_RE.fullmatch(value) or len(value) > max_len:
        raise InvalidInput(f"字段 session 必须是不超过 {max_len} 个字母、数字、下划线或连字符的字符串。")
    return CONSOLE_SENDER_PREFIX + value


def summarize_parse(parse: dict[str, Any]) -> dict[str, Any]:
    intent = parse.get("intent") if isinstance(parse.get("intent"), dict) else {}
    ranking = parse.get("intent_ranking") if isinstance(parse.get("intent_ranking"), list) else []
    entities = parse.get("entities") if isinstance(parse.get("entities"), list) else []
    return {
        "intent": {"name": intent.get("name"), "confidence": intent.get("confidence")},
        "ranking": [{"name": r.get("name"), "confidence": r.get("confidence")}
                    for r in ranking[:TOP_ALTERNATIVES] if isinstance(r, dict)],
        "entities": [{k: e.get(k) for k in ("entity", "value", "start", "end", "extractor", "confidence_entity")
                      if k in e} for e in entities if isinstance(e, dict)],
    }


def _basis(text: str) -> list[dict[str, str]]:
    return [section.to_dict() for section in cited_passages(text, focus=find_phones(text))]


@routes.post("/console/api/ask")
async def ask(request: web.Request) -> web.Response:
    require_console(request)
    rate_limit(request)
    settings = request.app[keys.SETTINGS]
    data = await read_json_body(request)
    check_no_unknown(data, {"question", "session"})
    question = check_text(data.get("question"), "question", "问题", settings.max_message_chars)
    sender = _session_sender(data.get("session"))
    rasa = request.app[keys.RASA]
    answer, parse = await asyncio.gather(rasa.send_message(sender, question), rasa.parse(question),
                                         return_exceptions=True)
    if isinstance(answer, BaseException):
        detail = answer.detail if isinstance(answer, RasaUnavailable) else type(answer).__name__
        log.warning("console ask failed: %s", detail)
        message = answer.message if isinstance(answer, RasaUnavailable) else "智能助手暂时无法回答。"
        return json_error(503, f"{message}请稍后再试。")
    warnings: list[str] = []
    if isinstance(parse, BaseException):
        warnings.append("无法获取意图识别结果（Rasa /model/parse 不可用或令牌不正确）。")
        log.warning("console parse failed: %s", getattr(parse, "detail", type(parse).__name__))
    # after the answer, as the tracker keeps it: its turns so far, and the bureau the answer used (its slots; a
    # lookup of this question alone missed a bureau carried over from an earlier one)
    records = request.app[keys.RECORDS]
    try:
        conversation = await asyncio.to_thread(lambda: records.events.read(sender))
    except Exception as exc:  # noqa: BLE001 - the answer stands without its context
        log.warning("console conversation not read: %s", type(exc).__name__)
        conversation = None
        warnings.append("暂时无法读取本次对话的记录。")
    replies = format_replies(answer)
    text = answer_text(replies)
    shown = conversation_json(conversation) if conversation else {"turns": [], "facts": {}}
    return json_ok({
        "question": question,
        "sender": sender,
        "replies": replies,
        "answer_text": text,
        "read_aloud": read_aloud(text),
        "nlu": None if isinstance(parse, BaseException) else summarize_parse(parse),
        "conversation": shown,
        "bureau": {k: shown["facts"][k] for k in BUREAU_FACTS if k in shown["facts"]},
        "basis": _basis(text),
        "warnings": warnings,
    })


@routes.get("/console/api/unanswered")
async def console_unanswered(request: web.Request) -> web.Response:
    require_console(request)
    settings = request.app[keys.SETTINGS]
    limit = query_limit(request, 50, 200)
    reader = request.app[keys.TRACKER]
    try:
        items = await asyncio.to_thread(reader.unanswered, settings.unanswered_threshold, limit)
    except Exception as exc:  # noqa: BLE001 - database errors: locked, unreachable, missing table, corrupt file
        log.warning("tracker store read failed (%s): %s", reader.description, type(exc).__name__)
        return json_error(503, "暂时无法读取对话记录，请稍后再试。")
    note = "" if reader.exists() else "尚无对话记录（对话存储文件不存在）。"
    return json_ok({"items": [i.to_dict() for i in items], "threshold": settings.unanswered_threshold,
                              "note": note})
