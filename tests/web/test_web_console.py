"""Staff console APIs: token auth (401), ask (answer + NLU + the conversation and its bureau + guide basis),
directory, unanswered list."""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.app import create_app
from bot.console_auth import load_or_create_token
from bot.settings import Settings
from tests.web.conftest import AUTH, CONSOLE_TOKEN, MakeClient
from tests.web.fake_rasa import FakeRasa
from tests.web.tracker_db import make_tracker, user

ENDPOINTS = [
    ("GET", "/console/api/session", None),
    ("POST", "/console/api/ask", {"question": "珲春社保局电话"}),
    ("GET", "/console/api/offices?q=珲春", None),
    ("GET", "/console/api/unanswered", None),
    ("GET", "/console/api/handoff/AB3K7MQ", None),
    ("GET", "/console/api/conversations/web_abc", None),
    ("GET", "/console/api/feedback", None),
    ("GET", "/console/api/audit", None),
]
BAD_TOKENS = [
    {},
    {"Authorization": "Bearer "},
    {"Authorization": "Bearer wrong-token"},
    {"Authorization": f"Bearer {CONSOLE_TOKEN}x"},
    {"Authorization": f"Bearer {CONSOLE_TOKEN[:-1]}"},
    {"Authorization": f"Basic {CONSOLE_TOKEN}"},
    {"Authorization": "Bearer 令牌"},
]


async def call(client: TestClient, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
               ) -> Any:
    if method == "GET":
        return await client.get(path, headers=headers or {})
    return await client.post(path, data=json.dumps(body, ensure_ascii=False),
                             headers={"Content-Type": "application/json", **(headers or {})})


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
@pytest.mark.parametrize("headers", BAD_TOKENS, ids=range(len(BAD_TOKENS)))
async def test_console_apis_need_the_token(client: TestClient, fake_rasa: FakeRasa, method: str, path: str,
                                           body: Any, headers: dict[str, str]) -> None:
    resp = await call(client, method, path, body, headers)
    assert resp.status == 401
    assert resp.headers["WWW-Authenticate"] == "Bearer"
    assert "令牌" in (await resp.json())["error"]
    assert fake_rasa.calls == [] and fake_rasa.parse_calls == []


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
async def test_console_apis_accept_the_token(client: TestClient, method: str, path: str, body: Any) -> None:
    resp = await call(client, method, path, body, AUTH)
    assert resp.status == (404 if path.startswith(("/console/api/handoff/", "/console/api/conversations/")) else 200)
    assert "WWW-Authenticate" not in resp.headers


async def test_console_token_also_in_x_header(client: TestClient) -> None:
    assert (await client.get("/console/api/session", headers={"X-Console-Token": CONSOLE_TOKEN})).status == 200


async def test_failed_logins_are_rate_limited(make_client: MakeClient) -> None:
    client = await make_client(rate_per_min=60, rate_burst=3)
    statuses = [(await client.get("/console/api/session", headers={"Authorization": "Bearer guess"})).status
                for _ in range(5)]
    assert statuses == [401, 401, 401, 429, 429]


async def test_ask_shows_answer_nlu_bureau_and_basis(client: TestClient, fake_rasa: FakeRasa) -> None:
    resp = await call(client, "POST", "/console/api/ask", {"question": "珲春社保局电话", "session": "abc123"}, AUTH)
    assert resp.status == 200
    body = await resp.json()
    # the answer exactly as a citizen would get it
    citizen = await call(client, "POST", "/api/chat", {"sender": "web_x", "message": "珲春社保局电话"})
    assert body["replies"] == (await citizen.json())["replies"]
    assert "0433-7512409" in body["answer_text"]
    # NLU through /model/parse with the token, conversation on a console sender id
    assert body["nlu"]["intent"] == {"name": "find_bureau", "confidence": 0.93}
    assert [r["name"] for r in body["nlu"]["ranking"]][:2] == ["find_bureau", "inform_location"]
    assert body["nlu"]["entities"][0]["entity"] == "location" and body["nlu"]["entities"][0]["value"] == "珲春"
    assert fake_rasa.parse_calls == [{"text": "珲春社保局电话"}]
    assert fake_rasa.calls[0]["sender"] == "console_abc123"
    # the bureau the answer used (the conversation's slots after it) and the guide section from the 依据 line
    assert body["bureau"] == {"bureau_name": "珲春市社会保险局", "bureau_phone": "0433-7512409",
                              "contact": "珲春市社会保险局：0433-7512409"}
    assert [t["who"] for t in body["conversation"]["turns"]] == ["user", "bot"]
    assert body["read_aloud"] == body["answer_text"].split("\n依据")[0] and "依据" not in body["read_aloud"]
    assert body["basis"][0]["citation"] == "《失业保险金申领指南》四、现场申领（咨询电话表）"
    assert "珲春市社会保险局  0433-7512409" in body["basis"][0]["excerpt"]  # only the rows the answer names
    assert "0431-89323019" not in body["basis"][0]["excerpt"]
    assert body["warnings"] == []


