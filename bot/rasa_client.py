"""Talks to Rasa (REST channel + HTTP API) and the action server over the app's one shared ClientSession."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import aiohttp

from bot.errors import ReadableError

log = logging.getLogger(__name__)


class RasaUnavailable(ReadableError):
    """Rasa could not be reached, timed out or answered with an error."""


@dataclass(frozen=True)
class ServiceStatus:
    ok: bool
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "detail": self.detail}


class RasaClient:
    def __init__(self, session: aiohttp.ClientSession, rasa_url: str, actions_url: str, token: str = "",
                 timeout: float = 30.0, health_timeout: float = 3.0) -> None:
        self._session = session
        self.rasa_url = rasa_url.rstrip("/")
        self.actions_url = actions_url.rstrip("/")
        self._token = token
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._health_timeout = aiohttp.ClientTimeout(total=health_timeout)

    async def _post_json(self, url: str, payload: dict[str, Any], params: dict[str, str] | None = None) -> Any:
        try:
            async with self._session.post(url, json=payload, params=params, timeout=self._timeout) as resp:
                if resp.status == 401 or resp.status == 403:
                    raise RasaUnavailable("智能助手接口认证失败。", f"HTTP {resp.status} from {url}")
                if resp.status >= 400:
                    raise RasaUnavailable("智能助手暂时无法回答。", f"HTTP {resp.status} from {url}")
                return await resp.json(content_type=None)
        except asyncio.TimeoutError as exc:
            raise RasaUnavailable("智能助手响应超时。", f"timeout calling {url}") from exc
        except aiohttp.ClientError as exc:
            raise RasaUnavailable("无法连接智能助手。", f"{type(exc).__name__} calling {url}") from exc
        except ValueError as exc:  # invalid JSON in the answer
            raise RasaUnavailable("智能助手返回了无法识别的内容。", f"invalid JSON from {url}") from exc

    async def send_message(self, sender: str, message: str) -> list[dict[str, Any]]:
        """One turn on the REST channel; returns Rasa's list of bot messages."""
        data = await self._post_json(f"{self.rasa_url}/webhooks/rest/webhook", {"sender": sender, "message": message})
        if not isinstance(data, list):
            raise RasaUnavailable("智能助手返回了无法识别的内容。", "webhook answer is not a list")
        return [m for m in data if isinstance(m, dict)]

    async def parse(self, text: str) -> dict[str, Any]:
        """NLU only (`POST /model/parse`, needs --enable-api and the token); does not touch any conversation."""
        params = {"token": self._token} if self._token else None
        data = await self._post_json(f"{self.rasa_url}/model/parse", {"text": text}, params=params)
        if not isinstance(data, dict):
            raise RasaUnavailable("智能助手返回了无法识别的内容。", "parse answer is not an object")
        return data

    async def _probe(self, url: str) -> ServiceStatus:
        try:
            async with self._session.get(url, timeout=self._health_timeout) as resp:
                await resp.read()
                return ServiceStatus(resp.status == 200, f"HTTP {resp.status}")
        except asyncio.TimeoutError:
            return ServiceStatus(False, "timeout")
        except aiohttp.ClientError as exc:
            return ServiceStatus(False, type(exc).__name__)

    async def rasa_health(self) -> ServiceStatus:
        return await self._probe(f"{self.rasa_url}/")

    async def actions_health(self) -> ServiceStatus:
        return await self._probe(f"{self.actions_url}/health")
