"""The console's dashboard API on a SQLite tracker store: GET /console/api/stats and /stats.csv (figures of a known
store, China-time days, near-duplicates counted together, personal numbers masked, ratings, bad ranges, CSV for
Excel), and the page itself."""

from __future__ import annotations

import asyncio
import csv
import io
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from aiohttp.test_utils import TestClient

from bot import keys
from bot.intent_names import INTENT_NAMES
from bot.settings import Settings
from stores.schema import has_table
from tests.web.conftest import AUTH, MakeClient
from tests.web.tracker_db import add_feedback, iso, make_tracker, midnight, said, slot, started

ROOT = Path(__file__).resolve().parents[2]


def known_store(db: Path) -> None:
    y, y3, y40 = midnight(1) + 10 * 3600, midnight(3) + 10 * 3600, midnight(40) + 10 * 3600
    make_tracker(db, [
        started("web_a", y),
        said("web_a", "珲春社保局电话", "find_bureau", 0.97, y + 1, ("珲春",)),
        ("web_a", "slot", None, slot("location", "珲春"), y + 2),  # the same place in the same turn: counted once
        ("web_a", "slot", None, slot("insured_place", "珲春"), y + 2),
        ("web_a", "bot", None, {"event": "bot", "text": "珲春市社会保险局：0433-7512409"}, y + 3),
        said("web_a", "那延吉的呢", "inform_location", 0.9, y + 10, ("延吉",)),
        ("web_a", "slot", None, slot("residence_place", "敦化"), y + 11),  # a place only a slot names
        started("web_b", y + 20),
        said("web_b", "失业金能领多少钱", "ask_benefit_amount", 0.95, y + 21),
        said("web_b", "公积金怎么提取", "nlu_fallback", 0.3, y + 22),
        said("web_c", "公積金怎麼提取？", "ask_not_in_guide", 0.41, y + 30),  # equal after folding
        said("web_c", "公积金咋提取", "ask_not_in_guide", 0.35, y + 31),  # similar wording
        said("web_d", "我电话13812345678，公积金怎么提取", "nlu_fallback", 0.3, y + 40),
        said("web_e", '/find_bureau{"location": "珲春"}', "find_bureau", 1.0, y + 50),  # a button, not a question
        said("console_x", "坐席自己问的问题", "nlu_fallback", 0.1, y + 60),  # the console's own sessions
        said("web_f", "今天天气怎么样", "out_of_scope", 0.99, y + 70),
        started("web_g", y3),
        said("web_g", "长春朝阳区社保局在哪", "find_bureau", 0.9, y3 + 1, ("长春朝阳区",)),
        said("web_g", "养老保险怎么交", "nlu_fallback", 0.3, y3 + 2),
        said("web_h", "珲春", "inform_location", 0.99, y40, ("珲春",)),
        said("web_h", "什么时候发钱", "nlu_fallback", 0.3, y40 + 1),
    ])
    add_feedback(db, [{"sender": "web_a", "at": y + 100, "rating": 5, "helpful": None},
                      {"sender": "web_b", "at": y + 101, "rating": 2, "helpful": None},
                      {"sender": "web_a", "at": y + 102, "rating": None, "helpful": True},
                      {"sender": "web_c", "at": y + 103, "rating": None, "helpful": False},
                      {"sender": "web_h", "at": y40 + 100, "rating": 1, "helpful": None}])


async def refreshed(client: TestClient) -> None:
    """What the background task does every STATS_REFRESH_S (off in these tests): count the new events."""
    await asyncio.to_thread(client.server.app[keys.STATS].refresh)


async def get_stats(client: TestClient, **params: str) -> dict[str, Any]:
    await refreshed(client)
    resp = await client.get("/console/api/stats", params=params, headers=AUTH)
    assert resp.status == 200, await resp.text()
    return await resp.json()


@pytest.mark.parametrize("path", ["/console/api/stats", "/console/api/stats.csv"])
async def test_stats_need_console_credentials(client: TestClient, path: str) -> None:
    assert (await client.get(path, params={"days": "7"})).status == 401
    assert (await client.get(path, headers={"Authorization": "Bearer wrong-token-0123456789"})).status == 401


