"""The web app's static files (bot/static/): where they are, reading a page, the files served under their own path,
and serving an asset assembled in memory with the validators a browser revalidates against (ETag, Last-Modified:
304 answers)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web
from aiohttp.helpers import ETAG_ANY

STATIC_DIR = Path(__file__).resolve().parent / "static"


def page(name: str) -> str:
    """A static page's text (templates fill their {{PLACEHOLDERS}} themselves)."""
    return (STATIC_DIR / name).read_text(encoding="utf-8")


# Files served as they are under their own path (the rest of bot/static/ is under /static/).
FILES = {"/widget.css": ("widget.css", "text/css; charset=utf-8"),
         "/console": ("console.html", "text/html; charset=utf-8"),
         "/console/dashboard": ("dashboard.html", "text/html; charset=utf-8")}


def file_routes() -> list[web.RouteDef]:
    """GET routes for FILES, added by the app factory."""

    def serve(name: str, content_type: str) -> Callable[[web.Request], Awaitable[web.FileResponse]]:
        async def handler(request: web.Request) -> web.FileResponse:
            return web.FileResponse(STATIC_DIR / name, headers={"Content-Type": content_type})
        return handler

    return [web.get(path, serve(name, content_type)) for path, (name, content_type) in FILES.items()]


@dataclass(frozen=True)
class Asset:
    """A static asset assembled in memory, with the validators FileResponse would send (for 304 answers)."""

    body: bytes
    etag: str
    last_modified: float  # POSIX timestamp


def _not_modified(request: web.Request, asset: Asset) -> bool:
    """The conditional-GET rules of aiohttp's FileResponse (If-None-Match first, else If-Modified-Since)."""
    if_none_match = request.if_none_match
    if if_none_match is not None:
        if len(if_none_match) == 1 and if_none_match[0].value == ETAG_ANY:
            return True
        return any(tag.value == asset.etag for tag in if_none_match if not tag.is_weak)
    since = request.if_modified_since
    return since is not None and int(asset.last_modified) <= since.timestamp()


def asset_response(request: web.Request, asset: Asset, content_type: str) -> web.Response:
    """200 with the asset, or 304 when the browser's copy is current."""
    headers = {"Content-Type": content_type}
    if _not_modified(request, asset):
        response = web.Response(status=304, headers=headers)
    else:
        response = web.Response(body=asset.body, headers=headers)
    response.etag = asset.etag
    response.last_modified = asset.last_modified
    return response
