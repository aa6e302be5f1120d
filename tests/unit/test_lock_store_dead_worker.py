"""A Rasa worker killed in the middle of a turn leaves its ticket in the SQLite lock store; the conversation's next
message, in another worker, must not wait for the ticket's lifetime (here an hour: it would never get through)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

from serving.sqlite_lock_store import SQLiteLockStore, process_alive

CHILD = """
import sys, time
from serving.sqlite_lock_store import SQLiteLockStore
store = SQLiteLockStore(db=sys.argv[1])
print(store.issue_ticket("citizen-1", 3600), flush=True)
time.sleep(600)
"""


def test_the_ticket_of_a_killed_worker_is_dropped(tmp_path: Path) -> None:
    db = str(tmp_path / "locks.db")
    child = subprocess.Popen([sys.executable, "-c", CHILD, db], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "0"  # the child holds ticket 0
    store = SQLiteLockStore(db=db)
    assert store.get_lock("citizen-1").is_locked(1)  # a new ticket would wait behind it
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    assert not process_alive(child.pid)

    async def next_turn() -> bool:
        async with store.lock("citizen-1", lock_lifetime=3600, wait_time_in_seconds=0.05):
            return True

    assert asyncio.run(asyncio.wait_for(next_turn(), timeout=30))
    assert store.get_lock("citizen-1") is None  # given back afterwards, nothing left behind


def test_a_living_workers_ticket_is_kept(tmp_path: Path) -> None:
    db = str(tmp_path / "locks.db")
    child = subprocess.Popen([sys.executable, "-c", CHILD, db], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "0"
        store = SQLiteLockStore(db=db)
        ticket = store.issue_ticket("citizen-1", 3600)
        store.update_lock("citizen-1")  # what a waiting worker does each second
        assert store.get_lock("citizen-1").is_locked(ticket)  # still behind the living worker's turn
    finally:
        child.kill()
        child.wait(timeout=10)
