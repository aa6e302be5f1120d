"""Start the action server, the Rasa workers and the web app; wait until each is healthy; keep them running (a
service that dies is started again: devtools.supervise); stop all on Ctrl-C/SIGTERM.

    python -m devtools.stack            run in the foreground (what `make run` does)
    python -m devtools.stack --check    start, wait until healthy, print the URLs, stop (exit 0/1)

Rasa runs as SANIC_WORKERS single-worker processes (default: one per core, as many as the free memory holds at
about 1 GB each, at most 4: `devtools.rasa.default_rasa_workers`), rasa-1 on RASA_PORT (5005), rasa-2 on the next
port and so on, sharing the SQLite tracker and lock stores of endpoints.yml; the web app spreads requests over them
(RASA_URLS), so one that dies costs capacity, not service, until it is back. The action server and Rasa run in
Rasa's virtualenv (.venv), the web app in its own (.venv-web, or the interpreter WEB_APP_PYTHON names). Logs go to
logs/actions.log, logs/rasa-N.log, logs/web.log, logs/purge.log (the retention purge, once a day: python -m records
purge). Ports come from ACTIONS_PORT (5055), RASA_PORT and BOT_PORT (8000), the rasa executable from RASA_BIN
(default: the venv's); the action server URL in endpoints.yml is rewritten into a copy when ACTIONS_PORT differs.
RASA_TOKEN (Rasa's HTTP API token) is generated for this run when not set.
Importable: `Stack(StackConfig.from_env()).start()` / `.stop()`, or `with Stack(...) as stack:`; `supervise()`
heals it from a background thread (the chaos test).
"""

from __future__ import annotations

import argparse
import re
import secrets
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from devtools.net import http_ok, port_in_use
from devtools.process import ManagedProcess, ProcessGroup, StackError, signals_raise_interrupt, wait_ready
from devtools.rasa import (
    actions_command,
    default_rasa_workers,
    find_model,
    model_loaded,
    rasa_command,
    rasa_env,
    server_args,
    serving_defaults,
)
from devtools.supervise import PeriodicJob, RestartPolicy, Supervisor
from envsettings import env_float, env_int, env_str

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ("actions", "rasa", "web")  # kinds of service; "rasa" is all the Rasa workers, rasa-1 … rasa-N
PURGE_EVERY_S = 24 * 3600.0
PURGE_FIRST_AFTER_S = 60.0  # once the stack has settled
__all__ = ["ROOT", "SERVICES", "RestartPolicy", "Stack", "StackConfig", "StackError", "default_rasa_workers",
           "find_model", "port_in_use"]


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

    def rasa_names(self) -> list[str]:
        return [f"rasa-{n}" for n in range(1, self.rasa_workers + 1)]

    def port(self, service: str) -> int:
        """"rasa" is rasa-1's port (the integration interface); rasa-N listens on RASA_PORT + N - 1."""
        if service.startswith("rasa-"):
            return self.rasa_port + int(service.removeprefix("rasa-")) - 1
        return {"actions": self.actions_port, "rasa": self.rasa_port, "web": self.web_port}[service]

    @property
    def web_interpreter(self) -> Path:
        return Path(self.web_python) if self.web_python else self.root / ".venv-web" / "bin" / "python"

    def url(self, service: str) -> str:
        return f"http://{self.host}:{self.port(service)}"


