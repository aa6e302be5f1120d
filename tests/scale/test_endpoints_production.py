"""endpoints.production.yml, read the way `rasa run --endpoints` reads it (no server needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import read_endpoint_config

ENDPOINTS = Path(__file__).resolve().parents[2] / "endpoints.production.yml"
ENV = {
    "ACTION_ENDPOINT_URL": "http://10.0.0.5:5055/webhook",
    "POSTGRES_HOST": "db.internal", "POSTGRES_PORT": "5432", "POSTGRES_DB": "rasa",
    "POSTGRES_USER": "rasa", "POSTGRES_PASSWORD": "s3cret",
    "REDIS_HOST": "redis.internal", "REDIS_PORT": "6379", "REDIS_DB": "1", "REDIS_PASSWORD": "",
}


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    return ENV


def test_every_setting_comes_from_the_environment(env: dict[str, str]) -> None:
    tracker = read_endpoint_config(str(ENDPOINTS), "tracker_store")
    assert tracker is not None and tracker.type == "serving.sql_tracker_store.WindowedSQLTrackerStore"
    assert tracker.url == "db.internal"  # Rasa passes `url` as the host; a `host:` key would crash it
    assert tracker.kwargs == {"dialect": "postgresql", "port": "5432", "db": "rasa", "username": "rasa",
                              "password": "s3cret"}
    lock = read_endpoint_config(str(ENDPOINTS), "lock_store")
    assert lock is not None and lock.url == "redis.internal"
    assert lock.type == "serving.redis_lock_store.AtomicRedisLockStore"  # not Rasa's racy `redis`
    assert lock.kwargs["port"] == "6379" and lock.kwargs["db"] == "1" and lock.kwargs["password"] == ""
    action = read_endpoint_config(str(ENDPOINTS), "action_endpoint")
    assert action is not None and action.url == "http://10.0.0.5:5055/webhook"


def test_no_secret_or_address_in_the_file() -> None:
    settings = [line.split("#")[0].strip() for line in ENDPOINTS.read_text(encoding="utf-8").splitlines()]
    assert not [line for line in settings if line.startswith("host:")]
    for key in ("url:", "port:", "db:", "username:", "password:"):
        lines = [line for line in settings if line.startswith(key)]
        assert lines, key
        for line in lines:  # unquoted ${VAR}: Rasa does not expand a quoted one
            assert line.split(":", 1)[1].strip().startswith("${"), line


def test_a_missing_variable_stops_rasa(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POSTGRES_PASSWORD")
    with pytest.raises(RasaException, match=r"\$\{POSTGRES_PASSWORD\}"):
        read_endpoint_config(str(ENDPOINTS), "tracker_store")
