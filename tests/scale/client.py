"""aiohttp helpers for the scale-out tests: Rasa's REST channel and its tracker API, 127.0.0.1 only, every call
with a timeout."""

from __future__ import annotations

import itertools
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import aiohttp

TIMEOUT = aiohttp.ClientTimeout(total=120, connect=10)  # a queued turn waits for the ones before it
_STEPS = itertools.count()  # one sequence for every request sent and every answer received in this process


def new_sender(prefix: str) -> str:
    return f"scale-{prefix}-{uuid.uuid4().hex[:12]}"


def session() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(timeout=TIMEOUT)  # trust_env=False: no proxy for loopback


@dataclass
class Reply:
    url: str
    message: str
    status: int
    texts: list[str] = field(default_factory=list)
    sent: float = 0.0  # monotonic seconds, for the printed latency only
    received: float = 0.0
    sent_step: int = -1  # position in _STEPS: orders events without comparing clocks
    received_step: int = -1

    @property
    def text(self) -> str:
        return "\n".join(self.texts)


async def send(http: aiohttp.ClientSession, url: str, sender: str, message: str) -> Reply:
    """POST /webhooks/rest/webhook; the reply's texts in order."""
    reply = Reply(url, message, 0, sent=time.monotonic(), sent_step=next(_STEPS))
    async with http.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message}) as resp:
        reply.received_step = next(_STEPS)  # the answer's headers are here
        reply.status = resp.status
        body = await resp.json(content_type=None)
    reply.received = time.monotonic()
    if reply.status == 200:
        reply.texts = [m["text"] for m in body if m.get("text")]
    return reply


async def tracker(http: aiohttp.ClientSession, url: str, token: str, sender: str) -> dict[str, Any]:
    """GET /conversations/<sender>/tracker (Rasa's HTTP API, token auth); all events."""
    async with http.get(f"{url}/conversations/{sender}/tracker",
                        params={"token": token, "include_events": "ALL"}) as resp:
        assert resp.status == 200, (resp.status, await resp.text())
        return await resp.json()


@dataclass
class Turn:
    user: dict[str, Any]
    after: list[dict[str, Any]]  # every event up to the next user message

    @property
    def text(self) -> str:
        return self.user.get("text") or ""

    @property
    def bot_texts(self) -> list[str]:
        return [e["text"] for e in self.after if e["event"] == "bot" and e.get("text")]

    @property
    def actions(self) -> list[str]:
        return [e["name"] for e in self.after if e["event"] == "action"]


def turns(events: list[dict[str, Any]]) -> list[Turn]:
    """Split a tracker's events at each user message (events before the first one are the session start)."""
    result: list[Turn] = []
    for event in events:
        if event["event"] == "user":
            result.append(Turn(event, []))
        elif result:
            result[-1].after.append(event)
    return result
