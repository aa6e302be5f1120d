"""Citizen-facing routes: demo page, widget script, chat API, health check (the directory: bot.directory)."""

from __future__ import annotations

import asyncio
import html
import logging
import re
from typing import Any

from aiohttp import web

from bot import keys
from bot.assets import asset_response, page
from bot.guards import rate_limit, rate_limit_sender, read_json_body
from bot.privacy import mask_pii
from bot.rasa_client import RasaUnavailable
from bot.replies import PROVINCE_PHONE, format_replies
from bot.responses import json_error, json_ok
from bot.validation import parse_chat_request

log = logging.getLogger(__name__)

routes = web.RouteTableDef()


_HOST_RE = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")


def own_origin(request: web.Request) -> str:
    """This server's origin as the browser sees it ("" when the Host header looks odd: widget then uses its own)."""
    host = request.host
    return f"{request.scheme}://{host}" if _HOST_RE.match(host) else ""


@routes.get("/")
async def demo_page(request: web.Request) -> web.Response:
    server = request.app[keys.SETTINGS].public_url or own_origin(request)
    text = page("demo.html").replace("{{SERVER}}", html.escape(server, quote=True))
    return web.Response(text=text, content_type="text/html")


@routes.get("/favicon.ico")
async def favicon(request: web.Request) -> web.Response:
    return web.Response(status=204, headers={"Cache-Control": "public, max-age=86400"})


@routes.get("/widget.js")
async def widget_js(request: web.Request) -> web.Response:
    """richtext.js + widget.js, assembled at startup (bot.widget_build)."""
    return asset_response(request, request.app[keys.WIDGET_JS], "text/javascript; charset=utf-8")


@routes.post("/api/chat")
async def chat(request: web.Request) -> web.Response:
    rate_limit(request)
    settings = request.app[keys.SETTINGS]
    chat_request = parse_chat_request(await read_json_body(request), settings.max_message_chars)
    rate_limit_sender(request, chat_request.sender)
    text = mask_pii(chat_request.message)  # Rasa masks too (serving.processor): no number leaves this process
    log.debug("chat sender=%s text=%s", chat_request.sender, text)
    try:
        messages = await request.app[keys.RASA].send_message(chat_request.sender, text)
    except RasaUnavailable as exc:
        log.warning("chat failed: %s", exc.detail)
        return json_error(503, f"{exc.message}请稍后再试，或拨打吉林省社会保险局咨询电话 {PROVINCE_PHONE}。")
    return json_ok({"replies": format_replies(messages)})


@routes.get("/healthz")
async def healthz(request: web.Request) -> web.Response:
    """200 "ok" when every part serves; 200 "degraded" when some Rasa workers are missing (the others answer: a
    balancer keeps sending); 503 "down" when a part without which no answer comes is down."""
    rasa = request.app[keys.RASA]
    capacity, actions_status, (kb_ok, kb_detail) = await asyncio.gather(
        rasa.rasa_capacity(), rasa.actions_health(), asyncio.to_thread(request.app[keys.KB].health))
    components = {
        "rasa": {**capacity.to_dict(), "url": rasa.rasa_url},
        "actions": {**actions_status.to_dict(), "url": rasa.actions_url},
        "knowledge_base": {"ok": kb_ok, "detail": kb_detail},
    }
    down = [name for name, c in components.items() if not c["ok"]]
    status = "down" if down else "degraded" if capacity.up < capacity.configured else "ok"
    body: dict[str, Any] = {"status": status, "components": components, "down": down,
                            "capacity": {"rasa_workers_up": capacity.up, "rasa_workers": capacity.configured}}
    if down:
        labels = {"rasa": "Rasa 对话服务", "actions": "动作服务器", "knowledge_base": "社保局知识库"}
        body["error"] = "以下组件不可用：" + "、".join(labels[d] for d in down)
    elif status == "degraded":
        body["warning"] = f"Rasa 对话服务 {capacity.up}/{capacity.configured} 个进程可用，正在恢复。"
    return json_ok(body, status=200 if not down else 503)
