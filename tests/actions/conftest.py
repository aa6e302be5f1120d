"""Fixtures for action tests; the helpers live in action_helpers.py."""

from __future__ import annotations

from typing import Any

import pytest
from action_helpers import load_domain


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """The real domain.yml as a dict, as the action server receives it."""
    return load_domain()


@pytest.fixture(scope="session", autouse=True)
def handoff_database(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The 咨询编号 of the tests' answers go to a throwaway SQLite file, not the project's var/rasa/tracker.db."""
    from actions import handoff
    from stores.db import Lazy, sqlite_url

    url = sqlite_url(tmp_path_factory.mktemp("handoff") / "tracker.db")
    saved = handoff.DATABASE
    handoff.DATABASE = Lazy(lambda: url)
    yield handoff.DATABASE
    handoff.DATABASE.reset()
    handoff.DATABASE = saved
