"""Pages and assets: demo page, widget, console page, static files, security headers, HTML errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

import guide
from bot.settings import Settings
from bot.widget_build import WIDGET_JS_PARTS, build_widget_js, widget_config
from tests.web.conftest import MakeClient

PAGES = ["/", "/console"]


async def test_demo_page_embeds_widget_with_one_script_tag(client: TestClient) -> None:
    resp = await client.get("/")
    assert resp.status == 200
    assert resp.content_type == "text/html"
    html = await resp.text()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert len(scripts) == 1
    tag = scripts[0]
    assert 'src="/widget.js"' in tag
    server = re.search(r'data-server="([^"]*)"', tag)
    assert server and re.fullmatch(r"http://127\.0\.0\.1:\d+", server.group(1))
    assert 'data-title="失业保险金智能咨询"' in tag and 'data-color="#1d5fa8"' in tag
    assert "失业保险金申领指南" in html
    assert "<style" not in html and " style=" not in html and "onclick" not in html.lower()
    assert not re.search(r'(src|href)="(https?:)?//', html.replace('href="http://wssb.jlsi.jl.gov.cn:8001"', ""))


async def test_demo_page_uses_public_url(make_client: MakeClient) -> None:
    client = await make_client(public_url="https://ask.jlsi.example")
    html = await (await client.get("/")).text()
    assert 'data-server="https://ask.jlsi.example"' in html


async def test_demo_page_odd_host_header_is_not_reflected(client: TestClient) -> None:
    resp = await client.get("/", headers={"Host": 'evil"><script>alert(1)</script>'})
    assert resp.status == 200
    html = await resp.text()
    assert "<script>alert" not in html
    assert 'data-server=""' in html


@pytest.mark.parametrize(("path", "ctype", "needle"), [
    ("/widget.js", "text/javascript", "navigator.geolocation"),
    ("/widget.css", "text/css", ".jlw"),
    ("/static/site.css", "text/css", ".site-header"),
    ("/static/console.js", "application/javascript", "/console/api/login"),
    ("/static/console-ask.js", "application/javascript", "/console/api/ask"),
    ("/static/console-cases.js", "application/javascript", "/console/api/handoff/"),
    ("/static/richtext.js", "application/javascript", "window.JilinRichText"),
    ("/static/console.css", "text/css", ".grid"),
])
async def test_assets(client: TestClient, path: str, ctype: str, needle: str) -> None:
    resp = await client.get(path)
    assert resp.status == 200
    javascript = ("text/javascript", "application/javascript")  # both are right for a script (RFC 9239)
    assert resp.content_type in (javascript if ctype in javascript else (ctype,))
    text = await resp.text()
    assert needle in text
    assert "//cdn" not in text and "googleapis" not in text and "unpkg" not in text and "jsdelivr" not in text


async def test_widget_assets_may_be_embedded_cross_origin(client: TestClient) -> None:
    resp = await client.get("/widget.js")
    assert resp.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


async def test_widget_js_is_its_parts_in_one_file_with_the_servers_config(client: TestClient) -> None:
    static = Path(__file__).resolve().parents[2] / "bot" / "static"
    js = await (await client.get("/widget.js")).text()
    config = json.dumps(widget_config(Settings()), ensure_ascii=False, sort_keys=True)
    parts = [(static / name).read_text(encoding="utf-8").rstrip("\n") + "\n" for name in WIDGET_JS_PARTS]
    assert js == "".join(parts).replace("{/* SERVER_CONFIG */}", config)
    assert WIDGET_JS_PARTS[0] == "richtext.js" and WIDGET_JS_PARTS[-1] == "widget.js"
    markers = ("window.JilinRichText = {", "window.JilinWidgetParts", "document.currentScript")
    order = [js.index(marker) for marker in markers]
    assert order == sorted(order)


async def test_widget_gets_the_province_phone_and_limits_from_the_server(make_client: MakeClient) -> None:
    """The phone the widget gives when something fails is the guide's (guide.province_contact()), not its own."""
    client = await make_client(max_message_chars=300)
    js = await (await client.get("/widget.js")).text()
    config = json.loads(re.search(r"var SERVER_CONFIG = (\{.*?\});\n", js).group(1))  # type: ignore[union-attr]
    name, phone = guide.province_contact()
    assert config == {"commentMax": 200, "maxChars": 300, "province": {"name": name, "phone": phone}}
    assert phone == "0431-85821827"


