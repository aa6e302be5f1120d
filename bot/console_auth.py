"""Who calls the console's API: a staff member by the session cookie of their login (bot/accounts.py), or a machine
by the console token (Authorization: Bearer; from CONSOLE_TOKEN, else generated once into var/console_token).
Resolved once per request by console_auth_middleware, read by the guards (bot.guards.require_console)."""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from aiohttp import web

from bot import keys

log = logging.getLogger(__name__)

TOKEN_FILE = "console_token"
MIN_TOKEN_CHARS = 16
COOKIE = "jl_staff"
CONSOLE_API = "/console/api/"


@dataclass(frozen=True)
class Principal:
    name: str  # the staff member's username, or "令牌" for the machine credential
    role: str  # "agent" | "admin" | "machine"
    via: str  # "session" | "token"

    @property
    def may_audit(self) -> bool:
        return self.role in ("admin", "machine")


MACHINE = Principal("令牌", "machine", "token")
PRINCIPAL: web.RequestKey[Principal | None] = web.RequestKey("console_principal")  # who is calling


def _ensure_private_dir(var_dir: Path) -> None:
    var_dir.mkdir(parents=True, exist_ok=True)
    ignore = var_dir / ".gitignore"
    if not ignore.exists():  # runtime data and secrets never go into git
        ignore.write_text("*\n", encoding="utf-8")


def load_or_create_token(env_token: str, var_dir: Path) -> str:
    """Returns the console token. A generated token is printed to the log once, when it is created."""
    if env_token:
        if len(env_token) < MIN_TOKEN_CHARS:
            log.warning("CONSOLE_TOKEN is shorter than %d characters; use a long random token", MIN_TOKEN_CHARS)
        return env_token
    path = var_dir / TOKEN_FILE
    if path.is_file():
        token = path.read_text(encoding="utf-8").strip()
        if token:
            log.info("console token loaded from %s", path)
            return token
    _ensure_private_dir(var_dir)
    token = secrets.token_urlsafe(24)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(token + "\n")
    log.warning("console token generated and stored in %s (shown only this once): %s", path, token)
    return token


def token_from_request(request: web.Request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.headers.get("X-Console-Token", "").strip()


def is_authorized(request: web.Request, expected: str) -> bool:
    given = token_from_request(request)
    return bool(expected) and hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def own_origin(request: web.Request) -> str:
    return f"{request.scheme}://{request.host}"


async def principal_of(request: web.Request) -> Principal | None:
    """The token wins when one is sent (a wrong one is no login, even with a cookie); else the session cookie."""
    if token_from_request(request):
        return MACHINE if is_authorized(request, request.app[keys.CONSOLE_TOKEN]) else None
    session = request.cookies.get(COOKIE, "")
    if not session:
        return None
    try:
        staff = await asyncio.to_thread(request.app[keys.RECORDS].accounts.session, session)
    except (sa.exc.SQLAlchemyError, OSError) as exc:
        log.warning("staff session not checked, database error: %s", type(exc).__name__)
        return None
    return Principal(staff.username, staff.role, "session") if staff else None


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def console_auth_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Who calls /console/api/*. A cookie-authenticated change must come from the console's own pages: SameSite=Strict
    keeps other sites' requests without the cookie, and a foreign Origin is refused as well."""
    if request.path.startswith(CONSOLE_API):
        principal = await principal_of(request)
        if principal and principal.via == "session" and request.method not in ("GET", "HEAD"):
            origin = request.headers.get("Origin")
            if origin is not None and origin.rstrip("/") != own_origin(request):
                principal = None
        request[PRINCIPAL] = principal
    return await handler(request)
