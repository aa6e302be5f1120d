"""Rasa's SQL tracker store, loading a conversation only as far back as the policies need, with the indexes its
queries use and, on SQLite, no disk flush per turn.

Each patch with its measured reason (`make bench`, figures in README.md, section Benchmark):

- Recent turns only (TRACKER_HISTORY_TURNS, default 10; 0 loads everything as Rasa does). Rasa 3.6 loads every
  event of the latest session for every message, replays them, featurizes the whole tracker for each policy and
  sends it all to the action server: a WeChat user keeps one conversation id for ever, and the time of a message
  grew with the conversation. Our policies look back 5 turns (TEDPolicy max_history 5, MemoizationPolicy 4, rules
  shorter) and actions/next_step.py looks back to the latest step explained, so this store loads the last 10 user
  turns and, before them, only what carries state from earlier: the latest value of each slot, the active loop,
  pause/resume, the session start and a restart or slot reset (so a value from before it is not revived). A
  conversation of 500 turns then costs what one of N turns costs.
- Indexes: (sender_id, type_name, id) for the session start, the Nth-last user turn and the latest value of each
  slot (Rasa stores a slot's name in the action_name column). Rasa's own index ix_events_sender_id stays as it is
  (others rely on its name); on PostgreSQL also (sender_id, id) for the window itself.
- SQLite: WAL journal and synchronous=NORMAL. With Rasa's rollback journal every turn's commit waited for a disk
  flush inside the worker's event loop (12.6 % of a worker's time in a py-spy profile of unique messages), holding
  up every other conversation of that worker. WAL commits without a flush; after a power cut (not a crash of Rasa)
  the last turns may be missing, the file stays consistent.
- Cheaper queries (round two, py-spy on a worker answering unique messages: SQLAlchemy 17.7 -> 5.9 ms of a
  message's 70; load 4.5 -> 1.9 ms, save 6.1 -> 1.8 ms): SQLite keeps one connection per thread (SQLAlchemy 1.4
  opened, configured and closed a file connection for every session); the window's queries are plain SQL compiled
  once instead of ORM queries built at every message; a turn's events go in with one multi-row insert instead of
  an ORM object per event (the same columns as Rasa's, tests/unit/test_serving_sql_tracker_store.py).

endpoints.yml:

    tracker_store:
      type: serving.sql_tracker_store.WindowedSQLTrackerStore
      dialect: "sqlite"                # or postgresql with Rasa's SQL settings (url, port, db, username, ...)
      db: "var/rasa/tracker.db"
"""

from __future__ import annotations

import json
import logging
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

from envsettings import env_int

logger = logging.getLogger(__name__)

DEFAULT_HISTORY_TURNS = 10
LOADED = "_windowed_store_loaded"  # attribute on a tracker this store loaded: how many of its events are stored
# events whose latest occurrence before the window still matters
LATEST_OF = (("active_loop",), ("pause", "resume"))
RESETS = ("restart", "reset_slots", "session_started")


class WindowedSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, history_turns: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.history_turns = (env_int("TRACKER_HISTORY_TURNS", DEFAULT_HISTORY_TURNS, minimum=0)
                              if history_turns is None else history_turns)
        dialect = self.engine.dialect.name
        if dialect == "sqlite":
            # SQLAlchemy 1.4 opens a new SQLite connection for every session of a file database (NullPool):
            # opening, the pragmas and closing were ~3 ms of every message. One connection per thread instead.
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(url, poolclass=sa.pool.SingletonThreadPool)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA journal_mode=WAL")  # stored in the file: set once
        indexes = ["CREATE INDEX IF NOT EXISTS ix_events_sender_type_id ON events (sender_id, type_name, id)"]
        if dialect != "sqlite":  # SQLite's ix_events_sender_id already ends with the rowid, id
            indexes.append("CREATE INDEX IF NOT EXISTS ix_events_sender_id_id ON events (sender_id, id)")
        for statement in indexes:
            try:
                with self.engine.begin() as conn:
                    conn.exec_driver_sql(statement)
            except sa.exc.DBAPIError as exc:  # another worker creating it at the same moment
                logger.warning("could not create an index (%s): %s", statement, exc)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        if self.history_turns <= 0:
            return await super().retrieve(sender_id)
        with self.session_scope() as session:
            events = self._recent_events(session, sender_id)
        if not events or not self.domain:
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        setattr(tracker, LOADED, len(events))
        return tracker

    def _recent_events(self, session: Any, sender_id: str) -> list[dict[str, Any]]:
        """The latest session's events from the Nth-last user turn on, after the state carried from before it."""
        run = session.connection().execute
        start = run(_SQL.session_start, {"sender": sender_id}).scalar()
        sql = _SQL.in_session if start is not None else _SQL.whole
        params: dict[str, Any] = {"sender": sender_id, "start": start, "skip": self.history_turns - 1}
        cutoff = run(sql.cutoff, params).scalar()
        if cutoff is None:  # fewer turns than the window: everything
            return [json.loads(data) for (data,) in run(sql.everything, params)]
        params["cutoff"] = cutoff
        params["floor"] = floor = run(sql.floor, params).scalar() or 0
        carried = [floor] if floor else []
        carried += [i for (i,) in run(sql.carried, params) if i is not None]
        params["carried"] = carried or [-1]
        return [json.loads(data) for (data,) in run(sql.window, params)]

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's save (the same rows) with one multi-row insert instead of an ORM object per event."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            rows = [_row(tracker.sender_id, event) for event in self._additional_events(session, tracker)]
            if rows:
                session.execute(self.SQLEvent.__table__.insert(), rows)
            session.commit()

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Any:
        """The events not stored yet: for a tracker this store loaded, those after the ones it loaded."""
        loaded = getattr(tracker, LOADED, None)
        if loaded is None:
            return super()._additional_events(session, tracker)
        setattr(tracker, LOADED, len(tracker.events))  # the same tracker saved twice stores nothing twice
        return list(tracker.events)[loaded:]


def _row(sender_id: str, event: Any) -> dict[str, Any]:
    """The columns Rasa's SQLTrackerStore.save writes for an event (a slot's name goes into action_name)."""
    data = event.as_dict()
    return {"sender_id": sender_id, "type_name": event.type_name, "timestamp": data.get("timestamp"),
            "intent_name": ((data.get("parse_data") or {}).get("intent") or {}).get("name"),
            "action_name": data.get("name"), "data": json.dumps(data)}


def _names(kinds: tuple[str, ...]) -> str:
    return ", ".join(f"'{kind}'" for kind in kinds)


class _Window:
    """The window's statements, with or without a session start to read from (plain SQL, compiled once: building
    them with the ORM at every message cost more than running them)."""

    def __init__(self, session: str) -> None:
        where = f"sender_id = :sender{session}"
        before = f"{where} AND id < :cutoff"
        latest = " UNION ALL ".join(
            f"SELECT MAX(id) FROM events WHERE {before} AND id >= :floor AND type_name IN ({_names(kinds)})"
            for kinds in LATEST_OF)
        self.cutoff = sa.text(f"SELECT id FROM events WHERE {where} AND type_name = 'user' "
                              "ORDER BY id DESC LIMIT 1 OFFSET :skip")
        self.everything = sa.text(f"SELECT data FROM events WHERE {where} ORDER BY id")
        self.floor = sa.text(f"SELECT MAX(id) FROM events WHERE {before} AND type_name IN ({_names(RESETS)})")
        self.carried = sa.text(f"SELECT MAX(id) FROM events WHERE {before} AND id >= :floor AND type_name = 'slot' "
                               f"GROUP BY action_name UNION ALL {latest}")
        self.window = sa.text(f"SELECT data FROM events WHERE sender_id = :sender AND (id IN :carried OR "
                              f"({where} AND id >= :cutoff)) ORDER BY id").bindparams(
            sa.bindparam("carried", expanding=True))


class _Statements:
    session_start = sa.text("SELECT MAX(timestamp) FROM events WHERE sender_id = :sender "
                            "AND type_name = 'session_started'")
    in_session = _Window(" AND timestamp >= :start")
    whole = _Window("")


_SQL = _Statements()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")  # with WAL: no flush per commit, the file stays consistent
    cursor.close()
