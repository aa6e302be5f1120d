"""Rasa's REST channel (/webhooks/rest/webhook, the integration interface) with a safety net.

Rasa waits up to 5 minutes for a custom action and, when the action server is down, carries on silently
(rasa/core/processor.py `_run_action` logs the error and drops the action's events). A citizen must never
get silence: when an action fails or the turn runs past TURN_TIMEOUT_S, or the turn produced no reply at
all, this channel adds a short apology with the province's phone from the guide. The apology carries a
machine-readable flag, `"custom": {"degraded": <reason>}` (one of DEGRADED_REASONS), so the web app, the soak
test and the benchmark count degraded turns without reading the sentence. The action call's timeout is Rasa's
hard-coded DEFAULT_REQUEST_TIMEOUT (RasaHQ/rasa#9789), lowered here to ACTION_TIMEOUT_S.
Importing this module (Rasa does, before it starts its workers) also installs serving.speedups and
serving.processor (personal numbers masked, deletion on request, counters).

Beside the webhook: POST /webhooks/rest/forget {"sender": ...} deletes a conversation (the web app's /api/forget;
with RASA_TOKEN set, `?token=` must match it) and GET /webhooks/rest/stats gives this process's counters (the web
app's /metrics).
"""

from __future__ import annotations

import asyncio
import contextvars
import hmac
import logging
from collections.abc import Awaitable, Callable

from rasa.core.actions import action as rasa_action
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from envsettings import env_float, env_str
from serving import forget, processor, speedups, turn_stats

logger = logging.getLogger(__name__)

ACTION_TIMEOUT_S = env_float("ACTION_TIMEOUT_S", 8.0, minimum=0.0)
TURN_TIMEOUT_S = env_float("TURN_TIMEOUT_S", 20.0, minimum=0.0)
# 吉林省社会保险局: 《失业保险金申领指南》四、现场申领 (咨询电话表)
PROVINCE_PHONE = "0431-85821827"
APOLOGY = f"抱歉，系统暂时无法完成这次查询，请稍后再试；也可以拨打吉林省社会保险局咨询电话 {PROVINCE_PHONE}。"
# why a turn got the apology: an action failed or timed out (ACTION_TIMEOUT_S), the whole turn ran past
# TURN_TIMEOUT_S, the turn raised something else, or it finished without a single message
ACTION_FAILED, TURN_TIMEOUT, TURN_FAILED, NO_REPLY = "action_failed", "turn_timeout", "turn_failed", "no_reply"
DEGRADED_REASONS = (ACTION_FAILED, TURN_TIMEOUT, TURN_FAILED, NO_REPLY)

rasa_action.DEFAULT_REQUEST_TIMEOUT = ACTION_TIMEOUT_S  # type: ignore[attr-defined]
speedups.install()
processor.install()
MAX_SENDER_CHARS = 255  # Rasa's events.sender_id column
_sender: contextvars.ContextVar[str | None] = contextvars.ContextVar("guarded_rest_sender", default=None)


class ActionFailureWatch(logging.Handler):
    """Remembers the senders whose turn logged a failed action (the log call runs in the turn's context)."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.failed: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        sender = _sender.get()
        if sender and "while running action" in record.getMessage():
            self.failed.add(sender)

    def pop(self, sender: str) -> bool:
        if sender in self.failed:
            self.failed.discard(sender)
            return True
        return False


class GuardedRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        watch = ActionFailureWatch()
        logging.getLogger("rasa.core.processor").addHandler(watch)
        hook = Blueprint("guarded_rest_webhook", __name__)

        @hook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @hook.route("/stats", methods=["GET"])
        async def stats(request: Request) -> HTTPResponse:
            return response.json(turn_stats.snapshot())

        @hook.route("/forget", methods=["POST"])
        async def forget_conversation(request: Request) -> HTTPResponse:
            token = env_str("RASA_TOKEN")
            if token and not hmac.compare_digest(request.args.get("token", ""), token):
                return response.json({"error": "not authorized"}, status=401)
            sender = (request.json or {}).get("sender") if isinstance(request.json, dict) else None
            if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
                return response.json({"error": "sender must be a non-empty string"}, status=400)
            try:
                forgotten = await forget.delete_conversation(request.app.ctx.agent, sender)
            except forget.CannotDelete as exc:
                logger.error("%s", exc)
                return response.json({"error": "this tracker store cannot delete"}, status=501)
            turn_stats.STATS.deletions += int(forgotten.known)
            return response.json({"deleted": forgotten.known, "known": forgotten.known, "rows": forgotten.rows})

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            sender = await self._extract_sender(request)
            collector = CollectingOutputChannel()
            message = UserMessage(self._extract_message(request), collector, sender,
                                  input_channel=self._extract_input_channel(request),
                                  metadata=self.get_metadata(request))
            token = _sender.set(sender)
            failure: str | None = None
            try:
                await asyncio.wait_for(on_new_message(message), timeout=TURN_TIMEOUT_S)
            except asyncio.TimeoutError:
                logger.error("turn of sender %s ran past %s s", sender, TURN_TIMEOUT_S)
                failure = TURN_TIMEOUT
            except Exception:  # anything Rasa let through: the user still gets an answer
                logger.exception("turn failed for sender %s", sender)
                failure = TURN_FAILED
            finally:
                _sender.reset(token)
            messages = list(collector.messages)
            if watch.pop(sender):
                failure = ACTION_FAILED
            elif failure is None and not messages:
                failure = NO_REPLY
            if failure is not None:
                messages.append({"recipient_id": sender, "text": APOLOGY, "custom": {"degraded": failure}})
            return response.json(messages)

        return hook
