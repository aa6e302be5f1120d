"""The console's dashboard on PostgreSQL (TRACKER_STORE_URL): a database of its own on the cluster's PostgreSQL,
filled with generated conversations, known near-duplicates and ratings; then tests/web/test_web_stats_postgres.py
runs in the web app's virtualenv (.venv-web: SQLAlchemy 2.x, psycopg 3) against it: the stats API and its CSV, two
web apps counting at once. (A real conversation through the cluster, counted masked: test_web_postgres.py.)"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from bench.tracker_fill import add_postgres, fill_postgres
from stores.schema import ensure

pytestmark = pytest.mark.scale
ROOT = Path(__file__).resolve().parents[2]
WEB_PYTHON = ROOT / ".venv-web" / "bin" / "python"
EVENTS = 20_000
PHONE = "13912345678"
DAY = 86400


def known_rows(now: float) -> list[tuple[Any, ...]]:
    """Three wordings of one question (one Traditional, one with a phone number) and a place, yesterday."""
    def user(sender: str, text: str, intent: str, confidence: float, at: float, places: tuple[str, ...] = ()) -> tuple:
        data = {"event": "user", "timestamp": at, "text": text, "parse_data": {
            "intent": {"name": intent, "confidence": confidence},
            "entities": [{"entity": "location", "value": p} for p in places]}}
        return (sender, "user", at, intent, None, json.dumps(data, ensure_ascii=False))
    at = now - DAY
    return [user("pg_a", "社保卡丢了怎么补办", "nlu_fallback", 0.3, at),
            user("pg_b", "社保卡丟了怎麼補辦？", "ask_not_in_guide", 0.4, at + 1),
            user("pg_c", f"我电话{PHONE}，社保卡丢了怎么补办", "nlu_fallback", 0.3, at + 2),
            user("pg_d", "珲春社保局电话", "find_bureau", 0.98, at + 3, ("珲春",))]


def fill(url: str) -> None:
    now = time.time()
    fill_postgres(url, EVENTS, days=90, end=now - 3600)
    add_postgres(url, known_rows(now))
    engine = sa.create_engine(url, future=True)
    ensure(engine)  # the feedback table as the web app and the action server make it
    with engine.begin() as sa_conn:
        sa_conn.execute(sa.text("INSERT INTO feedback (sender_id, created_at, rating, helpful) VALUES "
                                "('pg_a', :at, 5, NULL), ('pg_b', :at, 1, NULL), ('pg_c', :at, NULL, FALSE)"),
                        {"at": now - DAY})
    engine.dispose()


@pytest.fixture(scope="module")
def stats_url(cluster: Any) -> Iterator[str]:
    """A database of its own on the cluster's PostgreSQL, filled with generated conversations."""
    env = cluster.endpoint_env()
    admin = cluster.postgres.connect("postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("DROP DATABASE IF EXISTS stats_scale")
        cur.execute("CREATE DATABASE stats_scale")
    url = (f"postgresql://{env['POSTGRES_USER']}:{env['POSTGRES_PASSWORD']}@{env['POSTGRES_HOST']}:"
           f"{env['POSTGRES_PORT']}/stats_scale")
    fill(url)
    try:
        yield url
    finally:
        with admin.cursor() as cur:
            cur.execute("DROP DATABASE IF EXISTS stats_scale WITH (FORCE)")
        admin.close()


def test_stats_api_csv_and_two_web_apps_on_postgresql(stats_url: str) -> None:
    env = {**os.environ, "STATS_TEST_POSTGRES_URL": stats_url}
    run = subprocess.run([str(WEB_PYTHON), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs",
                          "tests/web/test_web_stats_postgres.py"], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "2 passed" in run.stdout.splitlines()[-1], run.stdout[-2000:]
