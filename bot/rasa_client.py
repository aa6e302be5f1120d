"""Talks to Rasa (REST channel + HTTP API) and the action server over the app's one shared ClientSession.

Rasa may run as several single-worker processes, each on its own port (RASA_URLS; `make run` starts one per
worker): they share the tracker and lock stores, so any of them can answer any message. Requests go round the
workers; a worker that refuses the connection (it died, or is restarting and loading its model, which it does
before it listens) is skipped for DOWN_FOR_S and the request goes to the next one at once: nothing was sent, so
nothing is done twice. A worker that fails in the middle of a request (killed while it answered) is not asked
again for that request: it may have stored the turn already, so the caller gets a clean 503.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp

from bot.errors import ReadableError

log = logging.getLogger(__name__)

DOWN_FOR_S = 2.0
# (what: "webhook" | "parse" | "forget" | "stats", seconds, outcome: "ok" | "error")
CallObserver = Callable[[str, float, str], None]


class RasaUnavailable(ReadableError):
    """Rasa could not be reached, timed out or answered with an error."""

    def __init__(self, message: str, detail: str = "", status: int = 0) -> None:
        super().__init__(message, detail)
        self.status = status  # the HTTP status Rasa answered with (0: none)


@dataclass(frozen=True)
class ServiceStatus:
    ok: bool
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "detail": self.detail}


@dataclass(frozen=True)
class RasaCapacity:
    """Each Rasa worker's health; `up` of `configured` serve."""

    workers: tuple[tuple[str, ServiceStatus], ...]

    @property
    def up(self) -> int:
        return sum(1 for _, status in self.workers if status.ok)

    @property
    def configured(self) -> int:
        return len(self.workers)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.up > 0, "detail": f"{self.up} of {self.configured} workers up",
                "workers_up": self.up, "workers": self.configured,
                "each": [{"url": url, **status.to_dict()} for url, status in self.workers]}


class _Refused(Exception):
    """The worker did not accept the connection: nothing was sent."""