async def test_the_bureau_panel_follows_the_answer_and_the_panel_shows_the_conversation(client: TestClient) -> None:
    """Before: '电话再说一遍' was answered with 珲春's phone (remembered) while the panel, looking up the question
    alone, said no place was found."""
    await call(client, "POST", "/console/api/ask", {"question": "珲春社保局电话", "session": "carry"}, AUTH)
    body = await (await call(client, "POST", "/console/api/ask", {"question": "电话再说一遍", "session": "carry"},
                             AUTH)).json()
    assert "0433-7512409" in body["answer_text"]
    assert body["bureau"]["bureau_name"] == "珲春市社会保险局" and body["bureau"]["bureau_phone"] == "0433-7512409"
    turns = body["conversation"]["turns"]
    assert [(t["who"], t["text"][:7]) for t in turns[::2]] == [("user", "珲春社保局电话"), ("user", "电话再说一遍")]
    other = await (await call(client, "POST", "/console/api/ask", {"question": "电话再说一遍", "session": "fresh"},
                              AUTH)).json()
    assert other["bureau"] == {} and len(other["conversation"]["turns"]) == 2  # another session: its own


async def test_ask_eligibility_basis_excerpt(client: TestClient) -> None:
    body = await (await call(client, "POST", "/console/api/ask", {"question": "/ask_eligibility"}, AUTH)).json()
    assert body["basis"][0]["heading"] == "二、申领条件"
    assert "缴费义务满1年" in body["basis"][0]["excerpt"]
    assert body["sender"] == "console_default"


async def test_ask_with_wrong_rasa_token_still_answers(make_client: MakeClient) -> None:
    client = await make_client(rasa_token="not-the-token")
    body = await (await call(client, "POST", "/console/api/ask", {"question": "珲春社保局电话"}, AUTH)).json()
    assert body["nlu"] is None
    assert "0433-7512409" in body["answer_text"]
    assert any("意图" in w for w in body["warnings"])


async def test_ask_rasa_down_is_503(make_client: MakeClient) -> None:
    client = await make_client(rasa_url="http://127.0.0.1:9")
    resp = await call(client, "POST", "/console/api/ask", {"question": "珲春社保局电话"}, AUTH)
    assert resp.status == 503
    assert "error" in await resp.json()


@pytest.mark.parametrize(("body", "status"), [
    ({}, 400),
    ({"question": ""}, 400),
    ({"question": 3}, 400),
    ({"question": "x" * 501}, 400),
    ({"question": "a\x00"}, 400),
    ({"question": "hi", "session": "../x"}, 400),
    ({"question": "hi", "session": "s" * 60}, 400),
    ({"question": "hi", "other": 1}, 400),
])
async def test_ask_bad_input(client: TestClient, fake_rasa: FakeRasa, body: dict[str, Any], status: int) -> None:
    resp = await call(client, "POST", "/console/api/ask", body, AUTH)
    assert resp.status == status
    assert (await resp.json())["error"]
    assert fake_rasa.calls == []


async def test_console_offices(client: TestClient) -> None:
    body = await (await client.get("/console/api/offices", params={"q": "hunchun"}, headers=AUTH)).json()
    assert body["results"][0]["phone"] == "0433-7512409"


async def test_unanswered_lists_fallbacks_and_low_confidence_masked(client: TestClient,
                                                                    base_settings: Settings) -> None:
    make_tracker(base_settings.tracker_db, [
        ("web_a", "user", "nlu_fallback", user("我的身份证220102199001011234能领吗", "nlu_fallback", 0.9), 100.0),
        ("web_a", "bot", None, {"event": "bot", "text": "抱歉"}, 101.0),
        ("web_b", "user", "ask_phone", user("电话13812345678打不通", "ask_phone", 0.41), 102.0),
        ("web_c", "user", "find_bureau", user("珲春社保局电话", "find_bureau", 0.97), 103.0),
        ("web_d", "user", "nlu_fallback", user("卡号6222021234567890123", "nlu_fallback", 0.2), 104.0),
        ("web_e", "user", "nlu_fallback", user("/find_bureau", "nlu_fallback", 0.2), 105.0),
        ("console_x", "user", "nlu_fallback", user("坐席测试问题", "nlu_fallback", 0.1), 106.0),
        ("web_f", "user", "ask_phone", user("电话13812345678打不通", "ask_phone", 0.45), 107.0),
        ("web_g", "action", None, {"event": "action", "name": "action_listen"}, 108.0),
        ("web_h", "user", "nlu_fallback", {"event": "user", "text": "坏数据"}, 109.0),
        ("web_i", "user", None, "not an object", 110.0),  # type: ignore[list-item]
    ])
    resp = await client.get("/console/api/unanswered", headers=AUTH)
    assert resp.status == 200
    body = await resp.json()
    texts = [i["text"] for i in body["items"]]
    assert texts == ["坏数据", "电话[手机号]打不通", "卡号[银行卡号]", "我的身份证[身份证号]能领吗"]
    phone_item = body["items"][1]  # asked twice; the newest one is shown
    assert phone_item["count"] == 2 and phone_item["intent"] == "ask_phone" and phone_item["confidence"] == 0.45
    raw = await resp.text()
    for secret in ("13812345678", "220102199001011234", "6222021234567890123", "坐席测试问题"):
        assert secret not in raw
    assert body["threshold"] == 0.6


