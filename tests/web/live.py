"""Run the web app and the fake Rasa for real (sockets on 127.0.0.1, own event loop in a thread).

Used by the Hypothesis fuzz test (synchronous HTTP) and by the browser tests' fake mode.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.app import create_app
from bot.settings import Settings
from tests.web.fake_rasa import FakeRasa


@dataclass
class LiveServers:
    web_url: str
    rasa_url: str
    fake: FakeRasa
    settings: Settings


async def _start(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, handle_signals=False, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    server = site._server
    assert server is not None and server.sockets  # type: ignore[attr-defined]
    port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
    return runner, f"http://127.0.0.1:{port}"


@contextmanager
def live_servers(var_dir: Path, fake: FakeRasa | None = None, **overrides: Any) -> Iterator[LiveServers]:
    fake = fake or FakeRasa()
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="live-servers", daemon=True)
    thread.start()

    def run(coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, loop).result(timeout=30)

    runners: list[web.AppRunner] = []
    try:
        rasa_runner, rasa_url = run(_start(fake.app()))
        runners.append(rasa_runner)
        base = Settings(rasa_url=rasa_url, actions_url=rasa_url, rasa_token=fake.token, var_dir=var_dir,
                        tracker_db=var_dir / "rasa" / "tracker.db", console_token="live-console-token-0123456789")
        settings = replace(base, **overrides)
        web_runner, web_url = run(_start(create_app(settings)))
        runners.append(web_runner)
        yield LiveServers(web_url=web_url, rasa_url=rasa_url, fake=fake, settings=settings)
    finally:
        for runner in reversed(runners):
            run(runner.cleanup())
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
