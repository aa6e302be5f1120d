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
      type: serving.redis_lock_store.AtomicRedisLockStore
      url: ${REDIS_HOST}        # the same settings as `type: redis`
      port: ${REDIS_PORT}
      ...
"""

from __future__ import annotations

import json
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.client import Pipeline

from serving.atomic_lock_store import AtomicLockStore, Change, T


class AtomicRedisLockStore(AtomicLockStore, RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        """Rasa builds a custom lock store with `endpoint_config=`; the settings are RedisLockStore's."""
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        RedisLockStore.__init__(self, **kwargs)

    def _atomically(self, conversation_id: str, change: Change[T]) -> T:
        """WATCH the key, read and change the lock, write it in MULTI/EXEC; redis-py retries the whole function
        when another process wrote the key in between."""
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
