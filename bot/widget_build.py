"""The widget build: /widget.js is one file for the embedding site (one <script> tag) but several in the source tree:
the rich-text rendering shared with the staff console (richtext.js), the widget's parts, then the widget itself
(widget.js), whose SERVER_CONFIG placeholder gets what only the server knows: the province's phone (from the guide,
the one source of that number), the longest message the chat API takes, the longest rating comment.
Assembled once per process at startup."""

from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path
from typing import Any

from aiohttp import web

import guide
from bot import keys
from bot.assets import STATIC_DIR, Asset
from bot.settings import Settings

WIDGET_JS_PARTS = ("richtext.js", "widget-state.js", "widget-look.js", "widget-layout.js", "widget-speech.js",
                   "widget-feedback.js", "widget-messages.js", "widget-session.js", "widget.js")
CONFIG_PLACEHOLDER = b"{/* SERVER_CONFIG */}"
# POST /api/feedback's limit on a rating's comment (the contract between the widget and the feedback API).
FEEDBACK_COMMENT_MAX = 200


def widget_config(settings: Settings) -> dict[str, Any]:
    """What the widget needs from its server: the province's bureau and phone as the guide gives them, limits."""
    name, phone = guide.province_contact()
    return {"province": {"name": name, "phone": phone}, "maxChars": settings.max_message_chars,
            "commentMax": FEEDBACK_COMMENT_MAX}


def build_widget_js(config: dict[str, Any], static_dir: Path = STATIC_DIR) -> Asset:
    """The served /widget.js: its parts concatenated, each ending with a newline, the config filled in."""
    paths = [static_dir / name for name in WIDGET_JS_PARTS]
    body = b"".join(path.read_bytes().rstrip(b"\n") + b"\n" for path in paths)
    if body.count(CONFIG_PLACEHOLDER) != 1:
        raise ValueError(f"widget.js must hold {CONFIG_PLACEHOLDER.decode()} exactly once")
    body = body.replace(CONFIG_PLACEHOLDER, json.dumps(config, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    return Asset(body, hashlib.sha256(body).hexdigest()[:32], max(path.stat().st_mtime for path in paths))


async def load_widget_js(app: web.Application) -> None:
    """on_startup: assemble /widget.js once per process."""
    config = widget_config(app[keys.SETTINGS])
    app[keys.WIDGET_JS] = await asyncio.to_thread(build_widget_js, config)