async def test_a_month_of_a_known_store(client: TestClient, base_settings: Settings) -> None:
    known_store(base_settings.tracker_db)
    body = await get_stats(client, days="30")
    assert body["range"] == {"from": iso(29), "to": iso(0), "days": 30, "timezone": "UTC+8"}
    assert [d["date"] for d in body["per_day"]] == [iso(n) for n in range(29, -1, -1)]  # every day, oldest first
    yesterday = next(d for d in body["per_day"] if d["date"] == iso(1))
    assert yesterday == {"date": iso(1), "questions": 8, "sessions": 2, "fallback": 2, "low_confidence": 2,
                         "fallback_rate": 0.25, "low_confidence_rate": 0.25}
    assert body["totals"] == {"questions": 10, "sessions": 3, "fallback": 3, "low_confidence": 2,
                              "fallback_rate": 0.3, "low_confidence_rate": 0.2, "ratings": 2, "average_rating": 3.5}
    intents = {i["intent"]: (i["name"], i["count"]) for i in body["intents"]}
    assert intents == {"nlu_fallback": ("未能识别", 3), "find_bureau": ("找社保局", 2),
                       "ask_not_in_guide": ("指南未涉及的事项", 2), "ask_benefit_amount": ("能领多少钱", 1),
                       "inform_location": ("告知地点", 1), "out_of_scope": ("与失业金无关", 1)}
    assert body["intents"][0]["share"] == 0.3
    assert body["places"] == [{"place": name, "count": 1} for name in ("延吉市", "敦化市", "朝阳区", "珲春市")]
    ratings = body["ratings"]
    assert (ratings["count"], ratings["average"], ratings["helpful"], ratings["unhelpful"]) == (2, 3.5, 1, 1)
    assert [level["count"] for level in ratings["levels"]] == [1, 0, 0, 1, 0]  # 非常满意 5 first
    assert ratings["levels"][0]["name"] == "非常满意" and ratings["levels"][-1]["name"] == "非常不满意"
    assert next(d for d in ratings["per_day"] if d["date"] == iso(1)) == {
        "date": iso(1), "count": 2, "average": 3.5, "helpful": 1, "unhelpful": 1}


async def test_near_duplicates_count_together_masked(client: TestClient, base_settings: Settings) -> None:
    known_store(base_settings.tracker_db)
    await refreshed(client)
    resp = await client.get("/console/api/stats", params={"days": "30"}, headers=AUTH)
    groups = (await resp.json())["unanswered"]
    assert [(g["count"], g["variants"]) for g in groups] == [(4, 4), (1, 1)]
    assert set(groups[0]["examples"]) == {"公积金怎么提取", "公積金怎麼提取？", "公积金咋提取",
                                          "我电话[手机号]，公积金怎么提取"}
    assert groups[0]["last_day"] == iso(1) and groups[1]["text"] == "养老保险怎么交"
    raw = await resp.text()
    assert "13812345678" not in raw and "坐席自己问的问题" not in raw


async def test_a_year_reaches_the_older_days(client: TestClient, base_settings: Settings) -> None:
    known_store(base_settings.tracker_db)
    body = await get_stats(client, days="365")
    assert body["range"]["days"] == 365 and len(body["per_day"]) == 365
    assert body["totals"]["questions"] == 12 and body["totals"]["fallback"] == 4
    assert body["places"][0] == {"place": "珲春市", "count": 2}
    assert body["ratings"]["count"] == 3 and body["ratings"]["average"] == 2.67
    assert "什么时候发钱" in [g["text"] for g in body["unanswered"]]
    week = await get_stats(client, days="7")
    assert week["totals"]["questions"] == 10 and len(week["per_day"]) == 7


async def test_days_are_china_time(client: TestClient, base_settings: Settings) -> None:
    start = midnight(1)
    make_tracker(base_settings.tracker_db, [
        said("web_a", "能领多少钱", "ask_benefit_amount", 0.9, start + 1800),  # 00:30 yesterday in China
        said("web_b", "能领多久", "ask_benefit_duration", 0.9, start - 1800),  # 23:30 the day before
    ])
    body = await get_stats(client, **{"from": iso(1), "to": iso(1)})
    assert body["range"]["days"] == 1 and body["totals"]["questions"] == 1
    assert body["intents"][0]["intent"] == "ask_benefit_amount"


