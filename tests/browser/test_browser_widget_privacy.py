"""The citizen's privacy in the widget (issue 15; web app + fake Rasa): the welcome asks not to type personal numbers,
清空 can be undone, the history in the browser expires after inactivity (data-history-minutes), 结束咨询 asks first,
calls POST /api/forget and then clears the browser's copy; when the server cannot delete, nothing is cleared."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.conftest import MakeContext, Portal, Site
from tests.browser.helpers import BOT_MSGS, USER_MSGS, ask, new_page, open_widget

pytestmark = pytest.mark.browser
Shot = Callable[..., Path]


@pytest.fixture(autouse=True)
def fake_ok(fake_site: Site) -> Iterator[None]:
    assert fake_site.fake is not None
    fake_site.fake.mode = "ok"
    yield


def stored(page: Page) -> dict | None:
    """The conversation the browser keeps for this server (None: nothing kept)."""
    raw = page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('jlw:v2:') && "
                        "!k.startsWith('jlw:v2:open')).map(k => localStorage.getItem(k))[0] || null")
    return json.loads(raw) if raw else None


def talked(make_context: MakeContext, site: Site) -> tuple[Page, list[str], str]:
    """A page where the citizen asked one question; its errors and the conversation's sender id."""
    page, errors = new_page(make_context("desktop"))
    page.goto(site.url + "/")
    open_widget(page)
    ask(page, "珲春社保局电话")
    return page, errors, stored(page)["sender"]  # type: ignore[index]


def test_welcome_asks_not_to_type_personal_numbers(make_context: MakeContext, fake_site: Site) -> None:
    page, _ = new_page(make_context("desktop"))
    page.goto(fake_site.url + "/")
    open_widget(page)
    welcome = page.locator(".jlw-msg").first
    expect(welcome).to_contain_text("请不要输入身份证号、银行卡号、手机号")
    assert stored(page) is None  # nothing is kept before the citizen says something


def test_clear_can_be_undone(make_context: MakeContext, fake_site: Site, shot: Shot) -> None:
    page, errors, sender = talked(make_context, fake_site)
    page.get_by_role("button", name="清空聊天记录").click()
    expect(page.locator(USER_MSGS)).to_have_count(0)
    expect(page.locator(BOT_MSGS)).to_have_count(1)  # the welcome
    notice = page.locator(".jlw-notice")
    expect(notice).to_contain_text("聊天记录已清空")
    expect(notice.get_by_role("button", name="撤销")).to_be_focused()
    assert stored(page) is None
    shot(page, "15-clear-undo")
    notice.get_by_role("button", name="撤销").click()
    expect(page.locator(USER_MSGS)).to_have_count(1)
    expect(page.locator(BOT_MSGS).last).to_contain_text("0433-7512409")
    assert stored(page)["sender"] == sender  # type: ignore[index]
    expect(page.get_by_role("button", name="清空聊天记录")).to_be_focused()

    page.get_by_role("button", name="清空聊天记录").click()  # cleared for good once the citizen goes on
    ask(page, "珲春")
    expect(page.locator(".jlw-notice")).to_be_hidden()
    assert fake_site.fake is not None and fake_site.fake.calls[-1]["sender"] != sender
    page.reload()
    open_widget(page)
    expect(page.locator(USER_MSGS)).to_have_count(1)
    assert errors == []


@pytest.mark.parametrize("minutes", [30, 5])
def test_history_expires_without_use(make_context: MakeContext, fake_site: Site, portal: Portal, minutes: int) -> None:
    """Default 30 minutes; data-history-minutes="5" on the embedding tag for a 社区 service point's computer."""
    page, _ = new_page(make_context("desktop"))
    page.clock.install()
    if minutes == 30:
        page.goto(fake_site.url + "/")
    else:
        portal.html = ('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>社区服务站</title></head>'
                       f'<body><script src="{fake_site.url}/widget.js" data-server="{fake_site.url}" '
                       f'data-history-minutes="{minutes}"></script></body></html>')
        page.goto(portal.origin + "/")
    open_widget(page)
    ask(page, "珲春社保局电话")
    page.clock.fast_forward(f"{minutes - 1:02d}:00")
    expect(page.locator(USER_MSGS)).to_have_count(1)
    assert stored(page) is not None
    page.clock.fast_forward("02:00")  # past the limit without use, the page still open on a shared computer
    expect(page.locator(USER_MSGS)).to_have_count(0)
    expect(page.locator(".jlw-notice")).to_contain_text(f"{minutes} 分钟未使用，聊天记录已清除")
    assert stored(page) is None


