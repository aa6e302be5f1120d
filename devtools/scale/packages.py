"""The Debian packages the cluster runs (postgresql, redis-server): where their programs are, and installing them."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from devtools.scale.config import ScaleError

APT_PACKAGES = ("postgresql", "redis-server")


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