async def test_new_events_are_counted_by_the_next_refresh(make_client: MakeClient, base_settings: Settings) -> None:
    client = await make_client(stats_settle_s=0)
    now = midnight(0) + 60
    make_tracker(base_settings.tracker_db, [said("web_a", "能领多少钱", "ask_benefit_amount", 0.9, now)])
    assert (await get_stats(client, days="1"))["totals"]["questions"] == 1
    make_tracker(base_settings.tracker_db, [said("web_b", "公积金怎么提取", "nlu_fallback", 0.3, now + 5),
                                            said("web_c", "公积金怎么提取呢", "nlu_fallback", 0.3, now + 6)])
    body = await get_stats(client, days="1")
    assert body["totals"]["questions"] == 3 and body["complete"] is True
    assert [g["count"] for g in body["unanswered"]] == [2]


async def test_events_younger_than_the_settle_time_wait(make_client: MakeClient, base_settings: Settings) -> None:
    """With several Rasa instances an event can be committed after a newer one: the last 30 s are not counted yet."""
    client = await make_client(stats_settle_s=3600)
    make_tracker(base_settings.tracker_db, [said("web_a", "能领多少钱", "ask_benefit_amount", 0.9, time.time() - 7200),
                                            said("web_b", "能领多久", "ask_benefit_duration", 0.9, time.time() - 60)])
    body = await get_stats(client, days="2")
    assert body["totals"]["questions"] == 1 and body["complete"] is True and body["note"] == ""


async def test_figures_far_behind_say_so(client: TestClient, base_settings: Settings) -> None:
    """Before the first count of a store (or while the store was unreachable) the page must not look complete."""
    known_store(base_settings.tracker_db)
    body = await (await client.get("/console/api/stats", params={"days": "30"}, headers=AUTH)).json()
    assert body["complete"] is False and "汇总中" in body["note"] and body["totals"]["questions"] == 0


async def test_the_background_refresh_counts_without_a_request(make_client: MakeClient,
                                                             base_settings: Settings) -> None:
    known_store(base_settings.tracker_db)
    await make_client(stats_refresh_s=0.05)  # no request: the background task alone
    engine = sa.create_engine(f"sqlite:///{base_settings.tracker_db}", future=True)
    deadline = time.monotonic() + 30
    with engine.connect() as conn:
        while True:  # polls the rollup's watermark, at most 30 s
            state = conn.execute(sa.text("SELECT last_id FROM stats_state")).scalar() \
                if has_table(conn, "stats_state") else None
            if state == 21 or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.05)
        daily = conn.execute(sa.text("SELECT SUM(n) FROM stats_daily WHERE metric = 'questions'")).scalar()
    engine.dispose()
    assert (state, daily) == (21, 12)


async def test_no_store_yet_is_an_empty_dashboard(client: TestClient) -> None:
    body = await get_stats(client, days="7")
    assert body["totals"]["questions"] == 0 and len(body["per_day"]) == 7
    assert body["note"] == "尚无对话记录（对话存储文件不存在）。" and body["unanswered"] == []


async def test_an_unreadable_store_is_503(client: TestClient, base_settings: Settings) -> None:
    base_settings.tracker_db.parent.mkdir(parents=True, exist_ok=True)
    base_settings.tracker_db.write_bytes(b"this is not sqlite" * 100)
    resp = await client.get("/console/api/stats", params={"days": "7"}, headers=AUTH)
    assert resp.status == 503 and (await resp.json())["error"] == "暂时无法读取对话记录，请稍后再试。"


async def test_default_range_is_thirty_days(client: TestClient) -> None:
    assert (await get_stats(client))["range"]["days"] == 30


@pytest.mark.parametrize("params, reason", [
    ({"days": "0"}, "1 到 366"), ({"days": "367"}, "1 到 366"), ({"days": "-7"}, "1 到 366"),
    ({"days": "abc"}, "1 到 366"), ({"days": "1.5"}, "1 到 366"), ({"days": ""}, "1 到 366"),
    ({"days": "３０"}, "1 到 366"), ({"days": "99999999999999999999"}, "1 到 366"),
    ({"day": "7"}, "不支持的参数"), ({"from": iso(3)}, "同时给出"),
    ({"days": "7", "from": iso(3), "to": iso(1)}, "只用 days"),
    ({"from": iso(1), "to": iso(3)}, "不能晚于"), ({"from": "2025-02-30", "to": "2025-03-01"}, "YYYY-MM-DD"),
    ({"from": "20250101", "to": "2025-03-01"}, "YYYY-MM-DD"), ({"from": "2024-01-01", "to": "2025-01-01"}, "最长 366"),
])
@pytest.mark.parametrize("path", ["/console/api/stats", "/console/api/stats.csv"])
async def test_bad_ranges_are_400_with_the_reason(client: TestClient, path: str, params: dict[str, str],
                                                 reason: str) -> None:
    resp = await client.get(path, params=params, headers=AUTH)
    assert resp.status == 400
    assert reason in (await resp.json())["error"]


