"""Skip or fail when what a suite needs is missing: a developer without a trained model or chromium gets a skip
with the reason; CI, where the suite is required, gets a failure instead (.ci/run sets STACK_REQUIRED=1 for the
e2e, browser, WeChat and reliability suites; devtools.scale sets SCALE_REQUIRED=1 for the scale tests)."""

from __future__ import annotations

import os

import pytest


def unavailable(reason: str, required_by: str = "STACK_REQUIRED") -> None:
    """Fail (when the environment variable `required_by` is 1) or skip, with `reason`; never returns."""
    if os.environ.get(required_by) == "1":
        pytest.fail(f"{reason} ({required_by}=1: this suite must run)", pytrace=False)
    pytest.skip(reason)
