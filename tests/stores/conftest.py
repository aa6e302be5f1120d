"""The stores run on SQLite here and on PostgreSQL when STORES_TEST_POSTGRES_URL names one (the scale test sets it
for both virtualenvs: SQLAlchemy 1.4 in Rasa's, 2.x in the web app's). Tests use their own sender ids and codes,
so they share the tables without clearing them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from stores.db import make_engine, sqlite_url
from stores.schema import ensure

POSTGRES_URL = os.environ.get("STORES_TEST_POSTGRES_URL", "")


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[sa.engine.Engine]:
    if request.param == "postgresql":
        if not POSTGRES_URL:
            pytest.skip("no PostgreSQL: make test-scale runs these with STORES_TEST_POSTGRES_URL")
        url = POSTGRES_URL
    else:
        url = sqlite_url(tmp_path / "tracker.db")
    engine = make_engine(url)
    ensure(engine)
    yield engine
    engine.dispose()

