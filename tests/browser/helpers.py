"""Small Playwright helpers shared by the browser tests."""

from __future__ import annotations

from playwright.sync_api import BrowserContext, ConsoleMessage, Page, expect

BOT_MSGS = ".jlw-from-bot:not(.jlw-typing)"
USER_MSGS = ".jlw-from-user"
LONG_QUESTION = "网上申领的步骤"  # the fake Rasa's long answer (tests/web/fake_rasa.py)


def collect_errors(page: Page) -> list[str]:
    """Console errors and page errors (a CSP violation shows up here)."""
    errors: list[str] = []

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type == "error":
            errors.append(msg.text)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def is_phone(page: Page) -> bool:
    return bool(page.evaluate("matchMedia('(pointer: coarse)').matches"))


def open_widget(page: Page) -> None:
    """Open the panel with the launcher (it may already be open: the open state survives a reload). On a desktop
    focus moves to the input; on a phone it does not (the keyboard would cover the welcome)."""
    launcher = page.locator(".jlw-launcher")
    expect(launcher).to_be_attached()
    if launcher.get_attribute("aria-expanded") != "true":
        launcher.click()
        if is_phone(page):
            expect(page.locator("#jlw-input")).not_to_be_focused()
        else:
            expect(page.locator("#jlw-input")).to_be_focused()  # focus moves into the panel
    expect(page.locator("#jlw-panel")).to_be_visible()


def ask(page: Page, text: str) -> None:
    bots_before = page.locator(BOT_MSGS).count()
    page.locator("#jlw-input").fill(text)
    page.locator("#jlw-input").press("Enter")
    expect(page.locator(USER_MSGS).last).to_contain_text(text)
    expect(page.locator(BOT_MSGS)).not_to_have_count(bots_before, timeout=30_000)
    expect(page.locator(".jlw-typing")).to_have_count(0, timeout=30_000)


def new_page(context: BrowserContext) -> tuple[Page, list[str]]:
    page = context.new_page()
    return page, collect_errors(page)



def console_token_login(page: Page, url: str, token: str) -> None:
    """The console with its token (the machine and admin credential, under 使用工作台令牌; agents use accounts)."""
    page.goto(url + "/console")
    page.get_by_text("使用工作台令牌").click()
    page.get_by_label("工作台令牌").fill(token)
    page.get_by_role("button", name="用令牌登录").click()
    expect(page.locator("#app-view")).to_be_visible()
