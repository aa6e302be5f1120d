#!/usr/bin/env python3
"""Start the action server, Rasa and the web app; wait until each is healthy; stop all three on Ctrl-C/SIGTERM.

    python scripts/run_stack.py            run in the foreground (what `make run` does)
    python scripts/run_stack.py --check    start, wait until healthy, print the URLs, stop (exit 0/1)

Logs go to logs/actions.log, logs/rasa.log, logs/web.log. Ports come from ACTIONS_PORT (5055), RASA_PORT (5005)
and BOT_PORT (8000), the rasa executable from RASA_BIN (default: the venv's); the action server URL in
endpoints.yml must match ACTIONS_PORT. Rasa runs SANIC_WORKERS worker processes (default: one per core, as many
as the free memory holds at about 1.5 GB each, at most 4: `default_rasa_workers`). RASA_TOKEN (Rasa's HTTP API
token) is generated for this run when not set.
Importable: `Stack(StackConfig.from_env()).start()` / `.stop()`, or `with Stack(...) as stack:`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ("actions", "rasa", "web")


class StackError(RuntimeError):
    pass


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


WORKER_MEMORY_GB = 1.5  # one Rasa worker with this model: ~1.46 GB resident (make bench)
MAX_DEFAULT_WORKERS = 4  # more than that on one machine: separate instances (README, Scaling out)


def _available_memory_gb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024 / 1024
    except (OSError, ValueError, IndexError):
        pass
    return WORKER_MEMORY_GB + 1  # unknown: room for one


def default_rasa_workers(cores: int | None = None, memory_gb: float | None = None) -> int:
    """Rasa worker processes for this machine: one per core (Rasa's work per message is single-threaded Python
    and TensorFlow), no more than the available memory holds after 1 GB for the action server, the web app and
    the system, at most MAX_DEFAULT_WORKERS, at least one."""
    cores = cores or os.cpu_count() or 1
    memory_gb = _available_memory_gb() if memory_gb is None else memory_gb
    by_memory = int((memory_gb - 1) // WORKER_MEMORY_GB)
    return max(1, min(cores, by_memory, MAX_DEFAULT_WORKERS))


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
    rasa_workers: int = 0  # Sanic worker processes of Rasa; 0: default_rasa_workers(), settled by Stack
    extra_env: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, **overrides: object) -> StackConfig:
        config = cls(
            host=os.environ.get("STACK_HOST", "127.0.0.1"),
            actions_port=env_int("ACTIONS_PORT", 5055),
            rasa_port=env_int("RASA_PORT", 5005),
            web_port=env_int("BOT_PORT", 8000),
            rasa_token=os.environ.get("RASA_TOKEN", ""),
            timeout=float(os.environ.get("STACK_TIMEOUT", "600")),
            rasa_bin=os.environ.get("RASA_BIN", ""),
            rasa_workers=env_int("SANIC_WORKERS", 0),
        )
        for key, value in overrides.items():
            setattr(config, key, value)
        return config

    @property
    def logs(self) -> Path:
        return self.log_dir or self.root / "logs"

    def url(self, service: str) -> str:
        port = {"actions": self.actions_port, "rasa": self.rasa_port, "web": self.web_port}[service]
        return f"http://{self.host}:{port}"


def find_model(root: Path, models: str = "models") -> Path | None:
    """The newest trained model (models/*.tar.gz), or None."""
    found = sorted((root / models).glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None


@dataclass
class Service:
    name: str
    cmd: list[str]
    health_url: str
    port: int
    is_ready: Callable[[int, bytes], bool]
    log_path: Path
    proc: subprocess.Popen[bytes] | None = None

    def log_tail(self, lines: int = 25) -> str:
        try:
            return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never through a proxy


def http_get(url: str, timeout: float = 3.0) -> tuple[int, bytes]:
    try:
        with _OPENER.open(url, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib.error.URLError, OSError, TimeoutError):
        return 0, b""


def _rasa_model_loaded(status: int, body: bytes) -> bool:
    if status != 200:
        return False
    try:
        return bool(json.loads(body).get("model_file"))
    except (ValueError, AttributeError):
        return False


def port_in_use(host: str, port: int) -> bool:
    """True when something listens on the port or a server could not bind it. The second case catches a client
    connection (or its TIME_WAIT) holding the port as its ephemeral local port: nothing answers, yet bind fails."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        if sock.connect_ex((host, port)) == 0:
            return True
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers bind
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


class Stack:
    def __init__(self, config: StackConfig | None = None, echo: Callable[[str], None] = print) -> None:
        self.config = config or StackConfig.from_env()
        self.echo = echo
        if not self.config.rasa_token:
            self.config.rasa_token = secrets.token_urlsafe(24)  # Rasa's HTTP API never runs without auth
        if not self.config.rasa_workers:
            self.config.rasa_workers = default_rasa_workers()
        self.services = self._services()

    # ---- definition ----

    def _env(self) -> dict[str, str]:
        c = self.config
        env = dict(os.environ)
        env.update({
            "PYTHONPATH": os.pathsep.join(filter(None, [str(c.root), env.get("PYTHONPATH", "")])),
            "RASA_TOKEN": c.rasa_token,
            "RASA_URL": c.url("rasa"),
            "ACTIONS_URL": c.url("actions"),
            "BOT_HOST": env.get("BOT_HOST", c.host),
            "BOT_PORT": str(c.web_port),
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "PYTHONUNBUFFERED": "1",
            # read by Rasa only (the action server's is ACTION_SERVER_SANIC_WORKERS); several workers share the
            # SQLite lock store of endpoints.yml, without one Rasa would fall back to a single worker
            "SANIC_WORKERS": str(c.rasa_workers),
        })
        env.update(self.config.extra_env)
        return env

    def _services(self) -> dict[str, Service]:
        c = self.config
        rasa_bin = Path(c.rasa_bin or Path(c.python).with_name("rasa"))
        rasa = [str(rasa_bin)] if rasa_bin.exists() else [c.python, "-m", "rasa"]
        web_origins = [f"http://{c.host}:{c.web_port}", f"http://localhost:{c.web_port}"]
        token_q = f"?token={c.rasa_token}"
        return {
            "actions": Service(
                "actions", [*rasa, "run", "actions", "--port", str(c.actions_port)],
                f"{c.url('actions')}/health", c.actions_port, lambda s, _b: s == 200, c.logs / "actions.log"),
            "rasa": Service(
                "rasa", [*rasa, "run", "--enable-api", f"--auth-token={c.rasa_token}", "--interface", c.host,
                         "--port", str(c.rasa_port), "--cors", *web_origins, "-m", c.models,
                         "--endpoints", str(self._endpoints_file()), "--credentials", "credentials.yml"],
                f"{c.url('rasa')}/status{token_q}", c.rasa_port, _rasa_model_loaded, c.logs / "rasa.log"),
            "web": Service(
                "web", [c.python, "-m", "bot", "--port", str(c.web_port)],
                f"{c.url('web')}/healthz", c.web_port, lambda s, _b: s == 200, c.logs / "web.log"),
        }

    def _endpoints_file(self) -> Path:
        """endpoints.yml, or a copy pointing at this stack's action server when it runs on another port."""
        c = self.config
        base = c.root / "endpoints.yml"
        if not base.is_file():
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

    def stop_service(self, name: str, grace: float = 20.0) -> None:
        """Stop one service (for fault tests): SIGTERM its process group, SIGKILL after `grace`."""
        proc = self.services[name].proc
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=grace)
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        self.echo(f"stopped {name}")

    def start_service(self, name: str) -> None:
        """Start one stopped service again and wait until it is healthy."""
        service = self.services[name]
        self._spawn(service)
        deadline = time.monotonic() + self.config.timeout
        while not service.is_ready(*http_get(service.health_url)):
            self._check_alive(service)
            if time.monotonic() > deadline:
                raise StackError(f"{name} not healthy after {self.config.timeout:.0f} s:\n{service.log_tail()}")
            time.sleep(self.config.poll_interval)
        self.echo(f"{name} is up again")

    def _preflight(self) -> None:
        c = self.config
        if find_model(c.root, c.models) is None:
            raise StackError(f"no trained model in {c.root / c.models} (run `make train`)")
        busy = [f"{s.name}:{s.port}" for s in self.services.values() if port_in_use(c.host, s.port)]
        if busy:
            raise StackError(f"port(s) already in use: {', '.join(busy)} - is another stack running? "
                             "Stop it or set ACTIONS_PORT / RASA_PORT / BOT_PORT.")
        c.logs.mkdir(parents=True, exist_ok=True)
        (c.root / "var" / "rasa").mkdir(parents=True, exist_ok=True)  # SQLite tracker store lives here

    def _spawn(self, service: Service) -> None:
        env = self._env()
        with open(service.log_path, "ab") as log:
            log.write(f"\n==== {time.strftime('%Y-%m-%d %H:%M:%S')} starting {service.name}\n".encode())
            log.flush()
            service.proc = subprocess.Popen(  # noqa: S603 - fixed argument lists
                service.cmd, cwd=self.config.root, env=env, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)

    def start(self) -> Stack:
        self._preflight()
        try:
            for name in SERVICES:
                self._spawn(self.services[name])
                self.echo(f"started {name} (pid {self.services[name].proc.pid}), log: "  # type: ignore[union-attr]
                          f"{self.services[name].log_path}")
            self.wait_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def wait_healthy(self) -> None:
        """Poll each service's health URL until all are up; bounded by config.timeout."""
        deadline = time.monotonic() + self.config.timeout
        started = time.monotonic()
        pending = [self.services[name] for name in SERVICES]
        while pending:
            for service in list(pending):
                self._check_alive(service)
                status, body = http_get(service.health_url)
                if service.is_ready(status, body):
                    pending.remove(service)
                    self.echo(f"{service.name} is up after {time.monotonic() - started:.0f} s")
            if not pending:
                return
            if time.monotonic() > deadline:
                names = ", ".join(s.name for s in pending)
                tails = "\n".join(f"--- {s.name} ({s.log_path}):\n{s.log_tail()}" for s in pending)
                raise StackError(f"not healthy after {self.config.timeout:.0f} s: {names}\n{tails}")
            time.sleep(self.config.poll_interval)

    def _check_alive(self, service: Service) -> None:
        if service.proc is not None and service.proc.poll() is not None:
            raise StackError(f"{service.name} exited with code {service.proc.returncode}; "
                             f"last lines of {service.log_path}:\n{service.log_tail()}")

    def check_alive(self) -> None:
        for name in SERVICES:
            self._check_alive(self.services[name])

    def stop(self, grace: float = 20.0) -> None:
        """SIGTERM each process group (web first), then SIGKILL whatever is still running after `grace`."""
        for name in reversed(SERVICES):
            proc = self.services[name].proc
            if proc is None or proc.poll() is not None:
                continue
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
            try:
                proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.echo(f"{name} did not stop within {grace:.0f} s, killing it")
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(timeout=10)
            self.echo(f"stopped {name}")

    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def urls(self) -> dict[str, str]:
        web = self.config.url("web")
        return {"demo": f"{web}/", "console": f"{web}/console", "chat_api": f"{web}/api/chat",
                "healthz": f"{web}/healthz", "rasa": self.config.url("rasa"), "actions": self.config.url("actions")}


@contextmanager
def signals_raise_interrupt() -> Iterator[None]:
    """SIGTERM (and SIGHUP) raise KeyboardInterrupt inside the block, so a `finally` stops what was started."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    old = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, previous in old.items():
            signal.signal(sig, previous)


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
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="start, wait until healthy, stop; exit 0 when healthy")
    parser.add_argument("--timeout", type=float, help="seconds to wait for all services (default 600)")
    args = parser.parse_args(argv)
    config = StackConfig.from_env()
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
