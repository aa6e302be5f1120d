"""`python -m tests.web.serve SETTINGS_JSON`: the web app with exactly these Settings (tests.web.live starts it in
.venv-web), served as `python -m bot` serves it (the same server options)."""

from __future__ import annotations

import json
import sys
from dataclasses import fields
from pathlib import Path
from typing import Any

from bot.settings import Settings


def settings_to_json(settings: Settings) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(settings):
        value = getattr(settings, f.name)
        out[f.name] = sorted(value) if isinstance(value, frozenset) else str(value) if isinstance(value, Path) \
            else value
    return out


def settings_from_json(data: dict[str, Any]) -> Settings:
    kinds = {f.name: str(f.type) for f in fields(Settings)}
    values = {name: Path(value) if kinds[name] == "Path" else frozenset(value) if kinds[name].startswith("frozenset")
              else value for name, value in data.items()}
    return Settings(**values)


def main(argv: list[str]) -> None:
    # here, not at the top: the browser tests import settings_to_json in Rasa's venv, where bot.app cannot load
    from aiohttp import web

    from bot.app import create_app
    from bot.middleware import QuietAccessLogger

    settings = settings_from_json(json.loads(argv[0]))
    web.run_app(create_app(settings), host=settings.host, port=settings.port, print=None, shutdown_timeout=2.0,
                access_log_class=QuietAccessLogger, **settings.server_options())


if __name__ == "__main__":
    main(sys.argv[1:])
