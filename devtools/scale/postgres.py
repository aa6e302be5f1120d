"""A throwaway PostgreSQL server for the cluster: initdb into var/scale/pg, TCP on 127.0.0.1 only (no unix
socket), password auth, no durability; run as the `postgres` user when we are root (PostgreSQL refuses root)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from devtools.process import ManagedProcess
from devtools.scale.config import HOST, PG_DB, PG_USER, ScaleConfig, ScaleError
from devtools.scale.packages import postgres_bindir

if TYPE_CHECKING:  # imported where used: `make test-scale` installs the server packages before they are needed
    from psycopg2.extensions import connection as PgConnection


class Postgres:
    def __init__(self, config: ScaleConfig, password: str, echo: Callable[[str], None]) -> None:
        self.config = config
        self.password = password
        self.echo = echo
        self.dir = config.work_dir / "pg"
        self._tmp_dir: Path | None = None

    @property
    def user(self) -> str | None:
        return "postgres" if os.geteuid() == 0 else None

    def _data_parent(self) -> Path:
        """var/scale/pg owned by the postgres user; a /tmp directory when that user cannot reach var/scale/
        (a checkout under a private home directory)."""
        user = self.user
        self.dir.mkdir(parents=True)
        if user is None:
            return self.dir
        shutil.chown(self.dir, user, user)
        probe = subprocess.run(["test", "-w", str(self.dir)], user=user, timeout=10,  # noqa: S603, S607
                               cwd="/", check=False)
        if probe.returncode == 0:
            return self.dir
        self._tmp_dir = Path(tempfile.mkdtemp(prefix="scale-pg-"))
        shutil.chown(self._tmp_dir, user, user)
        self.echo(f"the postgres user cannot write {self.dir}; using {self._tmp_dir} instead")
        return self._tmp_dir

    def start(self) -> ManagedProcess:
        """Create the data directory and start the server; ready() connects. Call create_database() once ready."""
        c = self.config
        bindir = postgres_bindir()
        if bindir is None:
            raise ScaleError("postgresql is not installed")
        parent = self._data_parent()
        data = parent / "data"
        pwfile = parent / "pwfile"
        pwfile.write_text(self.password + "\n", encoding="utf-8")
        pwfile.chmod(0o600)
        if self.user:
            shutil.chown(pwfile, self.user, self.user)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
        log_path = c.logs / "postgres.log"
        initdb = ManagedProcess(
            name="initdb", cmd=[str(bindir / "initdb"), "-D", str(data), "-U", PG_USER, f"--pwfile={pwfile}",
                                "--auth=scram-sha-256", "--encoding=UTF8", "--no-locale", "--no-sync"],
            cwd=parent, log_path=log_path, env=env, user=self.user)
        initdb.start()
        assert initdb.proc is not None
        limit = c.service_timeout * 2
        try:
            code = initdb.proc.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            initdb.stop()
            raise ScaleError(f"initdb did not finish in {limit:.0f} s:\n{initdb.log_tail()}") from None
        finally:
            pwfile.unlink(missing_ok=True)
        if code != 0:
            raise ScaleError(f"initdb failed ({code}):\n{initdb.log_tail()}")
        server = ManagedProcess(
            name="postgres", cmd=[
                str(bindir / "postgres"), "-D", str(data), "-p", str(c.pg_port),
                "-c", f"listen_addresses={HOST}", "-c", "unix_socket_directories=",  # TCP on loopback only
                "-c", "max_connections=60", "-c", "shared_buffers=32MB",
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",  # throwaway data
            ], cwd=parent, log_path=log_path, env=env, user=self.user,
            stop_signal=signal.SIGINT,  # PostgreSQL's fast shutdown
            port=c.pg_port, ready=lambda: self.ping("postgres"))
        server.start()
        return server

    def connect(self, dbname: str = PG_DB) -> PgConnection:
        import psycopg2

        return psycopg2.connect(host=HOST, port=self.config.pg_port, user=PG_USER, password=self.password,
                                dbname=dbname, connect_timeout=3)

    def ping(self, dbname: str = PG_DB) -> bool:
        import psycopg2

        try:
            self.connect(dbname).close()
            return True
        except psycopg2.OperationalError:
            return False

    def create_database(self) -> None:
        conn = self.connect("postgres")
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute(f"CREATE DATABASE {PG_DB}")
        finally:
            conn.close()
        self.echo(f"created database {PG_DB}")

    def query(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        """Run a query on the tracker database (for tests)."""
        conn = self.connect()
        try:
            with conn.cursor() as cur:
                cur.execute(sql, params)
                return list(cur.fetchall())
        finally:
            conn.close()

    def remove_data(self) -> None:
        if self._tmp_dir is not None:
            shutil.rmtree(self._tmp_dir, ignore_errors=True)
        shutil.rmtree(self.dir, ignore_errors=True)
