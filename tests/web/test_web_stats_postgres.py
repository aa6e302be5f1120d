"""The console's dashboard on PostgreSQL, in the web app's own virtualenv (SQLAlchemy 2.x, psycopg 3): the stats
API and its CSV over a generated store, and two web apps counting at once. `make test-scale` fills a database of
its own (tests/scale/test_stats_postgres.py) and runs this module with .venv-web and STATS_TEST_POSTGRES_URL;
without it the tests are skipped."""

from __future__ import annotations

import asyncio
import csv
import io
import os
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from aiohttp.test_utils import TestClient, TestServer

from bot import keys
from bot.app import create_app
from bot.settings import Settings
from bot.stats import DayRange
from bot.stats_rollup import Rollup
from tests.web.test_web_stats_rollup import refresh_at_once

URL = os.environ.get("STATS_TEST_POSTGRES_URL", "")
pytestmark = pytest.mark.skipif(not URL, reason="no PostgreSQL: make test-scale runs this with STATS_TEST_POSTGRES_URL")
TOKEN = "scale-console-token-0123456789"
PHONE = "13912345678"  # in one of the questions tests/scale/test_stats_postgres.py adds


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
            assert group["count"] == 3 and "我电话[手机号]，社保卡丢了怎么补办" in group["examples"]
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


def test_stats_api_and_csv_on_postgresql(tmp_path: Path) -> None:
    check_api(URL, tmp_path)


def test_two_web_apps_count_each_event_once_on_postgresql() -> None:
    check_two_processes(URL)
