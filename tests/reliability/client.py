"""Small blocking HTTP helpers for the reliability tests (127.0.0.1 only, every call with a timeout)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any, NamedTuple

from bot.replies import degraded_reason


def call(url: str, body: dict[str, Any] | None = None, timeout: float = 30) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - loopback
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as err:
        raw = err.read()
        try:
            return err.code, json.loads(raw)
        except ValueError:
            return err.code, raw.decode(errors="replace")


class Answer(NamedTuple):
    status: int
    text: str  # all reply text joined (the error body when status is not 200)
    degraded: list[str]  # the flags of replies that stand in for an answer (channels/guarded_rest.py), in order


def chat(stack: Any, sender: str, message: str, timeout: float = 30) -> Answer:
    """POST /api/chat (the web app passes the channel's `degraded` flag on in each reply)."""
    status, data = call(f"{stack.config.url('web')}/api/chat", {"sender": sender, "message": message}, timeout)
    if status != 200:
        return Answer(status, json.dumps(data, ensure_ascii=False), [])
    replies = data["replies"]
    return Answer(status, "\n".join(r.get("text") or "" for r in replies),
                  [r["degraded"] for r in replies if r.get("degraded")])


def rest(stack: Any, sender: str, message: str) -> Answer:
    """Rasa's REST channel directly (the integration interface; the flag is `custom.degraded` there)."""
    status, data = call(f"{stack.config.url('rasa')}/webhooks/rest/webhook", {"sender": sender, "message": message})
    assert status == 200, (status, data)
    return Answer(status, "\n".join(m.get("text") or "" for m in data),
                  [reason for reason in map(degraded_reason, data) if reason])
