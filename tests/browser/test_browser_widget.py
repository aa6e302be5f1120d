"""Widget behaviour that needs no trained model (web app + fake Rasa): location, refused permission,
unreachable server, Rasa down, keyboard and screen-reader support, clearing the history (the typing indicator:
test_browser_widget_details.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import Portal, Site
from tests.browser.helpers import BOT_MSGS, ask, console_token_login, new_page, open_widget
from tests.web.tracker_db import make_tracker, user

pytestmark = pytest.mark.browser
Shot = Callable[..., Path]
HUNCHUN = {"latitude": 42.8625, "longitude": 130.3661}


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    yield context
    context.close()


@pytest.fixture(autouse=True)
def fake_ok(fake_site: Site) -> Iterator[None]:
    assert fake_site.fake is not None
    fake_site.fake.mode = "ok"
    yield
    fake_site.fake.mode = "ok"


def test_nearby_bureau_with_location(browser: Browser, fake_site: Site, shot: Shot) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN",
                                  geolocation=HUNCHUN, permissions=["geolocation"])
    try:
        page, errors = new_page(context)
        page.goto(fake_site.url + "/")
        open_widget(page)
        page.get_by_role("button", name="附近的社保局：使用我的位置查找").click()
        expect(page.locator(".jlw-from-user").last).to_contain_text("我的位置")
        expect(page.locator(BOT_MSGS).last).to_contain_text("珲春市社会保险局")
        expect(page.locator(BOT_MSGS).last.locator('a[href="tel:04337512409"]')).to_be_visible()
        assert fake_site.fake is not None
        sent = fake_site.fake.calls[-1]["message"]
        assert sent == '/share_location{"latitude":42.8625,"longitude":130.3661}'
        shot(page, "10-nearby-bureau")
        assert errors == []
    finally:
        context.close()


def test_location_refused(context: BrowserContext, fake_site: Site, shot: Shot) -> None:
    page, _ = new_page(context)
    page.goto(fake_site.url + "/")
    open_widget(page)
    calls = len(fake_site.fake.calls) if fake_site.fake else 0
    page.get_by_role("button", name="附近的社保局：使用我的位置查找").click()
    alert = page.locator(".jlw-from-system").last
    expect(alert).to_contain_text("您没有允许获取位置")
    expect(alert).to_contain_text("珲春")
    expect(alert).to_have_attribute("role", "alert")
    assert fake_site.fake is not None and len(fake_site.fake.calls) == calls
    shot(page, "11-location-refused")


def test_server_unreachable_keeps_typed_text(context: BrowserContext, fake_site: Site, shot: Shot) -> None:
    page, _ = new_page(context)
    page.goto(fake_site.url + "/")
    open_widget(page)
    page.route("**/api/chat", lambda route: route.abort("connectionrefused"))
    page.locator("#jlw-input").fill("我自己辞职的能领吗")
    page.locator("#jlw-input").press("Enter")
    expect(page.locator(".jlw-from-system").last).to_contain_text("无法连接服务器")
    # the phone the server put into /widget.js (guide.province_contact()), as a tel: link
    expect(page.locator(".jlw-from-system").last).to_contain_text("吉林省社会保险局咨询电话 0431-85821827")
    expect(page.locator(".jlw-from-system").last.locator('a[href="tel:043185821827"]')).to_be_visible()
    expect(page.locator("#jlw-input")).to_have_value("我自己辞职的能领吗")
    expect(page.locator(".jlw-from-user")).to_have_count(0)  # the undelivered question is not in the history
    shot(page, "12-server-unreachable")
    page.unroute("**/api/chat")
    page.locator("#jlw-input").press("Enter")
    expect(page.locator(".jlw-from-user").last).to_contain_text("我自己辞职的能领吗")
    expect(page.locator("#jlw-input")).to_have_value("")


def open_with_fake_mode(context: BrowserContext, fake_site: Site, mode: str) -> tuple[Page, list[str]]:
    """The demo page with the widget open; the fake Rasa answers in `mode` from now on."""
    page, errors = new_page(context)
    page.goto(fake_site.url + "/")
    open_widget(page)
    assert fake_site.fake is not None
    fake_site.fake.mode = mode
    return page, errors


def test_rasa_down_503_is_shown(context: BrowserContext, fake_site: Site) -> None:
    page, _ = open_with_fake_mode(context, fake_site, "error")
    page.locator("#jlw-input").fill("珲春社保局电话")
    page.locator("#jlw-input").press("Enter")
    expect(page.locator(".jlw-from-system").last).to_contain_text("0431-85821827")
    expect(page.locator("#jlw-input")).to_have_value("珲春社保局电话")
    fake_site.fake.mode = "ok"  # type: ignore[union-attr]
    ask(page, "珲春社保局电话")
    expect(page.locator(BOT_MSGS).last).to_contain_text("0433-7512409")


def test_a_degraded_reply_reads_like_any_other(context: BrowserContext, fake_site: Site) -> None:
    """The REST channel's apology comes flagged `degraded` in /api/chat; the citizen sees just its text."""
    page, errors = open_with_fake_mode(context, fake_site, "degraded")
    ask(page, "珲春社保局电话")
    last = page.locator(BOT_MSGS).last
    expect(last).to_contain_text("0431-85821827")
    assert "degraded" not in last.inner_text() and "action_failed" not in page.locator("body").inner_text()
    expect(page.locator(".jlw-from-system")).to_have_count(0)  # not shown as an error either
    assert errors == []


