"""咨询编号 in the console (GET /console/api/handoff/<code>), conversations from the bad ratings, and 好差评
(POST /api/feedback): success, every bad input, 401/404, expiry, the rate limit per staff member, the audit log."""

from __future__ import annotations

import re
import sqlite3
import time
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.settings import Settings
from tests.web.conftest import AUTH, MakeClient, add_staff, login

CODE = re.compile(r"咨询编号：([2-9A-HJ-NP-Z]{7})")
STORY = ["我在珲春交了三年社保，手机13812345678", "珲春社保局电话", "转人工"]


async def chat(client: TestClient, sender: str, message: str) -> str:
    resp = await client.post("/api/chat", json={"sender": sender, "message": message})
    assert resp.status == 200
    return "\n".join(r["text"] for r in (await resp.json())["replies"])


async def story(client: TestClient, sender: str = "web_story1") -> str:
    """A conversation that ends with 转人工; the code of its answer."""
    for message in STORY[:-1]:
        await chat(client, sender, message)
    found = CODE.search(await chat(client, sender, STORY[-1]))
    assert found
    return found.group(1)


async def test_an_agent_opens_the_conversation_with_its_code(client: TestClient, base_settings: Settings) -> None:
    code = await story(client)
    add_staff(base_settings, "wang.li")
    await login(client, "wang.li")
    resp = await client.get(f"/console/api/handoff/{code.lower()}")  # typed in lower case
    assert resp.status == 200
    body = await resp.json()
    assert body["code"] == code and body["sender"] == "web_story1"
    assert set(body) == {"code", "sender", "created", "expires", "turns", "facts"}
    assert [t["who"] for t in body["turns"]] == ["user", "bot"] * 3
    assert body["turns"][0]["text"] == "我在珲春交了三年社保，手机[手机号]"  # masked
    assert "13812345678" not in str(body)
    assert body["facts"] == {"contribution_months": 36.0, "contribution_said": "三年", "insured_place": "珲春",
                             "bureau_name": "珲春市社会保险局", "bureau_phone": "0433-7512409",
                             "contact": "珲春市社会保险局：0433-7512409"}
    created, expires = (time.mktime(time.strptime(body[k][:19], "%Y-%m-%dT%H:%M:%S")) for k in ("created", "expires"))
    assert expires - created == 7 * 86400
    audit = await (await client.get("/console/api/audit", headers=AUTH)).json()
    assert audit["entries"][0]["username"] == "wang.li" and audit["entries"][0]["action"] == "open_handoff"
    assert audit["entries"][0]["target"] == f"{code} web_story1"


@pytest.mark.parametrize("code", ["AAAAAAA", "ab3", "AB0K7MQ", "A" * 40, "%27%20or%201%3D1", "咨询编号"])
async def test_unknown_or_malformed_codes_are_404(client: TestClient, code: str) -> None:
    resp = await client.get(f"/console/api/handoff/{code}", headers=AUTH)
    assert resp.status == 404 and "咨询编号" in (await resp.json())["error"]


async def test_an_expired_code_is_404(client: TestClient, base_settings: Settings) -> None:
    code = await story(client)
    assert (await client.get(f"/console/api/handoff/{code}", headers=AUTH)).status == 200
    with sqlite3.connect(base_settings.tracker_db) as db:
        db.execute("UPDATE handoff SET expires_at = ?", (time.time() - 1,))
    assert (await client.get(f"/console/api/handoff/{code}", headers=AUTH)).status == 404


async def test_without_staff_credentials_401(client: TestClient) -> None:
    code = await story(client)
    for path in (f"/console/api/handoff/{code}", "/console/api/conversations/web_story1", "/console/api/feedback"):
        resp = await client.get(path, headers={"Authorization": "Bearer wrong"})
        assert resp.status == 401, path


async def test_code_lookups_are_limited_per_staff_member(make_client: MakeClient, base_settings: Settings) -> None:
    client = await make_client(handoff_rate_per_min=60, handoff_rate_burst=3)
    add_staff(base_settings, "wang.li")
    add_staff(base_settings, "li.na")
    await login(client, "wang.li")
    statuses = [(await client.get("/console/api/handoff/AAAAAAA")).status for _ in range(5)]
    assert statuses == [404, 404, 404, 429, 429]
    await login(client, "li.na")  # another agent has a budget of their own
    assert (await client.get("/console/api/handoff/AAAAAAA")).status == 404


async def test_the_same_conversation_keeps_its_code(client: TestClient) -> None:
    code = await story(client)
    again = CODE.search(await chat(client, "web_story1", "我要投诉"))
    assert again and again.group(1) == code


async def rate(client: TestClient, body: Any) -> Any:
    return await client.post("/api/feedback", json=body)


