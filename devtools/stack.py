"""Start the action server, Rasa and the web app; wait until each is healthy; stop all three on Ctrl-C/SIGTERM.

    python -m devtools.stack            run in the foreground (what `make run` does)
    python -m devtools.stack --check    start, wait until healthy, print the URLs, stop (exit 0/1)

The action server and Rasa run in Rasa's virtualenv (.venv), the web app in its own (.venv-web, or the interpreter
WEB_APP_PYTHON names). Logs go to logs/actions.log, logs/rasa.log, logs/web.log. Ports come from ACTIONS_PORT
(5055), RASA_PORT (5005) and BOT_PORT (8000), the rasa executable from RASA_BIN (default: the venv's); the action
server URL in endpoints.yml is rewritten into a copy when ACTIONS_PORT differs. Rasa runs SANIC_WORKERS worker processes
(default: one per core, as many as the free memory holds at about 1.5 GB each, at most 4:
`devtools.rasa.default_rasa_workers`). RASA_TOKEN (Rasa's HTTP API token) is generated for this run when not set.
Importable: `Stack(StackConfig.from_env()).start()` / `.stop()`, or `with Stack(...) as stack:`.
"""

from __future__ import annotations

import argparse
import re
import secrets
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from devtools.net import http_ok, port_in_use
from devtools.process import ManagedProcess, ProcessGroup, StackError, signals_raise_interrupt, wait_ready
from devtools.rasa import (
    actions_args,
    default_rasa_workers,
    find_model,
    model_loaded,
    rasa_command,
    rasa_env,
    server_args,
    serving_defaults,
)
from envsettings import env_float, env_int, env_str

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ("actions", "rasa", "web")
__all__ = ["ROOT", "SERVICES", "Stack", "StackConfig", "StackError", "default_rasa_workers", "find_model",
           "port_in_use"]


@dataclass
class StackConfig:
    root: Path = ROOT
    host: str = "127.0.0.1"
    actions_port: int = 5055
    rasa_port: int = 5005
    web_port: int = 8000
    rasa_token: str = ""
    models: str = "models"
    timeout: float = 600.0  # Rasa loading a model on a busy 2-core machine can take minutes
    poll_interval: float = 0.5
    log_dir: Path | None = None
    python: str = sys.executable
    rasa_bin: str = ""  # default: the `rasa` next to `python` (the venv's), else `python -m rasa`
    web_python: str = ""  # the web app's interpreter; default: root/.venv-web/bin/python (make setup builds it)
    rasa_workers: int = 0  # Sanic worker processes of Rasa; 0: default_rasa_workers(), settled by Stack
    endpoints: Path | None = None  # Rasa's endpoints file as is; None: endpoints.yml for this action server
    extra_env: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, **overrides: object) -> StackConfig:
        config = cls(
            host=env_str("STACK_HOST", cls.host),
            actions_port=env_int("ACTIONS_PORT", cls.actions_port, minimum=1, maximum=65535),
            rasa_port=env_int("RASA_PORT", cls.rasa_port, minimum=1, maximum=65535),
            web_port=env_int("BOT_PORT", cls.web_port, minimum=1, maximum=65535),
            rasa_token=env_str("RASA_TOKEN"),
            timeout=env_float("STACK_TIMEOUT", cls.timeout, minimum=1.0),
            rasa_bin=env_str("RASA_BIN"),
            web_python=env_str("WEB_APP_PYTHON"),
            rasa_workers=env_int("SANIC_WORKERS", 0, minimum=0),
        )
        for key, value in overrides.items():
            setattr(config, key, value)
        return config

    @property
    def logs(self) -> Path:
        return self.log_dir or self.root / "logs"

    @property
    def web_interpreter(self) -> Path:
        return Path(self.web_python) if self.web_python else self.root / ".venv-web" / "bin" / "python"

    def url(self, service: str) -> str:
        port = {"actions": self.actions_port, "rasa": self.rasa_port, "web": self.web_port}[service]
        return f"http://{self.host}:{port}"


