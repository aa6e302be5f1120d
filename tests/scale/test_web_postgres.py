"""The web app (from its own virtualenv, .venv-web) on the cluster's PostgreSQL (TRACKER_STORE_URL): a citizen's
转人工 through the web app gets a 咨询编号 the action server stored in PostgreSQL; an agent made with the CLI logs
in and opens it (turns masked, facts); a rating is stored and listed as a bad one; the console's unanswered list
reads the shared store; the dashboard counts a real conversation with its phone number masked; and the stores' own
tests pass on PostgreSQL under both SQLAlchemy versions."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from devtools import scale
from devtools.net import http_ok
from devtools.process import ManagedProcess, wait_ready
from tests.scale.client import new_sender

pytestmark = pytest.mark.scale
ROOT = Path(__file__).resolve().parents[2]
WEB_PYTHON = ROOT / ".venv-web" / "bin" / "python"
TOKEN = "scale-console-token-0123456789"
PASSWORD = "correct horse battery staple"
PHONE = "13912345678"
CODE = re.compile(r"咨询编号：([2-9A-HJ-NP-Z]{7})")


@pytest.fixture(scope="module")
def web(cluster: scale.Cluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    c = cluster.config
    url = f"http://127.0.0.1:{c.web_port}"
    env = {**os.environ, "BOT_PORT": str(c.web_port), "RASA_URL": c.rasa_urls()[0], "ACTIONS_URL": c.actions_url,
           "RASA_TOKEN": cluster.rasa_token, "CONSOLE_TOKEN": TOKEN, "TRACKER_STORE_URL": cluster.database_url(),
           "VAR_DIR": str(tmp_path_factory.mktemp("web-var")), "RATE_LIMIT_PER_MIN": "0",
           "SENDER_RATE_LIMIT_PER_MIN": "0", "STAFF_ARGON2_MEMORY_KIB": "8192", "STAFF_ARGON2_TIME_COST": "1",
           "UNANSWERED_THRESHOLD": "1.0",  # every question listed: the list reads the shared store
           "STATS_REFRESH_S": "1", "STATS_SETTLE_S": "0"}  # the dashboard counts new events at once
    app = ManagedProcess(name="web", cmd=[str(WEB_PYTHON), "-m", "bot"], cwd=ROOT, log_path=c.logs / "web.log",
                         env=env, port=c.web_port, ready=lambda: http_ok(f"{url}/healthz"))
    made = subprocess.run([str(WEB_PYTHON), "-m", "bot.staff", "add", "scale.agent", "--password-stdin"],
                          input=PASSWORD + "\n", capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert made.returncode == 0, made.stderr
    try:
        app.start()
        wait_ready([app], 120, poll_interval=0.5, echo=lambda m: None)
        yield url
    finally:
        app.stop(10)


async def _json(resp: aiohttp.ClientResponse) -> Any:
    return await resp.json(content_type=None)


def test_handoff_ratings_and_accounts_on_postgresql(web: str, cluster: scale.Cluster) -> None:
    sender = new_sender("web").replace("scale-", "web_")

    async def scenario() -> None:
        timeout = aiohttp.ClientTimeout(total=120)
        jar = aiohttp.CookieJar(unsafe=True)  # the session cookie of 127.0.0.1 (by default aiohttp refuses IPs')
        async with aiohttp.ClientSession(timeout=timeout, cookie_jar=jar) as http:
            for message in ("我在珲春交了三年社保，被单位辞退了，手机13812345678", "转人工"):
                resp = await http.post(f"{web}/api/chat", json={"sender": sender, "message": message})
                assert resp.status == 200, await resp.text()
                reply = "\n".join(r["text"] for r in (await _json(resp))["replies"])
            found = CODE.search(reply)
            assert found, reply
            code = found.group(1)
            assert cluster.pg_query("SELECT sender_id FROM handoff WHERE code = %s", (code,)) == [(sender,)]

            login = await http.post(f"{web}/console/api/login", json={"username": "scale.agent", "password": PASSWORD})
            assert login.status == 200, await login.text()
            opened = await http.get(f"{web}/console/api/handoff/{code}")
            assert opened.status == 200
            body = await _json(opened)
            assert body["sender"] == sender and body["facts"]["insured_place"] == "珲春"
            assert body["facts"]["leave_reason"] == "involuntary"
            assert body["turns"][0]["text"] == "我在珲春交了三年社保，被单位辞退了，手机[手机号]"
            assert cluster.pg_query("SELECT action, target FROM staff_audit WHERE username = 'scale.agent' "
                                    "ORDER BY id DESC LIMIT 1") == [("open_handoff", f"{code} {sender}")]

            rated = await http.post(f"{web}/api/feedback", json={"sender": sender, "rating": 1, "comment": "没人接"})
            assert rated.status == 201
            bad = await _json(await http.get(f"{web}/console/api/feedback"))
            mine = [item for item in bad["items"] if item["sender"] == sender]
            assert mine and mine[0]["question"] == "转人工" and mine[0]["comment"] == "没人接"
            assert mine[0]["intent"] == "request_human"

            unanswered = await http.get(f"{web}/console/api/unanswered?limit=200",
                                        headers={"Authorization": f"Bearer {TOKEN}"})
            texts = [item["text"] for item in (await _json(unanswered))["items"]]
            assert "我在珲春交了三年社保，被单位辞退了，手机[手机号]" in texts
            assert not any("13812345678" in text for text in texts)

    asyncio.run(scenario())


def test_the_dashboard_counts_a_real_conversation_masked(web: str, cluster: scale.Cluster) -> None:
    """Messages through the web app and the cluster's Rasa; the web app's background rollup (every second here)
    counts them: the place named, and the messages it could not answer, with a phone number, kept masked only.
    (Several wordings: one the question cues recognise has confidence 1.0, below no threshold, and is not kept.)"""
    sender = new_sender("web").replace("scale-", "web_")
    said = [f"asdfghjkl {PHONE} qwertyuiop", f"嗯 {PHONE} 那个那个", f"zxcv {PHONE}"]
    masked = [m.replace(PHONE, "[手机号]") for m in said]

    def kept() -> list[str]:
        return [str(t) for (t,) in cluster.pg_query("SELECT text FROM stats_unanswered WHERE sender_id = %s",
                                                     (sender,))]

    async def scenario() -> str:
        timeout = aiohttp.ClientTimeout(total=120)
        async with aiohttp.ClientSession(timeout=timeout) as http:
            for message in ("珲春社保局电话", *said):
                resp = await http.post(f"{web}/api/chat", json={"sender": sender, "message": message})
                assert resp.status == 200, await resp.text()
            deadline = time.monotonic() + 90
            while not set(masked) & set(kept()) and time.monotonic() < deadline:  # polls the rollup, at most 90 s
                await asyncio.sleep(0.5)
            resp = await http.get(f"{web}/console/api/stats", params={"days": "2"},
                                  headers={"Authorization": f"Bearer {TOKEN}"})
            assert resp.status == 200, await resp.text()
            return await resp.text()

    text = asyncio.run(scenario())
    assert set(masked) & set(kept()), kept()
    assert not any(PHONE in t for t in kept()) and PHONE not in text
    assert any(p["place"] == "珲春市" for p in json.loads(text)["places"])


@pytest.mark.parametrize("python", [sys.executable, str(WEB_PYTHON)], ids=["rasa-venv", "web-venv"])
def test_the_stores_pass_on_postgresql(cluster: scale.Cluster, python: str) -> None:
    """tests/stores with the cluster's PostgreSQL: SQLAlchemy 1.4 (the action server's) and 2.x (the web app's)."""
    env = {**os.environ, "STORES_TEST_POSTGRES_URL": cluster.database_url()}
    run = subprocess.run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", "tests/stores"], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "skipped" not in run.stdout.splitlines()[-1], run.stdout[-2000:]
