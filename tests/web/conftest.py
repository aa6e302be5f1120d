"""Fixtures: the web app under test, talking to a fake Rasa served on a local port (no outside services)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.accounts import Accounts, Policy
from bot.app import create_app
from bot.settings import Settings
from stores.db import Lazy
from tests.web.fake_rasa import FakeRasa

CONSOLE_TOKEN = "test-console-token-0123456789"
AUTH = {"Authorization": f"Bearer {CONSOLE_TOKEN}"}

MakeClient = Callable[..., Awaitable[TestClient]]


@pytest.fixture
def fake_rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
async def rasa_server(aiohttp_server: Any, fake_rasa: FakeRasa) -> TestServer:
    return await aiohttp_server(fake_rasa.app())


@pytest.fixture
def base_settings(tmp_path: Path, rasa_server: TestServer, fake_rasa: FakeRasa) -> Settings:
    url = str(rasa_server.make_url("")).rstrip("/")
    fake_rasa.tracker_db = tmp_path / "var" / "rasa" / "tracker.db"  # the turns go where the console reads them
    return Settings(rasa_url=url, actions_url=url, rasa_token=fake_rasa.token, console_token=CONSOLE_TOKEN,
                    var_dir=tmp_path / "var", tracker_db=tmp_path / "var" / "rasa" / "tracker.db",
                    rasa_timeout=5.0, health_timeout=5.0, allowed_origins=frozenset({"https://www.example.gov.cn"}),
                    argon2_time_cost=1, argon2_memory_kib=1024,  # cheap hashes: the tests log in often
                    stats_refresh_s=0)  # the dashboard's rollup refreshes on request only: no thread racing a test


@pytest.fixture
def make_client(aiohttp_client: Any, base_settings: Settings) -> MakeClient:
    async def make(**overrides: Any) -> TestClient:
        kb = overrides.pop("kb", None)
        return await aiohttp_client(create_app(replace(base_settings, **overrides), kb=kb))

    return make


@pytest.fixture
async def client(make_client: MakeClient) -> TestClient:
    return await make_client()


PASSWORD = "correct horse battery"


def add_staff(settings: Settings, username: str, role: str = "agent", password: str = PASSWORD) -> Accounts:
    """An account in the test's database, as `python -m bot.staff add` makes it."""
    accounts = Accounts(Lazy(lambda: settings.database_url).get, Policy.of(settings))
    accounts.add(username, password, role)
    return accounts


async def login(client: TestClient, username: str, password: str = PASSWORD) -> Any:
    return await client.post("/console/api/login", json={"username": username, "password": password})
