"""The scenarios of issue 5 in a real browser against the running stack (or the fake Rasa with BROWSER_TARGET=fake):
demo page, widget, quick reply, 珲春 phone, history after reload, 360 px layout, console login and look-ups."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import Site
from tests.browser.helpers import BOT_MSGS, ask, console_token_login, new_page, open_widget

pytestmark = [pytest.mark.browser, pytest.mark.stack]
Shot = Callable[..., Path]


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="zh-CN")
    yield context
    context.close()


def test_widget_conversation_and_history(site: Site, desktop: BrowserContext, shot: Shot) -> None:
    page, errors = new_page(desktop)
    page.goto(site.url + "/")
    expect(page).to_have_title("失业保险金申领 - 吉林省社会保险公共服务（演示页）")
    expect(page.locator("h1")).to_have_text("失业保险金申领指南")
    shot(page, "01-demo-page")

    open_widget(page)
    welcome = page.locator(BOT_MSGS).first
    expect(welcome).to_contain_text("失业保险金申领智能助手")
    for title in ("申领条件", "网上申领", "现场办理", "查社保局电话"):
        expect(welcome.get_by_role("button", name=title)).to_be_visible()
    expect(page.get_by_role("button", name="附近的社保局：使用我的位置查找")).to_be_visible()
    shot(page, "02-widget-welcome")

    welcome.get_by_role("button", name="申领条件").click()
    expect(page.locator(".jlw-from-user .jlw-bubble").last).to_have_text("我：申领条件")
    expect(page.locator(BOT_MSGS).nth(1)).to_contain_text("条件", timeout=30_000)
    shot(page, "03-quick-reply-eligibility")

    ask(page, "珲春社保局电话")
    answer = page.locator(BOT_MSGS).last
    expect(answer).to_contain_text("0433-7512409")
    tel = answer.locator('a[href="tel:04337512409"]')
    expect(tel).to_have_text("0433-7512409")
    expect(tel).to_have_class("jlw-tel")
    expect(tel).to_have_attribute("aria-label", "拨打电话 0433-7512409")
    shot(page, "04-hunchun-phone")

    page.reload()
    open_widget(page)
    expect(page.locator(".jlw-from-user")).to_contain_text(["我：申领条件", "我：珲春社保局电话"])
    expect(page.locator(BOT_MSGS).last.locator('a[href="tel:04337512409"]')).to_be_visible()
    shot(page, "05-history-after-reload")
    assert errors == []


def test_widget_on_a_360px_phone(site: Site, phone: BrowserContext, shot: Shot) -> None:
    page, errors = new_page(phone)
    page.goto(site.url + "/")
    shot(page, "06-mobile-360-page")
    open_widget(page)
    ask(page, "珲春社保局电话")
    expect(page.locator(BOT_MSGS).last).to_contain_text("0433-7512409")
    panel = page.locator("#jlw-panel").bounding_box()
    assert panel is not None and panel["x"] >= 0 and panel["width"] <= 360
    for selector in ("#jlw-input", ".jlw-send", ".jlw-close", ".jlw-geo"):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360, selector
        assert box["y"] + box["height"] <= 740, selector
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "07-mobile-360-widget")
    assert errors == []


def login(page: Page, site: Site) -> None:
    """With the console token (the machine credential); staff accounts: test_browser_console.py."""
    console_token_login(page, site.url, site.console_token)


def test_console_login_question_and_directory(site: Site, desktop: BrowserContext, shot: Shot) -> None:
    page, errors = new_page(desktop)
    page.goto(site.url + "/console")
    page.get_by_text("使用工作台令牌").click()
    page.get_by_label("工作台令牌").fill("wrong-token")
    page.get_by_role("button", name="用令牌登录").click()
    expect(page.locator("#login-error")).to_contain_text("令牌")
    expect(page.locator("#app-view")).to_be_hidden()
    shot(page, "08-console-login-refused")

    login(page, site)
    page.get_by_label("输入来电人的问题（回车查询）").fill("珲春社保局电话")
    page.get_by_label("输入来电人的问题（回车查询）").press("Enter")
    expect(page.locator("#answer")).to_contain_text("0433-7512409", timeout=30_000)
    expect(page.locator("#answer a[href='tel:04337512409']")).to_be_visible()
    expect(page.locator("#answer a[href='tel:04337512409']")).to_have_class("tel")
    expect(page.locator("#answer a[href='tel:04337512409']")).to_have_attribute("aria-label", "拨打电话 0433-7512409")
    expect(page.locator("#intent")).to_contain_text("置信度")
    expect(page.locator("#ranking li").first).to_be_visible()
    expect(page.locator("#bureau")).to_contain_text("珲春市社会保险局")
    expect(page.locator("#basis")).to_contain_text("失业保险金申领指南")

    page.get_by_label("按名称、简称、拼音或区县查找").fill("hunchun")
    first = page.locator("#dir-results li").first
    expect(first).to_contain_text("珲春市社会保险局")
    expect(first).to_contain_text("0433-7512409")
    shot(page, "09-console-answer-and-directory", full_page=True)

    desktop.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.url)
    page.get_by_role("button", name="复制答复").click()
    expect(page.locator("#copy-status")).to_have_text("答复已复制到剪贴板。")  # not "复制失败，…"
    assert "0433-7512409" in page.evaluate("navigator.clipboard.readText()")

    page.reload()  # the token stays for this tab's session
    expect(page.locator("#app-view")).to_be_visible()
    page.get_by_role("button", name="退出").click()
    expect(page.locator("#login-view")).to_be_visible()
    assert [e for e in errors if "status of 401" not in e] == []  # only the refused login
