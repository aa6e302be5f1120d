"""The Rasa input channel for a WeChat Official Account (微信公众号): `/webhooks/wechat/webhook`.

credentials.yml names `channels.wechat.WeChatInput`; the channel is on only when WECHAT_TOKEN is set (else the
webhook answers 404 and Rasa runs as before). This module is the HTTP side; the checks of a request are
channels/wechat/gate.py (a refused request never reaches Rasa), what a message means and how it is answered is
channels/wechat/conversation.py. A failed or silent turn gets the REST channel's apology with the province's phone.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.guarded_rest import APOLOGY, TURN_TIMEOUT_S
from channels.wechat.conversation import Conversations
from channels.wechat.gate import Gate, Refused, read_capped
from channels.wechat.push import CustomerService
from channels.wechat.settings import WeChatSettings
from channels.wechat.state import ChannelState

logger = logging.getLogger(__name__)


class WeChatInput(InputChannel):
    """Rasa builds it from credentials.yml (the entry takes no keys: the settings come from the environment)."""

    @classmethod
    def name(cls) -> str:
        return "wechat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(WeChatSettings.from_env())

    def __init__(self, settings: WeChatSettings | None = None) -> None:
        self.settings = settings if settings is not None else WeChatSettings.from_env()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        settings = self.settings
        hook = Blueprint("wechat_webhook", __name__)
        if not settings.enabled:
            logger.info("WeChat channel off (WECHAT_TOKEN not set): /webhooks/wechat/webhook answers 404")
            gate, conversations = None, None
        else:
            gate = Gate(settings)
            conversations = Conversations(settings, on_new_message, ChannelState(settings.state_url),
                                          CustomerService(settings), apology=APOLOGY, turn_timeout_s=TURN_TIMEOUT_S)
            logger.info("WeChat channel on: %s mode, customer-service API %s", settings.mode,
                        "configured" if settings.can_push else "not configured (no WECHAT_APP_SECRET)")

        def off() -> HTTPResponse:
            return response.text("WeChat channel is not enabled", status=404)

        @hook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok", "enabled": settings.enabled,
                                  "mode": settings.mode if settings.enabled else None})

        @hook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            """服务器配置's URL check: echo `echostr` when the signature is WeChat's."""
            if gate is None:
                return off()
            try:
                gate.signed(request.args)
                echostr = request.args.get("echostr", "")
                if not echostr:
                    raise Refused(400, "echostr is required")
            except Refused as refused:
                logger.info("WeChat URL check refused: %s", refused.reason)
                return refused.response()
            return response.text(echostr, content_type="text/plain; charset=utf-8")

        @hook.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            if gate is None or conversations is None:
                return off()
            try:
                message, encrypted = gate.message(request.args, await read_capped(request, settings.max_body_bytes))
            except Refused as refused:
                logger.info("WeChat message refused (%s): %s", refused.status, refused.reason)
                return refused.response()
            content = await conversations.handle(message, request.app.ctx.agent)
            if content is None:
                return response.text("success")
            return response.text(gate.reply(message, content, encrypted), content_type="application/xml; charset=utf-8")

        @hook.listener("after_server_stop")
        async def close(app: Any, loop: Any) -> None:
            if conversations is not None:
                await conversations.close()

        return hook