def test_expired_history_is_not_shown_after_a_reload(make_context: MakeContext, fake_site: Site) -> None:
    page, _, _ = talked(make_context, fake_site)
    page.evaluate("""() => { const k = Object.keys(localStorage).find(k => k.startsWith('jlw:v2:http'));
        const s = JSON.parse(localStorage.getItem(k)); s.last -= 31 * 60 * 1000;
        localStorage.setItem(k, JSON.stringify(s)); }""")  # the next visitor, 31 minutes later
    page.reload()
    open_widget(page)
    expect(page.locator(USER_MSGS)).to_have_count(0)
    expect(page.locator(".jlw-notice")).to_contain_text("聊天记录已清除")
    assert "0433-7512409" not in page.locator(".jlw-log").inner_text()


def test_end_conversation_forgets_and_clears(make_context: MakeContext, fake_site: Site, shot: Shot) -> None:
    """The fake Rasa stores nothing, so the real /api/forget finds no such conversation (404, or the route missing
    before it lands): the browser's copy goes all the same; the stack test checks the server side."""
    page, errors, sender = talked(make_context, fake_site)
    page.get_by_role("button", name="结束咨询").click()
    notice = page.locator(".jlw-notice")
    expect(notice).to_contain_text("结束咨询会删除本次对话记录")
    expect(page.locator(USER_MSGS)).to_have_count(1)  # nothing deleted before the citizen confirms
    shot(page, "15-end-confirm")
    notice.get_by_role("button", name="继续咨询").click()
    expect(notice).to_be_hidden()
    expect(page.locator(USER_MSGS)).to_have_count(1)

    with page.expect_request("**/api/forget") as request:
        page.get_by_role("button", name="结束咨询").click()
        notice.get_by_role("button", name="确定结束").click()
    assert request.value.post_data_json == {"sender": sender}
    expect(notice).to_contain_text("本次咨询已结束")
    expect(page.locator(USER_MSGS)).to_have_count(0)
    assert stored(page) is None
    page.reload()
    open_widget(page)
    expect(page.locator(USER_MSGS)).to_have_count(0)
    assert [e for e in errors if "404" not in e] == []


@pytest.mark.parametrize("failure", ["500", "400", "network"])
def test_end_conversation_keeps_everything_when_the_server_cannot_delete(
        make_context: MakeContext, fake_site: Site, shot: Shot, failure: str) -> None:
    page, _, _ = talked(make_context, fake_site)
    before = stored(page)

    def fail(route: Route) -> None:
        if failure == "network":
            route.abort("connectionrefused")
        else:
            route.fulfill(status=int(failure), content_type="application/json",
                          body=json.dumps({"error": "服务暂时不可用。"}, ensure_ascii=False))

    page.route("**/api/forget", fail)
    page.get_by_role("button", name="结束咨询").click()
    page.locator(".jlw-notice").get_by_role("button", name="确定结束").click()
    expect(page.locator(".jlw-notice")).to_contain_text("暂时无法删除服务器上的记录")
    expect(page.locator(".jlw-notice")).to_contain_text("0431-85821827")
    expect(page.locator(USER_MSGS)).to_have_count(1)
    assert stored(page) == before
    if failure == "500":
        shot(page, "15-end-failed")
    page.unroute("**/api/forget")
    page.locator(".jlw-notice").get_by_role("button", name="重试").click()
    expect(page.locator(".jlw-notice")).to_contain_text("本次咨询已结束")
    expect(page.locator(USER_MSGS)).to_have_count(0)
