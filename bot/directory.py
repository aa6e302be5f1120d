"""The bureau directory's routes: the same results for citizens (/api/offices, within the client's rate limit)
and for the console (/console/api/offices, with the console token): the query checked, the search run off the
event loop, failures as clear errors."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot import keys
from bot.guards import query_limit, rate_limit, require_console
from bot.kb import MAX_QUERY_CHARS, KnowledgeBaseUnavailable
from bot.responses import json_error, json_ok
from bot.validation import check_text


def parse_office_query(request: web.Request) -> tuple[str, int]:
    """(query, limit) from ?q=&limit=; an empty query is allowed (it finds nothing)."""
    limit = query_limit(request, 10, 50)
    q = request.query.get("q", "")
    if not q.strip():
        return "", limit
    return check_text(q, "q", "查询内容", MAX_QUERY_CHARS), limit


async def office_results(request: web.Request) -> web.Response:
    q, limit = parse_office_query(request)
    if not q:
        return json_ok({"query": "", "results": []})
    try:
        results = await asyncio.to_thread(request.app[keys.KB].search, q, limit)
    except KnowledgeBaseUnavailable:
        return json_error(503, "社保局目录暂时不可用，请稍后再试。")
    except ValueError as exc:
        return json_error(400, f"查询内容无效：{str(exc)[:100]}")
    return json_ok({"query": q, "results": results})


def _guarded(guard: Callable[[web.Request], None]) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def handler(request: web.Request) -> web.Response:
        guard(request)
        return await office_results(request)
    return handler


routes = [web.get("/api/offices", _guarded(rate_limit)),
          web.get("/console/api/offices", _guarded(require_console))]
