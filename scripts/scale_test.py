#!/usr/bin/env python3
"""Scale-out check on real engines: PostgreSQL tracker store + Redis lock store shared by two Rasa instances.

    python scripts/scale_test.py              install postgresql/redis-server if missing (apt-get, needs root),
                                              then run pytest tests/scale (what `make test-scale` does)
    python scripts/scale_test.py --up         start the cluster, print its URLs and settings, stay up until Ctrl-C
    python scripts/scale_test.py --install    only install the Debian packages when missing
    python scripts/scale_test.py --project /tmp/toy --model /tmp/toy/models/assistant.tar.gz   another project

The cluster, all on 127.0.0.1 and in throwaway directories under var/scale/ (wiped at start and stop, logs kept
in var/scale/logs/): PostgreSQL (port 25432, run as the `postgres` user when we are root, no unix socket,
password auth), Redis (26379, password, no persistence), one action server (5155) and two Rasa instances
(5106, 5107) started with endpoints.production.yml, credentials.yml and the model, with their HTTP API behind a
token generated for the run. Every wait polls a health check and is bounded; everything is stopped at the end,
also on failure, Ctrl-C or SIGTERM.

Settings (environment, or the options): SCALE_PROJECT (project directory with credentials.yml and actions/,
default: this project), SCALE_MODEL (default: <project>/models/assistant.tar.gz), SCALE_ENDPOINTS (default:
endpoints.production.yml of this project), SCALE_TIMEOUT (s to wait for Rasa to load the model, default 600),
SCALE_PG_PORT, SCALE_REDIS_PORT, SCALE_ACTIONS_PORT, SCALE_RASA_PORTS ("5106,5107").
Importable (tests/scale/conftest.py): `with Cluster(ScaleConfig.from_env()) as cluster: ...`.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: the script's install step runs before they are needed
    import redis
    from psycopg2.extensions import connection as PgConnection

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scripts.run_stack import env_int, http_get, port_in_use, signals_raise_interrupt  # noqa: E402

HOST = "127.0.0.1"
APT_PACKAGES = ("postgresql", "redis-server")
PG_USER = "rasa"
PG_DB = "rasa_scale"


class ScaleError(RuntimeError):
    pass


@dataclass
class ScaleConfig:
    project: Path = ROOT
    model: Path | None = None  # default: <project>/models/assistant.tar.gz
    endpoints: Path = ROOT / "endpoints.production.yml"
    work_dir: Path = ROOT / "var" / "scale"
    pg_port: int = 25432
    redis_port: int = 26379
    actions_port: int = 5155
    rasa_ports: tuple[int, ...] = (5106, 5107)
    timeout: float = 600.0  # two Rasa processes loading the model on a busy 2-core machine
    service_timeout: float = 60.0  # PostgreSQL, Redis, the action server
    poll_interval: float = 0.5
    python: str = sys.executable
    extra_env: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, **overrides: object) -> ScaleConfig:
        config = cls(
            pg_port=env_int("SCALE_PG_PORT", cls.pg_port),
            redis_port=env_int("SCALE_REDIS_PORT", cls.redis_port),
            actions_port=env_int("SCALE_ACTIONS_PORT", cls.actions_port),
            timeout=float(os.environ.get("SCALE_TIMEOUT", "600")),
        )
        if os.environ.get("SCALE_PROJECT"):
            config.project = Path(os.environ["SCALE_PROJECT"]).resolve()
        if os.environ.get("SCALE_MODEL"):
            config.model = Path(os.environ["SCALE_MODEL"]).resolve()
        if os.environ.get("SCALE_ENDPOINTS"):
            config.endpoints = Path(os.environ["SCALE_ENDPOINTS"]).resolve()
        if os.environ.get("SCALE_RASA_PORTS"):
            config.rasa_ports = tuple(int(p) for p in re.split(r"[,\s]+", os.environ["SCALE_RASA_PORTS"].strip()))
        for key, value in overrides.items():
            setattr(config, key, value)
        return config

    @property
    def model_path(self) -> Path:
        return self.model or self.project / "models" / "assistant.tar.gz"

    @property
    def logs(self) -> Path:
        return self.work_dir / "logs"

    def rasa_urls(self) -> list[str]:
        return [f"http://{HOST}:{port}" for port in self.rasa_ports]

    @property
    def actions_url(self) -> str:
        return f"http://{HOST}:{self.actions_port}"


# ---- Debian packages -------------------------------------------------------------------------------------


def postgres_bindir() -> Path | None:
    """Debian keeps initdb/postgres in /usr/lib/postgresql/<major>/bin (not on PATH); the newest one wins."""
    found = [p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")]
    if found:
        return max(found, key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def redis_server_bin() -> str | None:
    return shutil.which("redis-server") or next(
        (p for p in ("/usr/bin/redis-server", "/usr/sbin/redis-server") if os.access(p, os.X_OK)), None)


def missing_packages() -> list[str]:
    missing = []
    if postgres_bindir() is None:
        missing.append("postgresql")
    if redis_server_bin() is None:
        missing.append("redis-server")
    return missing


def install_packages(echo: Callable[[str], None] = print, timeout: float = 1800.0) -> None:
    """apt-get install postgresql redis-server when one of them is missing (Debian/Ubuntu, as root)."""
    missing = missing_packages()
    if not missing:
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise ScaleError(f"missing: {', '.join(missing)}. Install them (Debian: "
                         f"sudo apt-get install -y {' '.join(APT_PACKAGES)}) and run again.")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    echo(f"installing {' '.join(APT_PACKAGES)} with apt-get …")
    for cmd in (["apt-get", "update", "-q"],
                ["apt-get", "install", "-y", "-q", "--no-install-recommends", *APT_PACKAGES]):
        subprocess.run(cmd, check=True, env=env, timeout=timeout)  # noqa: S603 - fixed argument lists
    if missing_packages():
        raise ScaleError(f"still missing after apt-get: {', '.join(missing_packages())}")


# ---- processes --------------------------------------------------------------------------------------------


@dataclass
class Proc:
    name: str
    cmd: list[str]
    log_path: Path
    cwd: Path
    env: dict[str, str]
    user: str | None = None  # run as this user (PostgreSQL refuses to run as root)
    stop_signal: int = signal.SIGTERM
    popen: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            log.write(f"\n==== {time.strftime('%Y-%m-%d %H:%M:%S')} starting {self.name}: {' '.join(self.cmd)}\n"
                      .encode())
            log.flush()
            self.popen = subprocess.Popen(  # noqa: S603 - fixed argument lists
                self.cmd, cwd=self.cwd, env=self.env, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True, user=self.user)

    def check_alive(self) -> None:
        if self.popen is not None and self.popen.poll() is not None:
            raise ScaleError(f"{self.name} exited with code {self.popen.returncode}; last lines of "
                             f"{self.log_path}:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self, grace: float = 20.0) -> bool:
        """Signal the process group, SIGKILL after `grace` s; True when it was running."""
        if self.popen is None or self.popen.poll() is not None:
            return False
        try:
            os.killpg(self.popen.pid, self.stop_signal)
            self.popen.wait(timeout=grace)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            try:
                os.killpg(self.popen.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.popen.wait(timeout=10)
        return True


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def _settled_cmdline(pid: int, timeout: float = 2.0) -> str:
    """The command line of a process just started: empty for a moment while it execs."""
    deadline = time.monotonic() + timeout
    while not (cmdline := _cmdline(pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return cmdline


# ---- the cluster --------------------------------------------------------------------------------------------


class Cluster:
    """PostgreSQL + Redis + one action server + N Rasa instances, all on 127.0.0.1."""

    def __init__(self, config: ScaleConfig | None = None, echo: Callable[[str], None] = print) -> None:
        self.config = config or ScaleConfig.from_env()
        self.echo = echo
        self.rasa_token = secrets.token_hex(24)
        self.pg_password = secrets.token_hex(18)
        self.redis_password = secrets.token_hex(18)
        self.procs: list[Proc] = []
        self.pg_dir = self.config.work_dir / "pg"
        self.redis_dir = self.config.work_dir / "redis"
        self._tmp_pg_dir: Path | None = None
        self._started = False
        self._owns_work_dir = False  # set once the preflight passed: stop() then cleans var/scale/ up

    # ---- what the Rasa processes get ----

    def endpoint_env(self) -> dict[str, str]:
        """The variables endpoints.production.yml reads."""
        c = self.config
        return {
            "ACTION_ENDPOINT_URL": f"{c.actions_url}/webhook",
            "POSTGRES_HOST": HOST, "POSTGRES_PORT": str(c.pg_port), "POSTGRES_DB": PG_DB,
            "POSTGRES_USER": PG_USER, "POSTGRES_PASSWORD": self.pg_password,
            "REDIS_HOST": HOST, "REDIS_PORT": str(c.redis_port), "REDIS_DB": "0",
            "REDIS_PASSWORD": self.redis_password,
        }

    def _rasa_env(self) -> dict[str, str]:
        c = self.config
        env = dict(os.environ)
        env.update({
            "PYTHONPATH": os.pathsep.join(filter(None, [str(c.project), env.get("PYTHONPATH", "")])),
            "RASA_TELEMETRY_ENABLED": "false",  # no traffic beyond 127.0.0.1
            "SANIC_HOST": HOST,  # the action server's listen address
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "PYTHONUNBUFFERED": "1",
        })
        env.update(self.endpoint_env())
        env.update(c.extra_env)
        return env

    def _rasa_cmd(self) -> list[str]:
        rasa_bin = Path(self.config.python).with_name("rasa")
        return [str(rasa_bin)] if rasa_bin.exists() else [self.config.python, "-m", "rasa"]

    # ---- lifecycle ----

    def start(self) -> Cluster:
        atexit.register(self.stop)
        self._started = True
        try:
            self._preflight()
            self._start_postgres()
            self._start_redis()
            self._start_actions_and_rasa()
            self._record_pids()  # again: process titles are final now (redis-server rewrites its own)
        except BaseException:
            self.stop()
            raise
        return self

    def _preflight(self) -> None:
        c = self.config
        if not c.model_path.is_file():
            raise ScaleError(f"no model at {c.model_path} (run `make train`, or pass --model)")
        if not c.endpoints.is_file():
            raise ScaleError(f"no endpoints file at {c.endpoints}")
        if not (c.project / "credentials.yml").is_file():
            raise ScaleError(f"no credentials.yml in {c.project}")
        missing = missing_packages()
        if missing:
            raise ScaleError(f"not installed: {', '.join(missing)} (run `make test-scale`, which installs them)")
        ports = {"postgres": c.pg_port, "redis": c.redis_port, "actions": c.actions_port}
        ports.update({f"rasa-{p}": p for p in c.rasa_ports})
        self._reap_leftovers()
        busy = [f"{name}:{port}" for name, port in ports.items() if port_in_use(HOST, port)]
        if busy:
            raise ScaleError(f"port(s) already in use on {HOST}: {', '.join(busy)} - is another scale test "
                             "running? Stop it or set SCALE_PG_PORT / SCALE_REDIS_PORT / SCALE_ACTIONS_PORT / "
                             "SCALE_RASA_PORTS.")
        self._owns_work_dir = True
        for path in (self.pg_dir, self.redis_dir):
            shutil.rmtree(path, ignore_errors=True)  # throwaway data of an earlier run
        c.logs.mkdir(parents=True, exist_ok=True)
        self.redis_dir.mkdir(parents=True)

    @property
    def _pid_file(self) -> Path:
        return self.config.work_dir / "pids.json"

    def _record_pids(self) -> None:
        """Remember what this run started, so a run killed with SIGKILL can be cleaned up by the next one."""
        entries = [{"pid": p.popen.pid, "cmdline": _settled_cmdline(p.popen.pid)} for p in self.procs if p.popen]
        owner = {"pid": os.getpid(), "cmdline": _cmdline(os.getpid())}
        self._pid_file.write_text(json.dumps({"owner": owner, "procs": entries}), encoding="utf-8")

    def _reap_leftovers(self) -> None:
        """Stop the processes an earlier run recorded in var/scale/pids.json when that run was killed (its own
        process is gone), and only pids that still run the recorded command line."""
        try:
            recorded = json.loads(self._pid_file.read_text(encoding="utf-8"))
            owner, entries = recorded["owner"], recorded["procs"]
        except (OSError, ValueError, KeyError, TypeError):
            return
        if _cmdline(int(owner["pid"])) == owner["cmdline"]:
            return  # that run is still going: leave it alone (the port check below reports the clash)
        for entry in reversed(entries):
            pid, cmdline = int(entry["pid"]), entry["cmdline"]
            if cmdline and _cmdline(pid) == cmdline:
                self.echo(f"stopping pid {pid} left over by an earlier run: {cmdline[:80]}")
                try:
                    os.killpg(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                deadline = time.monotonic() + 10
                while _cmdline(pid) == cmdline and time.monotonic() < deadline:
                    time.sleep(0.2)
        self._pid_file.unlink(missing_ok=True)

    def _wait(self, what: str, ready: Callable[[], bool], timeout: float, procs: list[Proc]) -> None:
        started = time.monotonic()
        deadline = started + timeout
        while True:
            for proc in procs:
                proc.check_alive()
            if ready():
                self.echo(f"{what} is up after {time.monotonic() - started:.1f} s")
                return
            if time.monotonic() > deadline:
                tails = "\n".join(f"--- {p.name} ({p.log_path}):\n{p.log_tail()}" for p in procs)
                raise ScaleError(f"{what} not ready after {timeout:.0f} s\n{tails}")
            time.sleep(self.config.poll_interval)

    # PostgreSQL

    def _pg_user(self) -> str | None:
        return "postgres" if os.geteuid() == 0 else None

    def _pg_data_parent(self) -> Path:
        """var/scale/pg owned by the postgres user; a /tmp directory when that user cannot reach var/scale/
        (a checkout under a private home directory)."""
        user = self._pg_user()
        self.pg_dir.mkdir(parents=True)
        if user is None:
            return self.pg_dir
        shutil.chown(self.pg_dir, user, user)
        probe = subprocess.run(["test", "-w", str(self.pg_dir)], user=user, timeout=10,  # noqa: S603, S607
                               cwd="/", check=False)
        if probe.returncode == 0:
            return self.pg_dir
        self._tmp_pg_dir = Path(tempfile.mkdtemp(prefix="scale-pg-"))
        shutil.chown(self._tmp_pg_dir, user, user)
        self.echo(f"the postgres user cannot write {self.pg_dir}; using {self._tmp_pg_dir} instead")
        return self._tmp_pg_dir

    def _start_postgres(self) -> None:
        c = self.config
        bindir = postgres_bindir()
        assert bindir is not None
        user = self._pg_user()
        parent = self._pg_data_parent()
        data = parent / "data"
        pwfile = parent / "pwfile"
        pwfile.write_text(self.pg_password + "\n", encoding="utf-8")
        pwfile.chmod(0o600)
        if user:
            shutil.chown(pwfile, user, user)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
        log_path = c.logs / "postgres.log"
        initdb = Proc("initdb", [str(bindir / "initdb"), "-D", str(data), "-U", PG_USER, f"--pwfile={pwfile}",
                                 "--auth=scram-sha-256", "--encoding=UTF8", "--no-locale", "--no-sync"],
                      log_path, parent, env, user=user)
        initdb.start()
        assert initdb.popen is not None
        try:
            code = initdb.popen.wait(timeout=c.service_timeout * 2)
        except subprocess.TimeoutExpired:
            initdb.stop()
            raise ScaleError(f"initdb did not finish in {c.service_timeout * 2:.0f} s:\n{initdb.log_tail()}") \
                from None
        finally:
            pwfile.unlink(missing_ok=True)
        if code != 0:
            raise ScaleError(f"initdb failed ({code}):\n{initdb.log_tail()}")
        server = Proc("postgres", [
            str(bindir / "postgres"), "-D", str(data), "-p", str(c.pg_port),
            "-c", f"listen_addresses={HOST}", "-c", "unix_socket_directories=",  # TCP on loopback only
            "-c", "max_connections=60", "-c", "shared_buffers=32MB",
            "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",  # throwaway data
        ], log_path, parent, env, user=user, stop_signal=signal.SIGINT)  # SIGINT: PostgreSQL's fast shutdown
        server.start()
        self.procs.append(server)
        self._record_pids()
        self._wait(f"postgres on {HOST}:{c.pg_port}", lambda: self._pg_ping("postgres"), c.service_timeout,
                   [server])
        self._pg_execute(f"CREATE DATABASE {PG_DB}")
        self.echo(f"created database {PG_DB}")

    def _pg_connect(self, dbname: str) -> PgConnection:
        import psycopg2

        return psycopg2.connect(host=HOST, port=self.config.pg_port, user=PG_USER, password=self.pg_password,
                                dbname=dbname, connect_timeout=3)

    def _pg_ping(self, dbname: str) -> bool:
        import psycopg2

        try:
            self._pg_connect(dbname).close()
            return True
        except psycopg2.OperationalError:
            return False

    def _pg_execute(self, sql: str) -> None:
        conn = self._pg_connect("postgres")
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute(sql)
        finally:
            conn.close()

    def pg_query(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        """Run a query on the tracker database (for tests)."""
        conn = self._pg_connect(PG_DB)
        try:
            with conn.cursor() as cur:
                cur.execute(sql, params)
                return list(cur.fetchall())
        finally:
            conn.close()

    # Redis

    def redis_client(self) -> redis.Redis:
        import redis

        return redis.Redis(host=HOST, port=self.config.redis_port, password=self.redis_password,
                           socket_timeout=3, socket_connect_timeout=3)

    def _redis_ping(self) -> bool:
        import redis

        try:
            return bool(self.redis_client().ping())
        except redis.RedisError:
            return False

    def _start_redis(self) -> None:
        c = self.config
        server_bin = redis_server_bin()
        assert server_bin is not None
        conf = self.redis_dir / "redis.conf"  # the password in a file (mode 600), not on the command line
        conf.write_text(f"requirepass {self.redis_password}\n", encoding="utf-8")
        conf.chmod(0o600)
        server = Proc("redis", [
            server_bin, str(conf), "--bind", HOST, "--port", str(c.redis_port), "--protected-mode", "yes",
            "--save", "", "--appendonly", "no", "--dir", str(self.redis_dir), "--daemonize", "no",
        ], c.logs / "redis.log", self.redis_dir, {"PATH": os.environ.get("PATH", "/usr/bin:/bin")})
        server.start()
        self.procs.append(server)
        self._record_pids()
        self._wait(f"redis on {HOST}:{c.redis_port}", self._redis_ping, c.service_timeout, [server])

    # action server and Rasa

    def _start_actions_and_rasa(self) -> None:
        c = self.config
        env = self._rasa_env()
        rasa = self._rasa_cmd()
        actions = Proc("actions", [*rasa, "run", "actions", "--port", str(c.actions_port)],
                       c.logs / "actions.log", c.project, env)
        actions.start()
        self.procs.append(actions)
        self._record_pids()
        instances = []
        for port in c.rasa_ports:
            proc = Proc(f"rasa-{port}", [
                *rasa, "run", "--enable-api", f"--auth-token={self.rasa_token}", "--interface", HOST,
                "--port", str(port), "-m", str(c.model_path), "--endpoints", str(c.endpoints),
                "--credentials", "credentials.yml",
            ], c.logs / f"rasa-{port}.log", c.project, env)
            proc.start()
            self.procs.append(proc)
            instances.append(proc)
            self._record_pids()
            self.echo(f"started {proc.name} (pid {proc.popen.pid if proc.popen else '?'}), log: {proc.log_path}")
        self._wait(f"action server on {c.actions_url}",
                   lambda: http_get(f"{c.actions_url}/health")[0] == 200, c.service_timeout, [actions])
        for proc, url in zip(instances, c.rasa_urls(), strict=True):
            self._wait(f"{proc.name} (model loaded)", lambda url=url: self._rasa_ready(url), c.timeout,
                       [actions, *instances])

    def _rasa_ready(self, url: str) -> bool:
        status, body = http_get(f"{url}/status?token={self.rasa_token}")
        if status != 200:
            return False
        try:
            return bool(json.loads(body).get("model_file"))
        except (ValueError, AttributeError):
            return False

    def check_alive(self) -> None:
        for proc in self.procs:
            proc.check_alive()

    def stop(self) -> None:
        """Stop everything (Rasa first, PostgreSQL last) and remove the throwaway data; logs stay."""
        if not self._started:
            return
        self._started = False
        for proc in reversed(self.procs):
            try:
                if proc.stop():
                    self.echo(f"stopped {proc.name}")
            except (OSError, subprocess.SubprocessError) as exc:  # carry on stopping the others
                self.echo(f"could not stop {proc.name}: {exc}")
        self.procs.clear()
        if self._tmp_pg_dir is not None:
            shutil.rmtree(self._tmp_pg_dir, ignore_errors=True)
        if self._owns_work_dir:  # not when the preflight found another run in this checkout
            self._pid_file.unlink(missing_ok=True)
            for path in (self.pg_dir, self.redis_dir):
                shutil.rmtree(path, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def describe(self) -> str:
        c = self.config
        env = self.endpoint_env()
        lines = [f"  rasa-{port}:        {url}  (HTTP API token: {self.rasa_token})"
                 for port, url in zip(c.rasa_ports, c.rasa_urls(), strict=True)]
        return "\n".join([
            "scale-out cluster is running (127.0.0.1 only):", *lines,
            f"  action server:     {c.actions_url}",
            f"  postgresql:        {HOST}:{c.pg_port} db {PG_DB} user {PG_USER} password {env['POSTGRES_PASSWORD']}",
            f"  redis:             {HOST}:{c.redis_port} password {env['REDIS_PASSWORD']}",
            f"  model:             {c.model_path}",
            f"  logs:              {c.logs}/",
        ])


def _run_pytest(args: argparse.Namespace, extra: list[str]) -> int:
    """pytest tests/scale in a child process; its session fixture starts and stops the cluster."""
    env = dict(os.environ, SCALE_REQUIRED="1")  # tests/scale fails instead of skipping when it cannot start
    for name, value in (("SCALE_PROJECT", args.project), ("SCALE_MODEL", args.model),
                        ("SCALE_ENDPOINTS", args.endpoints)):
        if value:
            env[name] = str(Path(value).resolve())
    if args.timeout:
        env["SCALE_TIMEOUT"] = str(args.timeout)
    cmd = [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", "tests/scale", *extra]
    print("+ " + " ".join(cmd), flush=True)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)  # noqa: S603 - fixed argument list

    def forward(signum: int, frame: FrameType | None) -> None:
        proc.send_signal(signal.SIGTERM)  # tests/scale/conftest.py turns it into Ctrl-C: fixtures stop all

    # Ctrl-C reaches pytest directly (same process group); a second SIGINT from here would cut its teardown short
    old = {signal.SIGINT: signal.signal(signal.SIGINT, signal.SIG_IGN),
           signal.SIGTERM: signal.signal(signal.SIGTERM, forward), signal.SIGHUP: signal.signal(signal.SIGHUP, forward)}
    limit = float(os.environ.get("SCALE_PYTEST_TIMEOUT", "3600"))
    try:
        return proc.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        print(f"ERROR: tests/scale still running after {limit:.0f} s; stopping it", file=sys.stderr, flush=True)
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        return 1
    finally:
        for sig, previous in old.items():
            signal.signal(sig, previous)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--up", action="store_true", help="start the cluster and keep it running until Ctrl-C")
    mode.add_argument("--install", action="store_true", help="only install postgresql/redis-server if missing")
    parser.add_argument("--no-install", action="store_true", help="never call apt-get")
    parser.add_argument("--project", help="Rasa project directory (credentials.yml, actions/); default: this one")
    parser.add_argument("--model", help="model archive; default: <project>/models/assistant.tar.gz")
    parser.add_argument("--endpoints", help="endpoints file; default: endpoints.production.yml of this project")
    parser.add_argument("--timeout", type=float, help="seconds to wait for each Rasa instance (default 600)")
    args, extra = parser.parse_known_args(argv)
    with signals_raise_interrupt():
        try:
            if not args.no_install:
                install_packages(echo=lambda msg: print(msg, flush=True))
            if args.install:
                return 0
            if not args.up:
                return _run_pytest(args, extra)
            overrides: dict[str, object] = {}
            if args.project:
                overrides["project"] = Path(args.project).resolve()
            if args.model:
                overrides["model"] = Path(args.model).resolve()
            if args.endpoints:
                overrides["endpoints"] = Path(args.endpoints).resolve()
            if args.timeout:
                overrides["timeout"] = args.timeout
            cluster = Cluster(ScaleConfig.from_env(**overrides), echo=lambda msg: print(msg, flush=True))
            try:
                cluster.start()
                print(cluster.describe(), "\nPress Ctrl-C to stop.", flush=True)
                while True:
                    cluster.check_alive()
                    time.sleep(1.0)
            finally:
                cluster.stop()
        except KeyboardInterrupt:
            print("\nstopped", flush=True)
            return 0 if args.up else 130
        except (ScaleError, subprocess.SubprocessError) as exc:
            print(f"ERROR: {exc}", file=sys.stderr, flush=True)
            return 1


if __name__ == "__main__":
    raise SystemExit(main())
