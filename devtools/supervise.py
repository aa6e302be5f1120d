"""Supervision that heals: a service of the stack that dies is started again, with backoff, logged, and at most
RestartPolicy.max_restarts times a minute; the others keep serving meanwhile (the web app spreads requests over
the Rasa workers still up). Services stopped on purpose (Stack.stop_service, the fault tests) are left alone.
Also runs the stack's periodic jobs (the daily retention purge) as short-lived processes.

The supervisor polls; it never blocks on a service becoming ready (a Rasa worker needs a minute to load its model),
so one slow restart does not delay noticing another death.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from devtools.process import ManagedProcess


@dataclass(frozen=True)
class RestartPolicy:
    backoff_start_s: float = 1.0  # the first restart; doubled for each death in a row
    backoff_max_s: float = 30.0
    max_restarts: int = 5  # within window_s; more are put off until the oldest leaves the window
    window_s: float = 60.0
    stable_s: float = 60.0  # up this long: the next death counts as the first again


@dataclass
class _Watch:
    """What the supervisor knows of one service."""

    deaths_in_a_row: int = 0
    restarts: deque[float] = field(default_factory=deque)
    due: float | None = None  # when to start it again
    died_at: float = 0.0
    waiting_ready: bool = False
    up_since: float | None = None


@dataclass
class PeriodicJob:
    """A short-lived process started every `every_s` (first `first_after_s` after supervision starts)."""

    process: ManagedProcess
    every_s: float
    first_after_s: float = 0.0
    next_at: float = 0.0
    running: bool = False


class Supervised(Protocol):
    services: dict[str, ManagedProcess]
    lock: threading.RLock

    def held(self, name: str) -> bool: ...


class Supervisor:
    def __init__(self, stack: Supervised, policy: RestartPolicy | None = None, jobs: list[PeriodicJob] | None = None,
                 echo: Callable[[str], None] = print, clock: Callable[[], float] = time.monotonic) -> None:
        self.stack = stack
        self.policy = policy or RestartPolicy()
        self.jobs = jobs or []
        self.echo = echo
        self.clock = clock
        self.watches = {name: _Watch(up_since=clock()) for name in stack.services}
        started = clock()
        for job in self.jobs:
            job.next_at = started + job.first_after_s

    def _delay(self, watch: _Watch) -> float:
        p = self.policy
        return min(p.backoff_max_s, p.backoff_start_s * 2 ** max(0, watch.deaths_in_a_row - 1))

    def tick(self) -> None:
        """One look at every service and job."""
        for name, service in self.stack.services.items():
            with self.stack.lock:
                if self.stack.held(name):
                    self.watches[name] = _Watch(up_since=self.clock())
                    continue
                self._look_at(name, service, self.watches[name])
        for job in self.jobs:
            self._run_job(job)

    def _look_at(self, name: str, service: ManagedProcess, watch: _Watch) -> None:
        now = self.clock()
        p = self.policy
        if watch.due is None and service.proc is not None and service.proc.poll() is not None:
            if watch.up_since is not None and now - watch.up_since >= p.stable_s:
                watch.deaths_in_a_row = 0
            watch.deaths_in_a_row += 1
            watch.died_at, watch.up_since, watch.waiting_ready = now, None, False
            watch.due = now + self._delay(watch)
            self.echo(f"supervisor: {name} (pid {service.pid}) exited with code {service.proc.returncode}; "
                      f"restarting in {watch.due - now:.0f} s. Last lines of {service.log_path}:\n"
                      f"{service.log_tail(5)}")
        if watch.due is not None and now >= watch.due:
            while watch.restarts and now - watch.restarts[0] > p.window_s:
                watch.restarts.popleft()
            if len(watch.restarts) >= p.max_restarts:
                watch.due = watch.restarts[0] + p.window_s
                self.echo(f"supervisor: {name} restarted {len(watch.restarts)} times within {p.window_s:.0f} s; "
                          f"next try in {watch.due - now:.0f} s")
                return
            watch.restarts.append(now)
            watch.due = None
            service.start()
            watch.waiting_ready = True
            self.echo(f"supervisor: restarted {name} (pid {service.pid}), restart {len(watch.restarts)} within "
                      f"{p.window_s:.0f} s")
        elif watch.waiting_ready and service.running() and service.is_ready():
            watch.waiting_ready, watch.up_since = False, now
            self.echo(f"supervisor: {name} is up again, {now - watch.died_at:.1f} s after it died")

    def _run_job(self, job: PeriodicJob) -> None:
        now = self.clock()
        if job.running and not job.process.running():
            job.running = False
            code = job.process.proc.returncode if job.process.proc is not None else None
            last = job.process.log_tail(1).strip()
            self.echo(f"{job.process.name}: exited with code {code}: {last}")
        if not job.running and now >= job.next_at:
            job.next_at = now + job.every_s
            job.process.start()
            job.running = True

    def run(self, stop: threading.Event, poll_s: float = 1.0) -> None:
        """Tick until `stop` is set."""
        while not stop.wait(poll_s):
            self.tick()

    def stop_jobs(self) -> None:
        for job in self.jobs:
            job.process.stop(grace=10.0)
