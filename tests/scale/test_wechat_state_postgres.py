"""The WeChat channel's shared state on PostgreSQL (WECHAT_STATE_URL, for several machines): the same SQL as on
SQLite, and a message is still claimed by exactly one of several processes."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from channels.wechat.state import ChannelState
from tests.unit.test_wechat_state import claimed_by_processes

pytestmark = pytest.mark.scale


def test_wechat_state_on_postgresql(cluster: Any) -> None:
    env = cluster.endpoint_env()
    url = (f"postgresql://{env['POSTGRES_USER']}:{env['POSTGRES_PASSWORD']}@{env['POSTGRES_HOST']}:"
           f"{env['POSTGRES_PORT']}/{env['POSTGRES_DB']}")
    user = f"wx-{uuid.uuid4().hex[:12]}"
    keys = [f"msg:{user}:{i}" for i in range(100)]
    won = claimed_by_processes(url, keys)
    assert sorted(key for batch in won for key in batch) == sorted(keys)
    state = ChannelState(url)
    try:
        state.save_menu(user, [{"title": "网上申领", "payload": "/ask_online_apply"}])
        assert state.load_menu(user, ttl=60) == [{"title": "网上申领", "payload": "/ask_online_apply"}]
        state.add_outbox(user, "第一")
        state.add_outbox(user, "第二")
        assert state.take_outbox(user) == "第一\n\n第二"
        state.forget(user)
        assert state.lookup(keys[0]) is None
    finally:
        state.close()
