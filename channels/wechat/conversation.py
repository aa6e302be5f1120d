"""One WeChat message: at most one Rasa turn, answered passively within the window WeChat waits, else delivered
through the customer-service API (or, without that permission, with the user's next message).

WeChat gives up on a request after 5 s and sends the same message again, up to three times. The first delivery
claims the message in the shared state (any worker process); a retry never becomes a turn: it gets the reply the
first delivery stored if that is ready within the window, else "success" (nothing more to show).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

import privacy
from channels.wechat import replies
from channels.wechat.push import CustomerService, PushError
from channels.wechat.settings import WeChatSettings
from channels.wechat.state import DONE, PASSIVE, PUSHED, WORKING, ChannelState
from channels.wechat.xmlmsg import Incoming
from serving.forget import CannotDelete, delete_conversation

logger = logging.getLogger(__name__)

CHANNEL = "wechat"
MORE = "\n\n（未完：发送任意文字查看后续）"
RETRY_POLL_S = 0.2


def before_rasa(text: str) -> str:
    """Every text this channel hands to Rasa passes here: personal numbers are masked before they are parsed or
    stored (Rasa masks again, serving.processor: the same module, so every channel reads them the same way)."""
    return privacy.mask(text)


def dedupe_key(message: Incoming, user: str) -> str:
    """MsgId for messages; FromUserName + CreateTime (+ the event) for events, as WeChat recommends."""
    if message.msg_id:
        return f"msg:{user}:{message.msg_id}"
    return f"event:{user}:{message.create_time}:{message.event or message.msg_type}"


class Conversations:
    def __init__(self, settings: WeChatSettings, on_new_message: Callable[[UserMessage], Awaitable[Any]],
                 state: ChannelState, push: CustomerService, apology: str, turn_timeout_s: float) -> None:
        self.settings = settings
        self.apology = apology  # a failed or silent turn: the REST channel's apology with the province's phone
        self.turn_timeout_s = turn_timeout_s
        self.on_new_message = on_new_message
        self.state = state
        self.push = push
        self._background: set[asyncio.Task[Any]] = set()

    async def handle(self, message: Incoming, agent: Any) -> str | None:
        """The passive reply's text, or None to answer "success"."""
        user = self.settings.user_id(message.from_user)
        key = dedupe_key(message, user)
        if not await asyncio.to_thread(self.state.claim, key):
            return await self._retried(key)
        turn: asyncio.Task[str] | None = None
        try:
            kind, text = await self._route(message, user, agent)
            if kind == "none":
                await asyncio.to_thread(self.state.finish, key, DONE)
                return None
            if kind == "say":
                return await self._reply_now(key, message.from_user, user, text)
            turn = asyncio.create_task(self._turn(user, text))
            content = await asyncio.wait_for(asyncio.shield(turn), self.settings.passive_wait_s)
        except (asyncio.TimeoutError, asyncio.CancelledError) as exc:
            # too slow for a passive reply, or the request went away (the turn itself goes on, shielded)
            if turn is None:
                raise
            self._in_background(self._deliver_later(turn, message.from_user, user))
            await asyncio.to_thread(self.state.finish, key, PUSHED)
            if isinstance(exc, asyncio.CancelledError):
                raise
            return None if self.push.available else replies.HOLDING
        except Exception:
            await asyncio.to_thread(self.state.finish, key, DONE)
            raise
        return await self._reply_now(key, message.from_user, user, content)

    async def _route(self, message: Incoming, user: str, agent: Any) -> tuple[str, str]:
        """("rasa", text for a turn) | ("say", a reply without Rasa) | ("none", "") for events without a reply."""
        kind = message.msg_type
        if kind == "text":
            content = message.fields["Content"]
            if len(content) > self.settings.max_message_chars:
                return "say", replies.TOO_LONG.format(limit=self.settings.max_message_chars)
            menu = await asyncio.to_thread(self.state.load_menu, user, self.settings.menu_ttl_s)
            return "rasa", replies.menu_choice(content, menu) or content
        if kind == "voice" and message.fields.get("Recognition"):
            return "rasa", message.fields["Recognition"]
        if kind == "location":
            return "rasa", replies.location_payload(*message.location)
        if kind != "event":
            return "say", replies.UNSUPPORTED
        if message.event == "subscribe":
            return "rasa", replies.WELCOME_PAYLOAD
        if message.event == "unsubscribe":
            try:
                await delete_conversation(agent, user)
            except CannotDelete as exc:
                logger.warning("%s: left in place", exc)
            await asyncio.to_thread(self.state.forget, user)
            return "none", ""
        if message.event == "click" and message.fields.get("EventKey") in replies.CLICK_PAYLOADS:
            return "rasa", replies.CLICK_PAYLOADS[message.fields["EventKey"]]
        return "none", ""  # VIEW (a link in the menu), SCAN, LOCATION reports, template results ...

    async def _turn(self, user: str, text: str) -> str:
        """One Rasa turn; the rendered reply (never empty: a failed or silent turn gets the apology)."""
        collector = CollectingOutputChannel()
        message = UserMessage(before_rasa(text), collector, user, input_channel=CHANNEL)
        completed = True
        try:
            await asyncio.wait_for(self.on_new_message(message), timeout=self.turn_timeout_s)
        except Exception:  # a timeout, or anything Rasa let through: the user still gets an answer
            logger.exception("WeChat turn failed for %s", user)
            completed = False
        messages = list(collector.messages)
        if not completed or not messages:
            messages.append({"text": self.apology})
        content, menu = replies.render(messages)
        await asyncio.to_thread(self.state.save_menu, user, menu)
        return content

    async def _with_outbox(self, user: str, content: str) -> str:
        """Replies kept for this user (not delivered before) go first, in order; only the newest menu is shown."""
        pending = replies.without_menus(await asyncio.to_thread(self.state.take_outbox, user))
        return f"{pending}{replies.PARAGRAPH}{content}" if pending else content

    async def _reply_now(self, key: str, openid: str, user: str, content: str) -> str | None:
        content = await self._with_outbox(user, content)
        limit = self.settings.max_reply_bytes
        pieces = replies.split(content, limit)
        if len(pieces) <= 1:
            await asyncio.to_thread(self.state.finish, key, PASSIVE, content)
            return content
        if self.push.available:
            await asyncio.to_thread(self.state.finish, key, PUSHED)
            self._in_background(self._push(openid, user, pieces))
            return None
        pieces = replies.split(content, limit - len(MORE.encode("utf-8")))
        first = pieces[0] + MORE
        await asyncio.to_thread(self.state.add_outbox, user, replies.PARAGRAPH.join(pieces[1:]))
        await asyncio.to_thread(self.state.finish, key, PASSIVE, first)
        return first

    async def _deliver_later(self, turn: asyncio.Task[str], openid: str, user: str) -> None:
        content = await turn
        if not self.push.available:
            await asyncio.to_thread(self.state.add_outbox, user, content)
            return
        content = await self._with_outbox(user, content)
        await self._push(openid, user, replies.split(content, self.settings.max_reply_bytes))

    async def _push(self, openid: str, user: str, pieces: list[str]) -> None:
        """Sends the pieces in order; what could not be sent waits for the user's next message."""
        for index, piece in enumerate(pieces):
            try:
                await self.push.send_text(openid, piece)
            except PushError as exc:
                logger.warning("customer-service message for %s not sent (%s): kept for the next message", user, exc)
                await asyncio.to_thread(self.state.add_outbox, user, replies.PARAGRAPH.join(pieces[index:]))
                return

    async def _retried(self, key: str) -> str | None:
        """A retry: the first delivery's passive reply when it is (or becomes) ready in the window, else None."""
        deadline = time.monotonic() + self.settings.passive_wait_s
        while True:
            found = await asyncio.to_thread(self.state.lookup, key)
            if found and found[0] == PASSIVE:
                return found[1]
            if not found or found[0] != WORKING or time.monotonic() >= deadline:
                return None
            await asyncio.sleep(RETRY_POLL_S)

    def _in_background(self, coro: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coro)
        self._background.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("WeChat background delivery failed", exc_info=task.exception())

    async def close(self) -> None:
        for task in list(self._background):
            task.cancel()
        await self.push.close()
        self.state.close()
