"""Typed keys for objects stored on the aiohttp application."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aiohttp
from aiohttp import web

if TYPE_CHECKING:
    from bot.assets import Asset
    from bot.kb import KnowledgeBase
    from bot.metrics import Metrics
    from bot.rasa_client import RasaClient
    from bot.ratelimit import TokenBucketLimiter
    from bot.settings import Settings
    from bot.tracker import TrackerReader

SETTINGS: web.AppKey[Settings] = web.AppKey("settings")
HTTP_SESSION: web.AppKey[aiohttp.ClientSession] = web.AppKey("http_session")
RASA: web.AppKey[RasaClient] = web.AppKey("rasa")
KB: web.AppKey[KnowledgeBase] = web.AppKey("kb")
CONSOLE_TOKEN: web.AppKey[str] = web.AppKey("console_token")
IP_LIMITER: web.AppKey[TokenBucketLimiter] = web.AppKey("ip_limiter")
SENDER_LIMITER: web.AppKey[TokenBucketLimiter] = web.AppKey("sender_limiter")
WIDGET_JS: web.AppKey[Asset] = web.AppKey("widget_js")  # richtext.js + widget.js, assembled at startup
TRACKER: web.AppKey[TrackerReader] = web.AppKey("tracker")  # read-only view of Rasa's tracker store
METRICS: web.AppKey[Metrics] = web.AppKey("metrics")  # counted by the middleware and the Rasa client
