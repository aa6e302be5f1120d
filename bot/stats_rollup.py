"""The dashboard's incremental rollup of Rasa's `events`: daily counts and the poorly answered questions.

Why a rollup: a year is about a million events, and what the dashboard shows (confidence, entities, the text) sits
in each event's JSON. Parsing that on every request takes seconds; the rollup parses each event once. A
watermark (stats_state.last_id) records the last event id counted; each refresh reads the events after it in id
order (the primary key: no other index needed), adds their counts to stats_daily and moves the watermark in the
same transaction, guarded by `WHERE last_id = <the value read>`. Two web apps refreshing at once: one moves it,
the other finds 0 rows updated and rolls back, so nothing is counted twice.

Events are only counted once they are SETTLE_S old: with several Rasa instances on PostgreSQL an event can be
committed after one with a higher id, and would be skipped by a watermark that had already passed it.

Each poorly answered question is kept (masked) with its group of near-duplicates (bot/stats_groups.py), given
here in event order; a process learns the groups other processes gave before it counts the next batch. Counts are
anonymous and stay when a conversation is deleted; its questions go with it: POST /api/forget deletes them
(stores.forget) and the background refresh purges those whose events are gone (a WeChat unsubscribe). A different
threshold or rollup version rebuilds everything (stats_state.config); so does an `events` table that shrank below
the watermark (emptied, replaced). The tables are defined with the assistant's others in stores/schema.py.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bot.privacy import mask_pii
from bot.stats_groups import SIMILARITY, Grouper, compact
from bot.tracker import FALLBACK_INTENTS
from bot.validation import CONSOLE_SENDER_PREFIX
from stores.schema import ensure, has_table

log = logging.getLogger(__name__)

CHINA_TIME = timezone(timedelta(hours=8), "UTC+8")  # the days of the dashboard: China has one zone, no DST
VERSION = "1"
BATCH = 5000
SETTLE_S = 30.0
MAX_TEXT = 300
PLACE_ENTITY = "location"
PLACE_SLOTS = frozenset({"location", "insured_place", "residence_place"})
MAX_TURNS = 50_000  # senders whose current turn's places are remembered (to count a place once per turn)
SERIES = ("questions", "sessions", "fallback", "low")  # per-day metrics; "intent" and "place" have items

READ = sa.text("SELECT id, sender_id, type_name, timestamp, CASE WHEN type_name IN ('user', 'slot') THEN data END, "
               "action_name FROM events WHERE id > :last ORDER BY id LIMIT :batch")
UPSERT = sa.text("INSERT INTO stats_daily (day, metric, item, n) VALUES (:day, :metric, :item, :n) "
                 "ON CONFLICT (day, metric, item) DO UPDATE SET n = stats_daily.n + excluded.n")
ADD_TEXT = sa.text("INSERT INTO stats_unanswered (event_id, sender_id, day, text, folded, grp) "
                   "VALUES (:id, :sender, :day, :text, :folded, :grp) ON CONFLICT (event_id) DO NOTHING")
GROUPED = sa.text("SELECT event_id, folded, grp FROM stats_unanswered WHERE event_id > :after AND event_id <= :upto "
                  "ORDER BY event_id")
PURGE = sa.text("DELETE FROM stats_unanswered WHERE NOT EXISTS "
                "(SELECT 1 FROM events e WHERE e.id = stats_unanswered.event_id)")
TURN = sa.text("SELECT type_name, action_name, data FROM events WHERE sender_id = :sender AND id < :id "
               "AND type_name IN ('user', 'session_started', 'slot') AND id >= COALESCE((SELECT max(id) FROM events "
               "WHERE sender_id = :sender AND type_name IN ('user', 'session_started') AND id < :id), :id) ORDER BY id")
NEXT = sa.text("SELECT timestamp FROM events WHERE id > :last ORDER BY id LIMIT 1")
MOVE = sa.text("UPDATE stats_state SET last_id = :new WHERE name = 'events' AND last_id = :old AND config = :config")


@lru_cache(maxsize=4096)
def _day_number(number: int) -> str:
    return datetime.fromtimestamp(number * 86400, timezone.utc).date().isoformat()


def day_of(timestamp: float) -> str:
    """YYYY-MM-DD of a POSIX timestamp in China time."""
    return _day_number(int((timestamp + 8 * 3600) // 86400))


class PlaceNames:
    """A place as the knowledge base names it ('珲春' -> '珲春市'), the words themselves where it knows none."""

    def __init__(self) -> None:
        self._cache: dict[str, str] = {}

    def __call__(self, value: str) -> str:
        value = value.strip()[:50]
        if value not in self._cache:
            if len(self._cache) > 20_000:
                self._cache.clear()
            self._cache[value] = self._lookup(value)
        return self._cache[value]

    @staticmethod
    def _lookup(value: str) -> str:
        try:
            import offices_kb  # the knowledge base loads once, on the first place (the web app starts without it)
            found = offices_kb.mentions(value)
        except Exception as exc:  # noqa: BLE001 - a broken knowledge base must not stop the counting
            log.debug("place %r not looked up: %s", value, exc)
            return value
        found = [m for m in found if m.in_jilin] or found  # 朝阳: 长春's 朝阳区 rather than 辽宁's 朝阳市
        return found[-1].place if found else value  # the last is the most specific: 长春朝阳区 -> 朝阳区


@dataclass
class Delta:
    """What one batch of events adds."""

    counts: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    texts: list[dict[str, Any]] = field(default_factory=list)


def _parse(raw: Any) -> dict[str, Any]:
    try:
        data = json.loads(raw) if raw else {}
    except (TypeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _entity_places(data: dict[str, Any]) -> list[str]:
    parse = data.get("parse_data") if isinstance(data.get("parse_data"), dict) else {}
    entities = parse.get("entities") if isinstance(parse.get("entities"), list) else []
    values = [e.get("value") for e in entities if isinstance(e, dict) and e.get("entity") == PLACE_ENTITY]
    return [v for v in values if isinstance(v, str) and v.strip()]


def _slot_place(data: dict[str, Any]) -> list[str]:
    value = data.get("value")
    return [value] if isinstance(value, str) and value.strip() else []


TurnEvents = Callable[[str, int], Sequence[Sequence[Any]]]  # (sender, event id) -> (type, name, data) of its turn


class Counting:
    """Turns events into counts. A place counts once per turn: named in a message and then set in a slot, or set
    in two slots. Slots set at a session's start (Rasa carries them over) are not a place asked about. What a turn
    holds is remembered per sender; where it is not (a turn begun in a batch another process counted), it is
    read back from the events (`turn_events`), so the counts do not depend on who counted which batch."""

    def __init__(self, threshold: float, place_name: Callable[[str], str], grouper: Grouper,
                 turn_events: TurnEvents) -> None:
        self.threshold = threshold
        self.place_name = place_name
        self.grouper = grouper
        self.turn_events = turn_events
        self.turn_places: dict[str, set[str] | None] = {}  # None: a session started, no message yet

    def add(self, delta: Delta, row: Sequence[Any]) -> None:
        event_id, sender, kind, timestamp, raw, action_name = row
        sender = str(sender)
        if timestamp is None or sender.lower().startswith(CONSOLE_SENDER_PREFIX):
            return
        day = day_of(float(timestamp))
        if kind == "session_started":
            delta.counts[(day, "sessions", "")] += 1
            self._turn(sender, None)
        elif kind == "user":
            data = _parse(raw)
            self._question(delta, event_id, sender, day, data)
            self._turn(sender, set())
            self._places(delta, sender, day, _entity_places(data))
        elif kind == "slot" and action_name in PLACE_SLOTS:
            if sender not in self.turn_places:
                self._turn(sender, self._replayed(sender, event_id))
            self._places(delta, sender, day, _slot_place(_parse(raw)))

    def _turn(self, sender: str, places: set[str] | None) -> None:
        if sender not in self.turn_places and len(self.turn_places) >= MAX_TURNS:
            self.turn_places.clear()  # forgotten turns are read back from the events when needed
        self.turn_places[sender] = places

    def _replayed(self, sender: str, event_id: int) -> set[str] | None:
        places: set[str] | None = set()
        for kind, name, raw in self.turn_events(sender, event_id):
            if kind == "session_started":
                places = None
            elif kind == "user":
                places = {self.place_name(v) for v in _entity_places(_parse(raw))}
            elif places is not None and name in PLACE_SLOTS:
                places.update(self.place_name(v) for v in _slot_place(_parse(raw)))
        return places

    def _question(self, delta: Delta, event_id: int, sender: str, day: str, data: dict[str, Any]) -> None:
        text = data.get("text")
        if not isinstance(text, str) or not text.strip() or text.startswith("/"):
            return  # button payloads are choices, not questions (a place they carry still counts)
        parse = data.get("parse_data") if isinstance(data.get("parse_data"), dict) else {}
        intent = parse.get("intent") if isinstance(parse.get("intent"), dict) else {}
        name = str(intent.get("name") or "")
        try:
            confidence = float(intent.get("confidence") or 0.0)
        except (TypeError, ValueError):
            confidence = 0.0
        delta.counts[(day, "questions", "")] += 1
        delta.counts[(day, "intent", name)] += 1
        poor = "fallback" if name in FALLBACK_INTENTS else "low" if confidence < self.threshold else ""
        if poor:
            delta.counts[(day, poor, "")] += 1
            shown = mask_pii(text.strip())[:MAX_TEXT]  # the one place the dashboard masks: all it shows is from here
            key = compact(shown)
            if key:
                delta.texts.append({"id": event_id, "sender": sender, "day": day, "text": shown, "folded": key,
                                    "grp": self.grouper.assign(key, event_id)})

    def _places(self, delta: Delta, sender: str, day: str, values: list[str]) -> None:
        seen = self.turn_places.get(sender)
        if seen is None:
            return  # slots carried over into a new session
        for value in values:
            place = self.place_name(value)
            if place not in seen:
                seen.add(place)
                delta.counts[(day, "place", place)] += 1


@dataclass(frozen=True)
class Progress:
    last_id: int  # the last event counted
    max_id: int  # the newest event in the store
    complete: bool  # nothing left to count but events younger than the settle time


class Rollup:
    """Keeps the stats tables up to date with `events` (one per web-app process, on the engine of the assistant's
    own tables: bot.records)."""

    def __init__(self, engine: Engine, threshold: float, place_name: Callable[[str], str] | None = None,
                 settle_s: float = SETTLE_S, batch: int = BATCH) -> None:
        self.engine = engine
        self.config = f"v{VERSION} threshold={threshold:g} similarity={SIMILARITY:g}"
        self.grouper = Grouper()
        self.grouped_to = 0  # the watermark the grouper knows the groups up to
        self.counting = Counting(threshold, place_name or PlaceNames(), self.grouper, self._turn_events)
        self.settle_s = settle_s
        self.batch = batch
        self.ready = False

    def _ensure(self) -> bool:
        """Creates the tables once; False while there is no `events` table (Rasa has not run yet)."""
        if self.ready:
            return True
        if not has_table(self.engine, "events"):
            return False
        ensure(self.engine)
        with self.engine.connect() as conn:
            conn.execute(sa.text("INSERT INTO stats_state (name, last_id, config) VALUES ('events', 0, :config) "
                                 "ON CONFLICT (name) DO NOTHING"), {"config": self.config})
            conn.commit()
        self.ready = True
        return True

    def _state(self, conn: Connection) -> tuple[int, int]:
        """(watermark, newest event id); starts over when the rollup is stale or `events` shrank below it."""
        last_id, config = conn.execute(sa.text("SELECT last_id, config FROM stats_state WHERE name = 'events'")).one()
        max_id = int(conn.execute(sa.text("SELECT max(id) FROM events")).scalar() or 0)
        if config == self.config and max_id >= last_id:
            return int(last_id), max_id
        reset = sa.text("UPDATE stats_state SET last_id = 0, config = :config "
                        "WHERE name = 'events' AND last_id = :old AND config = :old_config")
        if conn.execute(reset, {"config": self.config, "old": last_id, "old_config": config}).rowcount == 1:
            conn.execute(sa.text("DELETE FROM stats_daily"))
            conn.execute(sa.text("DELETE FROM stats_unanswered"))
            conn.commit()
            log.info("stats rollup started over (was %s up to event %d; events now end at %d)", config, last_id,
                     max_id)
        else:
            conn.rollback()  # another process started over meanwhile
        return self._state(conn)

    def progress(self, allowed_lag_s: float | None = None) -> Progress:
        """Where the rollup is; complete when the first event not counted is younger than `allowed_lag_s`
        (default: the settle time)."""
        if not self._ensure():
            return Progress(0, 0, True)
        lag = self.settle_s if allowed_lag_s is None else allowed_lag_s
        with self.engine.connect() as conn:
            last_id, max_id = self._state(conn)
            if last_id >= max_id:
                return Progress(last_id, max_id, True)
            following = conn.execute(NEXT, {"last": last_id}).scalar()
        return Progress(last_id, max_id, following is not None and following > time.time() - lag)

    def refresh(self, deadline: float | None = None, stop: Callable[[], bool] = lambda: False) -> Progress:
        """Counts new events in batches until done, `deadline` (time.monotonic()) passes or `stop()`."""
        if not self._ensure():
            return Progress(0, 0, True)
        while True:
            settled = time.time() - self.settle_s
            with self.engine.connect() as conn:
                last_id, max_id = self._state(conn)
                rows = conn.execute(READ, {"last": last_id, "batch": self.batch}).all() if max_id > last_id else []
                if rows:
                    self._catch_up_groups(conn, last_id)
            delta, new_last = Delta(), last_id
            for row in rows:
                if row[3] is not None and row[3] > settled:
                    break  # not settled yet: this one and the rest wait for the next refresh
                self.counting.add(delta, row)
                new_last = row[0]
            if new_last == last_id:  # nothing new, or nothing settled yet
                return Progress(last_id, max_id, True)
            self._write(delta, last_id, new_last)
            if len(rows) < self.batch or new_last != rows[-1][0] or stop() \
                    or (deadline is not None and time.monotonic() > deadline):
                return self.progress()

    def _turn_events(self, sender: str, event_id: int) -> Sequence[Sequence[Any]]:
        """The events of `sender`'s turn before `event_id`, from its message (or session start) on."""
        with self.engine.connect() as conn:
            return conn.execute(TURN, {"sender": sender, "id": event_id}).all()

    def _forget_memory(self) -> None:
        """What this process remembers may be wrong (a batch rolled back, rows purged): learn it again."""
        self.grouper.clear()
        self.grouped_to = 0
        self.counting.turn_places.clear()

    def _catch_up_groups(self, conn: Connection, last_id: int) -> None:
        """Learns the groups other processes (or this one before a restart) gave, up to the watermark."""
        if last_id != self.grouped_to:  # someone else counted since, or the rollup started over
            self.counting.turn_places.clear()  # turns are read back from the events where needed
        if last_id < self.grouped_to:
            self._forget_memory()
        if last_id > self.grouped_to:
            for event_id, key, group in conn.execute(GROUPED, {"after": self.grouped_to, "upto": last_id}):
                self.grouper.known(key, group, leads=event_id == group)
            self.grouped_to = last_id

    def purge(self) -> int:
        """Deletes the questions of conversations deleted from the tracker store; returns how many."""
        if not self._ensure():
            return 0
        with self.engine.connect() as conn:
            gone = conn.execute(PURGE).rowcount
            conn.commit()
        if gone:
            self._forget_memory()  # a leader may be gone: learn the groups again from what is left
        return gone

    def _write(self, delta: Delta, old: int, new: int) -> None:
        with self.engine.connect() as conn:
            if conn.execute(MOVE, {"new": new, "old": old, "config": self.config}).rowcount != 1:
                conn.rollback()  # another process counted these events meanwhile: forget this batch's groups
                self._forget_memory()
                return
            if delta.counts:
                conn.execute(UPSERT, [{"day": d, "metric": m, "item": i, "n": n}
                                      for (d, m, i), n in delta.counts.items()])
            if delta.texts:
                conn.execute(ADD_TEXT, delta.texts)
            conn.commit()
        self.grouped_to = new
