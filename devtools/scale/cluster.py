"""The scale-out cluster: PostgreSQL + Redis + one action server + N Rasa instances, all on 127.0.0.1, in
throwaway directories under var/scale/ (logs stay in var/scale/logs/), stopped at the end also on failure."""

from __future__ import annotations

import atexit
import secrets
import subprocess
from collections.abc import Callable
from typing import TYPE_CHECKING

from devtools.net import http_ok, port_in_use
from devtools.process import ManagedProcess, ProcessGroup, wait_ready
from devtools.rasa import actions_command, model_loaded, rasa_command, rasa_env, server_args
from devtools.scale.config import HOST, PG_DB, PG_USER, ScaleConfig, ScaleError
from devtools.scale.leftovers import PidFile
from devtools.scale.packages import missing_packages
from devtools.scale.postgres import Postgres
from devtools.scale.redis_server import RedisServer

if TYPE_CHECKING:
    import redis


class Cluster(ProcessGroup):
    def __init__(self, config: ScaleConfig | None = None, echo: Callable[[str], None] = print) -> None:
        self.config = config or ScaleConfig.from_env()
        self.echo = echo
        self.rasa_token = secrets.token_hex(24)
        self.postgres = Postgres(self.config, secrets.token_hex(18), echo)
        self.redis = RedisServer(self.config, secrets.token_hex(18))
        self.procs: list[ManagedProcess] = []
        self.pid_file = PidFile(self.config.work_dir / "pids.json")
        self._started = False
        self._owns_work_dir = False  # set once the preflight passed: stop() then cleans var/scale/ up

    def endpoint_env(self) -> dict[str, str]:
        """The variables endpoints.production.yml reads."""
        c = self.config
        return {
            "ACTION_ENDPOINT_URL": f"{c.actions_url}/webhook",
            "POSTGRES_HOST": HOST, "POSTGRES_PORT": str(c.pg_port), "POSTGRES_DB": PG_DB,
            "POSTGRES_USER": PG_USER, "POSTGRES_PASSWORD": self.postgres.password,
            "REDIS_HOST": HOST, "REDIS_PORT": str(c.redis_port), "REDIS_DB": "0",
            "REDIS_PASSWORD": self.redis.password,
        }

    def database_url(self) -> str:
        """The tracker store's database as SQLAlchemy names it: where the action server keeps the 咨询编号 and the
        web app its tables (TRACKER_STORE_URL)."""
        return f"postgresql://{PG_USER}:{self.postgres.password}@{HOST}:{self.config.pg_port}/{PG_DB}"

    def pg_query(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        """Run a query on the tracker database (for tests)."""
        return self.postgres.query(sql, params)

    def redis_client(self) -> redis.Redis:
        return self.redis.client()

    # ---- lifecycle ----

    def _start(self) -> None:
        atexit.register(self.stop)
        self._started = True
        c = self.config
        self._preflight()
        self._wait([self._launch(self.postgres.start())], c.service_timeout)
        self.postgres.create_database()
        self._wait([self._launch(self.redis.start())], c.service_timeout)
        self._start_actions_and_rasa()
        self.pid_file.record(self.procs)  # again: process titles are final now (redis-server rewrites its own)

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
        self.pid_file.reap(self.echo)
        busy = [f"{name}:{port}" for name, port in ports.items() if port_in_use(HOST, port)]
        if busy:
            raise ScaleError(f"port(s) already in use on {HOST}: {', '.join(busy)} - is another scale test "
                             "running? Stop it or set SCALE_PG_PORT / SCALE_REDIS_PORT / SCALE_ACTIONS_PORT / "
                             "SCALE_RASA_PORTS.")
        self._owns_work_dir = True
        self.postgres.remove_data()  # throwaway data of an earlier run
        self.redis.remove_data()
        c.logs.mkdir(parents=True, exist_ok=True)

    def _launch(self, process: ManagedProcess) -> ManagedProcess:
        """Track a started process: stopped at the end, recorded for the next run should this one be killed."""
        if process.proc is None:
            process.start()
        self.procs.append(process)
        self.pid_file.record(self.procs)
        return process

    def _wait(self, processes: list[ManagedProcess], timeout: float,
              watch: tuple[ManagedProcess, ...] = ()) -> None:
        wait_ready(processes, timeout, poll_interval=self.config.poll_interval, watch=watch, echo=self.echo)

    def _start_actions_and_rasa(self) -> None:
        c = self.config
        env = rasa_env(c.project, {"SANIC_HOST": HOST,  # the action server's listen address
                                   "TRACKER_STORE_URL": self.database_url(),  # the action server's handoff codes
                                   **self.endpoint_env(), **c.extra_env})
        rasa = rasa_command(c.python)
        actions = self._launch(ManagedProcess(
            name="actions", cmd=actions_command(c.python, c.actions_port), cwd=c.project,
            log_path=c.logs / "actions.log", env=env, port=c.actions_port,
            ready=lambda: http_ok(f"{c.actions_url}/health")))
        instances = []
        for port, url in zip(c.rasa_ports, c.rasa_urls(), strict=True):
            proc = self._launch(ManagedProcess(
                name=f"rasa-{port}", cmd=[*rasa, *server_args(HOST, port, c.model_path, c.endpoints,
                                                               "credentials.yml", token=self.rasa_token)],
                cwd=c.project, log_path=c.logs / f"rasa-{port}.log", env=env, port=port,
                ready=lambda url=url: model_loaded(url, self.rasa_token)))
            instances.append(proc)
            self.echo(f"started {proc.name} (pid {proc.pid}), log: {proc.log_path}")
        self._wait([actions], c.service_timeout, watch=tuple(instances))
        self._wait(instances, c.timeout, watch=(actions,))

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
        if self._owns_work_dir:  # not when the preflight found another run in this checkout
            self.pid_file.remove()
            self.postgres.remove_data()
            self.redis.remove_data()

    def describe(self) -> str:
        c = self.config
        lines = [f"  rasa-{port}:        {url}  (HTTP API token: {self.rasa_token})"
                 for port, url in zip(c.rasa_ports, c.rasa_urls(), strict=True)]
        return "\n".join([
            "scale-out cluster is running (127.0.0.1 only):", *lines,
            f"  action server:     {c.actions_url}",
            f"  postgresql:        {HOST}:{c.pg_port} db {PG_DB} user {PG_USER} password {self.postgres.password}",
            f"  redis:             {HOST}:{c.redis_port} password {self.redis.password}",
            f"  model:             {c.model_path}",
            f"  logs:              {c.logs}/",
        ])
