"""POST /api/chat: forwarding to Rasa, reply format, every kind of bad input, 429 and 503."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from tests.web.conftest import MakeClient
from tests.web.fake_rasa import DEGRADED_TEXT, FakeRasa

SENDER = "web_0123456789abcdef"


async def post_json(client: TestClient, body: Any, **kwargs: Any) -> Any:
    return await client.post("/api/chat", data=json.dumps(body, ensure_ascii=False),
                             headers={"Content-Type": "application/json", **kwargs.pop("headers", {})}, **kwargs)


async def test_chat_forwards_to_rasa_and_formats_replies(client: TestClient, fake_rasa: FakeRasa) -> None:
    resp = await post_json(client, {"sender": SENDER, "message": "珲春社保局电话"})
    assert resp.status == 200
    body = await resp.json()
    assert fake_rasa.calls == [{"sender": SENDER, "message": "珲春社保局电话"}]
    assert "0433-7512409" in body["replies"][0]["text"]
    assert body["replies"][0]["buttons"] == []
    assert body["replies"][0]["links"] == []


async def test_chat_buttons_and_links(client: TestClient) -> None:
    resp = await post_json(client, {"sender": SENDER, "message": "/ask_online_apply"})
    reply = (await resp.json())["replies"][0]
    assert reply["buttons"] == [{"title": "怎么上传附件", "payload": "/ask_online_attachment"}]
    assert reply["links"] == [{"title": "http://wssb.jlsi.jl.gov.cn:8001", "url": "http://wssb.jlsi.jl.gov.cn:8001"}]


async def test_chat_message_is_trimmed(client: TestClient, fake_rasa: FakeRasa) -> None:
    resp = await post_json(client, {"sender": SENDER, "message": "  珲春  \n"})
    assert resp.status == 200
    assert fake_rasa.calls[-1]["message"] == "珲春"


async def test_chat_empty_rasa_answer_gets_province_phone(client: TestClient, fake_rasa: FakeRasa) -> None:
    fake_rasa.mode = "empty"
    body = await (await post_json(client, {"sender": SENDER, "message": "你好"})).json()
    assert "0431-85821827" in body["replies"][0]["text"]
    assert body["replies"][0]["degraded"] == "no_reply"


async def test_chat_passes_the_degraded_flag_on(client: TestClient, fake_rasa: FakeRasa) -> None:
    fake_rasa.mode = "degraded"
    body = await (await post_json(client, {"sender": SENDER, "message": "珲春社保局电话"})).json()
    assert body["replies"] == [{"text": DEGRADED_TEXT, "buttons": [], "links": [], "degraded": "action_failed"}]
    fake_rasa.mode = "ok"
    body = await (await post_json(client, {"sender": SENDER, "message": "珲春社保局电话"})).json()
    assert "0433-7512409" in body["replies"][0]["text"] and "degraded" not in body["replies"][0]


NESTED = {"sender": SENDER, "message": "hi", "x": {"a": [[[[[[1]]]]]]}}


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b"", "为空"),
        (b"   ", "为空"),
        (b"{not json", "不是有效的 JSON"),
        (b"\xff\xfe\x00", "UTF-8"),
        (b"[1, 2]", "JSON 对象"),
        (b'"text"', "JSON 对象"),
        (b"null", "JSON 对象"),
        (b"[" * 3000 + b"]" * 3000, "嵌套"),
        (b'{"a":' * 1000 + b"1" + b"}" * 1000, "嵌套"),
        (json.dumps(NESTED).encode(), "嵌套"),
        (b'{"sender": "web_1", "message": "\\ud800"}', "控制字符"),
        (b'{"sender": "web_1", "message": "NaN", "extra": NaN}', "不支持的字段"),
        (b'{"sender": "web_1", "message": "hi", "\\ud800": 1}', "不支持的字段"),
    ],
    ids=["empty", "blank", "syntax", "not-utf8", "array", "string", "null", "deep-array", "deep-object",
         "nested-field", "lone-surrogate", "unknown-field", "surrogate-key"],
)
async def test_chat_rejects_bad_bodies(client: TestClient, fake_rasa: FakeRasa, raw: bytes, fragment: str) -> None:
    resp = await client.post("/api/chat", data=raw, headers={"Content-Type": "application/json"})
    assert resp.status == 400
    body = await resp.json()
    assert fragment in body["error"]
    assert fake_rasa.calls == []  # conversation state untouched


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"message": "你好"}, "缺少字段 sender"),
        ({"sender": SENDER}, "缺少字段 message"),
        ({}, "缺少字段"),
        ({"sender": 123, "message": "你好"}, "必须是字符串"),
        ({"sender": SENDER, "message": 5}, "必须是字符串"),
        ({"sender": SENDER, "message": ["你好"]}, "必须是字符串"),
        ({"sender": SENDER, "message": {"text": "你好"}}, "必须是字符串"),
        ({"sender": SENDER, "message": None}, "缺少字段 message"),
        ({"sender": SENDER, "message": True}, "必须是字符串"),
        ({"sender": "", "message": "你好"}, "会话编号格式不正确"),
        ({"sender": "a" * 65, "message": "你好"}, "会话编号格式不正确"),
        ({"sender": "../etc/passwd", "message": "你好"}, "会话编号格式不正确"),
        ({"sender": "张三", "message": "你好"}, "会话编号格式不正确"),
        ({"sender": "web 1", "message": "你好"}, "会话编号格式不正确"),
        ({"sender": "web_1\n", "message": "你好"}, "会话编号格式不正确"),
        ({"sender": "console_abc", "message": "你好"}, "console_"),
        ({"sender": SENDER, "message": ""}, "不能为空"),
        ({"sender": SENDER, "message": "   \n\t "}, "不能为空"),
        ({"sender": SENDER, "message": "\u3000"}, "不能为空"),
        ({"sender": SENDER, "message": "长" * 501}, "过长"),
        ({"sender": SENDER, "message": "珲春\x00"}, "控制字符"),
        ({"sender": SENDER, "message": "珲春\x1b[31m"}, "控制字符"),
        ({"sender": SENDER, "message": "珲春\x7f"}, "控制字符"),
        ({"sender": SENDER, "message": "abc\u202edcba"}, "控制字符"),
    ],
    ids=["no-sender", "no-message", "empty-object", "sender-int", "message-int", "message-list", "message-object",
         "message-null", "message-bool", "sender-empty", "sender-too-long", "sender-path", "sender-chinese",
         "sender-space", "sender-newline", "sender-console-prefix", "message-empty", "message-whitespace",
         "message-ideographic-space", "message-501", "nul", "escape", "del", "bidi-override"],
)
async def test_chat_rejects_bad_fields(client: TestClient, fake_rasa: FakeRasa, body: dict[str, Any],
                                       fragment: str) -> None:
    resp = await post_json(client, body)
    assert resp.status == 400
    assert resp.content_type == "application/json"
    assert fragment in (await resp.json())["error"]
    assert fake_rasa.calls == []


async def test_chat_accepts_500_characters_and_newlines(client: TestClient, fake_rasa: FakeRasa) -> None:
    assert (await post_json(client, {"sender": SENDER, "message": "长" * 500})).status == 200
    assert (await post_json(client, {"sender": SENDER, "message": "第一行\n第二行\t珲春"})).status == 200
    assert len(fake_rasa.calls) == 2


async def test_chat_requires_json_content_type(client: TestClient, fake_rasa: FakeRasa) -> None:
    resp = await client.post("/api/chat", data=json.dumps({"sender": SENDER, "message": "hi"}),
                             headers={"Content-Type": "text/plain"})
    assert resp.status == 415
    assert "JSON" in (await resp.json())["error"]
    form = await client.post("/api/chat", data={"sender": SENDER, "message": "hi"})
    assert form.status == 415
    assert fake_rasa.calls == []


async def test_chat_body_over_cap_by_content_length(client: TestClient, fake_rasa: FakeRasa) -> None:
    body = json.dumps({"sender": SENDER, "message": "x" * 20_000})
    resp = await client.post("/api/chat", data=body, headers={"Content-Type": "application/json"})
    assert resp.status == 413
    assert "过大" in (await resp.json())["error"]
    assert fake_rasa.calls == []


async def test_chat_body_over_cap_chunked(client: TestClient, fake_rasa: FakeRasa) -> None:
    async def chunks() -> Any:
        yield b'{"sender": "web_1", "message": "'
        for _ in range(40):
            yield b"x" * 1024
        yield b'"}'

    resp = await client.post("/api/chat", data=chunks(), headers={"Content-Type": "application/json"})
    assert resp.status == 413
    assert (await resp.json())["error"]
    assert fake_rasa.calls == []


async def test_chat_get_is_405_json(client: TestClient) -> None:
    resp = await client.get("/api/chat")
    assert resp.status == 405
    assert "error" in await resp.json()


@pytest.mark.parametrize("mode", ["error", "bad_json", "slow"])
async def test_chat_rasa_failure_is_503_and_app_stays_up(client: TestClient, fake_rasa: FakeRasa, mode: str) -> None:
    fake_rasa.mode = mode  # slow: 8 s against the 5 s timeout of the test settings
    resp = await post_json(client, {"sender": SENDER, "message": "珲春"})
    assert resp.status == 503
    body = await resp.json()
    assert "0431-85821827" in body["error"]
    fake_rasa.mode = "ok"
    assert (await post_json(client, {"sender": SENDER, "message": "珲春"})).status == 200


async def test_chat_rasa_down_is_503(make_client: MakeClient) -> None:
    client = await make_client(rasa_url="http://127.0.0.1:9")  # nothing listens on the discard port
    resp = await post_json(client, {"sender": SENDER, "message": "珲春"})
    assert resp.status == 503
    assert "无法连接" in (await resp.json())["error"]
    assert (await client.get("/")).status == 200  # the web app itself stays up


async def test_chat_rate_limit_per_client(make_client: MakeClient, fake_rasa: FakeRasa) -> None:
    client = await make_client(rate_per_min=60, rate_burst=3, sender_rate_per_min=0)
    statuses = [(await post_json(client, {"sender": f"web_{i}", "message": "珲春"})).status for i in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    resp = await post_json(client, {"sender": "web_9", "message": "珲春"})
    assert resp.status == 429
    assert int(resp.headers["Retry-After"]) >= 1
    assert "频繁" in (await resp.json())["error"]
    assert len(fake_rasa.calls) == 3


async def test_chat_rate_limit_per_conversation(make_client: MakeClient) -> None:
    client = await make_client(rate_per_min=0, sender_rate_per_min=60, sender_rate_burst=2)
    first = [(await post_json(client, {"sender": "web_a", "message": "珲春"})).status for _ in range(3)]
    assert first == [200, 200, 429]
    assert (await post_json(client, {"sender": "web_b", "message": "珲春"})).status == 200


async def test_chat_forwarded_for_is_ignored_unless_trusted(make_client: MakeClient) -> None:
    client = await make_client(rate_per_min=60, rate_burst=1, sender_rate_per_min=0)
    ok = await post_json(client, {"sender": "web_a", "message": "珲春"}, headers={"X-Forwarded-For": "10.0.0.1"})
    spoofed = await post_json(client, {"sender": "web_a", "message": "珲春"}, headers={"X-Forwarded-For": "10.0.0.2"})
    assert (ok.status, spoofed.status) == (200, 429)
    trusted = await make_client(rate_per_min=60, rate_burst=1, sender_rate_per_min=0, trust_proxy=True)
    a = await post_json(trusted, {"sender": "web_a", "message": "珲春"}, headers={"X-Forwarded-For": "10.0.0.1"})
    b = await post_json(trusted, {"sender": "web_a", "message": "珲春"}, headers={"X-Forwarded-For": "10.0.0.2"})
    assert (a.status, b.status) == (200, 200)


async def test_unexpected_error_is_500_json_without_trace(client: TestClient, monkeypatch: pytest.MonkeyPatch,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    def boom(messages: Any) -> Any:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr("bot.routes_public.format_replies", boom)
    resp = await post_json(client, {"sender": SENDER, "message": "珲春"})
    assert resp.status == 500
    text = await resp.text()
    assert "Traceback" not in text and "secret internal detail" not in text and "RuntimeError" not in text
    assert "服务器内部错误" in json.loads(text)["error"]
    assert "secret internal detail" in caplog.text  # it is logged for the operators


async def test_chat_cors_allowed_origin(client: TestClient) -> None:
    origin = "https://www.example.gov.cn"
    pre = await client.options("/api/chat", headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                                                     "Access-Control-Request-Headers": "content-type"})
    assert pre.status == 204
    assert pre.headers["Access-Control-Allow-Origin"] == origin
    assert "POST" in pre.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in pre.headers["Access-Control-Allow-Headers"]
    resp = await post_json(client, {"sender": SENDER, "message": "珲春"}, headers={"Origin": origin})
    assert resp.headers["Access-Control-Allow-Origin"] == origin
    assert "Origin" in resp.headers.get("Vary", "")


async def test_chat_cors_other_origin_refused(client: TestClient) -> None:
    evil = "https://evil.example.com"
    pre = await client.options("/api/chat", headers={"Origin": evil, "Access-Control-Request-Method": "POST"})
    assert pre.status == 403
    assert "Access-Control-Allow-Origin" not in pre.headers
    resp = await post_json(client, {"sender": SENDER, "message": "珲春"}, headers={"Origin": evil})
    assert "Access-Control-Allow-Origin" not in resp.headers


async def test_chat_api_headers(client: TestClient) -> None:
    resp = await post_json(client, {"sender": SENDER, "message": "珲春"})
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]
