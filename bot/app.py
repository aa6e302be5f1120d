"""Application factory: the only module that imports the route modules."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web

from bot import keys, wechat_proxy
from bot.assets import STATIC_DIR, file_routes
from bot.console_auth import console_auth_middleware, load_or_create_token
from bot.directory import routes as directory_routes
from bot.kb import KnowledgeBase
from bot.metrics import Metrics
from bot.middleware import cors_preflight_middleware, error_middleware, on_response_prepare
from bot.rasa_client import RasaClient
from bot.ratelimit import TokenBucketLimiter
from bot.records import Records
from bot.routes_cases import routes as case_routes
from bot.routes_console import routes as console_routes
from bot.routes_feedback import routes as feedback_routes
from bot.routes_forget import routes as forget_routes
from bot.routes_metrics import metrics_middleware
from bot.routes_metrics import routes as metrics_routes
from bot.routes_public import routes as public_routes
from bot.routes_staff import routes as staff_routes
from bot.routes_stats import routes as stats_routes
from bot.settings import Settings
from bot.stats_service import StatsService, keep_current
from bot.tracker import TrackerReader
from bot.widget_build import load_widget_js


async def http_session_ctx(app: web.Application) -> AsyncIterator[None]:
    """One ClientSession per process, created at startup and closed at shutdown."""
    settings = app[keys.SETTINGS]
    timeout = aiohttp.ClientTimeout(total=settings.rasa_timeout, connect=settings.connect_timeout)
    connector = aiohttp.TCPConnector(limit=100, limit_per_host=50)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        app[keys.HTTP_SESSION] = session
        app[keys.RASA] = RasaClient(session, settings.rasa_workers, settings.actions_url, settings.rasa_token,
                                    timeout=settings.rasa_timeout, health_timeout=settings.health_timeout,
                                    observe=app[keys.METRICS].observe_rasa)
        yield


async def tracker_reader_ctx(app: web.Application) -> AsyncIterator[None]:
    """One read-only connection to Rasa's tracker store per process (the console's unanswered list)."""
    settings = app[keys.SETTINGS]
    reader = TrackerReader(settings.tracker_db, settings.tracker_store_url)
    app[keys.TRACKER] = reader
    yield
    reader.close()


async def records_ctx(app: web.Application) -> AsyncIterator[None]:
    """One Records per process (the assistant's own tables, connected on first use); closed at shutdown."""
    records = Records(app[keys.SETTINGS])
    app[keys.RECORDS] = records
    yield
    records.close()


async def stats_ctx(app: web.Application) -> AsyncIterator[None]:
    """The dashboard's figures on the assistant's own tables (bot.records), and their background refresh (none with
    STATS_REFRESH_S=0: then only StatsService.refresh() counts, as the tests do). At shutdown the refresh stops
    after the batch it is counting."""
    settings = app[keys.SETTINGS]
    service = StatsService(app[keys.TRACKER], app[keys.RECORDS], settings.unanswered_threshold,
                           settings.stats_settle_s, settings.stats_refresh_s)
    app[keys.STATS] = service
    stop = asyncio.Event()
    task = asyncio.create_task(keep_current(service, settings.stats_refresh_s, stop)) \
        if settings.stats_refresh_s > 0 else None
    yield
    service.stopping = True
    stop.set()
    if task is not None:
        await task


def create_app(settings: Settings | None = None, kb: KnowledgeBase | None = None) -> web.Application:
    settings = settings or Settings.from_env()
    app = web.Application(
        middlewares=[metrics_middleware, error_middleware, cors_preflight_middleware, console_auth_middleware],
        client_max_size=settings.max_body_bytes,
    )
    app[keys.SETTINGS] = settings
    app[keys.METRICS] = Metrics()
    app[keys.KB] = kb or KnowledgeBase()
    app[keys.CONSOLE_TOKEN] = load_or_create_token(settings.console_token, settings.var_dir)
    app[keys.IP_LIMITER] = TokenBucketLimiter(settings.rate_per_min, settings.rate_burst)
    app[keys.SENDER_LIMITER] = TokenBucketLimiter(settings.sender_rate_per_min, settings.sender_rate_burst)
    app[keys.HANDOFF_LIMITER] = TokenBucketLimiter(settings.handoff_rate_per_min, settings.handoff_rate_burst)
    app.on_startup.append(load_widget_js)
    app.cleanup_ctx.append(http_session_ctx)
    app.cleanup_ctx.append(tracker_reader_ctx)
    app.cleanup_ctx.append(records_ctx)
    app.cleanup_ctx.append(stats_ctx)
    app.on_response_prepare.append(on_response_prepare)
    app.add_routes(public_routes)
    app.add_routes(console_routes)
    app.add_routes(forget_routes)
    app.add_routes(metrics_routes)
    app.add_routes(feedback_routes)
    app.add_routes(staff_routes)
    app.add_routes(case_routes)
    app.add_routes(directory_routes)
    app.add_routes(stats_routes)
    app.add_routes(file_routes())
    wechat_proxy.register(app)  # /webhooks/wechat/webhook -> Rasa's WeChat channel
    app.router.add_static("/static/", STATIC_DIR, show_index=False, follow_symlinks=False)
    return app
