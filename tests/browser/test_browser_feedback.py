"""The widget's side of 好差评 (issue 14) in a real browser (web app + fake Rasa): 有用/没用 under the latest
substantive answer only, reachable by keyboard; the five-level rating with an optional comment when the citizen
closes the panel or says thanks; a refused or failed POST /api/feedback (404 while the endpoint is missing, 400,
5xx, no network) says so and keeps the citizen's choice and comment. Stored ratings: test_browser_feedback_stack.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.conftest import MakeContext, Site
from tests.browser.helpers import BOT_MSGS, LONG_QUESTION, ask, new_page, open_widget

pytestmark = pytest.mark.browser
Shot = Callable[..., Path]
LEVELS = ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]


@pytest.fixture(autouse=True)
def fake_ok(fake_site: Site) -> Iterator[None]:
    assert fake_site.fake is not None
    fake_site.fake.mode = "ok"
    yield


def start(make_context: MakeContext, site: Site, view: str = "desktop") -> Page:
    page, _ = new_page(make_context(view))
    page.goto(site.url + "/")
    open_widget(page)
    return page


def failing(status: int) -> Callable[[Route], None]:
    def fulfil(route: Route) -> None:
        if status == 0:
            route.abort("connectionrefused")
        else:
            route.fulfill(status=status, content_type="application/json",
                          body=json.dumps({"error": "评价内容不能超过200字。" if status == 400 else "出错了"},
                                          ensure_ascii=False))
    return fulfil


def test_helpful_only_under_the_latest_substantive_answer(make_context: MakeContext, fake_site: Site) -> None:
    page = start(make_context, fake_site)
    expect(page.locator(".jlw-helpful")).to_have_count(0)  # not under the welcome
    page.get_by_role("button", name="查社保局电话").click()  # a question back, no answer yet
    expect(page.locator(BOT_MSGS)).to_have_count(2)
    expect(page.locator(".jlw-helpful")).to_have_count(0)
    ask(page, "珲春社保局电话")
    group = page.get_by_role("group", name="这个回答对您有帮助吗？")
    expect(group).to_have_count(1)
    expect(group.get_by_role("button", name="有用")).to_be_visible()
    expect(group.get_by_role("button", name="没用")).to_be_visible()
    ask(page, LONG_QUESTION)
    expect(page.locator(".jlw-helpful")).to_have_count(1)  # moved on: only the latest answer is rated
    expect(page.locator(BOT_MSGS).last.locator(".jlw-helpful")).to_have_count(1)


def test_helpful_by_keyboard_and_failure_keeps_the_buttons(make_context: MakeContext, fake_site: Site) -> None:
    """A server that refuses or cannot be reached: the citizen is told in one line and can try again; the next try
    is stored (POST /api/feedback, 201) and thanked."""
    page = start(make_context, fake_site)
    ask(page, "珲春社保局电话")
    useful = page.get_by_role("button", name="有用")
    status = page.locator(".jlw-helpful-status")
    for code in (500, 0):
        page.route("**/api/feedback", failing(code))
        page.get_by_role("button", name="没用").click()
        expect(status).to_have_text("暂时无法提交，请稍后再试。")
        expect(page.get_by_role("button", name="没用")).to_be_enabled()
        page.unroute("**/api/feedback")
    with page.expect_response("**/api/feedback") as response:
        useful.focus()
        page.keyboard.press("Enter")
    assert response.value.request.post_data_json["helpful"] is True
    assert response.value.status == 201
    expect(page.locator(".jlw-helpful-done")).to_have_text("感谢您的反馈")


def test_rating_card_when_closing(make_context: MakeContext, fake_site: Site, shot: Shot) -> None:
    page = start(make_context, fake_site)
    page.locator(".jlw-close").click()  # nothing answered yet: no rating asked
    expect(page.locator(".jlw-rate")).to_have_count(0)
    expect(page.locator(".jlw-launcher")).to_be_focused()
    open_widget(page)
    ask(page, "珲春社保局电话")
    page.keyboard.press("Escape")
    card = page.get_by_role("region", name="请您对本次咨询进行评价")
    expect(card).to_be_visible()
    expect(card).to_be_focused()
    expect(page.locator("#jlw-panel")).to_be_hidden()  # closing closed: the card does not hold the panel open
    levels = card.get_by_role("radio")
    expect(levels).to_have_count(5)
    assert [levels.nth(i).evaluate("e => e.labels[0].textContent") for i in range(5)] == LEVELS
    assert [levels.nth(i).get_attribute("value") for i in range(5)] == ["5", "4", "3", "2", "1"]
    expect(card).to_contain_text("请不要填写身份证号、手机号、银行卡号等个人信息")
    comment = card.get_by_label("补充意见（选填，最多200字）")
    expect(comment).to_have_attribute("maxlength", "200")
    shot(page, "15-rating-card-desktop")

    card.get_by_role("button", name="提交评价").click()  # no level chosen yet
    expect(card.locator(".jlw-rate-status")).to_have_text("请先选择满意程度。")
    expect(levels.first).to_be_focused()
    page.keyboard.press("ArrowDown")  # radios: arrow keys move and choose
    expect(levels.nth(1)).to_be_checked()
    comment.fill("回答很清楚")
    page.route("**/api/feedback", failing(400))
    with page.expect_request("**/api/feedback") as request:
        card.get_by_role("button", name="提交评价").click()
    assert request.value.post_data_json == {"sender": request.value.post_data_json["sender"], "rating": 4,
                                            "comment": "回答很清楚"}
    expect(card.locator(".jlw-rate-status")).to_have_text("评价内容不能超过200字。")  # the server's own words
    expect(levels.nth(1)).to_be_checked()
    expect(comment).to_have_value("回答很清楚")  # nothing lost
    page.unroute("**/api/feedback")

    page.keyboard.press("Escape")  # 不评价
    expect(card).to_be_hidden()
    expect(page.locator(".jlw-launcher")).to_be_focused()
    open_widget(page)
    page.locator(".jlw-close").click()
    expect(page.locator(".jlw-rate")).to_have_count(0)  # skipped: not asked again in this conversation


def test_rating_offered_when_the_citizen_says_thanks(make_context: MakeContext, fake_site: Site, shot: Shot) -> None:
    page = start(make_context, fake_site, "phone")
    ask(page, "珲春社保局电话")
    ask(page, "好的谢谢")
    card = page.locator(".jlw-log .jlw-rate")
    expect(card).to_be_visible()
    card.get_by_text("非常满意").tap()
    expect(card.get_by_role("radio", name="非常满意")).to_be_checked()
    shot(page, "15-phone-rating-in-conversation")
    ask(page, "长春呢")  # went on talking: the card leaves the conversation, offered again on closing
    expect(page.locator(".jlw-log .jlw-rate")).to_have_count(0)
    page.locator(".jlw-close").tap()
    expect(page.locator(".jlw-float .jlw-rate").get_by_role("radio", name="非常满意")).to_be_checked()
