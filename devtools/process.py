"""One managed process: started in its own process group with its output in a log file, checked for an early
exit, stopped by signal (SIGKILL after a grace period); plus `wait_ready`, the one bounded health poll, and
`signals_raise_interrupt`, so that SIGTERM stops what a tool started as Ctrl-C does."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TypeVar

Group = TypeVar("Group", bound="ProcessGroup")


class StackError(RuntimeError):
    """A process did not start, exited early or did not become ready in time (the message says which)."""


def _shown(cmd: Sequence[str]) -> str:
    """The command line for a log header, with the value of an --auth-token hidden."""
    return " ".join("--auth-token=***" if arg.startswith("--auth-token=") else arg for arg in cmd)


@dataclass(kw_only=True)
class ManagedProcess:
    name: str
    cmd: list[str]
    cwd: Path
    log_path: Path
    env: dict[str, str] | None = None  # None: this process's environment
    user: str | None = None  # run as this user (PostgreSQL refuses to run as root)
    stop_signal: int = signal.SIGTERM
    port: int | None = None  # the port it serves on, for the preflight check
    ready: Callable[[], bool] | None = None  # its health check; None: ready once started
    proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            log.write(f"\n==== {time.strftime('%Y-%m-%d %H:%M:%S')} starting {self.name}: {_shown(self.cmd)}\n"
                      .encode())
            log.flush()
            self.proc = subprocess.Popen(  # noqa: S603 - fixed argument lists
                self.cmd, cwd=self.cwd, env=self.env, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True, user=self.user)

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def is_ready(self) -> bool:
        return self.ready() if self.ready is not None else self.running()

    def check_alive(self) -> None:
        """Raise StackError with the end of the log when the process has exited."""
        if self.proc is not None and self.proc.poll() is not None:
            raise StackError(f"{self.name} exited with code {self.proc.returncode}; last lines of "
                             f"{self.log_path}:\n{self.log_tail()}")

    def log_tail(self, lines: int = 25) -> str:
        try:
            return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self, grace: float = 20.0) -> bool:
        """Signal the process group, SIGKILL it after `grace` s; True when it was running."""
        if not self.running():
            return False
        assert self.proc is not None
        try:
            os.killpg(self.proc.pid, self.stop_signal)
            self.proc.wait(timeout=grace)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=10)
        return True


def wait_ready(pending: Iterable[ManagedProcess], timeout: float, *, poll_interval: float = 0.5,
               watch: Iterable[ManagedProcess] = (), echo: Callable[[str], None] = print,
               verb: str = "is up") -> None:
    """Poll the processes' health checks until all pass, at most `timeout` s. A process that exits meanwhile
    (among `pending` and `watch`) fails at once with the end of its log; so does the time limit."""
    pending = list(pending)
    watched = [*pending, *(p for p in watch if p not in pending)]
    started = time.monotonic()
    while True:
        for process in watched:
            process.check_alive()
        for process in list(pending):
            if process.is_ready():
                pending.remove(process)
                echo(f"{process.name} {verb} after {time.monotonic() - started:.1f} s")
        if not pending:
            return
        if time.monotonic() - started > timeout:
            names = ", ".join(p.name for p in pending)
            tails = "\n".join(f"--- {p.name} ({p.log_path}):\n{p.log_tail()}" for p in pending)
            raise StackError(f"not healthy after {timeout:.0f} s: {names}\n{tails}")
        time.sleep(poll_interval)


class ProcessGroup:
    """Processes started together and stopped together: whatever `_start` began is stopped again when it fails
    (also on Ctrl-C); usable as a context manager."""

    def _start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def start(self: Group) -> Group:
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def __enter__(self: Group) -> Group:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


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
