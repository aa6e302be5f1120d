"""Deleting one conversation from Rasa's tracker store (WeChat's `unsubscribe`: the user left the account).

Rasa Open Source 3.6 has no delete in its TrackerStore API, so this reaches the store behind Rasa's wrappers
(FailSafeTrackerStore, AwaitableTrackerStore) and deletes the way each store keeps conversations: the SQL store's
rows of table `events` (SQLite or PostgreSQL), the in-memory dict, the Redis key. Done under the conversation's
lock, so a turn of the same user still running is not half deleted.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.core.tracker_store import InMemoryTrackerStore, RedisTrackerStore, SQLTrackerStore, TrackerStore

logger = logging.getLogger(__name__)


def innermost(store: TrackerStore) -> TrackerStore:
    seen = 0
    while hasattr(store, "_tracker_store") and seen < 5:
        store = store._tracker_store  # noqa: SLF001 - Rasa's wrappers keep the real store here
        seen += 1
    return store


def _delete(store: TrackerStore, sender_id: str) -> bool:
    if isinstance(store, SQLTrackerStore):
        with store.session_scope() as session:
            session.query(store.SQLEvent).filter(store.SQLEvent.sender_id == sender_id).delete()
            session.commit()
        return True
    if isinstance(store, InMemoryTrackerStore):
        store.store.pop(sender_id, None)
        return True
    if isinstance(store, RedisTrackerStore):
        store.red.delete(store.key_prefix + sender_id)
        return True
    return False


async def delete_conversation(agent: Any, sender_id: str) -> bool:
    """True when the store could delete (also when there was nothing to delete)."""
    store = innermost(agent.tracker_store)
    async with agent.lock_store.lock(sender_id):
        deleted = _delete(store, sender_id)  # in the loop, as Rasa's own store calls are (no thread hop)
    if not deleted:
        logger.warning("cannot delete a conversation from a %s: left in place", type(store).__name__)
    return deleted
