"""A stack of its own with the WeChat channel on (compatible mode: plaintext and encrypted messages both accepted),
on the ports of BOT_PORT / RASA_PORT / ACTIONS_PORT, its customer-service API pointed at a fake WeChat API on
127.0.0.1:WECHAT_FAKE_API_PORT [8690]. Started once for this folder, stopped at the end."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sqlite3
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from devtools import stack as run_stack
from devtools.net import http_ok
from tests.required import unavailable
from tests.wechat.wechat_side import Account, Answer, FakeWeChatApi, WeChatServers, http

ACCOUNT = Account(token="wechat-test-token", app_id="wx5d1c7e2f90a4b3c6",
                  encoding_aes_key="kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR")
APP_SECRET = "fake-app-secret"
OPENID_SECRET = "openid-hmac-secret-for-tests"
PATH = "/webhooks/wechat/webhook"


@dataclass
class WeChatStack:
    stack: Any
    api: FakeWeChatApi
    reused: bool = False
    _pushes_read: dict[str, int] = field(default_factory=dict)

    @property
    def rasa(self) -> WeChatServers:
        """WeChat calling Rasa's channel directly."""
        return WeChatServers(self.stack.config.url("rasa") + PATH, ACCOUNT)

    @property
    def public(self) -> WeChatServers:
        """WeChat calling the public web app, which forwards to Rasa."""
        return WeChatServers(self.stack.config.url("web") + PATH, ACCOUNT)

    def seen(self, answer: Answer, openid: str, encrypted: bool = False, deadline_s: float = 60.0) -> str:
        """What the user sees of one message's answer: the passive reply's text, or, when the channel answered
        "success" (the turn took longer than WeChat waits: a loaded machine), the next customer-service message."""
        assert answer.status == 200, answer
        if answer.body != "success":
            fields = self.rasa.reply_fields(answer, encrypted=encrypted)
            assert fields["ToUserName"] == openid and fields["MsgType"] == "text", fields
            return fields["Content"]
        done = self._pushes_read.get(openid, 0)
        deadline = time.monotonic() + deadline_s
        while len(self.api.texts_to(openid)) <= done and time.monotonic() < deadline:
            time.sleep(0.2)  # polling the fake API's record
        pushed = self.api.texts_to(openid)
        assert len(pushed) > done, "neither a passive reply nor a customer-service message"
        self._pushes_read[openid] = len(pushed)
        return "".join(pushed[done:])

    def tracker_events(self, openid: str) -> list[dict[str, Any]]:
        """The conversation's events as Rasa keeps them (HTTP API, with the stack's token)."""
        conversation = conversation_id(openid)
        answer = http("GET", f"{self.stack.config.url('rasa')}/conversations/{conversation}/tracker"
                             f"?token={self.stack.config.rasa_token}")
        assert answer.status == 200, answer
        return json.loads(answer.body)["events"]

    def user_texts(self, openid: str) -> list[str]:
        return [e.get("text") or "" for e in self.tracker_events(openid) if e["event"] == "user"]

    def stored_rows_mentioning(self, needle: str) -> int:
        """Rows of the tracker store's SQLite file (and the channel's own) whose data contain `needle`."""
        found = 0
        for name, query in (("tracker.db", "SELECT count(*) FROM events WHERE sender_id LIKE ? OR data LIKE ?"),
                            ("wechat.db", "SELECT (SELECT count(*) FROM wechat_users WHERE user_id LIKE ?1) + "
                                          "(SELECT count(*) FROM wechat_messages WHERE msg_key LIKE ?2)")):
            path = run_stack.ROOT / "var" / "rasa" / name
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
                found += conn.execute(query, (f"%{needle}%", f"%{needle}%")).fetchone()[0]
        return found


def conversation_id(openid: str) -> str:
    """The keyed hash the channel must use instead of the OpenID (computed here from the description)."""
    return "wx-" + hmac.new(OPENID_SECRET.encode(), openid.encode(), hashlib.sha256).hexdigest()[:40]


def new_openid() -> str:
    return "oTest" + uuid.uuid4().hex[:23]


@pytest.fixture(scope="session")
def wechat() -> Iterator[WeChatStack]:
    if run_stack.find_model(run_stack.ROOT) is None:
        unavailable("no trained model in models/*.tar.gz: run `make train` first")
    api = FakeWeChatApi(int(os.environ.get("WECHAT_FAKE_API_PORT", "8690")), ACCOUNT.app_id, APP_SECRET).start()
    config = run_stack.StackConfig.from_env(timeout=float(os.environ.get("STACK_TIMEOUT", "600")))
    config.extra_env.update({
        "WECHAT_TOKEN": ACCOUNT.token, "WECHAT_APP_ID": ACCOUNT.app_id, "WECHAT_APP_SECRET": APP_SECRET,
        "WECHAT_ENCODING_AES_KEY": ACCOUNT.encoding_aes_key, "WECHAT_MODE": "compatible",
        "WECHAT_API_BASE": api.base_url, "WECHAT_OPENID_SECRET": OPENID_SECRET,
        "ACTION_TIMEOUT_S": "15",  # the slow fake action server below answers after 7 s
    })
    stack = run_stack.Stack(config, echo=lambda msg: print(f"[wechat stack] {msg}", flush=True))
    reuse = os.environ.get("STACK_REUSE") == "1" and http_ok(f"{config.url('web')}/healthz")
    try:
        if not reuse:  # STACK_REUSE=1: a stack started by hand with the same WECHAT_* settings and RASA_TOKEN
            stack.start()
        # the first turn of a fresh Rasa is slow (graph warm-up): not on a test's message
        http("POST", f"{config.url('rasa')}/webhooks/rest/webhook", b'{"sender": "warm-up", "message": "hi"}',
             timeout=120, headers={"Content-Type": "application/json"})
        yield WeChatStack(stack, api, reused=reuse)
    finally:
        stack.stop()
        api.stop()
