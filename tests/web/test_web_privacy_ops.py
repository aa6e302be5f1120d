"""The web app's side of privacy and operations, against the fake Rasa: POST /api/forget (200 twice, 404, 400,
503), numbers masked before they leave for Rasa, requests spread over Rasa workers with /healthz reporting the
capacity (degraded, down), and GET /metrics (its figures, METRICS_TOKEN)."""

from __future__ import annotations

import re
import socket
import sqlite3
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from aiohttp.test_utils import TestClient

from stores.schema import create
from tests.web.conftest import MakeClient
from tests.web.fake_rasa import FakeRasa

SENDER = "web_privacy_0123456789"


async def post(client: TestClient, path: str, body: Any) -> tuple[int, Any]:
    resp = await client.post(path, json=body)
    return resp.status, await resp.json()


def dead_url() -> str:
    """A port nothing listens on (a Rasa worker that died)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


async def test_forget_deletes_a_known_conversation_and_twice_is_harmless(client: TestClient,
                                                                           fake_rasa: FakeRasa) -> None:
    assert (await post(client, "/api/chat", {"sender": SENDER, "message": "珲春社保局电话"}))[0] == 200
    assert await post(client, "/api/forget", {"sender": SENDER}) == (200, {"deleted": True})
    assert await post(client, "/api/forget", {"sender": SENDER}) == (200, {"deleted": True})
    assert SENDER in fake_rasa.forgotten and not any(c["sender"] == SENDER for c in fake_rasa.calls)


async def test_forget_tells_unknown_and_bad_senders_apart(client: TestClient) -> None:
    status, body = await post(client, "/api/forget", {"sender": "never_talked_here"})
    assert status == 404 and "没有找到" in body["error"]
    for bad in ({"sender": "有空格 的"}, {"sender": 42}, {}, {"sender": SENDER, "extra": 1}, {"sender": "console_x"}):
        status, body = await post(client, "/api/forget", bad)
        assert status == 400 and body["error"], bad
    resp = await client.post("/api/forget", data="not json", headers={"Content-Type": "application/json"})
    assert resp.status == 400


async def test_forget_when_rasa_is_down_is_a_clear_503(make_client: MakeClient) -> None:
    client = await make_client(rasa_url=dead_url())
    status, body = await post(client, "/api/forget", {"sender": SENDER})
    assert status == 503 and "0431-85821827" in body["error"]


async def test_numbers_are_masked_before_they_leave_for_rasa(client: TestClient, fake_rasa: FakeRasa) -> None:
    await post(client, "/api/chat", {"sender": SENDER, "message": "我手机13812345678，身份证220102199001011234"})
    assert fake_rasa.calls[-1]["message"] == "我手机[手机号]，身份证[身份证号]"


async def test_requests_go_round_the_workers_and_skip_a_dead_one(make_client: MakeClient, aiohttp_server: Any,
                                                                 fake_rasa: FakeRasa, base_settings: Any) -> None:
    second = FakeRasa(token=fake_rasa.token)
    live = str((await aiohttp_server(second.app())).make_url("")).rstrip("/")
    first = base_settings.rasa_url  # the fake_rasa fixture's server
    client = await make_client(rasa_urls=(first, dead_url(), live))
    for n in range(6):
        status, body = await post(client, "/api/chat", {"sender": f"{SENDER}{n}", "message": "珲春社保局电话"})
        assert status == 200 and "0433-7512409" in body["replies"][0]["text"]
    assert len(fake_rasa.calls) >= 2 and len(second.calls) >= 2  # both live workers served
    resp = await client.get("/healthz")
    body = await resp.json()
    assert resp.status == 200 and body["status"] == "degraded"
    assert body["capacity"] == {"rasa_workers_up": 2, "rasa_workers": 3} and "warning" in body


async def test_healthz_says_down_when_no_worker_answers(make_client: MakeClient) -> None:
    client = await make_client(rasa_urls=(dead_url(), dead_url()))
    resp = await client.get("/healthz")
    body = await resp.json()
    assert resp.status == 503 and body["status"] == "down" and body["capacity"]["rasa_workers_up"] == 0
    status, body = await post(client, "/api/chat", {"sender": SENDER, "message": "你好"})
    assert status == 503


def feedback_db(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        create(conn)
        for rating, helpful in ((5, None), (5, None), (2, None), (None, True), (None, False), (None, True)):
            conn.execute(sa.text("INSERT INTO feedback (sender_id, created_at, rating, helpful) VALUES "
                                 "('w', :t, :r, :h)"), {"t": time.time(), "r": rating, "h": helpful})
        conn.execute(sa.text("INSERT INTO handoff (code, sender_id, created_at, expires_at) VALUES "
                             "('A1', 'w', :t, :e)"), {"t": time.time(), "e": time.time() + 600})
        conn.execute(sa.text("INSERT INTO retention_log (ran_at, cutoff, conversations, events, feedback, handoffs) "
                             "VALUES (1, 0, 3, 40, 1, 2)"))
    engine.dispose()
    with sqlite3.connect(path) as raw:  # Rasa's table, which the web app only reads
        raw.execute("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, "
                    "timestamp REAL, intent_name TEXT, action_name TEXT, data TEXT)")


async def test_metrics_in_prometheus_format(client: TestClient, base_settings: Any) -> None:
    feedback_db(base_settings.tracker_db)
    await post(client, "/api/chat", {"sender": SENDER, "message": "珲春社保局电话"})
    await post(client, "/api/chat", {"sender": "bad sender", "message": "x"})
    resp = await client.get("/metrics")
    assert resp.status == 200 and resp.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    text = await resp.text()
    expected = [
        r'jl_http_requests_total\{method="POST",route="/api/chat",status="200"\} 1\.0',
        r'jl_http_requests_total\{method="POST",route="/api/chat",status="400"\} 1\.0',
        r"jl_chat_request_seconds_count 2\.0",
        r'jl_rasa_call_seconds_count\{call="webhook",outcome="ok"\} 1\.0',
        r'jl_service_up\{service="rasa-1"\} 1\.0', r'jl_service_up\{service="actions"\} 1\.0',
        r'jl_service_up\{service="tracker_store"\} 1\.0',
        r"jl_rasa_workers_up 1\.0", r"jl_rasa_workers_configured 1\.0",
        r'jl_parse_cache_hits_total\{worker="1"\} 7\.0', r'jl_parse_cache_misses_total\{worker="1"\} 3\.0',
        r'jl_fallback_answers_total\{worker="1"\} 1\.0', r'jl_low_confidence_answers_total\{worker="1"\} 2\.0',
        r'jl_ratings\{rating="5"\} 2\.0', r'jl_ratings\{rating="2"\} 1\.0', r'jl_ratings\{rating="1"\} 0\.0',
        r'jl_helpful_votes\{helpful="yes"\} 2\.0', r'jl_helpful_votes\{helpful="no"\} 1\.0',
        r"jl_handoff_codes_open 1\.0",
        r'jl_retention_deleted_total\{kind="conversations"\} 3\.0',
    ]
    missing = [e for e in expected if not re.search(e, text)]
    assert missing == [], text


async def test_metrics_token(make_client: MakeClient) -> None:
    client = await make_client(metrics_token="metrics-secret-0123456789")
    assert (await client.get("/metrics")).status == 401
    wrong = await client.get("/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status == 401
    right = await client.get("/metrics", headers={"Authorization": "Bearer metrics-secret-0123456789"})
    assert right.status == 200 and "jl_service_up" in await right.text()
    assert (await client.get("/console/api/session", headers={"Authorization": "Bearer metrics-secret-0123456789"}
                             )).status == 401  # not a console token
