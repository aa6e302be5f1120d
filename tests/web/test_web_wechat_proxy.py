"""The public web app forwards /webhooks/wechat/webhook to Rasa's WeChat channel as it came (query string, body,
content type) and brings the answer back; oversized bodies stop here; a Rasa that is down or slow is a clean
502/504; WeChat's servers are not rate limited like one citizen."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from yarl import URL

PATH = "/webhooks/wechat/webhook"


class Upstream:
    """Rasa's side of the path: records what arrived, answers like the channel."""

    def __init__(self) -> None:
        self.seen: list[dict[str, Any]] = []
        self.delay = 0.0

    def app(self) -> web.Application:
        async def handle(request: web.Request) -> web.Response:
            self.seen.append({"method": request.method, "query": request.rel_url.raw_query_string,
                              "body": await request.read(), "type": request.headers.get("Content-Type")})
            await asyncio.sleep(self.delay)  # the fake's own slowness
            if request.method == "GET":
                return web.Response(text=request.query.get("echostr", ""), content_type="text/plain")
            if b"forged" in self.seen[-1]["body"]:
                return web.Response(status=403, text="bad signature")
            return web.Response(text="<xml><Content><![CDATA[答]]></Content></xml>", content_type="application/xml")

        app = web.Application()
        app.router.add_route("*", PATH, handle)
        return app


@pytest.fixture
async def upstream(aiohttp_server: Any) -> tuple[Upstream, TestServer]:
    fake = Upstream()
    return fake, await aiohttp_server(fake.app())


@pytest.fixture
async def proxied(make_client: Any, upstream: tuple[Upstream, TestServer]) -> Any:
    return await make_client(rasa_url=str(upstream[1].make_url("")).rstrip("/"), rate_per_min=1, rate_burst=2)


async def test_get_goes_through_with_the_raw_query_string(proxied, upstream):
    query = "signature=ab12&timestamp=1700000000&nonce=42&echostr=a%2Bb%2F%3D%E7%8F%B2"
    resp = await proxied.get(URL(f"{PATH}?{query}", encoded=True))
    assert resp.status == 200 and await resp.text() == "a+b/=珲"
    assert upstream[0].seen[-1]["query"] == query  # not re-encoded: the signature is over these values


async def test_post_goes_through_with_its_body_and_type_and_the_answer_comes_back(proxied, upstream):
    body = "<xml><Content><![CDATA[珲春社保局电话]]></Content></xml>".encode()
    resp = await proxied.post(f"{PATH}?signature=x&timestamp=1&nonce=2&encrypt_type=aes", data=body,
                              headers={"Content-Type": "text/xml"})
    assert resp.status == 200 and resp.headers["Content-Type"].startswith("application/xml")
    assert "答" in await resp.text()
    seen = upstream[0].seen[-1]
    assert (seen["method"], seen["body"], seen["type"]) == ("POST", body, "text/xml")
    assert seen["query"] == "signature=x&timestamp=1&nonce=2&encrypt_type=aes"


async def test_rasas_refusal_is_passed_on(proxied):
    resp = await proxied.post(PATH, data=b"<xml>forged</xml>")
    assert resp.status == 403 and await resp.text() == "bad signature"


async def test_an_oversized_body_gets_413_and_never_reaches_rasa(proxied, upstream):
    resp = await proxied.post(PATH, data=b"x" * (16 * 1024 + 1))
    assert resp.status == 413

    async def chunks():  # no Content-Length: counted while reading
        for _ in range(20):
            yield b"y" * 1024

    resp = await proxied.post(PATH, data=chunks())
    assert resp.status == 413
    assert upstream[0].seen == []


async def test_wechat_is_not_rate_limited_per_ip(proxied, upstream):
    for _ in range(6):  # this app allows 2 calls a client here; WeChat sends every citizen's messages
        assert (await proxied.post(PATH, data=b"<xml/>")).status == 200
    assert len(upstream[0].seen) == 6


async def test_rasa_down_is_502(make_client):
    client = await make_client(rasa_url="http://127.0.0.1:9")
    resp = await client.post(PATH, data=b"<xml/>")
    assert resp.status == 502 and "Traceback" not in await resp.text()


async def test_rasa_slower_than_the_timeout_is_504(make_client, upstream, monkeypatch):
    monkeypatch.setenv("WECHAT_PROXY_TIMEOUT_S", "0.3")
    upstream[0].delay = 3.0
    client = await make_client(rasa_url=str(upstream[1].make_url("")).rstrip("/"))
    resp = await client.post(PATH, data=b"<xml/>")
    assert resp.status == 504
