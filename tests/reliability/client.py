"""Small blocking HTTP helpers for the reliability tests (127.0.0.1 only, every call with a timeout)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any


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


def chat(stack: Any, sender: str, message: str) -> tuple[int, str]:
    """POST /api/chat; returns (status, all reply text joined)."""
    status, data = call(f"{stack.config.url('web')}/api/chat", {"sender": sender, "message": message})
    if status != 200:
        return status, json.dumps(data, ensure_ascii=False)
    return status, "\n".join(r.get("text") or "" for r in data["replies"])


def rest(stack: Any, sender: str, message: str) -> str:
    """Rasa's REST channel directly (the integration interface)."""
    status, data = call(f"{stack.config.url('rasa')}/webhooks/rest/webhook", {"sender": sender, "message": message})
    assert status == 200, (status, data)
    return "\n".join(m.get("text") or "" for m in data)
