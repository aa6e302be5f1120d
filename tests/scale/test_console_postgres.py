"""The staff console's list of poorly answered questions reads the shared PostgreSQL tracker store when the web
app is given TRACKER_STORE_URL (several Rasa instances keep no SQLite file), with personal numbers masked."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from bot.tracker import TrackerReader
from tests.scale.client import new_sender, send, session

pytestmark = pytest.mark.scale


def test_console_lists_questions_from_postgresql(cluster: Any, tmp_path: Path) -> None:
    sender = new_sender("console")
    question = "我手机13812345678，珲春社保局电话"

    async def ask() -> int:
        async with session() as http:
            return (await send(http, cluster.config.rasa_urls()[0], sender, question)).status

    assert asyncio.run(ask()) == 200
    env = cluster.endpoint_env()
    url = (f"postgresql://{env['POSTGRES_USER']}:{env['POSTGRES_PASSWORD']}@{env['POSTGRES_HOST']}:"
           f"{env['POSTGRES_PORT']}/{env['POSTGRES_DB']}")
    reader = TrackerReader(tmp_path / "no-such-file.db", url)
    try:
        assert reader.exists()
        items = reader.unanswered(threshold=1.01, limit=200)  # every question counts as unanswered below 1.01
        assert env["POSTGRES_PASSWORD"] not in reader.description
    finally:
        reader.close()
    texts = [item.text for item in items]
    assert "我手机[手机号]，珲春社保局电话" in texts
    assert not any("13812345678" in text for text in texts)
