"""Issue 15's smaller items in a real browser (web app + fake Rasa): stale quick replies disabled, the typing
indicator in a bubble, the launcher's label while open, timestamps, 朗读 (hidden without a Chinese voice). (The
province's phone from the server: test_browser_widget.py's unreachable server and tests/unit/test_widget_assets.py.)"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import MakeContext, Site
from tests.browser.helpers import BOT_MSGS, USER_MSGS, ask, new_page, open_widget

pytestmark = pytest.mark.browser
Shot = Callable[..., Path]

# A Chinese voice on the device, as Windows (Huihui), macOS (Tingting) or Android have one; Debian's chromium has
# none, so the test gives the page one and records what it is asked to say.
FAKE_VOICE = """(() => {
  const voice = {name: 'Tingting', lang: 'zh-CN', localService: true, default: true, voiceURI: 'Tingting'};
  window.__spoken = [];
  speechSynthesis.getVoices = () => [voice];
  speechSynthesis.speak = (u) => { window.__spoken.push({text: u.text, lang: u.lang}); };
  speechSynthesis.cancel = () => { window.__spoken.push({cancel: true}); };
})();"""


@pytest.fixture(autouse=True)
def fake_ok(fake_site: Site) -> Iterator[None]:
    assert fake_site.fake is not None
    fake_site.fake.mode = "ok"
    fake_site.fake.delay = 8.0
    yield
    fake_site.fake.mode = "ok"


def test_stale_quick_replies_are_disabled(make_context: MakeContext, fake_site: Site) -> None:
    page, _ = new_page(make_context("desktop"))
    page.goto(fake_site.url + "/")
    open_widget(page)
    welcome = page.locator(".jlw-msg").first
    expect(welcome.get_by_role("button", name="网上申领")).to_be_enabled()
    welcome.get_by_role("button", name="网上申领").click()
    expect(page.locator(BOT_MSGS)).to_have_count(2)
    for title in ("申领条件", "现场办理", "查社保局电话", "网上申领"):
        expect(welcome.get_by_role("button", name=title)).to_be_disabled()
    expect(page.locator("#jlw-input")).to_be_focused()  # the clicked button went stale: focus is not lost
    answer = page.locator(BOT_MSGS).nth(1)
    expect(answer.get_by_role("button", name="怎么上传附件")).to_be_enabled()
    ask(page, "珲春")
    expect(answer.get_by_role("button", name="怎么上传附件")).to_be_disabled()
    page.reload()  # the same after a reload
    open_widget(page)
    expect(page.locator(".jlw-msg").first.get_by_role("button", name="申领条件")).to_be_disabled()
    expect(page.locator(BOT_MSGS).nth(1).get_by_role("button", name="怎么上传附件")).to_be_disabled()


def test_typing_indicator_is_a_bubble(make_context: MakeContext, fake_site: Site, shot: Shot) -> None:
    assert fake_site.fake is not None
    fake_site.fake.mode, fake_site.fake.delay = "slow", 1.5
    page, _ = new_page(make_context("desktop"))
    page.goto(fake_site.url + "/")
    open_widget(page)
    page.locator("#jlw-input").fill("珲春")
    page.locator("#jlw-input").press("Enter")
    typing = page.locator(".jlw-log .jlw-typing .jlw-bubble")
    expect(typing).to_be_visible()
    expect(typing).to_have_text("助手正在输入…")
    style = typing.evaluate("e => { const s = getComputedStyle(e); return [s.borderTopStyle, s.backgroundColor]; }")
    assert style == ["solid", "rgb(255, 255, 255)"]  # a bubble like the assistant's answers
    assert float(typing.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 16
    expect(page.locator(".jlw-send")).to_be_disabled()
    shot(page, "15-typing-indicator")
    expect(page.locator(BOT_MSGS).last).to_contain_text("0433-7512409", timeout=10_000)
    expect(page.locator(".jlw-typing")).to_have_count(0)
    expect(page.locator(".jlw-send")).to_be_enabled()


def test_launcher_says_what_it_does(make_context: MakeContext, fake_site: Site) -> None:
    page, _ = new_page(make_context("desktop"))
    page.goto(fake_site.url + "/")
    launcher = page.locator(".jlw-launcher")
    expect(launcher).to_contain_text("在线咨询")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    launcher.click()
    expect(launcher).to_contain_text("收起咨询")
    expect(launcher).not_to_contain_text("在线咨询")
    expect(launcher).to_have_attribute("aria-expanded", "true")
    launcher.click()
    expect(launcher).to_contain_text("在线咨询")
    expect(page.locator("#jlw-panel")).to_be_hidden()


def test_messages_have_timestamps(make_context: MakeContext, fake_site: Site) -> None:
    page, _ = new_page(make_context("desktop", timezone_id="Asia/Shanghai"))
    page.clock.install(time=datetime(2025, 3, 3, 9, 5, tzinfo=timezone(timedelta(hours=8))))
    page.goto(fake_site.url + "/")
    open_widget(page)
    ask(page, "珲春社保局电话")
    for row in (page.locator(USER_MSGS).last, page.locator(BOT_MSGS).last):
        stamp = row.locator("time")
        expect(stamp).to_have_text("09:05")
        assert re.fullmatch(r"2025-03-03T01:05:\d\d\.\d{3}Z", stamp.get_attribute("datetime") or "")
    page.evaluate("() => { const k = Object.keys(localStorage).find(k => k.startsWith('jlw:v2:http'));"
                  " const s = JSON.parse(localStorage.getItem(k));"
                  " s.messages.forEach(m => { m.time -= 24 * 3600 * 1000; });"
                  " localStorage.setItem(k, JSON.stringify(s)); }")  # said yesterday (kept while in use)
    page.reload()
    open_widget(page)
    expect(page.locator(USER_MSGS).last.locator("time")).to_have_text("3月2日 09:05")


def test_read_aloud_hidden_without_a_chinese_voice(make_context: MakeContext, fake_site: Site) -> None:
    page, _ = new_page(make_context("desktop"))
    page.goto(fake_site.url + "/")
    open_widget(page)
    assert page.evaluate("speechSynthesis.getVoices().filter(v => v.lang.startsWith('zh')).length") == 0
    ask(page, "珲春社保局电话")
    expect(page.locator(".jlw-speak")).to_have_count(2)
    expect(page.get_by_role("button", name="朗读")).to_have_count(0)  # not shown, not in the accessibility tree


def test_read_aloud_with_a_chinese_voice(make_context: MakeContext, fake_site: Site, shot: Shot) -> None:
    context = make_context("desktop")
    context.add_init_script(FAKE_VOICE)
    page, _ = new_page(context)
    page.goto(fake_site.url + "/")
    open_widget(page)
    ask(page, "珲春社保局电话")
    read = page.locator(BOT_MSGS).last.get_by_role("button", name="朗读")
    expect(read).to_be_visible()
    shot(page, "15-read-aloud")
    read.click()
    spoken = page.evaluate("window.__spoken")
    assert spoken[-1] == {"text": "珲春市的失业保险业务由珲春市社会保险局办理，咨询电话：0 4 3 3，7 5 1 2 4 0 9。",
                          "lang": "zh-CN"}  # the number digit by digit, no 依据 line
    expect(page.locator(BOT_MSGS).last.get_by_role("button", name="停止朗读")).to_be_visible()
    page.locator(BOT_MSGS).last.get_by_role("button", name="停止朗读").click()
    assert page.evaluate("window.__spoken").pop() == {"cancel": True}
    expect(read).to_have_text("朗读")