def test_widget_build_needs_its_config_placeholder(tmp_path: Path) -> None:
    for name in WIDGET_JS_PARTS:
        (tmp_path / name).write_text(f"/* {name} */\n", encoding="utf-8")
    with pytest.raises(ValueError, match="SERVER_CONFIG"):
        build_widget_js({}, tmp_path)


async def test_widget_js_answers_conditional_requests(client: TestClient) -> None:
    first = await client.get("/widget.js")
    body = await first.read()
    etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = await client.get("/widget.js")
    assert await again.read() == body and again.headers["ETag"] == etag
    for headers in ({"If-None-Match": etag}, {"If-Modified-Since": last_modified}):
        resp = await client.get("/widget.js", headers=headers)
        assert resp.status == 304
        assert await resp.read() == b""
        assert resp.headers["ETag"] == etag
        assert resp.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    resp = await client.get("/widget.js", headers={"If-None-Match": '"other"', "If-Modified-Since": last_modified})
    assert resp.status == 200 and await resp.read() == body


async def test_widget_has_quick_replies_and_accessibility(client: TestClient) -> None:
    js = await (await client.get("/widget.js")).text()
    for payload in ("/ask_eligibility", "/ask_online_apply", "/ask_onsite_apply", "/find_bureau"):
        assert payload in js
    for title in ("申领条件", "网上申领", "现场办理", "查社保局电话", "附近的社保局"):
        assert title in js
    for attr in ('"aria-live"', '"aria-label"', 'role: "log"', "localStorage", "/share_location", "tel:"):
        assert attr in js
    assert ".innerHTML" not in js and "eval(" not in js and "document.write" not in js


async def test_console_page(client: TestClient) -> None:
    resp = await client.get("/console")
    assert resp.status == 200
    html = await resp.text()
    assert "坐席答复辅助工作台" in html
    assert re.findall(r"<script\b[^>]*>", html) == ['<script src="/static/richtext.js">',
                                                     '<script src="/static/console.js">',
                                                     '<script src="/static/console-ask.js">',
                                                     '<script src="/static/console-cases.js">']
    assert "<style" not in html and " style=" not in html
    assert resp.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", PAGES)
async def test_security_headers_on_pages(client: TestClient, path: str) -> None:
    resp = await client.get(path)
    csp = resp.headers["Content-Security-Policy"]
    directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers["Referrer-Policy"] == "no-referrer"


async def test_csp_allows_configured_public_url(make_client: MakeClient) -> None:
    client = await make_client(public_url="https://ask.jlsi.example")
    csp = (await client.get("/")).headers["Content-Security-Policy"]
    assert "connect-src 'self' https://ask.jlsi.example" in csp


async def test_unknown_page_is_html_404(client: TestClient) -> None:
    resp = await client.get("/nope")
    assert resp.status == 404
    assert resp.content_type == "text/html"
    assert "不存在" in await resp.text()
    assert "Content-Security-Policy" in resp.headers


async def test_unknown_api_is_json_404(client: TestClient) -> None:
    resp = await client.get("/api/nope")
    assert resp.status == 404
    assert "不存在" in (await resp.json())["error"]


@pytest.mark.parametrize("path", ["/static/../app.py", "/static/%2e%2e/app.py", "/static/", "/static/nope.js"])
async def test_static_has_no_traversal_or_index(client: TestClient, path: str) -> None:
    resp = await client.get(path)
    assert resp.status in (403, 404)
    assert "create_app" not in await resp.text()


async def test_pages_are_not_cors_enabled(client: TestClient) -> None:
    resp = await client.get("/console", headers={"Origin": "https://www.example.gov.cn"})
    assert "Access-Control-Allow-Origin" not in resp.headers
