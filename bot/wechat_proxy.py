"""`/webhooks/wechat/webhook` on the web app, forwarded to the same path on Rasa (channels/wechat/).

One public origin serves the widget and the 公众号: WeChat's servers call this app (port 8000, behind nginx), and
Rasa stays on loopback. GET (URL check) and POST (messages) go through as they came: the raw query string (the
signatures are over its values), the raw body, the content type; the answer comes back with Rasa's status, type and
body. Bodies over WECHAT_MAX_BODY_BYTES (16 KiB, as the channel) get 413 without reaching Rasa; Rasa unreachable
502, slower than WECHAT_PROXY_TIMEOUT_S (8 s; WeChat itself gives up after 5) 504. Not rate limited per IP: every
message of every citizen comes from WeChat's few servers.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import aiohttp
from aiohttp import web
from yarl import URL

from bot import keys
from bot.guards import read_body
from envsettings import env_float, env_int

log = logging.getLogger(__name__)

PATH = "/webhooks/wechat/webhook"
MAX_ANSWER_BYTES = 64 * 1024


@dataclass(frozen=True)
class ProxySettings:
    max_body_bytes: int = 16 * 1024
    timeout_s: float = 8.0

    @classmethod
    def from_env(cls) -> ProxySettings:
        return cls(env_int("WECHAT_MAX_BODY_BYTES", cls.max_body_bytes, minimum=1),
                   env_float("WECHAT_PROXY_TIMEOUT_S", cls.timeout_s, minimum=0.0))


PROXY_SETTINGS: web.AppKey[ProxySettings] = web.AppKey("wechat_proxy_settings")


def _plain(status: int, text: str) -> web.Response:
    return web.Response(status=status, text=text, content_type="text/plain")


async def _read_capped(request: web.Request, cap: int) -> bytes | None:
    """The body, or None when it is (or says it is) over `cap` bytes."""
    if request.content_length is not None and request.content_length > cap:
        return None
    body = bytearray()
    while chunk := await request.content.read(8192):
        body += chunk
        if len(body) > cap:
            return None
    return bytes(body)


async def forward(request: web.Request) -> web.Response:
    proxy = request.app[PROXY_SETTINGS]
    body = await read_body(_read_capped(request, proxy.max_body_bytes), request.app[keys.SETTINGS].body_timeout_s)
    if body is None:
        return _plain(413, "body too large")
    raw_query = request.rel_url.raw_query_string  # as sent: re-encoding could change a signed value
    headers = {"Content-Type": request.headers["Content-Type"]} if "Content-Type" in request.headers else {}
    rasa = request.app[keys.RASA]
    for worker in rasa.candidates():  # the next Rasa worker when one refuses the connection (nothing was sent)
        target = f"{worker}{PATH}" + (f"?{raw_query}" if raw_query else "")
        try:
            async with request.app[keys.HTTP_SESSION].request(
                    request.method, URL(target, encoded=True), data=body if request.method == "POST" else None,
                    headers=headers, timeout=aiohttp.ClientTimeout(total=proxy.timeout_s),
                    allow_redirects=False) as upstream:
                answer = await upstream.content.read(MAX_ANSWER_BYTES + 1)
                if len(answer) > MAX_ANSWER_BYTES:
                    log.warning("WeChat webhook: Rasa's answer is over %d bytes", MAX_ANSWER_BYTES)
                    return _plain(502, "bad gateway")
                return web.Response(status=upstream.status, body=answer,
                                    headers={"Content-Type": upstream.headers.get("Content-Type", "text/plain")})
        except aiohttp.ClientConnectorError:
            rasa.refused(worker)
        except asyncio.TimeoutError:
            log.warning("WeChat webhook: Rasa did not answer within %.1f s", proxy.timeout_s)
            return _plain(504, "gateway timeout")
        except aiohttp.ClientError as exc:
            log.warning("WeChat webhook: Rasa unreachable (%s)", type(exc).__name__)
            return _plain(502, "bad gateway")
    log.warning("WeChat webhook: no Rasa worker takes connections")
    return _plain(502, "bad gateway")


def register(app: web.Application, settings: ProxySettings | None = None) -> None:
    app[PROXY_SETTINGS] = settings or ProxySettings.from_env()
    app.router.add_route("GET", PATH, forward)
    app.router.add_route("POST", PATH, forward)