async def test_a_parameter_given_twice_is_400(client: TestClient) -> None:
    resp = await client.get("/console/api/stats?days=7&days=30", headers=AUTH)
    assert resp.status == 400 and "只能给一次" in (await resp.json())["error"]


async def test_csv_for_excel(client: TestClient, base_settings: Settings) -> None:
    known_store(base_settings.tracker_db)
    make_tracker(base_settings.tracker_db, [said("web_z", "=HYPERLINK(\"http://evil\")", "nlu_fallback", 0.2,
                                                 midnight(2) + 3600)])
    await refreshed(client)
    resp = await client.get("/console/api/stats.csv", params={"days": "30"}, headers=AUTH)
    assert resp.status == 200
    assert resp.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert resp.headers["Content-Disposition"] == f'attachment; filename="stats_{iso(29)}_{iso(0)}.csv"'
    raw = await resp.read()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel then reads UTF-8, not GBK
    text = raw.decode("utf-8-sig")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["失业保险金咨询统计", f"{iso(29)} 至 {iso(0)}", "30 天", "北京时间"]
    header = rows.index(["日期", "问题数", "会话数", "兜底数", "兜底率", "低置信度数", "低置信度率", "评价数",
                         "平均评分", "有用", "没用"])
    days = rows[header + 1:header + 31]
    assert [r[0] for r in days] == [iso(n) for n in range(29, -1, -1)]
    assert next(r for r in days if r[0] == iso(1)) == [iso(1), "8", "2", "2", "25.0%", "2", "25.0%", "2", "3.5", "1",
                                                        "1"]
    assert ["ask_benefit_amount", "能领多少钱", "1", "9.1%"] in rows
    assert ["珲春市", "1"] in rows and ["5", "非常满意", "1"] in rows
    group = next(r for r in rows if r and r[0] == "公积金怎么提取")
    assert group[1:3] == ["4", "4"] and "我电话[手机号]，公积金怎么提取" in group[4]
    assert ["'=HYPERLINK(\"http://evil\")", "1", "1", iso(2), ""] in rows  # never a formula in Excel
    assert "13812345678" not in text


def test_every_intent_has_a_chinese_name() -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    assert set(domain["intents"]) | {"nlu_fallback"} <= set(INTENT_NAMES)
    assert all(name and not name.isascii() for name in INTENT_NAMES.values())


async def test_the_dashboard_page(client: TestClient) -> None:
    resp = await client.get("/console/dashboard")
    assert resp.status == 200 and resp.headers["Content-Type"] == "text/html; charset=utf-8"
    page = await resp.text()
    assert "/static/vendor/echarts/echarts.common.min.js" in page and "https://" not in page  # no CDN
    assert "script-src 'self'" in resp.headers["Content-Security-Policy"]
    vendored = await client.get("/static/vendor/echarts/echarts.common.min.js")
    assert vendored.status == 200 and len(await vendored.read()) > 500_000


async def test_ratings_sent_through_the_api_are_on_the_dashboard(client: TestClient) -> None:
    """The dashboard reads the `feedback` rows POST /api/feedback writes (one table, stores/schema.py)."""
    for sender in ("web_rated1", "web_rated2"):
        resp = await client.post("/api/chat", json={"sender": sender, "message": "珲春社保局电话"})
        assert resp.status == 200
    for body in ({"sender": "web_rated1", "rating": 5}, {"sender": "web_rated2", "rating": 2, "comment": "没说清楚"},
                 {"sender": "web_rated2", "helpful": False}):
        assert (await client.post("/api/feedback", json=body)).status == 201
    ratings = (await get_stats(client, days="1"))["ratings"]
    assert (ratings["count"], ratings["average"], ratings["unhelpful"]) == (2, 3.5, 1)
    assert [level["count"] for level in ratings["levels"]] == [1, 0, 0, 1, 0]
