"""The servers a benchmark run talks to: stock Rasa as a managed process, our stack's endpoints file for the run,
and the cold-start probe (launch to first answer)."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from devtools.net import http_ok, http_post_json
from devtools.process import ManagedProcess, wait_ready
from devtools.rasa import rasa_command, rasa_env, server_args
from devtools.scale.config import PG_DB, PG_USER, ScaleConfig
from devtools.scale.postgres import Postgres
from devtools.stack import ROOT

HOST = "127.0.0.1"


def stock_rasa(python: str, rasa_bin: str, model: Path, port: int, actions_url: str, run_dir: Path,
               log_path: Path) -> ManagedProcess:
    """`rasa run` with its defaults: in-memory tracker and lock store, one process (SANIC_WORKERS unset: with its
    in-memory lock store Rasa allows no more), built-in REST channel, pointed at `actions_url` (stock_actions)."""
    d = run_dir / "stock"
    d.mkdir(parents=True, exist_ok=True)
    (d / "endpoints.yml").write_text(f'action_endpoint:\n  url: "{actions_url}/webhook"\n', encoding="utf-8")
    (d / "credentials.yml").write_text("rest:\n", encoding="utf-8")
    env = rasa_env(ROOT)
    env.pop("SANIC_WORKERS", None)
    return ManagedProcess(
        name="stock_rasa", cmd=[*rasa_command(python, rasa_bin),
                                *server_args(HOST, port, model, d / "endpoints.yml", d / "credentials.yml")],
        cwd=d, log_path=log_path, env=env, port=port)


def stock_actions(python: str, rasa_bin: str, port: int, log_path: Path) -> ManagedProcess:
    """`rasa run actions`: Rasa's documented action server, serving our actions package, for stock Rasa."""
    return ManagedProcess(
        name="stock_actions", cmd=[*rasa_command(python, rasa_bin), "run", "actions", "--port", str(port)],
        cwd=ROOT, log_path=log_path, env=rasa_env(ROOT), port=port,
        ready=lambda: http_ok(f"http://{HOST}:{port}/health"))


@contextmanager
def throwaway_postgres(run_dir: Path, port: int, echo: Callable[[str], None]) -> Iterator[dict[str, Any]]:
    """A PostgreSQL server for this run only (the one `make test-scale` uses: 127.0.0.1, no durability); yields
    our tracker store's settings for it."""
    config = ScaleConfig(work_dir=run_dir / "scale", pg_port=port)
    postgres = Postgres(config, secrets.token_hex(12), echo)
    server = postgres.start()
    try:
        wait_ready([server], config.service_timeout, echo=echo)
        postgres.create_database()
        yield {"type": "serving.sql_tracker_store.WindowedSQLTrackerStore", "dialect": "postgresql", "url": HOST,
               "port": port, "db": PG_DB, "username": PG_USER, "password": postgres.password}
    finally:
        server.stop()
        postgres.remove_data()


def project_endpoints(endpoints: Path, actions_url: str, run_dir: Path,
                      tracker_store: dict[str, Any] | None = None) -> Path:
    """A copy of our endpoints file for this run: the benchmark's action server, `tracker_store` if given, and a
    SQLite tracker or lock store moved into the run's temporary directory."""
    data = yaml.safe_load(endpoints.read_text(encoding="utf-8")) or {}
    data.setdefault("action_endpoint", {})["url"] = f"{actions_url}/webhook"
    if tracker_store:
        data["tracker_store"] = tracker_store
    store = data.get("tracker_store") or {}
    if str(store.get("dialect", "")).startswith("sqlite"):
        store["db"] = str(run_dir / "tracker.db")
    locks = data.get("lock_store") or {}
    if str(locks.get("type", "")).endswith("SQLiteLockStore"):
        locks["db"] = str(run_dir / "locks.db")
    path = run_dir / "endpoints-project.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def first_answer(url: str, payload: dict[str, str], timeout: float, alive: Callable[[], bool]) -> float:
    """Poll until `url` answers the message with 200 and a non-empty body; returns the monotonic time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive():
            raise RuntimeError(f"process for {url} exited before it answered")
        status, body = http_post_json(url, payload, timeout=30)
        try:
            if status == 200 and json.loads(body or b"null"):
                return time.monotonic()
        except ValueError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"no answer from {url} within {timeout:.0f} s")
