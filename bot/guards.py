"""Per-request guards used by the handlers: client identity, rate limits, console token."""

from __future__ import annotations

import math

from aiohttp import web

from bot import keys
from bot.console_auth import is_authorized
from bot.responses import json_error, message_for


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
