"""A bounded soak: SOAK_SECONDS (default 60) of 20 concurrent conversations against 127.0.0.1 through the
web app. Zero errors and zero degraded replies (the apology channels/guarded_rest.py gives when an action fails
or a turn runs too long, flagged `degraded` in the web app's JSON: an HTTP 200 that is not an answer), no
conversation loses a turn (Rasa's tracker holds every message, in order), and the resident memory of each
process stays flat."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections import Counter
from pathlib import Path

import aiohttp
import pytest

from tests.reliability.client import call

SECONDS = float(os.environ.get("SOAK_SECONDS", "60"))
CONVERSATIONS = 20
SCRIPT = ["你好", "珲春社保局电话", "电话再说一遍", "网上怎么申领", "附件在哪传", "带啥材料",
          "那延吉的呢", "失业金能领多少钱", "交了两年被辞退了能领吗", "谢谢"]
pytestmark = pytest.mark.stack


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (the services run in their own process groups)."""
    total = 0.0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if status.parent.name == str(pid) or fields.get("PPid", "").strip() == str(pid):
            total += int(fields.get("VmRSS", "0 kB").split()[0]) / 1024
    return total


async def converse(session: aiohttp.ClientSession, url: str, deadline: float, log: dict) -> None:
    """One conversation after another until the deadline; log[sender] gets (message, outcome) per turn, the
    outcome "ok", "error" (no answer) or "degraded:<reason>" (the first flag of the turn's replies)."""
    while time.monotonic() < deadline:
        sender = f"soak-{uuid.uuid4().hex[:10]}"
        log[sender] = []
        for message in SCRIPT:
            async with session.post(url, json={"sender": sender, "message": message}) as resp:
                body = await resp.json(content_type=None)
                replies = body.get("replies", []) if resp.status == 200 and isinstance(body, dict) else []
                flags = [r["degraded"] for r in replies if r.get("degraded")]
                outcome = (f"degraded:{flags[0]}" if flags else
                           "ok" if any(r.get("text") for r in replies) else "error")
                log[sender].append((message, outcome))
            if time.monotonic() >= deadline:
                break


def test_soak(own_stack):
    pids = {name: s.proc.pid for name, s in own_stack.services.items()}
    url = f"{own_stack.config.url('web')}/api/chat"

    async def run(seconds: float) -> dict:
        log: dict = {}
        timeout = aiohttp.ClientTimeout(total=60)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            deadline = time.monotonic() + seconds
            await asyncio.gather(*(converse(session, url, deadline, log) for _ in range(CONVERSATIONS)))
        return log

    asyncio.run(run(min(10.0, SECONDS / 4)))  # warm-up: caches, lazy imports, SQLite pages
    before = {name: rss_mb(pid) for name, pid in pids.items()}
    log = asyncio.run(run(SECONDS))
    after = {name: rss_mb(pid) for name, pid in pids.items()}

    turns = [outcome for turns in log.values() for _, outcome in turns]
    errors = turns.count("error")
    degraded = Counter(o.removeprefix("degraded:") for o in turns if o.startswith("degraded:"))
    print(f"\nsoak: {len(log)} conversations, {len(turns)} turns in {SECONDS:.0f} s, {errors} errors, "
          f"{sum(degraded.values())} degraded {dict(degraded)}")
    for name in pids:
        print(f"  {name:8} RSS {before[name]:8.1f} MB -> {after[name]:8.1f} MB")
    assert turns and errors == 0
    assert not degraded, f"degraded replies (a 200 with the apology, not an answer): {dict(degraded)}"

    token = own_stack.config.rasa_token
    for sender, sent in list(log.items())[:CONVERSATIONS]:  # every turn is in the tracker, in order
        status, tracker = call(f"{own_stack.config.url('rasa')}/conversations/{sender}/tracker?token={token}")
        assert status == 200
        said = [e["text"] for e in tracker["events"] if e["event"] == "user"]
        assert said == [m for m, _ in sent], sender
        bots = sum(1 for e in tracker["events"] if e["event"] == "bot")
        assert bots >= len(sent)

    for name in pids:  # flat: no steady growth beyond noise
        assert after[name] <= before[name] * 1.15 + 30, (name, before[name], after[name])