class Stack(ProcessGroup):
    """The action server, the Rasa workers and the web app: `start()` waits until all are healthy."""

    def __init__(self, config: StackConfig | None = None, echo: Callable[[str], None] = print) -> None:
        self.config = config or StackConfig.from_env()
        self.echo = echo
        if not self.config.rasa_token:
            self.config.rasa_token = secrets.token_urlsafe(24)  # Rasa's HTTP API never runs without auth
        if not self.config.rasa_workers:
            self.config.rasa_workers = default_rasa_workers()
        self.services = self._services()
        self.lock = threading.RLock()  # a service is started or stopped by one thread at a time
        self._held: set[str] = set()  # stopped on purpose: not restarted by the supervisor
        self._supervision: tuple[threading.Thread, threading.Event, Supervisor] | None = None

    # ---- definition ----

    def env(self) -> dict[str, str]:
        """The environment of the processes."""
        c = self.config
        return rasa_env(c.root, {
            "RASA_TOKEN": c.rasa_token,
            "RASA_URL": c.url("rasa"),
            "RASA_URLS": ",".join(c.url(name) for name in c.rasa_names()),
            "ACTIONS_URL": c.url("actions"),
            "BOT_HOST": env_str("BOT_HOST", c.host),
            "BOT_PORT": str(c.web_port),
            **serving_defaults(),
            **c.extra_env,
            # each Rasa process is one worker (the launcher runs several and restarts the one that dies); they share
            # the SQLite tracker and lock stores of endpoints.yml. The action server reads its own variable.
            "SANIC_WORKERS": "1",
        })

    def _services(self) -> dict[str, ManagedProcess]:
        c = self.config
        rasa = rasa_command(c.python, c.rasa_bin)
        web_origins = [f"http://{c.host}:{c.web_port}", f"http://localhost:{c.web_port}"]
        env = self.env()

        def service(name: str, cmd: list[str], ready: Callable[[], bool]) -> ManagedProcess:
            return ManagedProcess(name=name, cmd=cmd, cwd=c.root, log_path=c.logs / f"{name}.log", env=env,
                                  port=c.port(name), ready=ready)

        def worker(name: str) -> ManagedProcess:
            url = c.url(name)
            return service(name, [*rasa, *server_args(c.host, c.port(name), c.models, self._endpoints_file(),
                                                      "credentials.yml", token=c.rasa_token, cors=web_origins)],
                           lambda: model_loaded(url, c.rasa_token))

        return {
            "actions": service("actions", actions_command(c.python, c.actions_port),
                               lambda: http_ok(f"{c.url('actions')}/health")),
            **{name: worker(name) for name in c.rasa_names()},
            "web": service("web", [str(c.web_interpreter), "-m", "bot", "--port", str(c.web_port)],
                           lambda: http_ok(f"{c.url('web')}/healthz")),
        }

    def purge_job(self) -> PeriodicJob:
        """The retention purge (python -m records purge), once a day, first a minute after the start."""
        c = self.config
        process = ManagedProcess(name="purge", cmd=[c.python, "-m", "records", "purge"], cwd=c.root,
                                 log_path=c.logs / "purge.log", env=self.env())
        return PeriodicJob(process, PURGE_EVERY_S, PURGE_FIRST_AFTER_S)

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
        for service in self.services.values():
            service.start()
            self.echo(f"started {service.name} (pid {service.pid}), log: {service.log_path}")
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
        """Poll each service's health check until all are up; bounded by config.timeout."""
        wait_ready(list(self.services.values()), self.config.timeout, poll_interval=self.config.poll_interval,
                   echo=self.echo)

    def check_alive(self) -> None:
        for service in self.services.values():
            service.check_alive()

    def names(self, name: str) -> list[str]:
        """The services `name` stands for: "rasa" is every Rasa worker."""
        return self.config.rasa_names() if name == "rasa" else [name]

    def held(self, name: str) -> bool:
        return name in self._held

    def stop_service(self, name: str, grace: float = 20.0) -> None:
        """Stop a service ("rasa": all workers) on purpose (fault tests): SIGTERM its process group, SIGKILL after
        `grace`. The supervisor leaves it stopped until start_service."""
        for one in self.names(name):
            with self.lock:
                self._held.add(one)
                stopped = self.services[one].stop(grace)
            if stopped:
                self.echo(f"stopped {one}")

    def start_service(self, name: str) -> None:
        """Start stopped services again and wait until they are healthy."""
        started = []
        for one in self.names(name):
            with self.lock:
                service = self.services[one]
                if not service.running():
                    service.start()
                    started.append(service)
                self._held.discard(one)
        wait_ready(started, self.config.timeout, poll_interval=self.config.poll_interval, echo=self.echo,
                   verb="is up again")

    def supervisor(self, policy: RestartPolicy | None = None, purge: bool = True) -> Supervisor:
        return Supervisor(self, policy, [self.purge_job()] if purge else [], echo=self.echo)

    def supervise(self, policy: RestartPolicy | None = None, purge: bool = False, poll_s: float = 1.0) -> Supervisor:
        """Heal the stack from a background thread until stop()."""
        if self._supervision is not None:
            return self._supervision[2]
        supervisor = self.supervisor(policy, purge)
        stop = threading.Event()
        thread = threading.Thread(target=supervisor.run, args=(stop, poll_s), name="supervisor", daemon=True)
        thread.start()
        self._supervision = (thread, stop, supervisor)
        return supervisor

    def stop(self, grace: float = 20.0) -> None:
        """Stop supervising, then SIGTERM each process group (web first), SIGKILL whatever still runs after
        `grace`."""
        if self._supervision is not None:
            thread, stop, supervisor = self._supervision
            stop.set()
            thread.join(timeout=30)
            supervisor.stop_jobs()
            self._supervision = None
        for service in reversed(list(self.services.values())):
            with self.lock:
                self._held.add(service.name)
                stopped = service.stop(grace)
            if stopped:
                self.echo(f"stopped {service.name}")

    def urls(self) -> dict[str, str]:
        web = self.config.url("web")
        return {"demo": f"{web}/", "console": f"{web}/console", "chat_api": f"{web}/api/chat",
                "healthz": f"{web}/healthz", "metrics": f"{web}/metrics", "rasa": self.config.url("rasa"),
                "actions": self.config.url("actions")}


def print_urls(stack: Stack) -> None:
    u = stack.urls()
    c = stack.config
    ports = f"{c.rasa_port}-{c.rasa_port + c.rasa_workers - 1}" if c.rasa_workers > 1 else str(c.rasa_port)
    print(f"""
吉林失业保险金智能咨询 is running:
  演示页面 demo page (widget):   {u['demo']}
  坐席工作台 staff console:      {u['console']}   (token: env CONSOLE_TOKEN or var/console_token)
  chat API:                      {u['chat_api']}
  health, metrics:               {u['healthz']}, {u['metrics']}
  Rasa (HTTP API needs token):   {u['rasa']}   ({c.rasa_workers} worker processes, ports {ports}: SANIC_WORKERS)
  action server:                 {u['actions']}
  logs:                          {c.logs}/{{actions,rasa-N,web,purge}}.log
A service that dies is started again; retention (RETENTION_DAYS) runs once a day. Press Ctrl-C to stop.""",
          flush=True)


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
            supervisor = stack.supervisor()
            try:
                supervisor.run(threading.Event())  # until Ctrl-C/SIGTERM
            finally:
                supervisor.stop_jobs()
        except KeyboardInterrupt:
            print("\nstopping…", flush=True)
            return 0
        except StackError as exc:
            print(f"ERROR: {exc}", file=sys.stderr, flush=True)
            return 1
        finally:
            stack.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
