"""What a run started, recorded in a file, so that the next run can stop it when that run was killed (SIGKILL
leaves no chance to clean up) without ever touching a process it did not start."""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from devtools.process import ManagedProcess


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def settled_cmdline(pid: int, timeout: float = 2.0) -> str:
    """The command line of a process just started: empty for a moment while it execs."""
    deadline = time.monotonic() + timeout
    while not (line := cmdline(pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return line


class PidFile:
    """A JSON file naming this run's own process and the processes it started, each with its command line."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def record(self, processes: Iterable[ManagedProcess]) -> None:
        entries = [{"pid": p.pid, "cmdline": settled_cmdline(p.pid)} for p in processes if p.pid is not None]
        owner = {"pid": os.getpid(), "cmdline": cmdline(os.getpid())}
        self.path.write_text(json.dumps({"owner": owner, "procs": entries}), encoding="utf-8")

    def reap(self, echo: Callable[[str], None]) -> None:
        """Stop the processes an earlier run recorded when that run is gone, and only pids that still run the
        recorded command line; a run still going is left alone (the port check then reports the clash)."""
        try:
            recorded = json.loads(self.path.read_text(encoding="utf-8"))
            owner, entries = recorded["owner"], recorded["procs"]
        except (OSError, ValueError, KeyError, TypeError):
            return
        if cmdline(int(owner["pid"])) == owner["cmdline"]:
            return
        for entry in reversed(entries):
            pid, line = int(entry["pid"]), entry["cmdline"]
            if line and cmdline(pid) == line:
                echo(f"stopping pid {pid} left over by an earlier run: {line[:80]}")
                try:
                    os.killpg(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                deadline = time.monotonic() + 10
                while cmdline(pid) == line and time.monotonic() < deadline:
                    time.sleep(0.2)
        self.remove()

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)
