"""The console's dashboard in Debian's chromium: an agent logs in at the console, opens 统计看板, the charts draw
(SVG, Chinese names), a year and a custom range, the grouped questions masked, and the CSV export downloads a
file Excel reads. Against the web app with a generated tracker store (no Rasa needed: the dashboard reads the
store). Screenshots: tests/browser/screenshots/dashboard-*.png."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from bench.tracker_fill import fill_sqlite
from devtools.net import http_get
from tests.browser.conftest import Site
from tests.browser.helpers import console_token_login, new_page
from tests.web.live import live_servers
from tests.web.tracker_db import add_feedback, iso, make_tracker, midnight, said

pytestmark = pytest.mark.browser
Shot = Callable[..., Path]
PHONE = "13812345678"


@pytest.fixture(scope="module")
def dash_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    var = tmp_path_factory.mktemp("dashboard") / "var"
    db = var / "rasa" / "tracker.db"
    fill_sqlite(db, 30_000, days=365, end=time.time() - 3600)
    masked = said("web_dash", f"我电话{PHONE}，社保卡丢了怎么补办", "nlu_fallback", 0.3, midnight(2) + 36000)
    changchun = [said(f"web_cc{n}", "长春社保局电话", "find_bureau", 0.95, midnight(n) + 36000, ("长春",))
                 for n in range(1, 7)]  # 长春 leads the places of any week
    make_tracker(db, [masked, *changchun])
    rng = random.Random(14)
    add_feedback(db, [{"sender": f"web_{n}", "at": time.time() - rng.random() * 365 * 86400,
                       "rating": rng.choices([5, 4, 3, 2, 1], [50, 25, 10, 8, 7])[0] if n % 3 else None,
                       "helpful": None if n % 3 else rng.random() < 0.8} for n in range(900)])
    with live_servers(var, stats_settle_s=0) as live:
        wait_for_rollup(live.web_url, live.settings.console_token)
        yield Site(live.web_url, live.settings.console_token, live.fake, db)


def wait_for_rollup(url: str, token: str, timeout: float = 120.0) -> None:
    """Polls the API until the web app has counted the whole store (its first refresh runs in the background)."""
    deadline = time.monotonic() + timeout
    while True:
        status, body = http_get(url + "/console/api/stats?days=7", 30, {"Authorization": f"Bearer {token}"})
        if status == 200 and json.loads(body)["complete"]:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"the rollup was not complete after {timeout:.0f} s")
        time.sleep(0.2)


@pytest.fixture
def desktop(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True)
    yield context
    context.close()


def open_from_console(page: Page, site: Site) -> None:
    console_token_login(page, site.url, site.console_token)
    page.get_by_role("link", name="统计看板").click()
    expect(page).to_have_title("咨询统计看板 - 失业保险金咨询")


def charts_drawn(page: Page) -> None:
    for chart in ("daily", "intents", "rates", "ratings", "places"):
        expect(page.locator(f"#chart-{chart} svg")).to_have_count(1)  # the SVG renderer: text is in the page
    expect(page.locator("#chart-intents svg text", has_text="找社保局")).not_to_have_count(0)
    expect(page.locator("#chart-places svg text", has_text="长春市")).to_have_count(1)
    expect(page.locator("#chart-daily svg text", has_text="问题数")).not_to_have_count(0)
    expect(page.locator("#chart-ratings svg text", has_text="平均分")).not_to_have_count(0)


def test_dashboard_charts_a_year_and_exports_csv(dash_site: Site, desktop: BrowserContext, shot: Shot,
                                                 tmp_path: Path) -> None:
    page, errors = new_page(desktop)
    open_from_console(page, dash_site)
    expect(page.locator("#status")).to_contain_text(f"{iso(29)} 至 {iso(0)}（30 天，北京时间）")
    charts_drawn(page)
    shot(page, "dashboard-01-month", full_page=True)

    page.get_by_role("button", name="近一年").click()
    expect(page.locator("#status")).to_contain_text("（365 天，北京时间）")
    expect(page.get_by_role("button", name="近一年")).to_have_attribute("aria-pressed", "true")
    charts_drawn(page)
    questions = int(page.locator("#kpi-questions").inner_text().replace(",", ""))
    assert questions > 4000
    assert "平均分" not in page.locator("#kpi-rating").inner_text() and "条" in page.locator("#kpi-rating").inner_text()
    first = page.locator("#group-rows tr").first
    expect(first.locator("td").nth(1)).not_to_have_text("0")
    assert PHONE not in page.content()
    aria = page.locator("#chart-intents").get_attribute("aria-label") or ""
    assert "问题类别" in aria and "找社保局" in aria  # ECharts describes the chart for screen readers
    shot(page, "dashboard-02-year", full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("button", name="导出 CSV（Excel）").click()
    download = download_info.value
    assert download.suggested_filename == f"stats_{iso(364)}_{iso(0)}.csv"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    raw = saved.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.startswith(f"失业保险金咨询统计,{iso(364)} 至 {iso(0)},365 天,北京时间\r\n")
    assert "日期,问题数,会话数,兜底数,兜底率" in text and "找社保局" in text and PHONE not in text
    expect(page.locator("#status")).to_contain_text("已导出 " + download.suggested_filename)
    assert [e for e in errors if "status of 401" not in e] == []  # but the console's session check before login


def test_dashboard_custom_range_and_login_needed(dash_site: Site, desktop: BrowserContext, shot: Shot) -> None:
    page, errors = new_page(desktop)
    open_from_console(page, dash_site)
    page.get_by_label("从").fill(iso(2))
    page.get_by_label("到").fill(iso(2))
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#status")).to_contain_text(f"{iso(2)} 至 {iso(2)}（1 天，北京时间）")
    expect(page.locator("#group-rows")).to_contain_text("我电话[手机号]，社保卡丢了怎么补办")
    assert PHONE not in page.content()  # masked everywhere on the page
    page.get_by_label("从").fill(iso(6))
    page.get_by_label("到").fill(iso(0))
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#status")).to_contain_text(f"{iso(6)} 至 {iso(0)}（7 天，北京时间）")
    expect(page.locator(".preset[aria-pressed='true']")).to_have_count(0)
    charts_drawn(page)
    shot(page, "dashboard-03-week")
    assert [e for e in errors if "status of 401" not in e] == []  # but the console's session check before login

    other = desktop.browser.new_context(locale="zh-CN") if desktop.browser else None
    assert other is not None
    stranger = other.new_page()
    stranger.goto(dash_site.url + "/console/dashboard")  # no console login in this browser
    expect(stranger.get_by_role("heading", name="需要登录")).to_be_visible()
    expect(stranger.locator("#board")).to_be_hidden()
    other.close()
