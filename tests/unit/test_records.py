"""What is kept and for how long, on SQLite (PostgreSQL: tests/scale/test_privacy_postgres.py): a deletion takes a
conversation's events, ratings and handoff code and nothing of anyone else's, twice is harmless; retention takes
the conversations idle longer than the limit, old ratings and expired codes, keeps the rest, logs what it removed,
and uses the indexes on `events`."""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from records import retention
from records.__main__ import main
from records.forget import forget_rows
from stores.schema import ensure

DAY = 24 * 3600.0
NOW = 1_800_000_000.0


def make_events(path: Path, rows: list[tuple[str, float]]) -> sa.engine.Engine:
    """A tracker store as Rasa's SQL store makes it (its table and sender index), with one user event per row."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, type_name VARCHAR(255)"
                 " NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)")
    conn.execute("CREATE INDEX ix_events_sender_id ON events (sender_id)")
    conn.executemany("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, 'user', ?, ?)",
                     [(s, t, json.dumps({"event": "user", "text": "你好"})) for s, t in rows])
    conn.commit()
    conn.close()
    engine = sa.create_engine(f"sqlite:///{path}")
    ensure(engine)  # every table of stores/schema.py, and the indexes on events
    return engine


def count(engine: sa.engine.Engine, sql: str, **values: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text(sql), values).scalar_one())


def add_feedback(engine: sa.engine.Engine, sender: str, created: float, rating: int | None = 5) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO feedback (sender_id, created_at, rating, comment) VALUES (:s, :t, :r, '')"),
                     {"s": sender, "t": created, "r": rating})


def add_handoff(engine: sa.engine.Engine, code: str, sender: str, created: float, expires: float) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO handoff (code, sender_id, created_at, expires_at) VALUES (:c, :s, :t, :e)"),
                     {"c": code, "s": sender, "t": created, "e": expires})


def test_forget_takes_one_conversation_whole_and_twice_is_harmless(tmp_path: Path) -> None:
    engine = make_events(tmp_path / "t.db", [("a", NOW), ("a", NOW + 1), ("b", NOW)])
    add_feedback(engine, "a", NOW)
    add_feedback(engine, "b", NOW)
    add_handoff(engine, "K7Q2", "a", NOW, NOW + 600)
    with engine.begin() as conn:  # the dashboard's copy of one of its questions (bot/stats_rollup.py)
        conn.execute(sa.text("INSERT INTO stats_unanswered (event_id, sender_id, day, text, folded, grp) "
                             "VALUES (1, 'a', '2027-01-15', '你好', '你好', 1)"))
    with engine.begin() as conn:
        first = forget_rows(conn, "a")
    assert (first.rows, first.known) == (5, True)  # 2 events, 1 rating, 1 handoff code, 1 dashboard question
    assert count(engine, "SELECT COUNT(*) FROM stats_unanswered") == 0
    assert count(engine, "SELECT COUNT(*) FROM events WHERE sender_id = 'a'") == 0
    assert count(engine, "SELECT COUNT(*) FROM events WHERE sender_id = 'b'") == 1
    assert count(engine, "SELECT COUNT(*) FROM feedback") == 1 and count(engine, "SELECT COUNT(*) FROM handoff") == 0
    with engine.begin() as conn:
        second, unknown = forget_rows(conn, "a"), forget_rows(conn, "never-talked")
    assert second.known and second.rows == 0
    assert not unknown.known
    with engine.connect() as conn:
        hashes = [r[0] for r in conn.execute(sa.text("SELECT sender_hash FROM forgotten"))]
    assert len(hashes) == 1 and len(hashes[0]) == 64  # a hash of the id, not the id


def test_without_the_ratings_and_handoff_tables_only_events_go_and_none_is_created(tmp_path: Path) -> None:
    """Before the ratings' and handoff codes' owner has created its tables, deleting and purging still work and do
    not create them with a copy of their schema."""
    path = tmp_path / "t.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, type_name VARCHAR(255)"
                 " NOT NULL, timestamp FLOAT, data TEXT)")
    conn.executemany("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, 'user', ?, '{}')",
                     [("a", NOW), ("idle", NOW - 200 * DAY)])
    conn.commit()
    conn.close()
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as c:
        forgotten = forget_rows(c, "a")
    assert (forgotten.rows, forgotten.known) == (1, True)
    assert retention.purge(engine, days=180, now=NOW).conversations == 1
    assert count(engine, "SELECT COUNT(*) FROM events") == 0
    with engine.connect() as c:
        tables = {r[0] for r in c.execute(sa.text("SELECT name FROM sqlite_master WHERE type = 'table'"))}
    assert "feedback" not in tables and "handoff" not in tables
    assert {"forgotten", "retention_log"} <= tables


def test_purge_removes_idle_conversations_old_ratings_and_expired_codes(tmp_path: Path,
                                                                        caplog: pytest.LogCaptureFixture) -> None:
    old, recent = NOW - 200 * DAY, NOW - 10 * DAY
    engine = make_events(tmp_path / "t.db", [
        ("idle", old), ("idle", old + 60),                 # last event 200 days ago: goes
        ("back", old), ("back", recent),                   # came back 10 days ago: stays whole
        ("fresh", recent),
    ])
    add_feedback(engine, "idle", old)
    add_feedback(engine, "fresh", recent, rating=None)
    add_handoff(engine, "OLD1", "idle", old, old + 600)
    add_handoff(engine, "GONE", "fresh", recent, recent + 600)   # expired
    add_handoff(engine, "OPEN", "fresh", NOW - 60, NOW + 600)
    with caplog.at_level(logging.INFO, logger="records.retention"):
        purged = retention.purge(engine, days=180, now=NOW)
    assert (purged.conversations, purged.events, purged.feedback, purged.handoffs) == (1, 2, 1, 2)
    assert "removed 1 conversations (2 events), 1 ratings, 2 handoff codes" in caplog.text
    with engine.connect() as conn:
        left = sorted(tuple(r) for r in conn.execute(sa.text("SELECT sender_id, timestamp FROM events")))
        codes = [r[0] for r in conn.execute(sa.text("SELECT code FROM handoff"))]
    assert left == sorted([("back", old), ("back", recent), ("fresh", recent)])
    assert codes == ["OPEN"]
    assert retention.totals(engine) == {"conversations": 1, "events": 2, "feedback": 1, "handoffs": 2}
    assert retention.purge(engine, days=180, now=NOW).conversations == 0  # nothing more
    assert retention.totals(engine)["conversations"] == 1


def test_purge_finds_old_conversations_through_the_indexes(tmp_path: Path) -> None:
    engine = make_events(tmp_path / "t.db", [("a", NOW)])
    with engine.connect() as conn:
        indexes = {r[1] for r in conn.execute(sa.text("PRAGMA index_list(events)"))}
        plan = " ".join(str(r[-1]) for r in conn.execute(
            sa.text("EXPLAIN QUERY PLAN " + str(retention._OLD_CONVERSATIONS)), {"cutoff": NOW}))  # noqa: SLF001
    assert {"ix_events_timestamp", "ix_events_sender_id"} <= indexes
    # only the old events are looked at (a range of the timestamp index), then each of their conversations' last
    assert "SEARCH events USING INDEX ix_events_timestamp (timestamp<?)" in plan and "SCAN events" not in plan


def test_purge_without_a_tracker_store_yet_does_nothing(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    assert retention.purge(engine, days=180).conversations == 0


def test_the_command_reads_the_settings_and_says_what_it_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "tracker.db"
    make_events(path, [("idle", time.time() - 40 * DAY), ("fresh", time.time())])
    monkeypatch.delenv("TRACKER_STORE_URL", raising=False)
    monkeypatch.setenv("TRACKER_DB", str(path))
    monkeypatch.setenv("RETENTION_DAYS", "30")
    with caplog.at_level(logging.INFO):
        assert main(["purge"]) == 0
    assert "retention (30 days): removed 1 conversations (1 events)" in caplog.text
    monkeypatch.setenv("RETENTION_DAYS", "zero")
    assert main(["purge"]) == 1  # a bad setting stops with an error naming it