async def test_unanswered_without_tracker_db(client: TestClient) -> None:
    body = await (await client.get("/console/api/unanswered", headers=AUTH)).json()
    assert body["items"] == [] and "尚无" in body["note"]


async def test_unanswered_broken_db_is_503(client: TestClient, base_settings: Settings) -> None:
    base_settings.tracker_db.parent.mkdir(parents=True, exist_ok=True)
    base_settings.tracker_db.write_bytes(b"this is not sqlite" * 100)
    resp = await client.get("/console/api/unanswered", headers=AUTH)
    assert resp.status == 503
    assert "对话记录" in (await resp.json())["error"]


async def test_unanswered_from_a_database_url_instead_of_the_file(make_client: MakeClient, tmp_path: Path) -> None:
    """TRACKER_STORE_URL (PostgreSQL with several Rasa instances; a SQLite URL here) wins over TRACKER_DB."""
    elsewhere = tmp_path / "elsewhere.db"
    make_tracker(elsewhere, [("web_a", "user", "nlu_fallback", user("这个问题没人懂", "nlu_fallback", 0.3), 100.0)])
    client = await make_client(tracker_store_url=f"sqlite:///{elsewhere}")
    body = await (await client.get("/console/api/unanswered", headers=AUTH)).json()
    assert [i["text"] for i in body["items"]] == ["这个问题没人懂"] and body["note"] == ""


async def test_unanswered_opens_one_connection_for_many_requests(client: TestClient, base_settings: Settings,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    make_tracker(base_settings.tracker_db, [("web_a", "user", "nlu_fallback", user("问题", "nlu_fallback", 0.3), 1.0)])
    opened: list[str] = []
    real_connect = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: opened.append(str(a[0])) or real_connect(*a, **k))
    for _ in range(5):
        assert (await client.get("/console/api/unanswered", headers=AUTH)).status == 200
    assert len(opened) == 1 and opened[0].endswith("mode=ro")  # read-only, once per process


async def test_unanswered_unreachable_database_is_503_without_details(make_client: MakeClient,
                                                                      caplog: pytest.LogCaptureFixture) -> None:
    client = await make_client(tracker_store_url="postgresql://rasa:s3cret-pw@127.0.0.1:1/rasa")  # nothing there
    resp = await client.get("/console/api/unanswered", headers=AUTH)
    assert resp.status == 503
    body = await resp.text()
    assert "对话记录" in body and "s3cret-pw" not in body and "Traceback" not in body
    assert "s3cret-pw" not in caplog.text  # the log names the database without its password


@pytest.mark.parametrize("limit", ["0", "201", "x"])
async def test_unanswered_bad_limit(client: TestClient, limit: str) -> None:
    assert (await client.get("/console/api/unanswered", params={"limit": limit}, headers=AUTH)).status == 400


def test_token_generated_once_and_stored_private(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    var = tmp_path / "var"
    with caplog.at_level(logging.INFO, logger="bot.console_auth"):
        first = load_or_create_token("", var)
    assert len(first) >= 30
    assert first in caplog.text  # printed once, when created
    path = var / "console_token"
    assert path.read_text().strip() == first
    assert (path.stat().st_mode & 0o777) == 0o600
    assert (var / ".gitignore").read_text() == "*\n"
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="bot.console_auth"):
        second = load_or_create_token("", var)
    assert second == first
    assert first not in caplog.text  # not printed again
    assert load_or_create_token("from-env-token-123456", var) == "from-env-token-123456"


async def test_generated_token_works(aiohttp_client: Any, base_settings: Settings) -> None:
    app = create_app(replace(base_settings, console_token=""))
    client = await aiohttp_client(app)
    token = (base_settings.var_dir / "console_token").read_text().strip()
    assert (await client.get("/console/api/session", headers={"Authorization": f"Bearer {token}"})).status == 200
    assert (await client.get("/console/api/session", headers=AUTH)).status == 401
