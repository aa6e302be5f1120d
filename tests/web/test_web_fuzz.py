"""Hypothesis fuzzing of POST /api/chat and GET /api/offices over real sockets: never a 500, always JSON."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.web.live import LiveServers, live_servers

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
chat_bodies = st.one_of(
    st.fixed_dictionaries({"sender": st.from_regex(r"\Aweb_[A-Za-z0-9_-]{1,20}\Z"), "message": st.text(max_size=600)}),
    st.fixed_dictionaries({"sender": json_values, "message": json_values}),
    st.dictionaries(st.text(max_size=12), json_values, max_size=5),
    json_values,
)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServers]:
    var_dir: Path = tmp_path_factory.mktemp("fuzz") / "var"
    with live_servers(var_dir, rate_per_min=0, sender_rate_per_min=0) as servers:
        yield servers


def request(base: str, method: str, path: str, body: bytes | None = None) -> tuple[int, Any]:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    try:
        conn.request(method, path, body=body, headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, json.loads(data)
    finally:
        conn.close()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=chat_bodies)
def test_chat_fuzz_json(live: LiveServers, body: Any) -> None:
    status, data = request(live.web_url, "POST", "/api/chat", json.dumps(body).encode("utf-8"))
    assert status in (200, 400, 413), data
    assert ("replies" in data) if status == 200 else isinstance(data.get("error"), str)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=2000) | st.text(max_size=2000).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_chat_fuzz_raw_bytes(live: LiveServers, raw: bytes) -> None:
    status, data = request(live.web_url, "POST", "/api/chat", raw)
    assert status in (200, 400, 413), data
    assert "Traceback" not in json.dumps(data)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=150))
def test_offices_fuzz(live: LiveServers, q: str) -> None:
    status, data = request(live.web_url, "GET", "/api/offices?q=" + quote(q.encode("utf-8", "surrogatepass")))
    assert status in (200, 400), data


def test_chat_huge_message(live: LiveServers) -> None:
    status, data = request(live.web_url, "POST", "/api/chat",
                           json.dumps({"sender": "web_1", "message": "珲" * 100_000}).encode())
    assert status == 413 and data["error"]
