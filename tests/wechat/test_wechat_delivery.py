"""WeChat's retries and a slow turn: a retried message is never a second turn; a reply not ready within WeChat's
5 s is answered "success" and arrives once through the customer-service API (the fake on 127.0.0.1)."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import ThreadingHTTPServer

import pytest

from tests.reliability.test_faults import SlowActions
from tests.wechat.conftest import ACCOUNT, new_openid
from tests.wechat.wechat_side import message_xml

pytestmark = pytest.mark.stack

SLOW_ANSWER = "（慢速动作服务器的回答：查询完成）"


def test_a_retried_msgid_is_one_user_turn(wechat):
    openid = new_openid()
    xml = message_xml(openid, ACCOUNT, "text", msg_id=8001, Content="珲春社保局电话")
    query = wechat.rasa.signed_query()
    with ThreadPoolExecutor(max_workers=3) as pool:  # the first try and two retries, overlapping
        answers = list(pool.map(lambda _: wechat.rasa.post(xml, query=query), range(3)))
    answers.append(wechat.public.post(xml))  # a late retry, after the first was answered
    assert all(a.status == 200 for a in answers), answers
    passive = [a for a in answers if a.body != "success"]
    shown = {wechat.seen(a, openid) for a in (passive or answers[:1])}  # "success" on all: it came by push
    assert len(shown) == 1 and "0433-7512409" in shown.pop()  # one answer, whichever try carried it
    assert passive == [] or wechat.api.texts_to(openid) == []  # and it was not also pushed
    assert wechat.user_texts(openid) == ["珲春社保局电话"]
    bot_turns = [e for e in wechat.tracker_events(openid) if e["event"] == "bot"]
    assert len(bot_turns) == 1


def test_a_retried_event_is_one_turn(wechat):
    openid = new_openid()
    xml = message_xml(openid, ACCOUNT, "event", create_time=int(time.time()), Event="subscribe")
    for _ in range(3):
        assert wechat.rasa.post(xml).status == 200
    assert wechat.user_texts(openid) == ["/greet"]


class SlowAnswer(SlowActions):
    """An action server that answers, but only after WeChat's 5 s: every action's reply is SLOW_ANSWER."""

    DELAY_S = 7.0
    ANSWER = json.dumps({"events": [], "responses": [{"text": SLOW_ANSWER}]}).encode()


def _wait_for_push(wechat, openid: str, deadline_s: float = 60.0) -> list[str]:
    deadline = time.monotonic() + deadline_s
    while not wechat.api.texts_to(openid) and time.monotonic() < deadline:
        time.sleep(0.2)  # polling the fake API's record
    return wechat.api.texts_to(openid)


def test_a_slow_turn_answers_success_then_one_customer_service_message(wechat):
    if wechat.reused:
        pytest.skip("replaces the action server: needs a stack started by the tests")
    stack = wechat.stack
    stack.stop_service("actions")
    slow = ThreadingHTTPServer(("127.0.0.1", stack.config.actions_port), SlowAnswer)
    threading.Thread(target=slow.serve_forever, daemon=True).start()
    try:
        openid = new_openid()
        xml = message_xml(openid, ACCOUNT, "text", msg_id=8101, Content="珲春社保局电话")
        first = wechat.public.post(xml, safe=True)
        assert first.status == 200 and first.body == "success"
        retry = wechat.public.post(xml, safe=True)  # WeChat's retry while the turn is still running
        assert retry.status == 200 and retry.body == "success"
        pushed = _wait_for_push(wechat, openid)
        assert len(pushed) == 1 and SLOW_ANSWER in pushed[0]
        assert wechat.user_texts(openid) == ["珲春社保局电话"]  # the retry was not a turn
        assert wechat.api.token_calls == 1  # one access_token, cached
    finally:
        slow.shutdown()
        slow.server_close()
        stack.start_service("actions")
