"""A stack of its own for fault and soak tests (they stop and start its parts), on ports apart from the
shared e2e stack: started once for this folder, stopped at the end."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import pytest

from devtools import stack as run_stack

PORTS = {"actions_port": 5255, "rasa_port": 5205, "web_port": 8200}


@pytest.fixture(scope="session")
def own_stack() -> Iterator[object]:
    if run_stack.find_model(run_stack.ROOT) is None:
        pytest.skip("no trained model in models/*.tar.gz: run `make train` first")
    config = run_stack.StackConfig.from_env(**PORTS, timeout=float(os.environ.get("STACK_TIMEOUT", "600")))
    config.extra_env.update({
        "CONSOLE_TOKEN": secrets.token_urlsafe(16),
        "RATE_LIMIT_PER_MIN": "0", "SENDER_RATE_LIMIT_PER_MIN": "0",  # the soak test is one client
        "ACTION_TIMEOUT_S": "3", "TURN_TIMEOUT_S": "12",
    })
    stack = run_stack.Stack(config, echo=lambda msg: print(f"[own stack] {msg}", flush=True))
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()