class RasaClient:
    def __init__(self, session: aiohttp.ClientSession, rasa_urls: str | Sequence[str], actions_url: str,
                 token: str = "", timeout: float = 30.0, health_timeout: float = 3.0,
                 observe: CallObserver | None = None) -> None:
        urls = [rasa_urls] if isinstance(rasa_urls, str) else list(rasa_urls)
        if not urls:
            raise ValueError("at least one Rasa URL is needed")
        self._session = session
        self.workers = [url.rstrip("/") for url in urls]
        self.rasa_url = self.workers[0]
        self.actions_url = actions_url.rstrip("/")
        self._token = token
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._health_timeout = aiohttp.ClientTimeout(total=health_timeout)
        self._down_until = dict.fromkeys(self.workers, 0.0)
        self._turn = itertools.count()
        self._observe = observe

    def candidates(self) -> list[str]:
        """The workers to try for one request, round robin, those believed up first."""
        start = next(self._turn) % len(self.workers)
        ring = self.workers[start:] + self.workers[:start]
        now = time.monotonic()
        return [w for w in ring if self._down_until[w] <= now] + [w for w in ring if self._down_until[w] > now]

    def refused(self, worker: str) -> None:
        """`worker` did not take a connection: try the others first for a while."""
        self._down_until[worker] = time.monotonic() + DOWN_FOR_S

    def _token_params(self) -> dict[str, str] | None:
        return {"token": self._token} if self._token else None

    async def _post_once(self, url: str, payload: dict[str, Any], params: dict[str, str] | None) -> Any:
        try:
            async with self._session.post(url, json=payload, params=params, timeout=self._timeout) as resp:
                if resp.status == 401 or resp.status == 403:
                    raise RasaUnavailable("智能助手接口认证失败。", f"HTTP {resp.status} from {url}", resp.status)
                if resp.status >= 400:
                    raise RasaUnavailable("智能助手暂时无法回答。", f"HTTP {resp.status} from {url}", resp.status)
                return await resp.json(content_type=None)
        except aiohttp.ClientConnectorError as exc:
            raise _Refused(f"{type(exc).__name__} calling {url}") from exc
        except asyncio.TimeoutError as exc:
            raise RasaUnavailable("智能助手响应超时。", f"timeout calling {url}") from exc
        except aiohttp.ClientError as exc:
            raise RasaUnavailable("无法连接智能助手。", f"{type(exc).__name__} calling {url}") from exc
        except ValueError as exc:  # invalid JSON in the answer
            raise RasaUnavailable("智能助手返回了无法识别的内容。", f"invalid JSON from {url}") from exc

    async def _post_json(self, what: str, path: str, payload: dict[str, Any],
                         params: dict[str, str] | None = None) -> Any:
        """POST to the first worker that takes the connection; RasaUnavailable when none does or the one that
        took it failed."""
        started = time.monotonic()
        outcome = "error"
        refused: list[str] = []
        try:
            for worker in self.candidates():
                try:
                    result = await self._post_once(f"{worker}{path}", payload, params)
                except _Refused as exc:
                    self.refused(worker)
                    refused.append(str(exc))
                    continue
                self._down_until[worker] = 0.0
                outcome = "ok"
                return result
            raise RasaUnavailable("无法连接智能助手。", "; ".join(refused))
        finally:
            if self._observe is not None:
                self._observe(what, time.monotonic() - started, outcome)

    async def send_message(self, sender: str, message: str) -> list[dict[str, Any]]:
        """One turn on the REST channel; returns Rasa's list of bot messages."""
        data = await self._post_json("webhook", "/webhooks/rest/webhook", {"sender": sender, "message": message})
        if not isinstance(data, list):
            raise RasaUnavailable("智能助手返回了无法识别的内容。", "webhook answer is not a list")
        return [m for m in data if isinstance(m, dict)]

    async def parse(self, text: str) -> dict[str, Any]:
        """NLU only (`POST /model/parse`, needs --enable-api and the token); does not touch any conversation."""
        data = await self._post_json("parse", "/model/parse", {"text": text}, params=self._token_params())
        if not isinstance(data, dict):
            raise RasaUnavailable("智能助手返回了无法识别的内容。", "parse answer is not an object")
        return data

    async def forget(self, sender: str) -> dict[str, Any]:
        """Delete a conversation (channels/guarded_rest.py's /webhooks/rest/forget): {"deleted", "known", ...}."""
        data = await self._post_json("forget", "/webhooks/rest/forget", {"sender": sender},
                                     params=self._token_params())
        if not isinstance(data, dict) or not isinstance(data.get("known"), bool):
            raise RasaUnavailable("智能助手返回了无法识别的内容。", "forget answer is not an object")
        return data

    async def _get_json(self, url: str) -> Any:
        async with self._session.get(url, timeout=self._health_timeout) as resp:
            if resp.status != 200:
                raise RasaUnavailable("智能助手暂时无法回答。", f"HTTP {resp.status} from {url}", resp.status)
            return await resp.json(content_type=None)

    async def worker_stats(self) -> list[tuple[str, dict[str, Any] | None]]:
        """Each worker's counters (GET /webhooks/rest/stats); None for a worker that did not answer."""

        async def one(worker: str) -> tuple[str, dict[str, Any] | None]:
            try:
                data = await self._get_json(f"{worker}/webhooks/rest/stats")
            except (RasaUnavailable, aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                return worker, None
            return worker, data if isinstance(data, dict) else None

        return list(await asyncio.gather(*(one(w) for w in self.workers)))

    async def _probe(self, url: str) -> ServiceStatus:
        try:
            async with self._session.get(url, timeout=self._health_timeout) as resp:
                await resp.read()
                return ServiceStatus(resp.status == 200, f"HTTP {resp.status}")
        except asyncio.TimeoutError:
            return ServiceStatus(False, "timeout")
        except aiohttp.ClientError as exc:
            return ServiceStatus(False, type(exc).__name__)

    async def rasa_capacity(self) -> RasaCapacity:
        statuses = await asyncio.gather(*(self._probe(f"{w}/") for w in self.workers))
        return RasaCapacity(tuple(zip(self.workers, statuses, strict=True)))

    async def actions_health(self) -> ServiceStatus:
        return await self._probe(f"{self.actions_url}/health")
