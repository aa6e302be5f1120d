"""The running stack for e2e and browser tests, started once per test session through devtools.stack.

Use the `stack` fixture (session scope) from a conftest:  `from tests.stack import stack  # noqa: F401`.
It skips (with the reason) when no trained model exists, or fails when STACK_REQUIRED=1 (CI). If a healthy
stack already answers on the configured ports (e.g. `make run` in another terminal) and STACK_REUSE=1, that one
is used and left running. Env: BOT_PORT/RASA_PORT/ACTIONS_PORT, STACK_TIMEOUT (s), STACK_REUSE, STACK_REQUIRED.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from devtools import stack as run_stack
from devtools.net import http_ok
from tests.required import unavailable

ROOT = run_stack.ROOT


@dataclass(frozen=True)
class StackInfo:
    web_url: str
    rasa_url: str
    actions_url: str
    rasa_token: str
    console_token: str
    started_here: bool


_lock = threading.Lock()
_users = 0
_stack: object | None = None
_info: StackInfo | None = None


def _console_token() -> str:
    token = os.environ.get("CONSOLE_TOKEN", "")
    path = ROOT / "var" / "console_token"
    if not token and path.is_file():
        token = path.read_text(encoding="utf-8").strip()
    return token


def acquire() -> StackInfo:
    """Start the stack (or reuse a running one) for this process; pair every call with release()."""
    global _users, _stack, _info
    with _lock:
        if _info is None:
            if run_stack.find_model(ROOT) is None:
                unavailable("no trained model in models/*.tar.gz: run `make train` first (the stack needs Rasa)")
            config = run_stack.StackConfig.from_env()
            web = config.url("web")
            if os.environ.get("STACK_REUSE") == "1" and http_ok(f"{web}/healthz"):
                _info = StackInfo(web, config.url("rasa"), config.url("actions"), config.rasa_token,
                                  _console_token(), started_here=False)
            else:
                console_token = os.environ.get("CONSOLE_TOKEN") or secrets.token_urlsafe(24)
                config.extra_env["CONSOLE_TOKEN"] = console_token  # known to the tests, not written to var/
                stack = run_stack.Stack(config, echo=lambda msg: print(f"[stack] {msg}", flush=True))
                stack.start()
                _stack = stack
                _info = StackInfo(web, config.url("rasa"), config.url("actions"), stack.config.rasa_token,
                                  console_token, started_here=True)
        _users += 1
        return _info


def release() -> None:
    global _users, _stack, _info
    with _lock:
        _users -= 1
        if _users <= 0 and _stack is not None:
            _stack.stop()  # type: ignore[attr-defined]
            _stack, _info, _users = None, None, 0


@pytest.fixture(scope="session")
def stack() -> Iterator[StackInfo]:
    info = acquire()
    try:
        yield info
    finally:
        release()
