"""A lock store in a SQLite file: lets one machine run several Sanic workers (SANIC_WORKERS) without Redis.

Rasa serves a conversation one message at a time with a ticket lock. Its in-memory lock store lives in one
process, so Rasa refuses more than one worker with it; this store keeps the locks in a file all workers open, and
changes a lock in one `BEGIN IMMEDIATE` transaction (SQLite's write lock), so two workers can never take the same
ticket. Several machines: use serving.redis_lock_store.AtomicRedisLockStore (endpoints.production.yml).

A worker killed in the middle of a turn (kill -9, the OOM killer) never gives its ticket back, and Rasa would make
the conversation's next message wait for the ticket's lifetime (TICKET_LOCK_LIFETIME, 60 s): longer than the REST
channel's turn timeout, so that message would get the apology and be lost. So each ticket's process is recorded,
and a waiting worker drops the tickets of processes that no longer exist when it next checks (Rasa checks once a
second). Process ids mean something on one machine only, which is where this store is used.

endpoints.yml:

    lock_store:
      type: serving.sqlite_lock_store.SQLiteLockStore
      db: var/rasa/locks.db        # relative to where Rasa runs; the folder is created
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME
from rasa.utils.endpoints import EndpointConfig

from serving.atomic_lock_store import AtomicLockStore, Change, T

logger = logging.getLogger(__name__)

DEFAULT_DB = "var/rasa/locks.db"
BUSY_TIMEOUT_S = 10.0  # how long a worker waits for another one's transaction (each takes well under 1 ms)


class SQLiteLockStore(AtomicLockStore):
    def __init__(self, endpoint_config: EndpointConfig | None = None, db: str = DEFAULT_DB,
                 timeout: float = BUSY_TIMEOUT_S, **_: Any) -> None:
        if endpoint_config is not None:
            db = str(endpoint_config.kwargs.get("db", db))
            timeout = float(endpoint_config.kwargs.get("timeout", timeout))
        self.path = Path(db)
        self.timeout = timeout
        self._conn: sqlite3.Connection | None = None
        self._pid = 0
        self._guard = threading.Lock()
        super().__init__()

    def _connection(self) -> sqlite3.Connection:
        """One connection per process, opened on first use (a connection must not cross a fork)."""
        if self._conn is None or self._pid != os.getpid():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False)
            self._retry_while_locked(lambda: conn.execute("PRAGMA journal_mode=WAL"))  # readers never wait
            conn.execute("PRAGMA synchronous=NORMAL")  # locks are short-lived: no fsync per change
            conn.execute("CREATE TABLE IF NOT EXISTS locks (conversation_id TEXT PRIMARY KEY, lock TEXT NOT NULL)")
            conn.execute("CREATE TABLE IF NOT EXISTS ticket_owners (conversation_id TEXT NOT NULL, "
                         "ticket INTEGER NOT NULL, pid INTEGER NOT NULL, PRIMARY KEY (conversation_id, ticket))")
            self._conn, self._pid = conn, os.getpid()
        return self._conn

    def _retry_while_locked(self, statement: Callable[[], object]) -> None:
        """Switching a new file to WAL needs it to itself and SQLite does not wait for that (no busy timeout): when
        several workers open the file at the same moment, all but one are told "database is locked"."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                statement()
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)  # once per process, at its first lock

    def _atomically(self, conversation_id: str, change: Change[T]) -> T:
        with self._guard:  # sqlite3 connections are not for concurrent use by threads
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                old_lock = self._read(conn, conversation_id)
                new_lock, result = change(old_lock)
                if new_lock is not None:
                    conn.execute("INSERT OR REPLACE INTO locks (conversation_id, lock) VALUES (?, ?)",
                                 (conversation_id, new_lock.dumps()))
                elif old_lock is not None:
                    conn.execute("DELETE FROM locks WHERE conversation_id = ?", (conversation_id,))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            return result

    @staticmethod
    def _read(conn: sqlite3.Connection, conversation_id: str) -> TicketLock | None:
        row = conn.execute("SELECT lock FROM locks WHERE conversation_id = ?", (conversation_id,)).fetchone()
        return TicketLock.from_dict(json.loads(row[0])) if row else None

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        with self._guard:
            return self._read(self._connection(), conversation_id)

    def save_lock(self, lock: TicketLock) -> None:
        self._atomically(lock.conversation_id, lambda _old: (lock, None))

    def delete_lock(self, conversation_id: str) -> None:
        self._atomically(conversation_id, lambda _old: (None, None))

    # ---- tickets of processes that died -------------------------------------------------------------------

    def _execute(self, sql: str, args: tuple[object, ...]) -> list[tuple[Any, ...]]:
        with self._guard:
            return self._connection().execute(sql, args).fetchall()

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        ticket = super().issue_ticket(conversation_id, lock_lifetime)
        self._execute("INSERT OR REPLACE INTO ticket_owners (conversation_id, ticket, pid) VALUES (?, ?, ?)",
                      (conversation_id, ticket, os.getpid()))
        return ticket

    def update_lock(self, conversation_id: str) -> None:
        """Expired tickets go (as in Rasa), and so do the tickets of processes that died."""
        owners = self._execute("SELECT ticket, pid FROM ticket_owners WHERE conversation_id = ?", (conversation_id,))
        dead = [ticket for ticket, pid in owners if not process_alive(pid)]

        def change(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_expired_tickets()
                for ticket in dead:
                    lock.remove_ticket_for(ticket)
            return lock, None

        self._atomically(conversation_id, change)
        for ticket in dead:
            logger.warning("conversation lock: ticket %s of a process that died dropped", ticket)
            self._forget_owner(conversation_id, ticket)

    def _forget_owner(self, conversation_id: str, ticket: int) -> None:
        self._execute("DELETE FROM ticket_owners WHERE conversation_id = ? AND ticket = ?", (conversation_id, ticket))

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        super().finish_serving(conversation_id, ticket_number)
        self._forget_owner(conversation_id, ticket_number)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        super().cleanup(conversation_id, ticket_number)
        self._forget_owner(conversation_id, ticket_number)


def process_alive(pid: int) -> bool:
    """Whether process `pid` runs on this machine (a zombie, killed but not yet reaped by its parent, does not)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")
