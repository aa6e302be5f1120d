"""Settings from the environment are parsed one way (envsettings): unset or blank gives the default, a bad value
stops with one error that names the variable, whichever process reads it."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import envsettings
from actions.config import get_settings
from channels.wechat.settings import WeChatConfigError, WeChatSettings
from devtools import stack
from devtools.scale import ScaleConfig
from envsettings import (
    SettingError,
    env_bool,
    env_float,
    env_int,
    env_ints,
    env_list,
    env_path,
    env_range,
    env_str,
)


def test_defaults_for_unset_and_blank() -> None:
    env = {"BLANK": "  "}
    assert env_int("BLANK", 7, env) == 7 and env_int("UNSET", 7, env) == 7
    assert env_float("BLANK", 0.5, env) == 0.5 and env_bool("BLANK", True, env) is True
    assert env_str("BLANK", "x", env) == "x" and env_path("BLANK", Path("/d"), env) == Path("/d")
    assert env_list("BLANK", ("a",), env) == ("a",) and env_ints("BLANK", (1, 2), env) == (1, 2)


def test_values() -> None:
    env = {"N": " 42 ", "F": "0.25", "B": "Yes", "OFF": "0", "L": "https://a.gov.cn, https://b.gov.cn  c",
           "PORTS": "5106,5107 5108"}
    assert env_int("N", 0, env) == 42 and env_float("F", 0, env) == 0.25
    assert env_bool("B", False, env) is True and env_bool("OFF", True, env) is False
    assert env_list("L", (), env) == ("https://a.gov.cn", "https://b.gov.cn", "c")
    assert env_ints("PORTS", (), env) == (5106, 5107, 5108)
    assert env_range("R", (1, 2), {"R": " 5520 - 5590 "}) == (5520, 5590)
    assert env_range("R", (1, 2), {"R": ""}) == (1, 2)


@pytest.mark.parametrize(("parse", "value", "expected"), [
    (lambda env: env_int("X", 1, env), "eighty", "X must be a whole number, got 'eighty'"),
    (lambda env: env_int("X", 1, env), "2.5", "X must be a whole number"),
    (lambda env: env_int("X", 1, env, minimum=1, maximum=65535), "70000", "X must be a whole number from 1 to 65535"),
    (lambda env: env_float("X", 1.0, env), "nan", "X must be a number"),
    (lambda env: env_float("X", 1.0, env, minimum=0.0), "-1", "X must be a number at least 0.0"),
    (lambda env: env_bool("X", False, env), "maybe", "X must be one of"),
    (lambda env: env_ints("X", (), env), "5106,x", "X must be whole numbers"),
    (lambda env: env_range("X", (1, 2), env), "5590-5520", "X must be a range LOW-HIGH"),
    (lambda env: env_range("X", (1, 2), env), "5520", "X must be a range LOW-HIGH"),
])
def test_a_bad_value_is_one_clear_error(parse: object, value: str, expected: str) -> None:
    with pytest.raises(SettingError, match=expected):
        parse({"X": value})  # type: ignore[operator]


def test_every_reader_refuses_a_bad_value(monkeypatch: pytest.MonkeyPatch) -> None:
    """Before, actions/config.py silently used its default for ACTIONS_NEAREST_K=abc. (The web app's readers, in
    its own virtualenv: tests/web/test_web_env.py.)"""
    monkeypatch.setenv("ACTIONS_NEAREST_K", "abc")
    get_settings.cache_clear()
    try:
        with pytest.raises(SettingError, match="ACTIONS_NEAREST_K"):
            get_settings()
    finally:
        get_settings.cache_clear()
    monkeypatch.setenv("RASA_PORT", "x")
    with pytest.raises(SettingError, match="RASA_PORT"):
        stack.StackConfig.from_env()
    monkeypatch.setenv("SCALE_RASA_PORTS", "5106;5107")
    with pytest.raises(SettingError, match="SCALE_RASA_PORTS"):
        ScaleConfig.from_env()
    with pytest.raises(WeChatConfigError, match="WECHAT_MAX_SKEW_S must be a number"):
        WeChatSettings.from_env({"WECHAT_TOKEN": "t", "WECHAT_OPENID_SECRET": "s", "WECHAT_MAX_SKEW_S": "soon"})


def test_the_launcher_reports_a_bad_setting_without_a_traceback(monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("STACK_TIMEOUT", "soon")
    assert stack.main([]) == 1
    err = capsys.readouterr().err
    assert "STACK_TIMEOUT must be a number" in err and "Traceback" not in err


def test_the_module_needs_only_the_standard_library() -> None:
    """Every process imports it (the action server, Rasa's channels, the web app, the tools)."""
    tree = ast.parse(Path(envsettings.__file__).read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert imported and imported <= set(sys.stdlib_module_names) | {"__future__"}
