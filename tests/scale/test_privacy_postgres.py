"""Personal data on PostgreSQL (several Rasa instances): numbers sent to either instance are masked before they are
stored (the raw rows of `events` hold none of their digits); deleting a conversation takes its events, ratings and
handoff code from PostgreSQL, twice is harmless; retention removes idle conversations through the indexes on
`events` and logs what it removed."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from typing import Any

import pytest
import sqlalchemy as sa

from records import retention
from stores.schema import create
from tests.scale.client import new_sender, send, session

pytestmark = pytest.mark.scale

ID, MOBILE, CARD = "220102198506071238", "15943128876", "6228480402564890018"


def engine_of(cluster: Any) -> sa.engine.Engine:
    env = cluster.endpoint_env()
    return sa.create_engine(f"postgresql://{env['POSTGRES_USER']}:{env['POSTGRES_PASSWORD']}@{env['POSTGRES_HOST']}:"
                            f"{env['POSTGRES_PORT']}/{env['POSTGRES_DB']}")


def raw(cluster: Any, sender: str) -> list[str]:
    """The stored rows' `data` (Chinese as \\u escapes) and the same decoded."""
    rows = [str(r[0]) for r in cluster.pg_query("SELECT data FROM events WHERE sender_id = %s", (sender,))]
    return [f"{r}\n{json.dumps(json.loads(r), ensure_ascii=False)}" for r in rows]


async def post_json(url: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    async with session() as http, http.post(url, json=body) as resp:
        return resp.status, await resp.json(content_type=None)


def ask_each(url: str, *senders: str) -> None:
    """Each sender asks one question at the Rasa instance `url` (a conversation in the tracker store), answered."""

    async def talk() -> None:
        async with session() as http:
            for who in senders:
                assert (await send(http, url, who, "珲春社保局电话")).status == 200

    asyncio.run(talk())


def test_numbers_sent_to_either_instance_are_never_stored(cluster: Any) -> None:
    first, second = cluster.config.rasa_urls()
    sender = new_sender("privacy")

    async def talk() -> list[str]:
        async with session() as http:
            a = await send(http, first, sender, f"我身份证{ID}，手机{MOBILE}，珲春社保局电话")
            b = await send(http, second, sender, f"卡号 {CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:]} 网上怎么办")
        return [a.text, b.text]

    replies = asyncio.run(talk())
    assert all("不需要身份证号、手机号、银行卡号" in r for r in replies), replies
    rows = raw(cluster, sender)
    assert any("[身份证号]" in r and "[手机号]" in r for r in rows) and any("[银行卡号]" in r for r in rows)
    joined = re.sub(r"[\s\-]", "", "\n".join(rows))
    for number in (ID, MOBILE, CARD):
        assert number not in joined


def test_forget_deletes_events_ratings_and_handoff_code_from_postgresql(cluster: Any) -> None:
    first, second = cluster.config.rasa_urls()
    sender, other = new_sender("forget"), new_sender("keep")

    ask_each(first, sender, other)
    engine = engine_of(cluster)
    try:
        with engine.begin() as conn:
            create(conn)
            for who in (sender, other):
                conn.execute(sa.text("INSERT INTO feedback (sender_id, created_at, rating) VALUES (:s, :t, 4)"),
                             {"s": who, "t": time.time()})
                conn.execute(sa.text("INSERT INTO handoff (code, sender_id, created_at, expires_at) "
                                     "VALUES (:c, :s, :t, :e)"),
                             {"c": who[-8:], "s": who, "t": time.time(), "e": time.time() + 600})
        status, body = asyncio.run(post_json(f"{second}/webhooks/rest/forget", {"sender": sender}))
        assert status == 200 and body["deleted"] and body["rows"] > 2  # its events, rating and code
        assert raw(cluster, sender) == []
        for table in ("feedback", "handoff"):
            left = {r[0] for r in cluster.pg_query(f"SELECT sender_id FROM {table}")}  # noqa: S608 - fixed names
            assert sender not in left and other in left
        assert raw(cluster, other)
        status, body = asyncio.run(post_json(f"{first}/webhooks/rest/forget", {"sender": sender}))
        assert status == 200 and body["deleted"] and body["rows"] == 0  # the second time: harmless
    finally:
        engine.dispose()


def test_retention_on_postgresql(cluster: Any, caplog: pytest.LogCaptureFixture) -> None:
    first = cluster.config.rasa_urls()[0]
    idle, active = new_sender("idle"), new_sender("active")

    ask_each(first, idle, active)
    engine = engine_of(cluster)
    try:
        with engine.begin() as conn:  # as if it had last talked 200 days ago
            conn.execute(sa.text("UPDATE events SET timestamp = timestamp - :d WHERE sender_id = :s"),
                         {"d": 200 * 86400, "s": idle})
        with caplog.at_level(logging.INFO, logger="records.retention"):
            purged = retention.purge(engine, days=180)
        assert purged.conversations >= 1 and purged.events > 0
        assert re.search(r"retention \(180 days\): removed [1-9]\d* conversations", caplog.text)
        assert raw(cluster, idle) == [] and raw(cluster, active)
        indexes = {r[0] for r in cluster.pg_query("SELECT indexname FROM pg_indexes WHERE tablename = 'events'")}
        assert {"ix_events_timestamp", "ix_events_sender_id"} <= indexes
        assert retention.totals(engine)["conversations"] >= 1
    finally:
        engine.dispose()
