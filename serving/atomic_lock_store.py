"""Ticket locks whose every read-change-write is one atomic step, whatever the storage.

Rasa's LockStore changes a conversation's TicketLock with get, change, save. Within one process that is safe (one
event loop, no await in between); across processes (Sanic workers, Rasa instances) two of them can read the same
lock, take the same ticket and process one conversation at once, and the later tracker save drops a turn.
Subclasses provide `_atomically`: a transaction in their storage.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore

T = TypeVar("T")
# Gets the stored lock (None: there is none) and returns the lock to store (None: delete it) and a result.
Change = Callable[[TicketLock | None], tuple[TicketLock | None, T]]


class AtomicLockStore(LockStore, ABC):
    @abstractmethod
    def _atomically(self, conversation_id: str, change: Change[T]) -> T:
        """Read the conversation's lock, apply `change`, write the result back: all or nothing."""

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def change(lock: TicketLock | None) -> tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._atomically(conversation_id, change)
        except Exception as exc:  # as Rasa's stores: the caller handles LockError
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
        """Give the ticket back and delete the lock when nobody waits, in one step (Rasa checks and deletes
        separately and can delete a ticket issued in between)."""
        def change(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._atomically(conversation_id, change)
