"""Slow and oversized clients (slowloris) against the web app as `python -m bot` serves it, with its connection
limits (bot.settings.Settings.server_options): a bounded number of connections that dribble their request head
or body do not stop the chat API from answering, and the server closes each of them itself."""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest

from devtools.net import free_port, http_ok
from devtools.process import ManagedProcess, wait_ready

ROOT = Path(__file__).resolve().parents[2]
SLOW_HEADS = 150  # connections that never finish their request head
SLOW_BODIES = 50  # connections that send a complete head, then their body a byte at a time
CHATS = 40
KEEPALIVE_S = 3.0
BODY_TIMEOUT_S = 3.0
DRIP_S = 0.5  # one byte per connection this often: each is "active", never idle


@dataclass
class WebApp:
    url: str
    port: int


@pytest.fixture(scope="module")
def web_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebApp]:
    tmp = tmp_path_factory.mktemp("slow")
    rasa_port, web_port = free_port(), free_port()
    rasa = ManagedProcess(name="fake-rasa", cmd=[sys.executable, "-m", "tests.web.fake_rasa_cli", "run", "--port",
                                                 str(rasa_port), "--auth-token", "t"],
                          cwd=ROOT, log_path=tmp / "rasa.log", port=rasa_port,
                          ready=lambda: http_ok(f"http://127.0.0.1:{rasa_port}/"))
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "BOT_PORT": str(web_port),
           "RASA_URL": f"http://127.0.0.1:{rasa_port}", "ACTIONS_URL": f"http://127.0.0.1:{rasa_port}",
           "RASA_TOKEN": "t", "CONSOLE_TOKEN": "slow-client-test-token-0123", "VAR_DIR": str(tmp / "var"),
           "RATE_LIMIT_PER_MIN": "0", "SENDER_RATE_LIMIT_PER_MIN": "0",
           "BOT_KEEPALIVE_S": str(KEEPALIVE_S), "BOT_BODY_TIMEOUT_S": str(BODY_TIMEOUT_S)}
    web = ManagedProcess(name="web", cmd=[sys.executable, "-m", "bot"], cwd=ROOT, log_path=tmp / "web.log",
                         env=env, port=web_port, ready=lambda: http_ok(f"http://127.0.0.1:{web_port}/healthz"))
    try:
        rasa.start()
        wait_ready([rasa], 60, poll_interval=0.2, echo=lambda m: None)
        web.start()
        wait_ready([web], 60, poll_interval=0.2, echo=lambda m: None)
        yield WebApp(f"http://127.0.0.1:{web_port}", web_port)
    finally:
        web.stop(10)
        rasa.stop(10)


async def _slow_client(port: int, head_done: bool, stop: asyncio.Event) -> float | None:
    """Dribbles a request; returns the seconds until the server closed the connection (None: still open when the
    test ended)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    opened = time.monotonic()
    head = b"POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    writer.write(head + (b"Content-Length: 4000\r\n\r\n{" if head_done else b"X-Slow: "))
    try:
        while not stop.is_set():
            try:
                data = await asyncio.wait_for(reader.read(4096), DRIP_S)
            except asyncio.TimeoutError:
                writer.write(b" " if head_done else b"a")  # still "sending", never finished
                await writer.drain()
                continue
            if not data:  # closed by the server (after a 408 for a body: read that first)
                return time.monotonic() - opened
    except (ConnectionError, OSError):
        return time.monotonic() - opened
    finally:
        writer.close()
    return None


async def _chat(http: aiohttp.ClientSession, url: str, i: int) -> tuple[int, float, str]:
    started = time.monotonic()
    async with http.post(f"{url}/api/chat", json={"sender": f"slow-test-{i}", "message": "珲春社保局电话"}) as resp:
        body = await resp.json()
    text = body["replies"][0]["text"] if resp.status == 200 else json.dumps(body, ensure_ascii=False)
    return resp.status, time.monotonic() - started, text


def test_slow_connections_neither_block_the_chat_api_nor_stay_open(web_app: WebApp) -> None:
    async def scenario() -> tuple[list[float | None], list[tuple[int, float, str]], list[float]]:
        timeout = aiohttp.ClientTimeout(total=30)
        async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(force_close=True)) as http:
            alone = [(await _chat(http, web_app.url, -i))[1] for i in range(CHATS)]  # warm: no slow client yet
        stop = asyncio.Event()
        slow = [asyncio.create_task(_slow_client(web_app.port, i >= SLOW_HEADS, stop))
                for i in range(SLOW_HEADS + SLOW_BODIES)]
        await asyncio.sleep(DRIP_S)  # every slow connection is open and dribbling before the citizens come
        async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(force_close=True)) as http:
            chats = [await _chat(http, web_app.url, i) for i in range(CHATS)]
        closed_by = await asyncio.wait_for(asyncio.gather(*slow), 20 * KEEPALIVE_S)
        stop.set()
        return closed_by, chats, alone

    closed_by, chats, alone = asyncio.run(scenario())
    assert all(status == 200 and "0433-7512409" in text for status, _, text in chats), chats[:3]
    assert all(seconds is not None for seconds in closed_by), "the server left a slow connection open"
    heads, bodies = closed_by[:SLOW_HEADS], closed_by[SLOW_HEADS:]
    latencies = [seconds for _, seconds, _ in chats]
    print(f"\nslow clients: {SLOW_HEADS} heads + {SLOW_BODIES} bodies dribbled 1 byte/{DRIP_S} s; closed by the "
          f"server after {min(heads):.1f}-{max(heads):.1f} s (heads; keep-alive {KEEPALIVE_S} s) and "
          f"{min(bodies):.1f}-{max(bodies):.1f} s (bodies; {BODY_TIMEOUT_S} s); {CHATS} chats meanwhile: all 200, "
          f"p50 {statistics.median(latencies) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms (without them: "
          f"p50 {statistics.median(alone) * 1000:.0f} ms, max {max(alone) * 1000:.0f} ms)")
    assert http_ok(f"{web_app.url}/healthz")


def _raw(port: int, request: bytes) -> bytes:
    async def send() -> bytes:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(request)
        await writer.drain()
        data = await asyncio.wait_for(reader.read(65536), 10)
        writer.close()
        return data

    return asyncio.run(send())


@pytest.mark.parametrize(("name", "request_bytes"), [
    ("request line", b"GET /healthz?" + b"q" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("header value", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"v" * 5000 + b"\r\n\r\n"),
    ("header count", b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(100))
     + b"\r\n"),
])
def test_oversized_heads_are_refused_and_the_app_keeps_answering(web_app: WebApp, name: str,
                                                                 request_bytes: bytes) -> None:
    answer = _raw(web_app.port, request_bytes)
    status = answer.split(b" ", 2)[1] if answer.startswith(b"HTTP/1.") else b""
    assert status in (b"400", b"414", b"431"), (name, answer[:120])
    assert b"Traceback" not in answer
    assert http_ok(f"{web_app.url}/healthz")


def test_a_body_over_the_cap_is_413(web_app: WebApp) -> None:
    body = json.dumps({"sender": "big-body", "message": "x" * 9000}).encode()
    answer = _raw(web_app.port, b"POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: %d\r\n\r\n" % len(body) + body)
    assert answer.split(b" ", 2)[1] == b"413"
