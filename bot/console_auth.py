"""The staff console's token: from CONSOLE_TOKEN, else generated once and kept in var/console_token."""

from __future__ import annotations

import hmac
import logging
import os
import secrets
from pathlib import Path

from aiohttp import web

log = logging.getLogger(__name__)

TOKEN_FILE = "console_token"
MIN_TOKEN_CHARS = 16


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
