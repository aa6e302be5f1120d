"""The public web app stands in its own virtualenv on current releases, apart from Rasa's pins (issue 18): these
tests run in .venv-web (make unit-web); the Rasa side is tests/unit/test_rasa_env.py."""

from __future__ import annotations

import ast
import subprocess
import sys
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.wechat_proxy import ProxySettings
from envsettings import SettingError
from scripts.deps_report import canonical, read_pins

ROOT = Path(__file__).resolve().parents[2]
RASA_PACKAGES = ("rasa", "rasa_sdk", "sanic", "tensorflow")
# what the web app's process imports: bot/ and the plain packages it shares with the action server
WEB_PACKAGES = ("bot", "offices_kb", "guide", "stores")
WEB_MODULES = ("envsettings.py",)


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".")[:3] if part.isdigit())


def test_no_rasa_in_the_web_virtualenv() -> None:
    assert sys.prefix != sys.base_prefix, "run in a virtualenv (.venv-web)"
    for name in RASA_PACKAGES:
        assert find_spec(name) is None, f"{name} is installed in the web app's virtualenv {sys.prefix}"


def test_aiohttp_is_the_pinned_current_release() -> None:
    pinned = read_pins(ROOT / "requirements-web.txt")["aiohttp"]
    assert _version(metadata.version("aiohttp")) >= _version(pinned) >= (3, 14, 0)


def test_every_pin_of_the_web_virtualenv_is_installed_as_pinned() -> None:
    pins = read_pins(ROOT / "constraints-web.txt")
    direct = read_pins(ROOT / "requirements-web.txt") | read_pins(ROOT / "requirements-web-dev.txt")
    assert direct.items() <= pins.items(), "requirements-web*.txt and constraints-web.txt disagree"
    have = {canonical(d.metadata["Name"]): d.version for d in metadata.distributions()}
    wrong = {name: (version, have.get(name)) for name, version in pins.items() if have.get(name) != version}
    assert not wrong, f"installed versions differ from constraints-web.txt (pin, installed): {wrong}"


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
             for alias in node.names}
    return roots | {node.module.split(".")[0] for node in ast.walk(tree)
                    if isinstance(node, ast.ImportFrom) and node.module and not node.level}


@pytest.mark.parametrize("path", sorted(
    [p for pkg in WEB_PACKAGES if (ROOT / pkg).is_dir() for p in (ROOT / pkg).rglob("*.py")]
    + [ROOT / m for m in WEB_MODULES]), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_of_the_web_app_imports_rasa(path: Path) -> None:
    assert not _imported_roots(path) & set(RASA_PACKAGES)


def test_the_web_app_and_its_wechat_forwarding_load_without_rasa() -> None:
    """In a fresh interpreter: every module of bot/ imported, no module of Rasa's loaded (nor could one be)."""
    modules = sorted(f"bot.{p.stem}" for p in (ROOT / "bot").glob("*.py") if p.stem != "__init__")
    code = (f"import importlib, sys\nfor m in {modules!r}: importlib.import_module(m)\n"
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {RASA_PACKAGES!r}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
    assert "bot.wechat_proxy" in modules


def test_the_web_apps_settings_refuse_a_bad_value(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SettingError, match="BOT_PORT"):
        Settings.from_env({"BOT_PORT": "eighty"})
    monkeypatch.setenv("WECHAT_PROXY_TIMEOUT_S", "8s")
    with pytest.raises(SettingError, match="WECHAT_PROXY_TIMEOUT_S"):
        ProxySettings.from_env()
