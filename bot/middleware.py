"""Middlewares and response hooks: no stack trace ever reaches a user, security headers, CORS, quiet access log."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from bot import keys
from bot.guards import RequestRejected
from bot.responses import json_error, message_for
from bot.validation import InvalidInput

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

API_PREFIXES = ("/api/", "/console/api/", "/healthz")
CORS_PREFIX = "/api/"
WIDGET_ASSETS = {"/widget.js", "/widget.css"}


def is_api(path: str) -> bool:
    return path.startswith(API_PREFIXES)


def _html_error(status: int) -> web.Response:
    text = message_for(status)
    body = (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>提示</title></head>'
        f"<body><h1>{status}</h1><p>{text}</p><p><a href=\"/\">返回首页</a></p></body></html>"
    )
    return web.Response(text=body, status=status, content_type="text/html")


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except RequestRejected as rejected:
        return rejected.response
    except InvalidInput as invalid:  # bad input from the client: its own message, never a stack trace
        return json_error(invalid.status, invalid.message)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        if exc.status >= 500:
            log.warning("%s %s -> %s", request.method, request.path, exc.status)
        headers = {k: v for k, v in exc.headers.items() if k in ("Allow", "Retry-After", "WWW-Authenticate")}
        if is_api(request.path):
            response = json_error(exc.status, message_for(exc.status))
        else:
            response = _html_error(exc.status)
        response.headers.update(headers)
        return response
    except Exception:  # noqa: BLE001 - last line of defence: log it, never show it
        log.exception("unhandled error on %s %s", request.method, request.path)
        return json_error(500) if is_api(request.path) else _html_error(500)


def _origin_allowed(request: web.Request) -> str | None:
    origin = request.headers.get("Origin", "").rstrip("/")
    return origin if origin and origin in request.app[keys.SETTINGS].allowed_origins else None


@web.middleware
async def cors_preflight_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.method == "OPTIONS" and request.path.startswith(CORS_PREFIX):
        if _origin_allowed(request) and request.headers.get("Access-Control-Request-Method") in ("GET", "POST"):
            return web.Response(status=204, headers={
                "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                "Access-Control-Allow-Headers": "Content-Type",
                "Access-Control-Max-Age": "600",
            })
        return json_error(403, "此来源不允许跨域访问。")
    return await handler(request)


def _csp(request: web.Request) -> str:
    public = request.app[keys.SETTINGS].public_url
    connect = "'self'" + (f" {public}" if public else "")
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        f"connect-src {connect}; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


async def on_response_prepare(request: web.Request, response: web.StreamResponse) -> None:
    h = response.headers
    path = request.path
    h.setdefault("X-Content-Type-Options", "nosniff")
    h.setdefault("Referrer-Policy", "no-referrer")
    if path in WIDGET_ASSETS:
        h["Cross-Origin-Resource-Policy"] = "cross-origin"  # meant to be embedded by other sites
        h.setdefault("Cache-Control", "no-cache")
    elif is_api(path):
        h["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
        h["X-Frame-Options"] = "DENY"
        h["Cache-Control"] = "no-store"
    else:
        h["Content-Security-Policy"] = _csp(request)
        h["X-Frame-Options"] = "DENY"
        h["Cross-Origin-Opener-Policy"] = "same-origin"
        h["Permissions-Policy"] = "geolocation=(self), camera=(), microphone=()"
        if path.startswith("/console"):
            h["Cache-Control"] = "no-store"
    if path.startswith(CORS_PREFIX):
        origin = _origin_allowed(request)
        if origin:
            h["Access-Control-Allow-Origin"] = origin
            h["Access-Control-Expose-Headers"] = "Retry-After"
        h.add("Vary", "Origin")


class QuietAccessLogger(AbstractAccessLogger):
    """Access log without query strings (a directory search could contain what a citizen typed)."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info('%s "%s %s" %s %.3fs', request.remote, request.method, request.path,
                         response.status, time)
