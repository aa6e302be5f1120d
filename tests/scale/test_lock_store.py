"""The lock store that endpoints.production.yml configures, built by Rasa's own factory against the cluster's Redis:
tickets taken at the same moment by several Rasa processes (here: threads, each with its own connection) are all
different, and giving them back leaves no lock behind. Rasa Open Source's `type: redis` fails the first check."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from rasa.core.lock_store import LockStore
from rasa.utils.endpoints import read_endpoint_config

pytestmark = pytest.mark.scale
STORES = 8  # "Rasa processes", each with its own Redis connection
TICKETS = 40  # taken by each, as fast as it can


def _production_lock_store(cluster: Any, monkeypatch: pytest.MonkeyPatch) -> LockStore:
    for name, value in cluster.endpoint_env().items():
        monkeypatch.setenv(name, value)
    config = read_endpoint_config(str(cluster.config.endpoints), "lock_store")
    assert config is not None
    return LockStore.create(config)


def _each_store_at_once(work: Callable[[int], None], stores: int) -> None:
    """Run work(0) … work(stores - 1) in threads at the same time and wait for all of them."""
    threads = [threading.Thread(target=work, args=(n,), daemon=True) for n in range(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), f"{work.__name__} hung"


def test_tickets_taken_at_once_by_several_processes_are_unique(cluster: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    stores = [_production_lock_store(cluster, monkeypatch) for _ in range(STORES)]
    conversation = f"scale-lock-{uuid.uuid4().hex[:12]}"
    taken: list[list[int]] = [[] for _ in stores]
    errors: list[BaseException] = []
    start = threading.Barrier(len(stores), timeout=30)

    def take(n: int) -> None:
        try:
            start.wait()
            for _ in range(TICKETS):
                taken[n].append(stores[n].issue_ticket(conversation, 120))
        except BaseException as exc:  # reported below; a thread must not die silently
            errors.append(exc)

    _each_store_at_once(take, len(stores))
    assert not errors, errors

    numbers = [n for per_store in taken for n in per_store]
    duplicates = len(numbers) - len(set(numbers))
    assert duplicates == 0, f"{duplicates} of {len(numbers)} tickets were handed out twice ({type(stores[0]).__name__})"
    lock = stores[0].get_lock(conversation)
    assert lock is not None and sorted(t.number for t in lock.tickets) == sorted(numbers)  # none lost either

    # giving them back at the same moment: no ticket survives, and the lock is deleted with the last one
    def give_back(n: int) -> None:
        try:
            for number in taken[n]:
                stores[n].cleanup(conversation, number)
        except BaseException as exc:
            errors.append(exc)

    _each_store_at_once(give_back, len(stores))
    assert not errors, errors
    assert stores[0].get_lock(conversation) is None
