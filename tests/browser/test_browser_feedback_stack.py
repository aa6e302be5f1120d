"""The widget against the real stack's /api/feedback and /api/forget (issues 14 and 13): what the citizen does in the
browser ends up in (or is removed from) the tracker store's database. Needs the trained model; the endpoints come
from the feedback and privacy work (until they are on main these tests fail: the widget then shows its
'暂时无法提交' / 404 lines instead)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import MakeContext
from tests.browser.helpers import BOT_MSGS, USER_MSGS, ask, new_page, open_widget
from tests.stack import ROOT, StackInfo

pytestmark = [pytest.mark.browser, pytest.mark.stack]
Shot = Callable[..., Path]
TRACKER_DB = ROOT / "var" / "rasa" / "tracker.db"


@pytest.fixture(scope="module")
def real(stack: StackInfo) -> Iterator[StackInfo]:
    """Only the real stack: the endpoints read the conversation from the tracker store Rasa wrote."""
    yield stack


def sender_of(page: Page) -> str:
    raw = page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('jlw:v2:http'))"
                        ".map(k => localStorage.getItem(k))[0]")
    return str(json.loads(raw)["sender"])


def rows(sql: str, *args: object) -> list[tuple]:
    with closing(sqlite3.connect(f"file:{TRACKER_DB}?mode=ro", uri=True)) as db:
        return db.execute(sql, args).fetchall()


def test_helpful_is_stored(make_context: MakeContext, real: StackInfo, shot: Shot) -> None:
    page, _ = new_page(make_context("desktop"))
    page.goto(real.web_url + "/")
    open_widget(page)
    ask(page, "珲春社保局电话")
    expect(page.locator(BOT_MSGS).last).to_contain_text("0433-7512409")
    page.locator(BOT_MSGS).last.get_by_role("button", name="有用").click()
    expect(page.locator(BOT_MSGS).last.locator(".jlw-helpful")).to_have_text("感谢您的反馈")
    shot(page, "15-stack-helpful")
    sender = sender_of(page)
    assert rows("SELECT rating, helpful FROM feedback WHERE sender_id = ?", sender) == [(None, 1)]
    page.reload()  # remembered: not offered again for this answer
    open_widget(page)
    expect(page.locator(BOT_MSGS).last.locator(".jlw-helpful")).to_have_text("感谢您的反馈")


def test_rating_with_a_comment_is_stored_masked(make_context: MakeContext, real: StackInfo, shot: Shot) -> None:
    page, _ = new_page(make_context("phone"))
    page.goto(real.web_url + "/")
    open_widget(page)
    ask(page, "网上怎么申请")
    page.locator(".jlw-close").tap()
    card = page.get_by_role("region", name="请您对本次咨询进行评价")
    card.get_by_text("不满意", exact=True).tap()
    card.get_by_label("补充意见（选填，最多200字）").fill("步骤太多了，打13812345678也没人接")
    card.get_by_role("button", name="提交评价").tap()
    expect(page.locator(".jlw-float")).to_contain_text("感谢您的评价！")
    shot(page, "15-stack-rating-done")
    stored = rows("SELECT rating, comment FROM feedback WHERE sender_id = ?", sender_of(page))
    assert len(stored) == 1 and stored[0][0] == 2
    assert "13812345678" not in stored[0][1] and "[手机号]" in stored[0][1]
    page.get_by_role("button", name="关闭").tap()
    expect(page.locator(".jlw-rate")).to_have_count(0)
    open_widget(page)
    page.locator(".jlw-close").tap()
    expect(page.locator(".jlw-rate")).to_have_count(0)  # rated: not asked again


def test_end_conversation_deletes_it_on_the_server(make_context: MakeContext, real: StackInfo, shot: Shot) -> None:
    page, _ = new_page(make_context("desktop"))
    page.goto(real.web_url + "/")
    open_widget(page)
    ask(page, "珲春社保局电话")
    sender = sender_of(page)
    assert rows("SELECT COUNT(*) FROM events WHERE sender_id = ?", sender)[0][0] > 0
    page.get_by_role("button", name="结束咨询").click()
    page.get_by_role("button", name="确定结束").click()
    expect(page.locator(".jlw-notice")).to_contain_text("已从本机和服务器上删除")
    shot(page, "15-stack-ended")
    expect(page.locator(USER_MSGS)).to_have_count(0)
    assert rows("SELECT COUNT(*) FROM events WHERE sender_id = ?", sender)[0][0] == 0
    ask(page, "珲春社保局电话")  # a new conversation starts under a new sender id
    assert sender_of(page) != sender
