"""The database of the tracker store, opened once per process: its URL from the settings, an engine that waits for a
busy SQLite file instead of failing, transactions that work alike on SQLAlchemy 1.4 and 2.x."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.pool import NullPool, QueuePool

from envsettings import env_path, env_str
from stores.schema import ensure

ROOT = Path(__file__).resolve().parent.parent
CONNECT_TIMEOUT_S = 3
SQLITE_BUSY_S = 5.0  # Rasa, the action server and the web app write the same file: wait for the others' writes


def database_url(env: dict[str, str] | None = None) -> str:
    """TRACKER_STORE_URL (postgresql://user:password@host:5432/db), else the SQLite file TRACKER_DB (default
    VAR_DIR/rasa/tracker.db, as Rasa's endpoints.yml): read as the web app's settings read them."""
    url = env_str("TRACKER_STORE_URL", "", env)
    if url:
        return url
    var_dir = env_path("VAR_DIR", ROOT / "var", env)
    return sqlite_url(env_path("TRACKER_DB", var_dir / "rasa" / "tracker.db", env))


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.resolve().as_posix()}"


def is_sqlite(engine: sa.engine.Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str, pool_size: int = 2) -> sa.engine.Engine:
    """SQLite: the file's directory made if missing, a busy timeout, a connection per use (opening one costs
    microseconds, and a kept one would go on reading a file that was replaced); PostgreSQL: a small pool, a connect
    timeout, connections checked before use and renewed every ten minutes."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return sa.create_engine(url, poolclass=NullPool,
                                creator=lambda: sqlite3.connect(str(path), timeout=SQLITE_BUSY_S,
                                                                check_same_thread=False))
    connect_args = {"connect_timeout": CONNECT_TIMEOUT_S} if url.startswith("postgres") else {}
    return sa.create_engine(url, poolclass=QueuePool, pool_size=pool_size, max_overflow=0, pool_pre_ping=True,
                            pool_recycle=600, connect_args=connect_args)


def describe(engine: sa.engine.Engine) -> str:
    """The URL without its password, for logs."""
    return engine.url.render_as_string(hide_password=True)


@contextmanager
def transaction(engine: sa.engine.Engine) -> Iterator[sa.engine.Connection]:
    """One transaction: committed when the block ends, rolled back on an error (engine.begin() in both versions)."""
    with engine.begin() as conn:
        yield conn


def rows(conn: sa.engine.Connection, sql: str, **params: Any) -> list[dict[str, Any]]:
    return [dict(row) for row in conn.execute(sa.text(sql), params).mappings()]


def run(conn: sa.engine.Connection, sql: str, **params: Any) -> int:
    """Execute `sql`; the number of rows it changed."""
    return int(conn.execute(sa.text(sql), params).rowcount or 0)


class Lazy:
    """An engine made on first use, once per process (a lock: the action server's thread pool may ask at once),
    with the tables created; `reset()` for tests."""

    def __init__(self, url_of: Any = database_url) -> None:
        self._url_of = url_of
        self._engine: sa.engine.Engine | None = None
        self._lock = threading.Lock()

    def get(self) -> sa.engine.Engine:
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    engine = make_engine(self._url_of())
                    ensure(engine)
                    self._engine = engine
        return self._engine

    def reset(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
            self._engine = None
