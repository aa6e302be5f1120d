"""A stack of its own for the chaos, fault and soak tests (they kill, stop and start its parts), on ports apart from
the shared e2e stack: started once for this folder, supervised as `make run` supervises (a part that dies is
started again; one stopped on purpose is left alone), stopped at the end. Two Rasa workers (rasa-1 on 5205, rasa-2
on 5206), whatever SANIC_WORKERS says: the chaos test kills one and the other must carry on."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import pytest

from devtools import stack as run_stack
from tests.required import unavailable

PORTS = {"actions_port": 5255, "rasa_port": 5205, "web_port": 8200}
# the stack's limits, short so that the fault tests run quickly; each one shorter than the next
ACTION_TIMEOUT_S, TURN_TIMEOUT_S, WEB_RASA_TIMEOUT_S = 3.0, 12.0, 30.0
RASA_WORKERS = 2


@pytest.fixture(scope="session")
def own_stack() -> Iterator[object]:
    if run_stack.find_model(run_stack.ROOT) is None:
        unavailable("no trained model in models/*.tar.gz: run `make train` first")
    config = run_stack.StackConfig.from_env(**PORTS, rasa_workers=RASA_WORKERS,
                                            timeout=float(os.environ.get("STACK_TIMEOUT", "600")))
    config.extra_env.update({
        "CONSOLE_TOKEN": secrets.token_urlsafe(16),
        "RATE_LIMIT_PER_MIN": "0", "SENDER_RATE_LIMIT_PER_MIN": "0",  # the soak test is one client
        "ACTION_TIMEOUT_S": str(ACTION_TIMEOUT_S), "TURN_TIMEOUT_S": str(TURN_TIMEOUT_S),
        "RASA_TIMEOUT": str(WEB_RASA_TIMEOUT_S),
    })
    stack = run_stack.Stack(config, echo=lambda msg: print(f"[own stack] {msg}", flush=True))
    stack.start()
    stack.supervise()
    try:
        yield stack
    finally:
        stack.stop()
