"""Issue 15 in a real browser (web app + fake Rasa): the widget at 1366x768, at 200 % and 400 % zoom, reflowed at
320 CSS px, on a 360x740 phone with and without its keyboard, and in 长辈版: message area, header and close reachable,
a new answer shown from its first line, touch targets, sizes that follow the citizen's font setting, a site-wide
适老化 toolbar that zooms the page. Screenshots: tests/browser/screenshots/15-*.png."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, KEYBOARD_PX, VIEWS, MakeContext, Portal, Site
from tests.browser.helpers import BOT_MSGS, LONG_QUESTION, ask, new_page, open_widget
from tests.browser.measure import box, js, latest_answer, message_area, no_horizontal_scroll, reachable, targets

pytestmark = pytest.mark.browser
Shot = Callable[..., Path]
ELDER = re.compile("长辈版|大字")


@pytest.fixture(autouse=True)
def fake_ok(fake_site: Site) -> Iterator[None]:
    assert fake_site.fake is not None
    fake_site.fake.mode = "ok"
    yield


def visit(make_context: MakeContext, site: Site, view: str, elder: bool = False) -> Page:
    page, errors = new_page(make_context(view))
    page.goto(site.url + "/")
    open_widget(page)
    if elder:
        page.get_by_role("button", name=ELDER).click()
        expect(page.locator(".jlw")).to_have_attribute("data-elder", "true")
    page.errors = errors  # type: ignore[attr-defined]
    return page


def font_px(page: Page, selector: str) -> float:
    return float(page.locator(selector).evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))


def _starts_in_view(m: dict) -> bool:
    area = m["area"]
    return area["top"] - 1 <= m["top"] and (m["bottom"] <= area["bottom"] + 1 or m["top"] <= area["top"] + 16)


def assert_answer_starts_in_view(page: Page) -> None:
    """A short answer: its first line in view, and all of it or (400 %) at least from its start. The widget scrolls
    in the frame after it renders (and again after a resize): measured frame by frame, for at most 120 frames."""
    m = latest_answer(page)
    for _ in range(120):
        if _starts_in_view(m):
            break
        page.evaluate("() => new Promise(requestAnimationFrame)")
        m = latest_answer(page)
    assert _starts_in_view(m), m


def assert_answer_from_its_start(page: Page) -> None:
    m = latest_answer(page)
    area = m["area"]
    assert area["top"] - 1 <= m["top"] <= area["top"] + 16, m  # the first line at the top of the message area
    assert m["bottom"] > area["bottom"], m  # a long answer: its end is below, not what the citizen sees first


def test_elder_mode_switch(make_context: MakeContext, fake_site: Site, shot: Shot) -> None:
    page = visit(make_context, fake_site, "desktop")
    switch = page.get_by_role("button", name=ELDER)
    expect(switch).to_have_attribute("aria-pressed", "false")
    welcome = page.locator(".jlw-msg").first
    expect(welcome.locator(".jlw-chip:visible")).to_have_count(4)
    normal_font = font_px(page, ".jlw-bubble")
    normal_contrast = js(page, "(M) => M.ratio(M.parse(getComputedStyle(M.q('.jlw-bubble')).color), "
                               "M.background(M.q('.jlw-bubble')))")

    switch.click()
    expect(switch).to_have_attribute("aria-pressed", "true")
    chips = welcome.locator(".jlw-chip:visible")
    expect(chips).to_have_count(4)  # three quick replies and 更多选项: fewer and larger
    expect(chips.last).to_have_text("更多选项")
    for i in range(4):
        size = chips.nth(i).bounding_box()
        assert size is not None and size["height"] >= 60 and size["width"] >= 60
        assert font_px(page, f".jlw-msg >> nth=0 >> .jlw-chip:visible >> nth={i}") >= 20
    assert font_px(page, ".jlw-bubble") >= 20 > normal_font
    elder_contrast = js(page, "(M) => M.ratio(M.parse(getComputedStyle(M.q('.jlw-bubble')).color), "
                              "M.background(M.q('.jlw-bubble')))")
    assert elder_contrast >= 7 and elder_contrast > normal_contrast  # AAA in 长辈版
    chips.last.click()
    expect(welcome.locator(".jlw-chip:visible")).to_have_count(4)
    expect(welcome.get_by_role("button", name="网上申领")).to_be_visible()

    ask(page, "珲春社保局电话")
    assert font_px(page, f"{BOT_MSGS} >> nth=-1 >> .jlw-bubble") >= 20
    small = [t for t in targets(page, "#jlw-panel") if t["width"] < 60 or t["height"] < 60]
    assert small == []
    shot(page, "15-elder-1366x768-answer")

    page.reload()  # remembered across reloads
    open_widget(page)
    expect(page.get_by_role("button", name=ELDER)).to_have_attribute("aria-pressed", "true")
    assert font_px(page, f"{BOT_MSGS} >> nth=-1 >> .jlw-bubble") >= 20
    page.get_by_role("button", name=ELDER).click()
    page.reload()
    open_widget(page)
    expect(page.get_by_role("button", name=ELDER)).to_have_attribute("aria-pressed", "false")
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(("view", "elder"), [
    ("desktop", False), ("desktop", True), ("zoom200", False), ("zoom200", True), ("zoom400", False),
    ("zoom400", True), ("reflow320", False), ("phone", False), ("phone", True)])
def test_new_answer_is_shown_from_its_start(make_context: MakeContext, fake_site: Site, shot: Shot, view: str,
                                            elder: bool) -> None:
    page = visit(make_context, fake_site, view, elder)
    ask(page, LONG_QUESTION)
    assert_answer_from_its_start(page)
    shot(page, f"15-{view}{'-elder' if elder else ''}-long-answer")
    ask(page, "珲春社保局电话")  # a short answer after a long one
    assert_answer_starts_in_view(page)


@pytest.mark.parametrize(("view", "elder"), [
    ("zoom200", False), ("zoom200", True), ("zoom400", False), ("zoom400", True), ("reflow320", False),
    ("reflow320", True)])
def test_zoom_keeps_messages_header_and_close(make_context: MakeContext, fake_site: Site, shot: Shot, view: str,
                                              elder: bool) -> None:
    page = visit(make_context, fake_site, view, elder)
    shot(page, f"15-{view}{'-elder' if elder else ''}-open")
    ask(page, "珲春社保局电话")
    area = message_area(page)
    assert area["height"] >= area["viewport"]["height"] / 2, area
    for selector in (".jlw-close", ".jlw-elder", ".jlw-clear"):
        assert reachable(page, selector), selector
    reflow = no_horizontal_scroll(page)
    assert reflow == {"page": True, "wide": [], "scrollers": []}, reflow
    expect(page.locator(BOT_MSGS).last.locator('a[href="tel:04337512409"]')).to_be_visible()
    page.locator(".jlw-close").click()
    expect(page.locator("#jlw-panel")).to_be_hidden()
    assert page.errors == []  # type: ignore[attr-defined]


def test_phone_with_keyboard_open(make_context: MakeContext, fake_site: Site, shot: Shot) -> None:
    page = visit(make_context, fake_site, "phone")
    expect(page.locator("#jlw-input")).not_to_be_focused()  # the keyboard does not cover the welcome
    shot(page, "15-phone-360x740-open")
    page.locator("#jlw-input").tap()
    page.set_viewport_size({"width": 360, "height": 740 - KEYBOARD_PX})  # the keyboard opens
    ask(page, LONG_QUESTION)
    assert_answer_from_its_start(page)
    area = message_area(page)
    assert area["height"] >= area["viewport"]["height"] / 2, area
    for selector in (".jlw-close", ".jlw-elder", "#jlw-input", ".jlw-send"):
        assert reachable(page, selector), selector
    shot(page, "15-phone-360x740-keyboard-long-answer")

    page.set_viewport_size(VIEWS["phone"]["viewport"])  # keyboard closed: the answer still from its start
    page.wait_for_function("() => window.visualViewport.height === 740")
    page.evaluate("() => new Promise(requestAnimationFrame)")
    assert_answer_from_its_start(page)

    page.locator("#jlw-input").fill("珲春社保局电话")  # the keyboard opens while an answer is on its way
    page.locator("#jlw-input").press("Enter")
    page.set_viewport_size({"width": 360, "height": 740 - KEYBOARD_PX})
    expect(page.locator(".jlw-typing")).to_have_count(0, timeout=20_000)
    assert_answer_starts_in_view(page)
    shot(page, "15-phone-360x740-keyboard-answer")
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("elder", [False, True])
def test_phone_touch_targets(make_context: MakeContext, fake_site: Site, shot: Shot, elder: bool) -> None:
    page = visit(make_context, fake_site, "phone", elder)
    ask(page, "珲春社保局电话")  # a tel: link
    ask(page, LONG_QUESTION)  # an http link and five quick replies
    least = 60 if elder else 44
    found = targets(page, "#jlw-panel")
    assert any(t["text"].startswith("拨打电话") for t in found) and any("http" in t["text"] for t in found)
    assert [t for t in found if t["width"] < least or t["height"] < least] == []
    page.locator(".jlw-close").click()  # the 好差评 card that follows
    expect(page.locator(".jlw-float .jlw-rate")).to_be_visible()
    assert [t for t in targets(page, ".jlw-float") if t["width"] < least or t["height"] < least] == []
    launcher = box(page, ".jlw-launcher")
    assert launcher["width"] >= least and launcher["height"] >= least
    shot(page, f"15-phone-360x740{'-elder' if elder else ''}-rating-card")


def test_sizes_follow_the_citizens_font_setting(browser: Browser, fake_site: Site, portal: Portal,
                                                tmp_path: Path) -> None:
    """em from the browser's default font size: a larger default makes the widget larger; a host page's root font
    size (62.5 %, lib-flexible's 37.5 px) does not change it."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
    try:
        sizes = {}
        hosts = (("plain", ""), ("62.5%", "html{font-size:62.5%}"), ("flexible", "html{font-size:37.5px}"))
        for name, css in hosts:
            portal.html = (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>宿主页面</title>'
                           f'<style>{css}</style></head><body><h1>某市人社局</h1>'
                           f'<script src="{fake_site.url}/widget.js" data-server="{fake_site.url}"></script>'
                           '</body></html>')
            page = context.new_page()
            page.goto(portal.origin + f"/{name}")
            open_widget(page)
            sizes[name] = (font_px(page, ".jlw-bubble"), font_px(page, ".jlw-title"))
            page.close()
        assert sizes["plain"] == sizes["62.5%"] == sizes["flexible"] == (16.0, 17.0), sizes
    finally:
        context.close()

    profile = tmp_path / "profile"
    (profile / "Default").mkdir(parents=True)
    prefs = {"webkit": {"webprefs": {"default_font_size": 24}}}  # Chrome's 设置 > 外观 > 字号
    (profile / "Default" / "Preferences").write_text(json.dumps(prefs), encoding="utf-8")
    large = browser.browser_type.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, locale="zh-CN",
        viewport={"width": 1366, "height": 768})
    try:
        page = large.new_page()
        page.goto(fake_site.url + "/")
        open_widget(page)
        assert font_px(page, ".jlw-bubble") == 24.0
        assert font_px(page, ".jlw-title") == 25.5
        chip = page.locator(".jlw-chip").first.bounding_box()
        assert chip is not None and chip["height"] >= 2.25 * 24 - 0.5  # targets grow with the text
    finally:
        large.close()


