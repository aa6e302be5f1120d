"""Rasa's virtualenv keeps Rasa 3.6's pins (issue 18): moving the web app to its own environment (.venv-web,
tests/web/test_web_env.py) changed nothing here. Runs in .venv."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from scripts.deps_report import canonical, read_pins

ROOT = Path(__file__).resolve().parents[2]


def test_the_direct_requirements_are_installed_as_pinned() -> None:
    pins = read_pins(ROOT / "requirements.txt") | read_pins(ROOT / "requirements-dev.txt")
    assert pins["rasa"] == "3.6.21" and pins["rasa-sdk"] == "3.6.2" and pins["aiohttp"] == "3.9.5"
    wrong = {name: (version, metadata.version(name)) for name, version in pins.items()
             if metadata.version(name) != version}
    assert not wrong


def test_whatever_is_installed_and_pinned_has_its_pin() -> None:
    """Constraints only narrow: a pin may be unused here (aiohappyeyeballs comes with newer aiohttp), but nothing
    installed may differ from its pin (an upgrade for the web app landing in Rasa's venv would)."""
    pins = read_pins(ROOT / "constraints.txt")
    have = {canonical(d.metadata["Name"]): d.version for d in metadata.distributions()}
    assert read_pins(ROOT / "requirements.txt").items() <= pins.items()
    wrong = {name: (pins[name], version) for name, version in have.items() if name in pins and pins[name] != version}
    assert not wrong
    assert "argon2-cffi" not in pins and "rasa" not in read_pins(ROOT / "constraints-web.txt")
