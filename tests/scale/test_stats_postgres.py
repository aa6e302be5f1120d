"""The console's dashboard on PostgreSQL (TRACKER_STORE_URL): the stats API and its CSV over a generated store in a
database of its own, two web apps counting at once, and a real conversation through the cluster's Rasa counted
with its personal number masked."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import psycopg2
import pytest
import sqlalchemy as sa
from aiohttp.test_utils import TestClient, TestServer

from bench.tracker_fill import COLUMNS, fill_postgres
from bot import keys
from bot.app import create_app
from bot.settings import Settings
from bot.stats import DayRange
from bot.stats_rollup import Rollup
from bot.tables import ensure_tables
from tests.scale.client import new_sender, send, session
from tests.unit.test_stats_rollup import refresh_at_once

pytestmark = pytest.mark.scale
EVENTS = 20_000
TOKEN = "scale-console-token-0123456789"
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
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.executemany(f"INSERT INTO events ({', '.join(COLUMNS)}) VALUES (%s, %s, %s, %s, %s, %s)", known_rows(now))
    conn.close()
    engine = sa.create_engine(url, future=True)
    with engine.begin() as sa_conn:
        ensure_tables(sa_conn)
        sa_conn.execute(sa.text("INSERT INTO feedback (sender_id, created_at, rating, helpful) VALUES "
                                "('pg_a', :at, 5, NULL), ('pg_b', :at, 1, NULL), ('pg_c', :at, NULL, FALSE)"),
                        {"at": now - DAY})
    engine.dispose()


def expected_counts(url: str, first_day_start: float) -> dict[str, int]:
    """The figures straight from the events, with PostgreSQL's JSON operators."""
    engine = sa.create_engine(url, future=True)
    intent = "(data::json->'parse_data'->'intent'->>'name')"
    confidence = "(data::json->'parse_data'->'intent'->>'confidence')::float"
    where = f"type_name = 'user' AND timestamp >= {first_day_start}"
    with engine.connect() as conn:
        def count(sql: str) -> int:
            return int(conn.execute(sa.text(f"SELECT count(*) FROM events WHERE {sql}")).scalar())
        counts = {"questions": count(where), "fallback": count(f"{where} AND {intent} = 'nlu_fallback'"),
                  "low_confidence": count(f"{where} AND {intent} <> 'nlu_fallback' AND {confidence} < 0.6")}
    engine.dispose()
    return counts


def check_api(url: str, tmp: Path) -> None:
    settings = Settings(console_token=TOKEN, var_dir=tmp, tracker_db=tmp / "none.db", tracker_store_url=url,
                        stats_refresh_s=0, stats_settle_s=0, rate_per_min=0)

    async def run() -> None:
        app = create_app(settings)
        async with TestClient(TestServer(app)) as client:
            await asyncio.to_thread(app[keys.STATS].refresh)  # what the background task does every minute
            auth = {"Authorization": f"Bearer {TOKEN}"}
            resp = await client.get("/console/api/stats", params={"days": "90"}, headers=auth)
            assert resp.status == 200, await resp.text()
            body = await resp.json()
            start = date.fromisoformat(body["range"]["from"])
            assert body["complete"] and len(body["per_day"]) == 90
            expected = expected_counts(url, DayRange(start, start).timestamps()[0])
            assert {k: body["totals"][k] for k in expected} == expected and expected["questions"] > 1000
            assert body["places"][0]["place"] == "长春市" and {"name": "找社保局", "intent": "find_bureau"}.items() \
                <= next(i for i in body["intents"] if i["intent"] == "find_bureau").items()
            group = next(g for g in body["unanswered"] if "社保卡丢了怎么补办" in g["examples"])
            assert group["count"] == 3 and "我电话139****5678，社保卡丢了怎么补办" in group["examples"]
            assert PHONE not in await resp.text()
            assert (body["ratings"]["count"], body["ratings"]["average"], body["ratings"]["unhelpful"]) == (2, 3.0, 1)
            for bad in ("0", "367", "x"):
                assert (await client.get("/console/api/stats", params={"days": bad}, headers=auth)).status == 400
            resp = await client.get("/console/api/stats.csv", params={"days": "90"}, headers=auth)
            raw = await resp.read()
            assert resp.status == 200 and raw.startswith(b"\xef\xbb\xbf")
            rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
            assert rows[0][0] == "失业保险金咨询统计" and ["问题", "次数", "不同说法数", "最近日期", "其他说法"] in rows
            assert ["find_bureau", "找社保局"] == next(r for r in rows if r and r[0] == "find_bureau")[:2]

    asyncio.run(run())


def check_two_processes(url: str) -> None:
    """Two web apps (own engines, own rollups) refresh at the same moment: each event is counted once."""
    engines = [sa.create_engine(url, future=True) for _ in range(2)]
    with engines[0].begin() as conn:  # start over: the API check counted everything already
        conn.execute(sa.text("UPDATE stats_state SET config = 'stale'"))
    refresh_at_once([Rollup(e, threshold=0.6, settle_s=0, batch=500) for e in engines])
    with engines[0].connect() as conn:
        questions = conn.execute(sa.text("SELECT SUM(n) FROM stats_daily WHERE metric = 'questions'")).scalar()
        users = conn.execute(sa.text("SELECT count(*) FROM events WHERE type_name = 'user'")).scalar()
        texts = conn.execute(sa.text("SELECT count(*), count(DISTINCT event_id) FROM stats_unanswered")).one()
    for engine in engines:
        engine.dispose()
    assert int(questions) == users and texts[0] == texts[1] > 0


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


def test_stats_api_and_csv_on_postgresql(stats_url: str, tmp_path: Path) -> None:
    check_api(stats_url, tmp_path)


def test_two_web_apps_count_each_event_once_on_postgresql(stats_url: str) -> None:
    check_two_processes(stats_url)


def test_a_real_conversation_is_counted_masked(cluster: Any, tmp_path: Path) -> None:
    sender = new_sender("stats")

    async def talk() -> list[int]:
        async with session() as http:
            url = cluster.config.rasa_urls()[0]
            return [(await send(http, url, sender, text)).status
                    for text in ("珲春社保局电话", f"我手机{PHONE}，社保卡丢了能补办吗")]

    assert asyncio.run(talk()) == [200, 200]
    env = cluster.endpoint_env()
    url = (f"postgresql://{env['POSTGRES_USER']}:{env['POSTGRES_PASSWORD']}@{env['POSTGRES_HOST']}:"
           f"{env['POSTGRES_PORT']}/{env['POSTGRES_DB']}")
    settings = Settings(console_token=TOKEN, var_dir=tmp_path, tracker_db=tmp_path / "none.db",
                        tracker_store_url=url, stats_refresh_s=0, stats_settle_s=0)
    settings = replace(settings, unanswered_threshold=1.01)  # every question counts as poorly answered here

    async def stats() -> tuple[int, str]:
        app = create_app(settings)
        async with TestClient(TestServer(app)) as client:
            await asyncio.to_thread(app[keys.STATS].refresh)
            resp = await client.get("/console/api/stats", params={"days": "2"},
                                    headers={"Authorization": f"Bearer {TOKEN}"})
            return resp.status, await resp.text()

    status, text = asyncio.run(stats())
    assert status == 200 and PHONE not in text
    assert any(p["place"] == "珲春市" for p in json.loads(text)["places"])
    kept = cluster.pg_query("SELECT text FROM stats_unanswered WHERE sender_id = %s ORDER BY event_id", (sender,))
    assert [t for (t,) in kept] == ["珲春社保局电话", "我手机139****5678，社保卡丢了能补办吗"]