@pytest.mark.parametrize("how", ["zoom: 1.5", "transform: scale(1.5); transform-origin: 0 0"])
def test_site_wide_toolbar_zoom_keeps_header_on_screen(make_context: MakeContext, fake_site: Site, portal: Portal,
                                                      shot: Shot, how: str) -> None:
    """A 适老化 toolbar zooms <body> after the page loaded: the panel stays on screen, header and 关闭 reachable."""
    portal.html = ('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>宿主页面</title></head>'
                   '<body><h1>某市人社局</h1><p>正文</p>'
                   f'<script src="{fake_site.url}/widget.js" data-server="{fake_site.url}"></script></body></html>')
    page, errors = new_page(make_context("desktop"))
    page.goto(portal.origin + "/")
    page.evaluate(f"() => document.body.setAttribute('style', {how!r})")  # the toolbar's button
    open_widget(page)
    ask(page, "珲春社保局电话")
    panel = box(page, "#jlw-panel")
    assert panel["y"] >= 0 and panel["bottom"] <= 768 and panel["x"] >= 0 and panel["right"] <= 1366, panel
    for selector in (".jlw-close", ".jlw-elder", "#jlw-input"):
        assert reachable(page, selector), selector
    shot(page, f"15-toolbar-{how.split(':')[0]}-1366x768")
    page.evaluate("() => document.body.removeAttribute('style')")  # the toolbar switched off again
    page.wait_for_function("() => document.querySelector('.jlw').parentElement === document.body")
    assert reachable(page, ".jlw-close")
    assert errors == []
