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
        e = self.SQLEvent
        start = session.query(sa.func.max(e.timestamp)).filter(
            e.sender_id == sender_id, e.type_name == "session_started").scalar()
        in_session = [e.sender_id == sender_id, *([e.timestamp >= start] if start is not None else [])]
        cutoff = session.query(e.id).filter(*in_session, e.type_name == "user").order_by(
            e.id.desc()).offset(self.history_turns - 1).limit(1).scalar()
        if cutoff is None:  # fewer turns than the window: everything
            rows = session.query(e.data).filter(*in_session).order_by(e.id).all()
            return [json.loads(data) for (data,) in rows]
        before = [*in_session, e.id < cutoff]
        floor = session.query(sa.func.max(e.id)).filter(*before, e.type_name.in_(RESETS)).scalar() or 0
        carried = [floor] if floor else []
        latest_slots = session.query(sa.func.max(e.id)).filter(*before, e.id >= floor, e.type_name == "slot").group_by(
            e.action_name)
        carried += [i for (i,) in latest_slots]
        for kinds in LATEST_OF:
            found = session.query(sa.func.max(e.id)).filter(*before, e.id >= floor, e.type_name.in_(kinds)).scalar()
            carried += [found] if found else []
        rows = session.query(e.data).filter(
            e.sender_id == sender_id, sa.or_(e.id.in_(carried), sa.and_(*in_session, e.id >= cutoff))).order_by(
            e.id).all()
        return [json.loads(data) for (data,) in rows]

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Any:
        """The events not stored yet: for a tracker this store loaded, those after the ones it loaded."""
        loaded = getattr(tracker, LOADED, None)
        if loaded is None:
            return super()._additional_events(session, tracker)
        setattr(tracker, LOADED, len(tracker.events))  # the same tracker saved twice stores nothing twice
        return list(tracker.events)[loaded:]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")  # with WAL: no flush per commit, the file stays consistent
    cursor.close()
