"""Per-request guards used by the handlers: client identity, rate limits, console token, the JSON body.

A guard raises RequestRejected (a ready response) or InvalidInput (a 4xx with its message); the error middleware
turns either into the answer."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable
from typing import Any, TypeVar

from aiohttp import web

from bot import keys
from bot.console_auth import is_authorized
from bot.responses import json_error, message_for
from bot.validation import parse_json_object

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


def require_console(request: web.Request) -> None:
    if not is_authorized(request, request.app[keys.CONSOLE_TOKEN]):
        rate_limit(request)  # failed logins count against the client's budget (slows down guessing)
        raise RequestRejected(json_error(401, message_for(401), headers={"WWW-Authenticate": "Bearer"}))


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
