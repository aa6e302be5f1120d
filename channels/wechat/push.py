"""WeChat's customer-service message API (客服消息, cgi-bin/message/custom/send): replies that were not ready
within the passive window, or too long for one passive reply.

One aiohttp ClientSession and one cached access_token per process, both made on first use. The token comes from
cgi-bin/stable_token (普通模式): every worker and machine asking gets the same token, so one process refreshing
does not invalidate another's (cgi-bin/token would). It is refreshed five minutes before it expires, one refresh
at a time; a token WeChat calls invalid is fetched again once. The API needs a verified account (认证的订阅号 or
服务号); without that permission WeChat answers errcode 48001, and the channel stops trying (`unauthorized`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

import aiohttp

from channels.wechat.settings import WeChatSettings

logger = logging.getLogger(__name__)

TOKEN_INVALID = {40001, 40014, 42001}  # invalid credential / invalid token / token expired
UNAUTHORIZED = {48001, 48004}  # api unauthorized / api banned
REFRESH_EARLY_S = 300.0


class PushError(RuntimeError):
    """A reply could not be sent through the customer-service API."""


class CustomerService:
    def __init__(self, settings: WeChatSettings) -> None:
        self.settings = settings
        self._session: aiohttp.ClientSession | None = None
        self._token = ""
        self._refresh_at = 0.0
        self._lock: asyncio.Lock | None = None
        self.unauthorized = False

    @property
    def available(self) -> bool:
        return self.settings.can_push and not self.unauthorized

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            total = self.settings.api_timeout_s
            timeout = aiohttp.ClientTimeout(total=total, connect=min(3.0, total))
            self._session = aiohttp.ClientSession(timeout=timeout, trust_env=False)
        return self._session

    async def _call(self, path: str, payload: dict[str, Any], params: dict[str, str] | None = None) -> dict[str, Any]:
        url = f"{self.settings.api_base}{path}"
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")  # WeChat wants UTF-8, not \u escapes
        try:
            async with self._http().post(url, data=body, params=params,
                                         headers={"Content-Type": "application/json; charset=utf-8"}) as resp:
                if resp.status != 200:
                    raise PushError(f"HTTP {resp.status} from {path}")
                data = await resp.json(content_type=None)
        except asyncio.TimeoutError as exc:
            raise PushError(f"timeout calling {path}") from exc
        except (aiohttp.ClientError, ValueError) as exc:
            raise PushError(f"{type(exc).__name__} calling {path}") from exc
        if not isinstance(data, dict):
            raise PushError(f"unexpected answer from {path}")
        return data

    async def access_token(self, stale: str = "") -> str:
        """The cached token, fetched when missing, due or called invalid (`stale`); one fetch at a time."""
        if self._token and self._token != stale and time.monotonic() < self._refresh_at:
            return self._token
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self._token and self._token != stale and time.monotonic() < self._refresh_at:
                return self._token  # another task refreshed it while this one waited
            data = await self._call("/cgi-bin/stable_token", {
                "grant_type": "client_credential", "appid": self.settings.app_id,
                "secret": self.settings.app_secret, "force_refresh": False})
            token, expires = data.get("access_token"), data.get("expires_in")
            if not isinstance(token, str) or not token or not isinstance(expires, (int, float)):
                self._note_error(data)
                raise PushError(f"no access_token (errcode {data.get('errcode')})")
            early = REFRESH_EARLY_S if expires > 2 * REFRESH_EARLY_S else expires / 2
            self._token, self._refresh_at = token, time.monotonic() + expires - early
            return token

    def _note_error(self, data: dict[str, Any]) -> None:
        if data.get("errcode") in UNAUTHORIZED:
            if not self.unauthorized:
                logger.warning("WeChat refuses the customer-service API (errcode %s): slow or long replies now "
                               "wait for the user's next message", data.get("errcode"))
            self.unauthorized = True

    async def send_text(self, openid: str, text: str) -> None:
        stale = ""
        for _attempt in range(2):
            token = await self.access_token(stale)
            data = await self._call("/cgi-bin/message/custom/send",
                                    {"touser": openid, "msgtype": "text", "text": {"content": text}},
                                    params={"access_token": token})
            code = data.get("errcode", 0)
            if code == 0:
                return
            if code in TOKEN_INVALID:
                stale = token
                continue
            self._note_error(data)
            raise PushError(f"custom/send errcode {code}")
        raise PushError("access_token refused twice")

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None
