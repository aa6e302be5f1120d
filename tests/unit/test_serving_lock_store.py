"""serving.sqlite_lock_store: the lock store that lets one machine run several Sanic workers without Redis.

Several processes taking tickets of one conversation at the same moment must all get different numbers (Rasa's
get-change-save would hand some out twice, and two workers would then answer one conversation at once and lose a
turn); giving them back leaves no lock; Rasa accepts it for SANIC_WORKERS > 1; and Rasa's own `lock()` makes the
second message of a conversation wait for the first.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from pathlib import Path

import pytest
import yaml
from rasa.core.lock_store import LockError, LockStore
from rasa.core.utils import number_of_sanic_workers
from rasa.utils.endpoints import EndpointConfig, read_endpoint_config

from serving.sqlite_lock_store import SQLiteLockStore

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = 4
TICKETS = 40


def _store(db: Path) -> LockStore:
    return LockStore.create(EndpointConfig(type="serving.sqlite_lock_store.SQLiteLockStore", db=str(db)))


def _take(db: str, conversation: str, start: object, out: object) -> None:
    store = _store(Path(db))
    start.wait()  # type: ignore[attr-defined]
    out.put([store.issue_ticket(conversation, 120) for _ in range(TICKETS)])  # type: ignore[attr-defined]


def _give_back(db: str, conversation: str, numbers: list[int]) -> None:
    store = _store(Path(db))
    for number in numbers:
        store.cleanup(conversation, number)


def test_rasa_builds_it_from_the_endpoints_file_and_allows_several_workers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = read_endpoint_config(str(ROOT / "endpoints.yml"), "lock_store")
    assert config is not None and config.type == "serving.sqlite_lock_store.SQLiteLockStore"
    monkeypatch.setenv("SANIC_WORKERS", "2")
    assert number_of_sanic_workers(config) == 2
    monkeypatch.chdir(tmp_path)  # the file path in endpoints.yml is relative to where Rasa runs
    store = LockStore.create(config)
    assert isinstance(store, SQLiteLockStore)
    store.issue_ticket("someone")
    assert (tmp_path / yaml.safe_load((ROOT / "endpoints.yml").read_text())["lock_store"]["db"]).is_file()


def test_tickets_taken_at_once_by_several_processes_are_unique_and_all_come_back(tmp_path: Path) -> None:
    db, conversation = str(tmp_path / "locks.db"), "burst"
    ctx = multiprocessing.get_context("spawn")
    start, out = ctx.Barrier(PROCESSES), ctx.Queue()
    procs = [ctx.Process(target=_take, args=(db, conversation, start, out)) for _ in range(PROCESSES)]
    for p in procs:
        p.start()
    taken = [out.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    numbers = [n for per_process in taken for n in per_process]
    assert len(numbers) == PROCESSES * TICKETS
    assert len(set(numbers)) == len(numbers), "a ticket was handed out twice"
    lock = _store(Path(db)).get_lock(conversation)
    assert lock is not None and sorted(t.number for t in lock.tickets) == sorted(numbers)

    procs = [ctx.Process(target=_give_back, args=(db, conversation, per_process)) for per_process in taken]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert _store(Path(db)).get_lock(conversation) is None


def test_a_second_message_waits_for_the_first(tmp_path: Path) -> None:
    """Worker a holds the conversation; worker b asks for it and queues (its ticket is in the store); b gets in
    only when a lets go. Ordered by events and the store's tickets, not by sleeps."""
    first_worker, second_worker = _store(tmp_path / "locks.db"), _store(tmp_path / "locks.db")
    order: list[str] = []

    async def both() -> None:
        a_inside, a_may_leave = asyncio.Event(), asyncio.Event()

        async def a() -> None:
            async with first_worker.lock("conv", wait_time_in_seconds=0.01):
                order.append("a start")
                a_inside.set()
                await a_may_leave.wait()
                order.append("a end")

        async def b() -> None:
            await a_inside.wait()
            async with second_worker.lock("conv", wait_time_in_seconds=0.01):
                order.append("b start")
                order.append("b end")

        async def referee() -> None:
            await a_inside.wait()
            # b takes its ticket and tries the lock in one step (no await in between): once its ticket is in
            # the store, b has been turned away, or has got in, which the order below would show
            while len(first_worker.get_lock("conv").tickets) < 2 and "b start" not in order:  # type: ignore[union-attr]
                await asyncio.sleep(0.01)  # a condition polled, not a delay that orders anything
            order.append("b queued")
            a_may_leave.set()

        await asyncio.wait_for(asyncio.gather(a(), b(), referee()), timeout=30)

    asyncio.run(both())
    assert order == ["a start", "b queued", "a end", "b start", "b end"]
    assert first_worker.get_lock("conv") is None


def test_an_unusable_file_is_a_lock_error_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "locks.db").mkdir()  # a directory where the file should be
    with pytest.raises(LockError):
        _store(tmp_path / "locks.db").issue_ticket("conv")
