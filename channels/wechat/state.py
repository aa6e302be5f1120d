"""What the channel remembers between requests, in a database every Rasa worker process shares.

Rasa runs SANIC_WORKERS processes, and WeChat's retry of a message may reach another one than the first try, so
the dedupe, each user's last numbered menu and replies still to be delivered cannot live in a process. They live
in SQLite next to the tracker store (var/rasa/wechat.db), or in PostgreSQL when WECHAT_STATE_URL names one
(several machines). The same SQL runs on both (`INSERT ... ON CONFLICT`, SQLite 3.24+). Users are stored by the
channel's keyed hash of the OpenID, never the OpenID itself.

All methods block (short statements); the channel calls them through asyncio.to_thread.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

KEEP_MESSAGES_S = 2 * 24 * 3600  # WeChat retries within 15 s; two days is plenty for the dedupe
KEEP_USERS_S = 30 * 24 * 3600
PRUNE_EVERY_S = 600.0

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS wechat_messages (msg_key TEXT PRIMARY KEY, created DOUBLE PRECISION NOT NULL, "
    "state TEXT NOT NULL, reply TEXT)",
    "CREATE TABLE IF NOT EXISTS wechat_users (user_id TEXT PRIMARY KEY, menu TEXT, menu_at DOUBLE PRECISION, "
    "outbox TEXT, seen DOUBLE PRECISION NOT NULL)",
)

# states of a message: being answered / answered passively (reply kept for a retry) / answered "success" and
# delivered otherwise (customer-service API or with the user's next message) / handled without a reply
WORKING, PASSIVE, PUSHED, DONE = "working", "passive", "pushed", "done"


class ChannelState:
    def __init__(self, url: str) -> None:
        self.url = url
        self._engine: Engine | None = None
        self._pid = 0
        self._guard = threading.Lock()
        self._last_prune = 0.0

    def _db(self) -> Engine:
        """One engine (a small connection pool) per process, made on first use: a pool must not cross a fork."""
        with self._guard:
            if self._engine is None or self._pid != os.getpid():
                self._engine = self._create()
                self._pid = os.getpid()
            return self._engine

    def _create(self) -> Engine:
        url = sa.engine.make_url(self.url)
        kwargs: dict[str, Any] = {"pool_size": 2, "max_overflow": 4, "pool_pre_ping": True}
        if url.get_backend_name() == "sqlite":
            if url.database and url.database != ":memory:":
                Path(url.database).parent.mkdir(parents=True, exist_ok=True)
            kwargs.update(poolclass=sa.pool.QueuePool, connect_args={"timeout": 10, "check_same_thread": False})
            kwargs.pop("pool_pre_ping")
        engine = sa.create_engine(url, future=True, **kwargs)
        for statement in SCHEMA:
            try:
                with engine.begin() as conn:
                    conn.execute(sa.text(statement))
            except (IntegrityError, ProgrammingError, OperationalError):
                # another worker created it at the same moment (PostgreSQL's IF NOT EXISTS can still collide)
                with engine.begin() as conn:
                    conn.execute(sa.text(statement))
        return engine

    def _run(self, sql: str, **params: Any) -> int:
        """Runs one statement in its own transaction; the number of rows it changed."""
        with self._db().begin() as conn:
            return conn.execute(sa.text(sql), params).rowcount

    def _first(self, sql: str, **params: Any) -> Any:
        """The first row of a query (read before the connection goes back to the pool), or None."""
        with self._db().begin() as conn:
            return conn.execute(sa.text(sql), params).first()

    # ---- dedupe ----

    def claim(self, key: str) -> bool:
        """True for the first delivery of a message (this call claims it), False for WeChat's retries."""
        now = time.time()
        self._maybe_prune(now)
        result = self._run("INSERT INTO wechat_messages (msg_key, created, state) VALUES (:k, :t, :s) "
                           "ON CONFLICT (msg_key) DO NOTHING", k=key, t=now, s=WORKING)
        return result == 1

    def finish(self, key: str, state: str, reply: str | None = None) -> None:
        self._run("UPDATE wechat_messages SET state = :s, reply = :r WHERE msg_key = :k", s=state, r=reply, k=key)

    def lookup(self, key: str) -> tuple[str, str | None] | None:
        row = self._first("SELECT state, reply FROM wechat_messages WHERE msg_key = :k", k=key)
        return (row[0], row[1]) if row else None

    def _maybe_prune(self, now: float) -> None:
        if now - self._last_prune < PRUNE_EVERY_S:
            return
        self._last_prune = now
        self._run("DELETE FROM wechat_messages WHERE created < :t", t=now - KEEP_MESSAGES_S)
        self._run("DELETE FROM wechat_users WHERE seen < :t", t=now - KEEP_USERS_S)

    # ---- per user: the last menu, replies not yet delivered ----

    def save_menu(self, user: str, menu: list[dict[str, str]]) -> None:
        now = time.time()
        self._run("INSERT INTO wechat_users (user_id, menu, menu_at, seen) VALUES (:u, :m, :t, :t) "
                  "ON CONFLICT (user_id) DO UPDATE SET menu = excluded.menu, menu_at = excluded.menu_at, "
                  "seen = excluded.seen", u=user, m=json.dumps(menu, ensure_ascii=False) if menu else None, t=now)

    def load_menu(self, user: str, ttl: float) -> list[dict[str, str]]:
        row = self._first("SELECT menu, menu_at FROM wechat_users WHERE user_id = :u", u=user)
        if not row or not row[0] or row[1] is None or time.time() - row[1] > ttl:
            return []
        return list(json.loads(row[0]))

    def add_outbox(self, user: str, text: str) -> None:
        """Keeps a reply that could not be delivered; it goes out with the user's next message."""
        now = time.time()
        with self._db().begin() as conn:
            row = conn.execute(sa.text("SELECT outbox FROM wechat_users WHERE user_id = :u"), {"u": user}).first()
            pending = [row[0], text] if row and row[0] else [text]
            conn.execute(sa.text(
                "INSERT INTO wechat_users (user_id, outbox, seen) VALUES (:u, :o, :t) "
                "ON CONFLICT (user_id) DO UPDATE SET outbox = excluded.outbox, seen = excluded.seen"),
                {"u": user, "o": "\n\n".join(pending), "t": now})

    def take_outbox(self, user: str) -> str:
        """The undelivered replies of a user, removed; two workers cannot both take them (compare-and-set)."""
        row = self._first("SELECT outbox FROM wechat_users WHERE user_id = :u", u=user)
        if not row or not row[0]:
            return ""
        taken = self._run("UPDATE wechat_users SET outbox = NULL WHERE user_id = :u AND outbox = :o",
                          u=user, o=row[0])
        return row[0] if taken == 1 else ""

    def forget(self, user: str) -> None:
        self._run("DELETE FROM wechat_users WHERE user_id = :u", u=user)
        self._run("DELETE FROM wechat_messages WHERE msg_key LIKE :m OR msg_key LIKE :e",
                  m=f"msg:{user}:%", e=f"event:{user}:%")

    def close(self) -> None:
        with self._guard:
            if self._engine is not None and self._pid == os.getpid():
                self._engine.dispose()
            self._engine = None
