"""GET /api/offices (directory search) and GET /healthz."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.kb import KnowledgeBase
from tests.web.conftest import MakeClient
from tests.web.fake_rasa import FakeRasa


async def test_offices_search_by_name_pinyin_district(client: TestClient) -> None:
    cases = [("珲春", "珲春市社会保险局"), ("hunchun", "珲春市社会保险局"), ("九台", "长春市社会保险局九台分局")]
    for q, bureau in cases:
        resp = await client.get("/api/offices", params={"q": q})
        assert resp.status == 200
        body = await resp.json()
        assert body["query"] == q
        first = body["results"][0]
        assert first["bureau"] == bureau
        assert set(first) >= {"bureau", "phone", "region", "place"}
    body = await (await client.get("/api/offices", params={"q": "珲春"})).json()
    assert body["results"][0]["phone"] == "0433-7512409"
    assert body["results"][0]["region"] == "延边地区"


async def test_offices_limit(client: TestClient) -> None:
    full = (await (await client.get("/api/offices", params={"q": "长春"})).json())["results"]
    assert len(full) > 2  # the limit has something to cut
    body = await (await client.get("/api/offices", params={"q": "长春", "limit": "2"})).json()
    assert body["results"] == full[:2]  # the best two, in the same order


@pytest.mark.parametrize("q", ["", "   "])
async def test_offices_empty_query(client: TestClient, q: str) -> None:
    resp = await client.get("/api/offices", params={"q": q})
    assert resp.status == 200
    assert (await resp.json())["results"] == []
    assert (await client.get("/api/offices")).status == 200


@pytest.mark.parametrize(("params", "fragment"), [
    ({"q": "长" * 101}, "过长"),
    ({"q": "珲春\x00"}, "控制字符"),
    ({"q": "珲春\x1b"}, "控制字符"),
    ({"q": "珲春", "limit": "0"}, "limit"),
    ({"q": "珲春", "limit": "51"}, "limit"),
    ({"q": "珲春", "limit": "abc"}, "limit"),
    ({"q": "珲春", "limit": "-1"}, "limit"),
])
async def test_offices_bad_input(client: TestClient, params: dict[str, str], fragment: str) -> None:
    resp = await client.get("/api/offices", params=params)
    assert resp.status == 400
    assert fragment in (await resp.json())["error"]


class BrokenKB(KnowledgeBase):
    def __init__(self) -> None:
        super().__init__("offices_kb_that_does_not_exist")


async def test_offices_kb_unavailable_is_503(make_client: MakeClient) -> None:
    client = await make_client(kb=BrokenKB())
    resp = await client.get("/api/offices", params={"q": "珲春"})
    assert resp.status == 503
    assert "不可用" in (await resp.json())["error"]


async def test_offices_rate_limited(make_client: MakeClient) -> None:
    client = await make_client(rate_per_min=60, rate_burst=2)
    statuses = [(await client.get("/api/offices", params={"q": "珲春"})).status for _ in range(3)]
    assert statuses == [200, 200, 429]


async def test_offices_cors(client: TestClient) -> None:
    resp = await client.get("/api/offices", params={"q": "珲春"}, headers={"Origin": "https://www.example.gov.cn"})
    assert resp.headers["Access-Control-Allow-Origin"] == "https://www.example.gov.cn"


async def test_healthz_all_up(client: TestClient) -> None:
    resp = await client.get("/healthz")
    assert resp.status == 200
    body = await resp.json()
    assert body["status"] == "ok" and body["down"] == []
    assert all(body["components"][name]["ok"] for name in ("rasa", "actions", "knowledge_base"))
    assert "0431-85821827" in body["components"]["knowledge_base"]["detail"]


async def test_healthz_rasa_down(make_client: MakeClient) -> None:
    client = await make_client(rasa_url="http://127.0.0.1:9")
    resp = await client.get("/healthz")
    assert resp.status == 503
    body: dict[str, Any] = await resp.json()
    assert body["down"] == ["rasa"]
    assert "Rasa" in body["error"]


async def test_healthz_actions_down(client: TestClient, fake_rasa: FakeRasa) -> None:
    fake_rasa.actions_up = False
    resp = await client.get("/healthz")
    assert resp.status == 503
    body = await resp.json()
    assert body["down"] == ["actions"]
    assert "动作服务器" in body["error"]


async def test_healthz_everything_down(make_client: MakeClient) -> None:
    client = await make_client(rasa_url="http://127.0.0.1:9", actions_url="http://127.0.0.1:9", kb=BrokenKB())
    resp = await client.get("/healthz")
    assert resp.status == 503
    body = await resp.json()
    assert body["down"] == ["rasa", "actions", "knowledge_base"]
    assert body["status"] == "down"


async def test_healthz_has_no_secrets(client: TestClient, fake_rasa: FakeRasa) -> None:
    text = await (await client.get("/healthz")).text()
    assert fake_rasa.token not in text
    assert "test-console-token" not in text
