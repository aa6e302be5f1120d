"""Run the web app and the fake Rasa for real (sockets on 127.0.0.1).

The fake Rasa runs in this process (its own event loop in a thread, so a test can change its mode); the web app is
`python -m tests.web.serve` in the web app's own virtualenv (.venv-web), with the given Settings and the server
options `python -m bot` uses, whichever virtualenv the test runs in (the browser tests run in Rasa's).
Used by the Hypothesis fuzz test (synchronous HTTP) and by the browser tests' fake mode.
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.settings import Settings
from devtools.net import free_port, http_ok
from devtools.process import ManagedProcess, wait_ready
from tests.web.fake_rasa import FakeRasa
from tests.web.serve import settings_to_json

ROOT = Path(__file__).resolve().parents[2]


def web_python() -> str:
    """The web app's interpreter: this one when the tests run in .venv-web, else .venv-web's."""
    own = ROOT / ".venv-web" / "bin" / "python"
    return sys.executable if Path(sys.prefix).resolve() == own.parent.parent.resolve() else str(own)


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
    thread = threading.Thread(target=loop.run_forever, name="live-fake-rasa", daemon=True)
    thread.start()

    def run(coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, loop).result(timeout=30)

    runner: web.AppRunner | None = None
    web_app: ManagedProcess | None = None
    try:
        runner, rasa_url = run(_start(fake.app()))
        port = free_port()
        base = Settings(port=port, rasa_url=rasa_url, actions_url=rasa_url, rasa_token=fake.token, var_dir=var_dir,
                        tracker_db=var_dir / "rasa" / "tracker.db", console_token="live-console-token-0123456789")
        settings = replace(base, **overrides)
        fake.tracker_db = settings.tracker_db  # the fake writes its turns where the web app reads them
        var_dir.mkdir(parents=True, exist_ok=True)
        web_app = ManagedProcess(
            name="web", cmd=[web_python(), "-m", "tests.web.serve", json.dumps(settings_to_json(settings))],
            cwd=ROOT, log_path=var_dir / "web.log", env=None, port=port,
            ready=lambda: http_ok(f"http://127.0.0.1:{port}/healthz"))
        web_app.start()
        wait_ready([web_app], 60, poll_interval=0.2, echo=lambda m: None)
        yield LiveServers(web_url=f"http://127.0.0.1:{port}", rasa_url=rasa_url, fake=fake, settings=settings)
    finally:
        if web_app is not None:
            web_app.stop(10)
        if runner is not None:
            run(runner.cleanup())
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
