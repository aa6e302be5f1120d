"""Settings from environment variables, parsed one way everywhere: the web app (bot/), the action server (actions/),
Rasa's channels and serving code (channels/, serving/) and the tools that start processes (devtools/, bench/).

A variable that is unset or blank gives the default. A value that cannot be used stops the program with one
`SettingError` naming the variable, what it must be and what it was; nothing silently falls back to a default.
Standard library only, so that every process can import it before anything else.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

T = TypeVar("T", int, float)
Env = Mapping[str, str] | None  # None: os.environ

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})
_SEPARATORS = re.compile(r"[,\s]+")


class SettingError(ValueError):
    """An environment variable holds a value the program cannot use."""


def raw(name: str, env: Env = None) -> str:
    """The variable's value without surrounding white space ("" when unset)."""
    return (os.environ if env is None else env).get(name, "").strip()


def _fail(name: str, what: str, value: str) -> SettingError:
    return SettingError(f"environment variable {name} must be {what}, got {value!r}")


def _number(name: str, default: T, env: Env, convert: Callable[[str], T], what: str,
            minimum: T | None, maximum: T | None) -> T:
    value = raw(name, env)
    if not value:
        return default
    try:
        number = convert(value)
    except ValueError:
        raise _fail(name, what, value) from None
    if isinstance(number, float) and not math.isfinite(number):
        raise _fail(name, what, value)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        bounds = (f"from {minimum} to {maximum}" if minimum is not None and maximum is not None
                  else f"at least {minimum}" if minimum is not None else f"at most {maximum}")
        raise _fail(name, f"{what} {bounds}", value)
    return number


def env_str(name: str, default: str = "", env: Env = None) -> str:
    return raw(name, env) or default


def env_int(name: str, default: int, env: Env = None, *, minimum: int | None = None,
            maximum: int | None = None) -> int:
    return _number(name, default, env, int, "a whole number", minimum, maximum)


def env_float(name: str, default: float, env: Env = None, *, minimum: float | None = None,
              maximum: float | None = None) -> float:
    return _number(name, default, env, float, "a number", minimum, maximum)


def env_bool(name: str, default: bool = False, env: Env = None) -> bool:
    value = raw(name, env)
    if not value:
        return default
    if value.lower() in TRUE_WORDS:
        return True
    if value.lower() in FALSE_WORDS:
        return False
    raise _fail(name, "one of " + "/".join(sorted(TRUE_WORDS | FALSE_WORDS)), value)


def env_path(name: str, default: Path, env: Env = None) -> Path:
    value = raw(name, env)
    return Path(value) if value else default


def env_list(name: str, default: tuple[str, ...] = (), env: Env = None) -> tuple[str, ...]:
    """Items separated by commas and/or white space."""
    value = raw(name, env)
    return tuple(item for item in _SEPARATORS.split(value) if item) if value else default


def env_ints(name: str, default: tuple[int, ...], env: Env = None) -> tuple[int, ...]:
    """Whole numbers separated by commas and/or white space, e.g. "5106,5107"."""
    items = env_list(name, (), env)
    if not items:
        return default
    try:
        return tuple(int(item) for item in items)
    except ValueError:
        raise _fail(name, "whole numbers separated by commas", raw(name, env)) from None


def env_range(name: str, default: tuple[int, int], env: Env = None) -> tuple[int, int]:
    """Two whole numbers "LOW-HIGH" with LOW <= HIGH, e.g. a range of ports "5520-5590"."""
    value = raw(name, env)
    if not value:
        return default
    match = re.fullmatch(r"(\d+)\s*-\s*(\d+)", value)
    if not match or int(match[1]) > int(match[2]):
        raise _fail(name, "a range LOW-HIGH of whole numbers with LOW <= HIGH", value)
    return int(match[1]), int(match[2])
