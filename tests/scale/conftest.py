"""The scale-out cluster (PostgreSQL, Redis, one action server, two Rasa instances on 127.0.0.1), started once for
this folder by devtools.scale's `Cluster` and stopped at the end, also when a test fails or on Ctrl-C/SIGTERM.

Run it with `make test-scale` (installs postgresql/redis-server first). Run directly with pytest, it skips when
the Debian packages or the model are missing, unless SCALE_REQUIRED=1 (set by the script): then it fails.
Another project/model for development: SCALE_PROJECT=/tmp/scale-toy SCALE_MODEL=... (see devtools/scale/__init__.py).
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from types import FrameType

import pytest

from devtools import scale
from tests.required import unavailable


def _sigterm_as_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # pytest then tears the session fixtures down: the cluster is stopped


@pytest.fixture(scope="session")
def cluster() -> Iterator[scale.Cluster]:
    # A turn waits for the conversation's lock inside the REST channel's turn timeout (20 s by default); the
    # burst test queues several turns of one sender on a busy 2-core machine, so give the wait more room.
    config = scale.ScaleConfig.from_env(extra_env={"TURN_TIMEOUT_S": os.environ.get("TURN_TIMEOUT_S", "60")})
    missing = scale.missing_packages()
    if missing:
        unavailable(f"not installed: {', '.join(missing)} - run `make test-scale` (it installs them)", "SCALE_REQUIRED")
    if not config.model_path.is_file():
        unavailable(f"no model at {config.model_path}: run `make train` first", "SCALE_REQUIRED")
    previous = signal.signal(signal.SIGTERM, _sigterm_as_interrupt)
    instance = scale.Cluster(config, echo=lambda msg: print(f"[scale] {msg}", flush=True))
    try:
        instance.start()
        yield instance
    finally:
        instance.stop()
        signal.signal(signal.SIGTERM, previous)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "scale: needs the scale-out cluster (PostgreSQL, Redis, two Rasa instances)")
