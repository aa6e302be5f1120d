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
    from bot.records import Records
    from bot.settings import Settings
    from bot.stats_service import StatsService
    from bot.tracker import TrackerReader

SETTINGS: web.AppKey[Settings] = web.AppKey("settings")
HTTP_SESSION: web.AppKey[aiohttp.ClientSession] = web.AppKey("http_session")
RASA: web.AppKey[RasaClient] = web.AppKey("rasa")
KB: web.AppKey[KnowledgeBase] = web.AppKey("kb")
CONSOLE_TOKEN: web.AppKey[str] = web.AppKey("console_token")
IP_LIMITER: web.AppKey[TokenBucketLimiter] = web.AppKey("ip_limiter")
SENDER_LIMITER: web.AppKey[TokenBucketLimiter] = web.AppKey("sender_limiter")
WIDGET_JS: web.AppKey[Asset] = web.AppKey("widget_js")  # richtext.js + widget.js, assembled at startup
TRACKER: web.AppKey[TrackerReader] = web.AppKey("tracker")  # Rasa's tracker store (its events are only read)
METRICS: web.AppKey[Metrics] = web.AppKey("metrics")  # counted by the middleware and the Rasa client
RECORDS: web.AppKey[Records] = web.AppKey("records")  # handoff codes, ratings, staff (the tracker store's database)
HANDOFF_LIMITER: web.AppKey[TokenBucketLimiter] = web.AppKey("handoff_limiter")  # code lookups per staff member
STATS: web.AppKey[StatsService] = web.AppKey("stats")  # the dashboard's figures (rollup of the tracker store)
