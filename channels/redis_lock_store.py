"""Rasa's Redis lock store with atomic ticket operations: safe for several Rasa instances (and Sanic workers).

Rasa Open Source 3.6's RedisLockStore changes a conversation's ticket list with GET, change, SET. Two instances
that receive a message of the same conversation at the same moment both read the same list, both take the same
ticket number and both process their message at once; the later tracker save then drops the other turn (the
scale-out test, tests/scale, lost a turn in about a third of its 6-message bursts over two instances). Rasa Pro
ships a ConcurrentRedisLockStore for this; this class fixes it for Rasa Open Source by running every
read-change-write of a lock inside a Redis WATCH/MULTI transaction, retried when another process changed the
lock in between. The stored format and the keys are RedisLockStore's (one JSON TicketLock per conversation).

endpoints.production.yml:

    lock_store:
      type: channels.redis_lock_store.AtomicRedisLockStore
      url: ${REDIS_HOST}        # the same settings as `type: redis`
      port: ${REDIS_PORT}
      ...
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.client import Pipeline

T = TypeVar("T")
Change = Callable[[TicketLock | None], tuple[TicketLock | None, T]]


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        """Rasa builds a custom lock store with `endpoint_config=`; the settings are RedisLockStore's."""
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)

    def _atomically(self, conversation_id: str, change: Change[T]) -> T:
        """Read the lock, `change` it (None: no lock / delete it), write it back: all or nothing, retried when
        another process wrote the lock in between."""
        key = self.key_prefix + conversation_id

        def transaction(pipe: Pipeline) -> T:
            raw = pipe.get(key)  # WATCHed: executed at once
            lock = TicketLock.from_dict(json.loads(raw)) if raw else None
            new_lock, result = change(lock)
            pipe.multi()
            if new_lock is not None:
                pipe.set(key, new_lock.dumps())
            elif raw:
                pipe.delete(key)
            return result

        return self.red.transaction(transaction, key, value_from_callable=True)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def change(lock: TicketLock | None) -> tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._atomically(conversation_id, change)
        except Exception as exc:  # as RedisLockStore: the caller handles LockError
            raise LockError(f"Error while acquiring lock. Error:\n{exc}") from exc

    def update_lock(self, conversation_id: str) -> None:
        def change(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._atomically(conversation_id, change)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def change(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._atomically(conversation_id, change)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Give the ticket back and delete the lock when nobody waits, in one step (RedisLockStore checks and
        deletes separately and can delete a ticket issued in between)."""
        def change(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._atomically(conversation_id, change)
