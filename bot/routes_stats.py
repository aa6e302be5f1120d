"""The console's dashboard API (console credentials, like every /console/api/ route):

GET /console/api/stats?days=N (or ?from=YYYY-MM-DD&to=YYYY-MM-DD): the figures as JSON (bot/stats.py);
GET /console/api/stats.csv with the same parameters: the same figures for Excel (bot/stats_csv.py).
A bad range is a 400 with its reason; an unreadable tracker store a 503.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web

from bot import keys
from bot.guards import RequestRejected, rate_limit, require_console
from bot.responses import json_error, json_ok
from bot.stats import parse_range, today
from bot.stats_csv import to_csv

log = logging.getLogger(__name__)
routes = web.RouteTableDef()


async def _figures(request: web.Request) -> dict[str, Any]:
    require_console(request)
    rate_limit(request)  # a year's figures take a database read: not a thing to ask for in a loop
    rng = parse_range(request.query, today())
    service = request.app[keys.STATS]
    try:
        return await asyncio.to_thread(service.snapshot, rng)
    except Exception as exc:  # noqa: BLE001 - database errors: locked, unreachable, corrupt file, no permission
        log.warning("stats read failed (%s): %s: %s", service.reader.description, type(exc).__name__,
                    str(exc).splitlines()[0][:200] if str(exc) else "")
        raise RequestRejected(json_error(503, "暂时无法读取对话记录，请稍后再试。")) from None


@routes.get("/console/api/stats")
async def stats(request: web.Request) -> web.Response:
    return json_ok(await _figures(request))


@routes.get("/console/api/stats.csv")
async def stats_csv(request: web.Request) -> web.Response:
    figures = await _figures(request)
    name = f"stats_{figures['range']['from']}_{figures['range']['to']}.csv"
    return web.Response(body=to_csv(figures), content_type="text/csv", charset="utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
