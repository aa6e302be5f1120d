"""The supervisor's restart policy, on a clock it is given and processes that die when told: a death is followed
by a restart after the backoff (doubling while deaths follow each other), at most max_restarts a minute, never for
a service stopped on purpose; a service up for a while starts its backoff afresh."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from devtools.supervise import PeriodicJob, RestartPolicy, Supervisor


@dataclass
class FakeProc:
    returncode: int | None = None

    def poll(self) -> int | None:
        return self.returncode


@dataclass
class FakeService:
    name: str
    proc: FakeProc | None = None
    starts: int = 0
    ready: bool = True
    log_path: Path = Path("/nonexistent.log")
    pid: int = 0

    def start(self) -> None:
        self.starts += 1
        self.pid += 1
        self.proc = FakeProc()

    def running(self) -> bool:
        return self.proc is not None and self.proc.returncode is None

    def is_ready(self) -> bool:
        return self.running() and self.ready

    def log_tail(self, lines: int = 25) -> str:
        return "(log)"

    def die(self, code: int = -9) -> None:
        assert self.proc is not None
        self.proc.returncode = code

    def stop(self, grace: float = 20.0) -> bool:
        return False


@dataclass
class FakeStack:
    services: dict[str, FakeService]
    lock: threading.RLock = field(default_factory=threading.RLock)
    on_hold: set[str] = field(default_factory=set)

    def held(self, name: str) -> bool:
        return name in self.on_hold


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make(policy: RestartPolicy | None = None) -> tuple[Supervisor, FakeStack, Clock, list[str]]:
    clock = Clock()
    stack = FakeStack({"rasa-1": FakeService("rasa-1"), "web": FakeService("web")})
    for service in stack.services.values():
        service.start()
    said: list[str] = []
    return Supervisor(stack, policy, echo=said.append, clock=clock), stack, clock, said  # type: ignore[arg-type]


def test_a_dead_service_is_restarted_after_the_backoff_and_reported_up_again() -> None:
    supervisor, stack, clock, said = make(RestartPolicy(backoff_start_s=1.0))
    rasa = stack.services["rasa-1"]
    rasa.die()
    supervisor.tick()
    assert rasa.starts == 1 and any("rasa-1 (pid 1) exited with code -9" in s for s in said)
    clock.now += 1.0
    rasa.ready = False
    supervisor.tick()
    assert rasa.starts == 2 and rasa.running()
    supervisor.tick()
    assert not any("up again" in s for s in said)  # still loading
    rasa.ready = True
    clock.now += 30.0
    supervisor.tick()
    assert any("rasa-1 is up again, 31.0 s after it died" in s for s in said)
    assert stack.services["web"].starts == 1  # the others were left alone


def test_backoff_doubles_while_deaths_follow_and_restarts_are_limited_per_minute() -> None:
    supervisor, stack, clock, said = make(RestartPolicy(backoff_start_s=1.0, backoff_max_s=4.0, max_restarts=3,
                                                        window_s=60.0, stable_s=60.0))
    web = stack.services["web"]
    restarted_at = []
    for _ in range(4):
        web.die()
        supervisor.tick()
        before = web.starts
        while web.starts == before:
            clock.now += 0.5
            supervisor.tick()
        restarted_at.append(clock.now)
    gaps = [b - a for a, b in zip(restarted_at, restarted_at[1:], strict=False)]
    assert gaps[:2] == [2.0, 4.0]  # 1 s, then 2 s, then 4 s of backoff (each death found within the tick)
    assert restarted_at[3] - restarted_at[0] >= 60.0  # the fourth restart waited for the minute's window
    assert any("restarted 3 times within 60 s" in s for s in said)


def test_a_service_stopped_on_purpose_is_not_restarted() -> None:
    supervisor, stack, clock, _ = make()
    stack.services["rasa-1"].die(0)
    stack.on_hold.add("rasa-1")
    for _ in range(10):
        clock.now += 5
        supervisor.tick()
    assert stack.services["rasa-1"].starts == 1


def test_stable_service_starts_its_backoff_afresh() -> None:
    supervisor, stack, clock, _ = make(RestartPolicy(backoff_start_s=1.0, stable_s=60.0))
    web = stack.services["web"]
    for _ in range(3):  # three deaths in a row: the next backoff would be 8 s
        web.die()
        supervisor.tick()
        clock.now += 10
        supervisor.tick()
    supervisor.tick()  # seen up again
    clock.now += 120  # and up for two minutes
    web.die()
    supervisor.tick()
    starts = web.starts
    clock.now += 1.0
    supervisor.tick()
    assert web.starts == starts + 1


def test_periodic_job_runs_first_after_its_delay_then_every_period() -> None:
    clock = Clock()
    job_process = FakeService("purge")
    stack = FakeStack({})
    job = PeriodicJob(job_process, every_s=100.0, first_after_s=10.0)  # type: ignore[arg-type]
    said: list[str] = []
    supervisor = Supervisor(stack, jobs=[job], echo=said.append, clock=clock)  # type: ignore[arg-type]
    supervisor.tick()
    assert job_process.starts == 0
    clock.now += 10
    supervisor.tick()
    assert job_process.starts == 1
    job_process.die(0)
    clock.now += 50
    supervisor.tick()
    assert job_process.starts == 1 and any("purge: exited with code 0" in s for s in said)
    clock.now += 50
    supervisor.tick()
    assert job_process.starts == 2
