"""Per-request guards used by the handlers: client identity, rate limits, who calls the console, the JSON body, the
database off the event loop.

A guard raises RequestRejected (a ready response) or InvalidInput (a 4xx with its message); the error middleware
turns either into the answer."""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from aiohttp import web

from bot import keys
from bot.console_auth import PRINCIPAL, Principal
from bot.responses import json_error, message_for
from bot.validation import parse_json_object

log = logging.getLogger(__name__)
T = TypeVar("T")


class RequestRejected(Exception):
    """Raised by a guard; the error middleware turns it into the given JSON response."""

    def __init__(self, response: web.Response) -> None:
        super().__init__(response.status)
        self.response = response


def client_ip(request: web.Request) -> str:
    if request.app[keys.SETTINGS].trust_proxy:
        forwarded = request.headers.get("X-Forwarded-For", "")
        first = forwarded.split(",")[0].strip()
        if first:
            return first[:64]
    return request.remote or "unknown"


def _too_many(wait: float) -> RequestRejected:
    seconds = max(1, math.ceil(wait))
    return RequestRejected(json_error(429, f"请求过于频繁，请 {seconds} 秒后再试。",
                                      headers={"Retry-After": str(seconds)}, retry_after=seconds))


def rate_limit(request: web.Request) -> None:
    """Per client (IP address) budget for every API call."""
    wait = request.app[keys.IP_LIMITER].check(client_ip(request))
    if wait:
        raise _too_many(wait)


def rate_limit_sender(request: web.Request, sender: str) -> None:
    """Per conversation budget, so one busy office behind a NAT does not block all its neighbours."""
    wait = request.app[keys.SENDER_LIMITER].check(sender)
    if wait:
        raise _too_many(wait)


def query_limit(request: web.Request, default: int, maximum: int) -> int:
    """?limit= of a list: a whole number from 1 to `maximum`, else a 400 that says so."""
    raw = request.query.get("limit", str(default))
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise RequestRejected(json_error(400, f"参数 limit 必须是 1 到 {maximum} 之间的整数。"))
    return int(raw)


def require_console(request: web.Request) -> Principal:
    """The staff member (or machine) calling the console's API, else 401."""
    principal = request.get(PRINCIPAL)
    if principal is None:
        rate_limit(request)  # failed logins count against the client's budget (slows down guessing)
        raise RequestRejected(json_error(401, message_for(401), headers={"WWW-Authenticate": "Bearer"}))
    return principal


def require_admin(request: web.Request) -> Principal:
    principal = require_console(request)
    if not principal.may_audit:
        raise RequestRejected(json_error(403, "只有管理员可以查看审计日志。"))
    return principal


def rate_limit_staff(request: web.Request, principal: Principal) -> None:
    """Per staff member budget for opening conversations (咨询编号 lookups): guessing codes gets nowhere."""
    wait = request.app[keys.HANDOFF_LIMITER].check(principal.name)
    if wait:
        raise _too_many(wait)


async def read_json_body(request: web.Request) -> dict[str, Any]:
    """The request's JSON object, or a 4xx: size cap, content type, encoding, syntax, nesting depth."""
    settings = request.app[keys.SETTINGS]
    if request.content_length is not None and request.content_length > settings.max_body_bytes:
        raise RequestRejected(json_error(413, f"请求内容过大（上限 {settings.max_body_bytes} 字节）。"))
    if request.content_type != "application/json":
        raise RequestRejected(json_error(415))
    body = await read_body(request.read(), settings.body_timeout_s)  # client_max_size: 413 for more
    return parse_json_object(body, settings.max_json_depth)


async def read_body(reading: Awaitable[T], timeout_s: float) -> T:
    """What `reading` reads, within `timeout_s`, else a 408 that closes the connection: a client that sends its
    body a byte at a time holds neither a handler nor a socket for longer."""
    try:
        return await asyncio.wait_for(reading, timeout_s)
    except asyncio.TimeoutError:
        response = json_error(408)
        response.force_close()
        raise RequestRejected(response) from None


async def in_db(request: web.Request, work: Callable[..., T], *args: Any) -> T:
    """`work(*args)` in a thread, the first connection included (pass a lambda that reaches records.engine inside);
    a database error is logged (without the password) and answered 503."""
    try:
        return await asyncio.to_thread(work, *args)
    except (sa.exc.SQLAlchemyError, OSError) as exc:
        log.warning("database error on %s (%s): %s", request.path, request.app[keys.SETTINGS].database_description,
                    type(exc).__name__)
        raise RequestRejected(json_error(503, "暂时无法读写记录，请稍后再试。")) from None