def test_keyboard_and_screen_reader(context: BrowserContext, fake_site: Site, shot: Shot) -> None:
    page, errors = new_page(context)
    page.goto(fake_site.url + "/")
    launcher = page.locator(".jlw-launcher")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    expect(launcher).to_have_attribute("aria-controls", "jlw-panel")
    launcher.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#jlw-input")).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    log = page.get_by_role("log")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(page.get_by_role("dialog", name="失业保险金智能咨询")).to_be_visible()
    expect(page.get_by_label("输入您的问题")).to_be_visible()
    page.keyboard.type("珲春")
    page.keyboard.press("Enter")
    expect(page.locator(BOT_MSGS).last).to_contain_text("0433-7512409")
    expect(page.locator("#jlw-input")).to_be_focused()
    expect(page.locator(".jlw-from-bot .jlw-sr").first).to_have_text("助手：")
    page.keyboard.press("Shift+Tab")  # back to the send button… and Tab order stays inside the panel
    page.keyboard.press("Escape")
    expect(page.locator("#jlw-panel")).to_be_hidden()
    expect(page.get_by_role("region", name="请您对本次咨询进行评价")).to_be_focused()  # after an answer: 好差评
    page.keyboard.press("Escape")  # 不评价
    expect(launcher).to_be_focused()
    shot(page, "13-keyboard-closed")
    assert errors == []


def test_clear_history_starts_new_conversation(context: BrowserContext, fake_site: Site) -> None:
    page, _ = new_page(context)
    page.goto(fake_site.url + "/")
    open_widget(page)
    ask(page, "珲春")
    assert fake_site.fake is not None
    sender = fake_site.fake.calls[-1]["sender"]
    page.get_by_role("button", name="清空聊天记录").click()
    expect(page.locator(".jlw-from-user")).to_have_count(0)
    expect(page.locator(BOT_MSGS)).to_have_count(1)
    ask(page, "珲春")
    assert fake_site.fake.calls[-1]["sender"] != sender
    assert fake_site.fake.calls[-1]["sender"].startswith("web_")


def test_widget_embedded_on_another_site(browser: Browser, fake_site: Site, portal: Portal, shot: Shot) -> None:
    """One <script> tag on a foreign page: assets and API calls go to data-server (CORS must allow the origin)."""
    context = browser.new_context(locale="zh-CN")
    try:
        page: Page = context.new_page()
        portal.html = (
            '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>外部站点</title></head>'
            f'<body><h1>某市人社局</h1><script src="{fake_site.url}/widget.js" data-server="{fake_site.url}" '
            'data-title="在线咨询" data-color="#c8161d"></script></body></html>')
        page.goto(portal.origin + "/")
        expect(page.locator(".jlw-launcher")).to_be_visible()
        color = page.locator(".jlw-launcher").evaluate("e => getComputedStyle(e).backgroundColor")
        assert color == "rgb(200, 22, 29)"
        open_widget(page)
        expect(page.get_by_role("dialog", name="在线咨询")).to_be_visible()
        ask(page, "珲春社保局电话")  # cross-origin POST: preflight + CORS for the allowed origin
        expect(page.locator(BOT_MSGS).last).to_contain_text("0433-7512409")
        shot(page, "14-embedded-on-another-site")
    finally:
        context.close()


def test_console_unanswered_list_is_masked(context: BrowserContext, fake_site: Site, shot: Shot) -> None:
    assert fake_site.tracker_db is not None
    if fake_site.tracker_db.exists():
        fake_site.tracker_db.unlink()
    make_tracker(fake_site.tracker_db, [
        ("web_a", "user", "nlu_fallback", user("我身份证220102199001011234丢了还能领吗", "nlu_fallback", 0.8), 1.7e9),
        ("web_b", "user", "ask_phone", user("打13812345678没人接", "ask_phone", 0.42), 1.7e9 + 60),
        ("web_c", "user", "find_bureau", user("珲春社保局电话", "find_bureau", 0.98), 1.7e9 + 120),
    ])
    page, _ = new_page(context)
    console_token_login(page, fake_site.url, fake_site.console_token)
    rows = page.locator("#un-rows tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("打[手机号]没人接")
    expect(rows.nth(0)).to_contain_text("42.0%")
    expect(rows.nth(1)).to_contain_text("我身份证[身份证号]丢了还能领吗")
    body = page.locator("body").inner_text()
    assert "13812345678" not in body and "220102199001011234" not in body
    shot(page, "15-console-unanswered-masked")

