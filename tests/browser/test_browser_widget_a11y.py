"""Accessibility measured (issue 15; web app + fake Rasa): axe-core on the demo page with the widget closed, open,
after an answer, in 长辈版, on a phone, at 200 % zoom and with the 好差评 card: no serious or critical violation.
Contrast measured in both modes: text >= 4.5:1, borders of controls and focus indicators >= 3:1."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import blocking, run_axe
from tests.browser.conftest import MakeContext, Site
from tests.browser.helpers import LONG_QUESTION, ask, new_page, open_widget
from tests.browser.measure import border_contrast, focus_ring, text_contrast

pytestmark = pytest.mark.browser
Shot = Callable[..., Path]
ELDER = re.compile("长辈版|大字")

TEXT = [".jlw-bubble", ".jlw-meta time", ".jlw-helpful-q", ".jlw-chip:not(:disabled)", ".jlw-tool", ".jlw-title",
        ".jlw-hbtn", ".jlw-send", ".jlw-mini", ".jlw-bubble a", ".jlw-input", ".jlw-notice-text", ".jlw-launcher-text"]
BORDERS = [".jlw-input", ".jlw-chip:not(:disabled)", ".jlw-tool", ".jlw-mini", ".jlw-hbtn", ".jlw-notice-btn"]
FOCUS = [".jlw-launcher", "#jlw-input", ".jlw-send", ".jlw-hbtn.jlw-elder", ".jlw-close", ".jlw-tool.jlw-geo",
         ".jlw-msg:last-child .jlw-chip", ".jlw-helpful .jlw-mini", ".jlw-bubble a", ".jlw-log"]


@pytest.fixture(autouse=True)
def fake_ok(fake_site: Site) -> Iterator[None]:
    assert fake_site.fake is not None
    fake_site.fake.mode = "ok"
    yield


def no_blocking(page: Page, label: str) -> None:
    violations = run_axe(page, label)
    assert blocking(violations) == [], violations


def test_axe_closed_open_answer_elder(make_context: MakeContext, fake_site: Site, shot: Shot) -> None:
    page, errors = new_page(make_context("desktop"))
    page.goto(fake_site.url + "/")
    expect(page.locator(".jlw-launcher")).to_be_visible()
    no_blocking(page, "desktop closed")
    shot(page, "15-desktop-1366x768-closed")
    open_widget(page)
    no_blocking(page, "desktop open")
    shot(page, "15-desktop-1366x768-open")
    ask(page, LONG_QUESTION)
    no_blocking(page, "desktop after an answer")
    shot(page, "15-desktop-1366x768-answer")
    page.get_by_role("button", name=ELDER).click()
    ask(page, "珲春社保局电话")
    no_blocking(page, "desktop 长辈版 after an answer")
    shot(page, "15-desktop-1366x768-elder")
    page.locator(".jlw-close").click()
    expect(page.locator(".jlw-float .jlw-rate")).to_be_visible()
    no_blocking(page, "desktop 长辈版 rating card")
    assert errors == []


@pytest.mark.parametrize("view", ["phone", "zoom200"])
def test_axe_on_small_screens(make_context: MakeContext, fake_site: Site, view: str) -> None:
    page, _ = new_page(make_context(view))
    page.goto(fake_site.url + "/")
    open_widget(page)
    no_blocking(page, f"{view} open")
    ask(page, "珲春社保局电话")
    no_blocking(page, f"{view} after an answer")
    page.get_by_role("button", name=ELDER).click()
    no_blocking(page, f"{view} 长辈版")


@pytest.mark.parametrize("elder", [False, True])
def test_contrast(make_context: MakeContext, fake_site: Site, elder: bool) -> None:
    page, _ = new_page(make_context("desktop"))
    page.goto(fake_site.url + "/")
    open_widget(page)
    if elder:
        page.get_by_role("button", name=ELDER).click()
    ask(page, LONG_QUESTION)  # links, quick replies, 有用/没用
    page.get_by_role("button", name="结束咨询").click()  # a notice with buttons
    least_text = 7.0 if elder else 4.5
    texts = [m for s in TEXT for m in text_contrast(page, s)]
    assert {m["what"] for m in texts} == set(TEXT)
    assert [m for m in texts if m["ratio"] < least_text] == []
    borders = [m for s in BORDERS for m in border_contrast(page, s)]
    assert [m for m in borders if m["ratio"] < 3 or m["width"] < 1] == []
    for selector in FOCUS:
        ring = focus_ring(page, selector)
        assert ring["focusVisible"] and ring["style"] == "solid" and ring["width"] >= 2, ring
        assert ring["ratio"] >= 3, ring
    page.get_by_role("button", name="继续咨询").click()
    page.locator(".jlw-close").click()  # the 好差评 card: radio options and the comment box
    card = [m for s in (".jlw-rate-opt", ".jlw-rate-comment", ".jlw-rate-skip") for m in border_contrast(page, s)]
    assert len(card) == 7 and [m for m in card if m["ratio"] < 3] == []
    texts = [m for s in (".jlw-rate-hint", ".jlw-rate-count", ".jlw-rate-opt", ".jlw-rate-submit")
             for m in text_contrast(page, s)]
    assert [m for m in texts if m["ratio"] < least_text] == []
