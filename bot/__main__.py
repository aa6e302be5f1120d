"""`python -m bot`: serve the web app (host/port from BOT_HOST/BOT_PORT, default 127.0.0.1:8000)."""

from __future__ import annotations

import argparse
import logging
import sys

from aiohttp import web

from bot.app import create_app
from bot.middleware import QuietAccessLogger
from bot.settings import Settings


def main(argv: list[str] | None = None) -> int:
    settings = Settings.from_env()
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    parser.add_argument("--host", default=settings.host)
    parser.add_argument("--port", type=int, default=settings.port)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr)
    app = create_app(settings)
    print(f"web app on http://{args.host}:{args.port}/  (console: /console)", flush=True)
    web.run_app(app, host=args.host, port=args.port, access_log_class=QuietAccessLogger, print=None,
                shutdown_timeout=5.0, **settings.server_options())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
