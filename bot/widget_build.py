"""The widget build: /widget.js is one file for the embedding site (one <script> tag) but two in the source tree,
the rich-text rendering shared with the staff console (richtext.js), then the widget itself (widget.js).
Assembled once per process at startup."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

from aiohttp import web

from bot import keys
from bot.assets import STATIC_DIR, Asset

WIDGET_JS_PARTS = ("richtext.js", "widget.js")


def build_widget_js(static_dir: Path = STATIC_DIR) -> Asset:
    """The served /widget.js: its parts concatenated, each ending with a newline."""
    paths = [static_dir / name for name in WIDGET_JS_PARTS]
    body = b"".join(path.read_bytes().rstrip(b"\n") + b"\n" for path in paths)
    return Asset(body, hashlib.sha256(body).hexdigest()[:32], max(path.stat().st_mtime for path in paths))


async def load_widget_js(app: web.Application) -> None:
    """on_startup: assemble /widget.js once per process."""
    app[keys.WIDGET_JS] = await asyncio.to_thread(build_widget_js)
