"""Fixtures for action tests; the helpers live in action_helpers.py."""

from __future__ import annotations

from typing import Any

import pytest
from action_helpers import load_domain


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """The real domain.yml as a dict, as the action server receives it."""
    return load_domain()
