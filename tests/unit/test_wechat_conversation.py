"""How the WeChat channel answers, with a fake Rasa (a coroutine that answers, slowly when asked) and the fake WeChat
API served by aiohttp: passive replies, the customer-service API for slow or long ones, and what happens without
that API (an unverified account): nothing is lost, it comes with the user's next message."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from rasa.core.channels.channel import UserMessage
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from channels.wechat import replies
from channels.wechat.conversation import MORE, Conversations, dedupe_key
from channels.wechat.push import CustomerService
from channels.wechat.settings import WeChatSettings
from channels.wechat.state import ChannelState
from channels.wechat.xmlmsg import Incoming
from serving.forget import delete_conversation
from tests.wechat.wechat_side import FakeWeChatApi

OPENID = "oUnitTestUser0000000000000"
APOLOGY = "抱歉，系统暂时无法完成这次查询。"


class FakeRasa:
    """Answers every message with `answer` (and the greeting's buttons) after `delay` seconds."""

    def __init__(self) -> None:
        self.delay = 0.0
        self.answer = "珲春市社会保险局：0433-7512409"
        self.turns: list[str] = []

    async def __call__(self, message: UserMessage) -> None:
        self.turns.append(message.text or "")
        await asyncio.sleep(self.delay)  # the fake's own slowness, as a slow action server's
        await message.output_channel.send_response(message.sender_id, {
            "text": f"{self.answer}（{message.text}）",
            "buttons": [{"title": "网上申领", "payload": "/ask_online_apply"},
                        {"title": "现场办理", "payload": "/ask_onsite_apply"}]})


@pytest.fixture
async def api(aiohttp_server: Any) -> tuple[FakeWeChatApi, str]:
    fake = FakeWeChatApi(port=0, app_id="wxunit", app_secret="secret")

    async def handle(request: web.Request) -> web.Response:
        body = await request.json()
        query = {key: request.query.getall(key) for key in request.query}
        return web.json_response(fake.answer(request.path, query, body))

    app = web.Application()
    app.router.add_post("/{tail:.*}", handle)
    server = await aiohttp_server(app)
    return fake, str(server.make_url("")).rstrip("/")


def make(tmp_path: Path, base: str, rasa: FakeRasa, **overrides: Any) -> Conversations:
    settings = WeChatSettings(**{
        "token": "t", "app_id": "wxunit", "app_secret": "secret", "api_base": base, "openid_secret": b"k",
        "state_url": f"sqlite:///{tmp_path / 'wechat.db'}", "passive_wait_s": 1.5, "max_reply_bytes": 300,
        **overrides})
    return Conversations(settings, rasa, ChannelState(settings.state_url), CustomerService(settings),
                         apology=APOLOGY, turn_timeout_s=5.0)


def text(content: str, msg_id: int) -> Incoming:
    return Incoming("gh_1", OPENID, 1700000000 + msg_id, "text", str(msg_id), {"Content": content})


async def settle(conversations: Conversations) -> None:
    """Waits for the channel's background deliveries."""
    while conversations._background:  # noqa: SLF001
        await asyncio.gather(*list(conversations._background), return_exceptions=True)  # noqa: SLF001


async def test_a_fast_turn_is_answered_passively_and_its_menu_numbers_work(tmp_path, api):
    rasa = FakeRasa()
    conversations = make(tmp_path, api[1], rasa)
    first = await conversations.handle(text("珲春社保局电话", 1), agent=None)
    assert first.startswith("珲春市社会保险局：0433-7512409") and first.endswith("回复 1 网上申领 / 2 现场办理")
    await conversations.handle(text("2", 2), agent=None)
    assert rasa.turns == ["珲春社保局电话", "/ask_onsite_apply"]
    await conversations.close()


async def test_a_retry_during_the_turn_gets_the_same_reply_and_is_no_turn(tmp_path, api):
    rasa = FakeRasa()
    rasa.delay = 0.2
    conversations = make(tmp_path, api[1], rasa)
    answers = await asyncio.gather(*(conversations.handle(text("你好", 3), agent=None) for _ in range(3)))
    assert len(set(answers)) == 1 and answers[0] is not None
    assert rasa.turns == ["你好"]
    await conversations.close()


async def test_a_slow_turn_is_pushed_once_with_a_cached_token(tmp_path, api):
    fake, base = api
    rasa = FakeRasa()
    rasa.delay = 3.0  # past the 1.5 s passive window of these settings (room for a loaded machine)
    conversations = make(tmp_path, base, rasa)
    assert await conversations.handle(text("慢问题", 4), agent=None) is None  # -> "success"
    assert await conversations.handle(text("慢问题", 4), agent=None) is None  # WeChat's retry
    rasa.delay = 3.0
    assert await conversations.handle(text("又一个慢问题", 5), agent=None) is None
    await settle(conversations)
    assert [m["text"]["content"].split("（")[1].split("）")[0] for m in fake.sent] == ["慢问题", "又一个慢问题"]
    assert fake.token_calls == 1 and rasa.turns == ["慢问题", "又一个慢问题"]
    await conversations.close()


async def test_a_long_reply_is_pushed_in_order_within_the_limit(tmp_path, api):
    fake, base = api
    rasa = FakeRasa()
    rasa.answer = "\n".join(f"第{i}行：请携带有效身份证件到最后参保地社会保险局申领。" for i in range(12))
    conversations = make(tmp_path, base, rasa)
    assert await conversations.handle(text("长回答", 6), agent=None) is None
    await settle(conversations)
    pieces = [m["text"]["content"] for m in fake.sent]
    assert len(pieces) > 1 and all(len(p.encode()) <= 300 for p in pieces)
    assert "".join(pieces).replace("\n", "") == replies.render(
        [{"text": f"{rasa.answer}（长回答）", "buttons": [{"title": "网上申领", "payload": "/ask_online_apply"},
                                                    {"title": "现场办理", "payload": "/ask_onsite_apply"}]}]
    )[0].replace("\n", "")
    await conversations.close()


async def test_without_the_customer_service_api_nothing_is_lost(tmp_path, api):
    fake, base = api
    fake.refuse_push = True  # an unverified account: errcode 48001
    rasa = FakeRasa()
    rasa.delay = 3.0
    conversations = make(tmp_path, base, rasa)
    assert await conversations.handle(text("慢问题", 7), agent=None) is None  # tried the API, refused
    await settle(conversations)
    assert conversations.push.unauthorized and fake.sent == []
    rasa.delay = 0.0
    reply = await conversations.handle(text("好的", 8), agent=None)
    assert reply.index("（慢问题）") < reply.index("（好的）")  # the kept answer first, then this one
    assert reply.count("回复 1 ") == 1 and reply.endswith("回复 1 网上申领 / 2 现场办理")  # the current menu only
    rasa.delay = 3.0
    assert await conversations.handle(text("又慢了", 9), agent=None) == replies.HOLDING  # knows now: says so
    await settle(conversations)
    rasa.delay = 0.0
    assert "（又慢了）" in await conversations.handle(text("好的", 10), agent=None)
    await conversations.close()


async def test_a_long_reply_without_the_api_continues_with_the_next_message(tmp_path, api):
    rasa = FakeRasa()
    rasa.answer = "\n".join(f"第{i}行：现场申领请携带有效身份证件。" for i in range(15))
    conversations = make(tmp_path, api[1], rasa, app_secret="")
    first = await conversations.handle(text("长回答", 11), agent=None)
    assert first.endswith("（未完：发送任意文字查看后续）") and len(first.encode()) <= 300
    assert "第0行" in first and "第14行" not in first
    shown = [first]
    for msg_id in range(12, 22):  # the user keeps sending "好的" until the answer is complete
        if not shown[-1].endswith(MORE):
            break
        shown.append(await conversations.handle(text("好的", msg_id), agent=None))
    everything = "".join(piece.replace(MORE, "") for piece in shown)
    positions = [everything.index(f"第{i}行") for i in range(15)]
    assert positions == sorted(positions)  # every line, in order
    assert everything.index("第14行") < everything.index("（好的）")  # the rest before the new answer
    await conversations.close()


async def test_concurrent_pushes_fetch_one_token_and_an_invalid_one_is_fetched_again(tmp_path, api):
    fake, base = api
    push = CustomerService(WeChatSettings(token="t", app_id="wxunit", app_secret="secret", api_base=base))
    await asyncio.gather(*(push.send_text(OPENID, f"第{i}条") for i in range(5)))
    assert fake.token_calls == 1 and len(fake.sent) == 5
    push._token = "EXPIRED"  # noqa: SLF001 - as if WeChat had revoked it: custom/send answers 40001
    await push.send_text(OPENID, "再来")
    assert fake.token_calls == 2 and fake.sent[-1]["text"]["content"] == "再来"
    assert json.dumps(fake.sent[-1], ensure_ascii=False).count("再来") == 1
    await push.close()


async def test_unsubscribe_deletes_the_conversation_from_the_sql_tracker_store(tmp_path, api):
    rasa = FakeRasa()
    conversations = make(tmp_path, api[1], rasa)
    user = conversations.settings.user_id(OPENID)
    store = SQLTrackerStore(Domain.empty(), db=str(tmp_path / "tracker.db"))
    await store.save(DialogueStateTracker.from_events(user, [UserUttered("珲春社保局电话")]))
    await store.save(DialogueStateTracker.from_events("someone-else", [UserUttered("你好")]))

    class Agent:
        tracker_store = FailSafeTrackerStore(store)
        lock_store = InMemoryLockStore()

    await conversations.handle(text("你好", 13), agent=None)
    event = Incoming("gh_1", OPENID, 1700000100, "event", "", {"Event": "unsubscribe"})
    assert await conversations.handle(event, agent=Agent()) is None
    assert await store.retrieve(user) is None
    assert await store.retrieve("someone-else") is not None
    assert conversations.state.load_menu(user, ttl=60) == []
    assert (await delete_conversation(Agent(), user)).known  # twice is harmless: deleted before
    await conversations.close()


async def test_a_text_over_the_limit_is_answered_without_rasa(tmp_path, api):
    rasa = FakeRasa()
    conversations = make(tmp_path, api[1], rasa, max_message_chars=20)
    reply = await conversations.handle(text("我想问一下" * 5, 14), agent=None)
    assert "20" in reply and "太长" in reply and rasa.turns == []
    await conversations.close()


def test_dedupe_keys():
    assert dedupe_key(text("x", 42), "wx-a") == "msg:wx-a:42"
    event = Incoming("gh", OPENID, 1700000000, "event", "", {"Event": "subscribe"})
    assert dedupe_key(event, "wx-a") == "event:wx-a:1700000000:subscribe"