async def test_ratings_are_stored_with_the_question_and_bad_ones_listed(client: TestClient,
                                                                       base_settings: Settings) -> None:
    await chat(client, "web_rate1", "珲春社保局电话")
    await chat(client, "web_rate1", "我手机13812345678，审核要多久")
    assert (await rate(client, {"sender": "web_rate1", "helpful": False})).status == 201
    resp = await rate(client, {"sender": "web_rate1", "rating": 2, "comment": "没说清楚，回电13812345678"})
    assert resp.status == 201 and (await resp.json()) == {"ok": True}
    assert (await rate(client, {"sender": "web_rate1", "rating": 5})).status == 201
    assert (await rate(client, {"sender": "web_rate1", "helpful": True})).status == 201
    items = (await (await client.get("/console/api/feedback", headers=AUTH)).json())["items"]
    assert [(i["rating"], i["helpful"]) for i in items] == [(2, None), (None, False)]  # 1-2 and 没用, newest first
    assert items[0]["comment"] == "没说清楚，回电[手机号]"
    assert items[1]["question"] == "我手机[手机号]，审核要多久" and items[1]["intent"] == "nlu_fallback"
    with sqlite3.connect(base_settings.tracker_db) as db:
        assert not any("13812345678" in str(row) for row in db.execute("SELECT * FROM feedback"))
    # the conversation behind a bad rating, to follow up
    conversation = await (await client.get(f"/console/api/conversations/{items[0]['sender']}", headers=AUTH)).json()
    assert conversation["turns"][2]["text"] == "我手机[手机号]，审核要多久"
    assert (await client.get("/console/api/conversations/web_never", headers=AUTH)).status == 404
    assert (await client.get("/console/api/conversations/..%2Fx", headers=AUTH)).status == 404


@pytest.mark.parametrize(("body", "words"), [
    ({"sender": "web_rate2", "rating": 0}, "1 到 5"),
    ({"sender": "web_rate2", "rating": 6}, "1 到 5"),
    ({"sender": "web_rate2", "rating": 4.5}, "1 到 5"),
    ({"sender": "web_rate2", "rating": "5"}, "1 到 5"),
    ({"sender": "web_rate2", "rating": True}, "1 到 5"),
    ({"sender": "web_rate2", "helpful": "yes"}, "true 或 false"),
    ({"sender": "web_rate2", "helpful": 1}, "true 或 false"),
    ({"sender": "web_rate2", "helpful": True, "rating": 5}, "二者之一"),
    ({"sender": "web_rate2"}, "二者之一"),
    ({"sender": "web_rate2", "helpful": False, "comment": "差"}, "五级评价"),
    ({"sender": "web_rate2", "rating": 1, "comment": "长" * 201}, "最多 200"),
    ({"sender": "web_rate2", "rating": 1, "comment": 5}, "字符串"),
    ({"sender": "web_rate2", "rating": 1, "comment": "a\x00b"}, "控制字符"),
    ({"sender": "web_rate2", "rating": 5, "stars": 5}, "不支持的字段"),
    ({"sender": "../x", "rating": 5}, "会话编号"),
    ({"sender": "console_abc", "rating": 5}, "console_"),
    ({"rating": 5}, "sender"),
    ({"sender": "web_never_talked", "rating": 5}, "没有对话记录"),
])
async def test_bad_ratings_requests_get_a_clear_400(client: TestClient, body: dict[str, Any], words: str) -> None:
    await chat(client, "web_rate2", "珲春社保局电话")
    resp = await rate(client, body)
    assert resp.status == 400
    assert words in (await resp.json())["error"]


async def test_an_empty_comment_is_no_comment_and_200_chars_fit(client: TestClient) -> None:
    await chat(client, "web_rate3", "珲春社保局电话")
    assert (await rate(client, {"sender": "web_rate3", "rating": 1, "comment": "  "})).status == 201
    assert (await rate(client, {"sender": "web_rate3", "rating": 1, "comment": "好" * 200})).status == 201
    items = (await (await client.get("/console/api/feedback", headers=AUTH)).json())["items"]
    assert [i["comment"] for i in items] == ["好" * 200, None]


async def test_ratings_are_rate_limited_per_conversation(make_client: MakeClient) -> None:
    client = await make_client(sender_rate_per_min=60, sender_rate_burst=3)
    await chat(client, "web_rate4", "珲春社保局电话")  # takes one of the conversation's three
    statuses = [(await rate(client, {"sender": "web_rate4", "helpful": True})).status for _ in range(3)]
    assert statuses == [201, 201, 429]


async def test_a_database_that_cannot_be_reached_is_503(make_client: MakeClient, tmp_path: Any) -> None:
    (tmp_path / "blocked").write_text("a file where the database's directory should be")
    client = await make_client(tracker_db=tmp_path / "blocked" / "tracker.db")
    resp = await rate(client, {"sender": "web_rate5", "rating": 5})
    assert resp.status == 503 and "稍后" in (await resp.json())["error"]
    assert (await client.get("/console/api/handoff/AB3K7MQ", headers=AUTH)).status == 503
