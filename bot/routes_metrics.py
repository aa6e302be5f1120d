"""GET /metrics in Prometheus' text format, and the middleware that counts every request (bot.metrics holds the
registry). The scrape-time values are gathered when Prometheus asks: health of the services, the Rasa workers'
own counters, the tracker store's figures."""

from __future__ import annotations

import asyncio
import hmac
import logging
import time

import sqlalchemy as sa
from aiohttp import web
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

from bot import keys
from bot.metrics import store_figures, worker_families
from bot.middleware import Handler
from bot.responses import json_error

log = logging.getLogger(__name__)


async def refresh(app: web.Application) -> None:
    """Gather the scrape-time values: health of the services, Rasa workers' counters, the database's figures."""
    rasa, reader = app[keys.RASA], app[keys.TRACKER]
    capacity, actions, (kb_ok, _), stats = await asyncio.gather(
        rasa.rasa_capacity(), rasa.actions_health(), asyncio.to_thread(app[keys.KB].health), rasa.worker_stats())
    up = GaugeMetricFamily("jl_service_up", "1 when the service answers its health check", labels=["service"])
    for index, (_, status) in enumerate(capacity.workers, start=1):
        up.add_metric([f"rasa-{index}"], float(status.ok))
    up.add_metric(["actions"], float(actions.ok))
    up.add_metric(["knowledge_base"], float(kb_ok))
    families: list[Metric] = [
        up,
        GaugeMetricFamily("jl_rasa_workers_up", "Rasa worker processes answering", value=float(capacity.up)),
        GaugeMetricFamily("jl_rasa_workers_configured", "Rasa worker processes configured",
                          value=float(capacity.configured)),
        *worker_families(stats),
    ]
    store_ok = 1.0
    if reader.exists():
        try:
            families += await asyncio.to_thread(store_figures, reader.engine)
        except sa.exc.SQLAlchemyError as exc:
            log.warning("metrics: tracker store not readable (%s)", type(exc).__name__)
            store_ok = 0.0
    up.add_metric(["tracker_store"], store_ok)
    app[keys.METRICS].scraped.families = families


def _authorized(request: web.Request) -> bool:
    token = request.app[keys.SETTINGS].metrics_token
    if not token:
        return True
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


async def metrics(request: web.Request) -> web.Response:
    if not _authorized(request):
        return json_error(401, "需要有效的监控令牌（METRICS_TOKEN）。", headers={"WWW-Authenticate": "Bearer"})
    await refresh(request.app)
    return web.Response(body=request.app[keys.METRICS].render(), headers={"Content-Type": CONTENT_TYPE_PLAIN_0_0_4})


@web.middleware
async def metrics_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Outermost: counts every request with its final status (the error middleware's answers included)."""
    started = time.monotonic()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as exc:  # redirects and the like, raised past the error middleware
        status = exc.status
        raise
    finally:
        resource = request.match_info.route.resource
        route = resource.canonical if resource is not None else "unmatched"
        collected = request.app[keys.METRICS]
        collected.requests.labels(route, request.method, str(status)).inc()
        if route == "/api/chat" and request.method == "POST":
            collected.chat_seconds.observe(time.monotonic() - started)


routes = [web.get("/metrics", metrics)]
