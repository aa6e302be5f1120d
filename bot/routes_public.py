"""Citizen-facing routes: demo page, widget assets, chat API, bureau directory, health check."""

from __future__ import annotations

import asyncio
import hashlib
import html
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.helpers import ETAG_ANY

from bot import keys
from bot.guards import RequestRejected, rate_limit, rate_limit_sender
from bot.kb import MAX_QUERY_CHARS, KnowledgeBaseUnavailable
from bot.privacy import mask_pii
from bot.rasa_client import RasaUnavailable
from bot.replies import PROVINCE_PHONE, format_replies
from bot.responses import json_error, json_ok
from bot.validation import InvalidInput, check_text, parse_chat_request, parse_json_object

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
routes = web.RouteTableDef()


async def read_json_body(request: web.Request) -> dict[str, Any]:
    """The request's JSON object, or a 4xx: size cap, content type, encoding, syntax, nesting depth."""
    settings = request.app[keys.SETTINGS]
    if request.content_length is not None and request.content_length > settings.max_body_bytes:
        raise RequestRejected(json_error(413, f"请求内容过大（上限 {settings.max_body_bytes} 字节）。"))
    if request.content_type != "application/json":
        raise RequestRejected(json_error(415))
    body = await request.read()  # client_max_size also stops chunked bodies over the cap (413)
    try:
        return parse_json_object(body, settings.max_json_depth)
    except InvalidInput as exc:
        raise RequestRejected(json_error(exc.status, exc.message)) from exc


def _page(name: str) -> str:
    return (STATIC_DIR / name).read_text(encoding="utf-8")


_HOST_RE = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")


def own_origin(request: web.Request) -> str:
    """This server's origin as the browser sees it ("" when the Host header looks odd: widget then uses its own)."""
    host = request.host
    return f"{request.scheme}://{host}" if _HOST_RE.match(host) else ""


@routes.get("/")
async def demo_page(request: web.Request) -> web.Response:
    server = request.app[keys.SETTINGS].public_url or own_origin(request)
    text = _page("demo.html").replace("{{SERVER}}", html.escape(server, quote=True))
    return web.Response(text=text, content_type="text/html")


@routes.get("/favicon.ico")
async def favicon(request: web.Request) -> web.Response:
    return web.Response(status=204, headers={"Cache-Control": "public, max-age=86400"})


# /widget.js is one file for the embedding site (one <script> tag) but two in the source tree: the rich-text
# rendering shared with the staff console, then the widget itself.
WIDGET_JS_PARTS = ("richtext.js", "widget.js")


@dataclass(frozen=True)
class Asset:
    """A static asset assembled in memory, with the validators FileResponse would send (for 304 answers)."""

    body: bytes
    etag: str
    last_modified: float  # POSIX timestamp


def build_widget_js(static_dir: Path = STATIC_DIR) -> Asset:
    """The served /widget.js: its parts concatenated, each ending with a newline."""
    paths = [static_dir / name for name in WIDGET_JS_PARTS]
    body = b"".join(path.read_bytes().rstrip(b"\n") + b"\n" for path in paths)
    return Asset(body, hashlib.sha256(body).hexdigest()[:32], max(path.stat().st_mtime for path in paths))


async def load_widget_js(app: web.Application) -> None:
    """on_startup: assemble /widget.js once per process."""
    app[keys.WIDGET_JS] = await asyncio.to_thread(build_widget_js)


def _not_modified(request: web.Request, asset: Asset) -> bool:
    """The conditional-GET rules of aiohttp's FileResponse (If-None-Match first, else If-Modified-Since)."""
    if_none_match = request.if_none_match
    if if_none_match is not None:
        if len(if_none_match) == 1 and if_none_match[0].value == ETAG_ANY:
            return True
        return any(tag.value == asset.etag for tag in if_none_match if not tag.is_weak)
    since = request.if_modified_since
    return since is not None and int(asset.last_modified) <= since.timestamp()


@routes.get("/widget.js")
async def widget_js(request: web.Request) -> web.Response:
    asset = request.app[keys.WIDGET_JS]
    headers = {"Content-Type": "text/javascript; charset=utf-8"}
    if _not_modified(request, asset):
        response = web.Response(status=304, headers=headers)
    else:
        response = web.Response(body=asset.body, headers=headers)
    response.etag = asset.etag
    response.last_modified = asset.last_modified
    return response


@routes.get("/widget.css")
async def widget_css(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC_DIR / "widget.css", headers={"Content-Type": "text/css; charset=utf-8"})


@routes.post("/api/chat")
async def chat(request: web.Request) -> web.Response:
    rate_limit(request)
    settings = request.app[keys.SETTINGS]
    data = await read_json_body(request)
    try:
        chat_request = parse_chat_request(data, settings.max_message_chars)
    except InvalidInput as exc:
        return json_error(exc.status, exc.message)
    rate_limit_sender(request, chat_request.sender)
    log.debug("chat sender=%s text=%s", chat_request.sender, mask_pii(chat_request.message))
    try:
        messages = await request.app[keys.RASA].send_message(chat_request.sender, chat_request.message)
    except RasaUnavailable as exc:
        log.warning("chat failed: %s", exc.detail)
        return json_error(503, f"{exc.message}请稍后再试，或拨打吉林省社会保险局咨询电话 {PROVINCE_PHONE}。")
    return json_ok({"replies": format_replies(messages)})


def parse_office_query(request: web.Request) -> tuple[str, int]:
    raw_limit = request.query.get("limit", "10")
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= 50:
        raise RequestRejected(json_error(400, "参数 limit 必须是 1 到 50 之间的整数。"))
    q = request.query.get("q", "")
    if not q.strip():
        return "", int(raw_limit)
    try:
        return check_text(q, "q", "查询内容", MAX_QUERY_CHARS), int(raw_limit)
    except InvalidInput as exc:
        raise RequestRejected(json_error(exc.status, exc.message)) from exc


async def office_results(request: web.Request) -> web.Response:
    q, limit = parse_office_query(request)
    if not q:
        return json_ok({"query": "", "results": []})
    try:
        results = await asyncio.to_thread(request.app[keys.KB].search, q, limit)
    except KnowledgeBaseUnavailable:
        return json_error(503, "社保局目录暂时不可用，请稍后再试。")
    except ValueError as exc:
        return json_error(400, f"查询内容无效：{str(exc)[:100]}")
    return json_ok({"query": q, "results": results})


@routes.get("/api/offices")
async def offices(request: web.Request) -> web.Response:
    rate_limit(request)
    return await office_results(request)


@routes.get("/healthz")
async def healthz(request: web.Request) -> web.Response:
    rasa = request.app[keys.RASA]
    rasa_status, actions_status, (kb_ok, kb_detail) = await asyncio.gather(
        rasa.rasa_health(), rasa.actions_health(), asyncio.to_thread(request.app[keys.KB].health))
    components = {
        "rasa": {**rasa_status.to_dict(), "url": rasa.rasa_url},
        "actions": {**actions_status.to_dict(), "url": rasa.actions_url},
        "knowledge_base": {"ok": kb_ok, "detail": kb_detail},
    }
    down = [name for name, c in components.items() if not c["ok"]]
    body: dict[str, Any] = {"status": "ok" if not down else "down", "components": components, "down": down}
    if down:
        labels = {"rasa": "Rasa 对话服务", "actions": "动作服务器", "knowledge_base": "社保局知识库"}
        body["error"] = "以下组件不可用：" + "、".join(labels[d] for d in down)
    return json_ok(body, status=200 if not down else 503)
