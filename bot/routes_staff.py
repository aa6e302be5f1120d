"""Staff login for the console: POST /console/api/login sets the session cookie (HttpOnly, SameSite=Strict, Path
/console, Max-Age of the session, Secure over HTTPS), /console/api/logout ends it, /console/api/session says who is
logged in, /console/api/audit shows an admin who opened which conversation and when."""

from __future__ import annotations

import math
from typing import Any

from aiohttp import web

from bot import keys
from bot.accounts import USERNAME_RE
from bot.console_auth import COOKIE
from bot.guards import (
    RequestRejected,
    client_ip,
    in_db,
    query_limit,
    rate_limit,
    read_json_body,
    require_admin,
    require_console,
)
from bot.records import iso
from bot.responses import json_error, json_ok
from bot.validation import check_no_unknown

routes = web.RouteTableDef()
WRONG = "用户名或密码不正确。"


def _secure(request: web.Request) -> bool:
    if request.app[keys.SETTINGS].trust_proxy:
        return request.headers.get("X-Forwarded-Proto", request.scheme) == "https"
    return request.secure


def _field(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value:
        raise RequestRejected(json_error(400, f"请填写{'用户名' if name == 'username' else '密码'}。"))
    return value


@routes.post("/console/api/login")
async def login(request: web.Request) -> web.Response:
    rate_limit(request)  # per client address: guessing is slow before any account locks
    data = await read_json_body(request)
    check_no_unknown(data, {"username", "password"})
    username, password = _field(data, "username"), _field(data, "password")
    records = request.app[keys.RECORDS]
    async with records.hashing:
        outcome = await in_db(request, records.accounts.login, username, password)
    known = USERNAME_RE.fullmatch(username) is not None  # only a plausible name goes into the log
    if outcome.locked_for_s:
        minutes = max(1, math.ceil(outcome.locked_for_s / 60))
        return json_error(429, f"登录失败次数过多，账号已锁定，请 {minutes} 分钟后再试。",
                          headers={"Retry-After": str(math.ceil(outcome.locked_for_s))})
    if outcome.staff is None:
        if known:
            await in_db(request, records.accounts.audit, username, "login_failed", client_ip(request))
        return json_error(401, WRONG)
    await in_db(request, records.accounts.audit, username, "login", client_ip(request))
    response = json_ok({"ok": True, "user": outcome.staff.username, "role": outcome.staff.role})
    response.set_cookie(COOKIE, outcome.token, max_age=int(records.accounts.policy.session_s), path="/console",
                        httponly=True, samesite="Strict", secure=_secure(request))
    return response


@routes.post("/console/api/logout")
async def logout(request: web.Request) -> web.Response:
    token = request.cookies.get(COOKIE, "")
    if token:
        await in_db(request, request.app[keys.RECORDS].accounts.logout, token)
    response = json_ok({"ok": True})
    response.del_cookie(COOKIE, path="/console")
    return response


@routes.get("/console/api/session")
async def session(request: web.Request) -> web.Response:
    principal = require_console(request)
    return json_ok({"ok": True, "user": principal.name, "role": principal.role, "via": principal.via})


@routes.get("/console/api/audit")
async def audit(request: web.Request) -> web.Response:
    require_admin(request)
    limit = query_limit(request, 100, 500)
    entries = await in_db(request, request.app[keys.RECORDS].accounts.audit_log, limit)
    return json_ok({"entries": [{**e, "at": iso(e["at"])} for e in entries]})
