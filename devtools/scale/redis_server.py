"""A throwaway Redis for the cluster's locks: 127.0.0.1 only, a password (kept in a mode-600 file, not on the
command line), no persistence."""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING

from devtools.process import ManagedProcess
from devtools.scale.config import HOST, ScaleConfig, ScaleError
from devtools.scale.packages import redis_server_bin

if TYPE_CHECKING:  # imported where used: `make test-scale` installs the server packages before they are needed
    import redis


class RedisServer:
    def __init__(self, config: ScaleConfig, password: str) -> None:
        self.config = config
        self.password = password
        self.dir = config.work_dir / "redis"

    def start(self) -> ManagedProcess:
        """Start the server; ready() pings it."""
        server_bin = redis_server_bin()
        if server_bin is None:
            raise ScaleError("redis-server is not installed")
        self.dir.mkdir(parents=True)
        conf = self.dir / "redis.conf"
        conf.write_text(f"requirepass {self.password}\n", encoding="utf-8")
        conf.chmod(0o600)
        port = self.config.redis_port
        server = ManagedProcess(
            name="redis", cmd=[
                server_bin, str(conf), "--bind", HOST, "--port", str(port), "--protected-mode", "yes",
                "--save", "", "--appendonly", "no", "--dir", str(self.dir), "--daemonize", "no",
            ], cwd=self.dir, log_path=self.config.logs / "redis.log",
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")}, port=port, ready=self.ping)
        server.start()
        return server

    def client(self) -> redis.Redis:
        import redis

        return redis.Redis(host=HOST, port=self.config.redis_port, password=self.password,
                           socket_timeout=3, socket_connect_timeout=3)

    def ping(self) -> bool:
        import redis

        try:
            return bool(self.client().ping())
        except redis.RedisError:
            return False

    def remove_data(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
