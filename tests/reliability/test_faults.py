"""Conversations survive restarts; a part that is down or slow degrades to a friendly answer with the
province's phone, and everything recovers by itself when the part is back."""

from __future__ import annotations

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import pytest

from tests.reliability.client import call, chat, rest

PROVINCE = "0431-85821827"
HUNCHUN = "0433-7512409"
pytestmark = pytest.mark.stack


def sender() -> str:
    return f"fault-{uuid.uuid4().hex[:10]}"


def test_conversation_survives_a_rasa_restart(own_stack):
    s = sender()
    status, text = chat(own_stack, s, "珲春社保局电话")
    assert status == 200 and HUNCHUN in text
    own_stack.stop_service("rasa")
    own_stack.start_service("rasa")
    status, text = chat(own_stack, s, "电话再说一遍")
    assert status == 200 and HUNCHUN in text


def test_action_server_down_gives_the_province_phone_then_recovers(own_stack):
    own_stack.stop_service("actions")
    try:
        status, health = call(f"{own_stack.config.url('web')}/healthz")
        assert status == 503 and "actions" in json.dumps(health)
        status, text = chat(own_stack, sender(), "珲春社保局电话")
        assert status == 200 and PROVINCE in text and "Traceback" not in text
        assert PROVINCE in rest(own_stack, sender(), "延吉社保局电话")  # the REST interface too
    finally:
        own_stack.start_service("actions")
    status, text = chat(own_stack, sender(), "珲春社保局电话")
    assert status == 200 and HUNCHUN in text


class SlowActions(BaseHTTPRequestHandler):
    """An action server that answers its health check but takes far too long to run an action: DELAY_S, then
    ANSWER (subclasses change both: tests/wechat's slow turn)."""

    DELAY_S = 6.0  # past ACTION_TIMEOUT_S=3 of the stack under test
    ANSWER = b'{"events": [], "responses": []}'

    def do_GET(self) -> None:  # noqa: N802
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'{"status": "ok"}')

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        time.sleep(self.DELAY_S)  # the server's slowness under test, not a test wait
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(self.ANSWER)))
            self.end_headers()
            self.wfile.write(self.ANSWER)
        except (BrokenPipeError, ConnectionResetError):
            pass  # expected when Rasa gave up waiting (that is the point of the reliability test)

    def log_message(self, *args: object) -> None:
        pass


def test_slow_action_server_times_out_to_a_friendly_answer(own_stack):
    own_stack.stop_service("actions")
    slow = ThreadingHTTPServer(("127.0.0.1", own_stack.config.actions_port), SlowActions)
    thread = threading.Thread(target=slow.serve_forever, daemon=True)
    thread.start()
    try:
        # answered at the action timeout (3 s here); Rasa's own default would wait 5 minutes and the call's
        # 30 s timeout would fail the test
        status, text = chat(own_stack, sender(), "珲春社保局电话")
        assert status == 200 and PROVINCE in text
    finally:
        slow.shutdown()
        slow.server_close()
        own_stack.start_service("actions")
    assert HUNCHUN in chat(own_stack, sender(), "珲春社保局电话")[1]


def test_rasa_down_gives_503_and_the_web_app_stays_up(own_stack):
    web = own_stack.config.url("web")
    own_stack.stop_service("rasa")
    try:
        status, body = call(f"{web}/api/chat", {"sender": sender(), "message": "珲春社保局电话"})
        assert status == 503 and isinstance(body, dict) and body.get("error")
        status, health = call(f"{web}/healthz")
        assert status == 503 and "rasa" in json.dumps(health)
        assert call(f"{web}/api/offices?q={quote('珲春')}")[0] == 200  # the directory still works
    finally:
        own_stack.start_service("rasa")
    assert call(f"{web}/healthz")[0] == 200
    assert HUNCHUN in chat(own_stack, sender(), "珲春社保局电话")[1]