class Stack(ProcessGroup):
    """The action server, Rasa and the web app: `start()` waits until all three are healthy."""

    def __init__(self, config: StackConfig | None = None, echo: Callable[[str], None] = print) -> None:
        self.config = config or StackConfig.from_env()
        self.echo = echo
        if not self.config.rasa_token:
            self.config.rasa_token = secrets.token_urlsafe(24)  # Rasa's HTTP API never runs without auth
        if not self.config.rasa_workers:
            self.config.rasa_workers = default_rasa_workers()
        self.services = self._services()

    # ---- definition ----

    def env(self) -> dict[str, str]:
        """The environment of the three processes."""
        c = self.config
        return rasa_env(c.root, {
            "RASA_TOKEN": c.rasa_token,
            "RASA_URL": c.url("rasa"),
            "ACTIONS_URL": c.url("actions"),
            "BOT_HOST": env_str("BOT_HOST", c.host),
            "BOT_PORT": str(c.web_port),
            # read by Rasa only (the action server's is ACTION_SERVER_SANIC_WORKERS); several workers share the
            # SQLite lock store of endpoints.yml, without one Rasa would fall back to a single worker
            "SANIC_WORKERS": str(c.rasa_workers),
            **serving_defaults(),
            **c.extra_env,
        })

    def _services(self) -> dict[str, ManagedProcess]:
        c = self.config
        rasa = rasa_command(c.python, c.rasa_bin)
        web_origins = [f"http://{c.host}:{c.web_port}", f"http://localhost:{c.web_port}"]
        env = self.env()

        def service(name: str, cmd: list[str], port: int, ready: Callable[[], bool]) -> ManagedProcess:
            return ManagedProcess(name=name, cmd=cmd, cwd=c.root, log_path=c.logs / f"{name}.log", env=env,
                                  port=port, ready=ready)

        return {
            "actions": service("actions", [*rasa, *actions_args(c.actions_port)], c.actions_port,
                               lambda: http_ok(f"{c.url('actions')}/health")),
            "rasa": service("rasa", [*rasa, *server_args(c.host, c.rasa_port, c.models, self._endpoints_file(),
                                                         "credentials.yml", token=c.rasa_token, cors=web_origins)],
                            c.rasa_port, lambda: model_loaded(c.url("rasa"), c.rasa_token)),
            "web": service("web", [str(c.web_interpreter), "-m", "bot", "--port", str(c.web_port)], c.web_port,
                           lambda: http_ok(f"{c.url('web')}/healthz")),
        }

    def _endpoints_file(self) -> Path:
        """config.endpoints, or endpoints.yml, or a copy pointing at this stack's action server when it runs on
        another port."""
        c = self.config
        base = c.endpoints or c.root / "endpoints.yml"
        if c.endpoints or not base.is_file():
            return base
        text = base.read_text(encoding="utf-8")
        wanted = f"{c.url('actions')}/webhook"
        if wanted in text:
            return base
        copy = c.root / "var" / "stack" / f"endpoints-{c.rasa_port}.yml"
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(re.sub(r"http://[\w.]+:\d+/webhook", wanted, text), encoding="utf-8")
        return copy

    # ---- lifecycle ----

    def _start(self) -> None:
        self._preflight()
        for name in SERVICES:
            service = self.services[name]
            service.start()
            self.echo(f"started {name} (pid {service.pid}), log: {service.log_path}")
        self.wait_healthy()

    def _preflight(self) -> None:
        c = self.config
        if find_model(c.root, c.models) is None:
            raise StackError(f"no trained model in {c.root / c.models} (run `make train`)")
        if not c.web_interpreter.exists():
            raise StackError(f"no web app virtualenv: {c.web_interpreter} is missing (run `make setup`)")
        busy = [f"{s.name}:{s.port}" for s in self.services.values() if s.port and port_in_use(c.host, s.port)]
        if busy:
            raise StackError(f"port(s) already in use: {', '.join(busy)} - is another stack running? "
                             "Stop it or set ACTIONS_PORT / RASA_PORT / BOT_PORT.")
        c.logs.mkdir(parents=True, exist_ok=True)
        (c.root / "var" / "rasa").mkdir(parents=True, exist_ok=True)  # SQLite tracker store lives here

    def wait_healthy(self) -> None:
        """Poll each service's health URL until all are up; bounded by config.timeout."""
        wait_ready([self.services[name] for name in SERVICES], self.config.timeout,
                   poll_interval=self.config.poll_interval, echo=self.echo)

    def check_alive(self) -> None:
        for name in SERVICES:
            self.services[name].check_alive()

    def stop_service(self, name: str, grace: float = 20.0) -> None:
        """Stop one service (for fault tests): SIGTERM its process group, SIGKILL after `grace`."""
        if self.services[name].stop(grace):
            self.echo(f"stopped {name}")

    def start_service(self, name: str) -> None:
        """Start one stopped service again and wait until it is healthy."""
        service = self.services[name]
        service.start()
        wait_ready([service], self.config.timeout, poll_interval=self.config.poll_interval, echo=self.echo,
                   verb="is up again")

    def stop(self, grace: float = 20.0) -> None:
        """SIGTERM each process group (web first), then SIGKILL whatever is still running after `grace`."""
        for name in reversed(SERVICES):
            self.stop_service(name, grace)

    def urls(self) -> dict[str, str]:
        web = self.config.url("web")
        return {"demo": f"{web}/", "console": f"{web}/console", "chat_api": f"{web}/api/chat",
                "healthz": f"{web}/healthz", "rasa": self.config.url("rasa"), "actions": self.config.url("actions")}


def print_urls(stack: Stack) -> None:
    u = stack.urls()
    print(f"""
吉林失业保险金智能咨询 is running:
  演示页面 demo page (widget):   {u['demo']}
  坐席工作台 staff console:      {u['console']}   (token: env CONSOLE_TOKEN or var/console_token)
  chat API:                      {u['chat_api']}
  health:                        {u['healthz']}
  Rasa (HTTP API needs token):   {u['rasa']}   ({stack.config.rasa_workers} worker processes, SANIC_WORKERS)
  action server:                 {u['actions']}
  logs:                          {stack.config.logs}/{{actions,rasa,web}}.log
Press Ctrl-C to stop.""", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.stack", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="start, wait until healthy, stop; exit 0 when healthy")
    parser.add_argument("--timeout", type=float, help="seconds to wait for all services (default 600)")
    args = parser.parse_args(argv)
    try:
        config = StackConfig.from_env()
    except ValueError as exc:  # a bad setting (envsettings.SettingError)
        print(f"ERROR: {exc}", file=sys.stderr, flush=True)
        return 1
    if args.timeout:
        config.timeout = args.timeout
    stack = Stack(config, echo=lambda msg: print(msg, flush=True))
    with signals_raise_interrupt():
        try:
            stack.start()
            print_urls(stack)
            if args.check:
                return 0
            while True:
                stack.check_alive()
                time.sleep(1.0)
        except KeyboardInterrupt:
            print("\nstopping…", flush=True)
            return 0
        except StackError as exc:
            print(f"ERROR: {exc}", file=sys.stderr, flush=True)
            return 1
        finally:
            stack.stop()

if __name__ == "__main__":
    raise SystemExit(main())
