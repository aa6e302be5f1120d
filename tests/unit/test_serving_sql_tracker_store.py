"""serving.sql_tracker_store: a long conversation loads only its recent turns, yet keeps every slot, the active
loop and the session start from before them, and a save stores each new event exactly once."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from envsettings import SettingError
from serving.sql_tracker_store import WindowedSQLTrackerStore

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[2] / "domain.yml"))


def store(tmp_path: Path, turns: int) -> WindowedSQLTrackerStore:
    return WindowedSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db"),
                                   history_turns=turns)


Events = Callable[[], list[Event]]


def turn(i: int, extra: Events | None = None) -> list[Event]:
    """One turn; `extra` makes the events an action returns (made when the turn is: Rasa orders by timestamp)."""
    user = UserUttered(f"问题{i}", {"name": "ask_phone", "confidence": 1.0})
    return [user, *(extra() if extra else []), ActionExecuted("action_answer"), BotUttered(f"回答{i}"),
            ActionExecuted("action_listen")]


def conversation(n: int, early: Events, later: Events | None = None) -> DialogueStateTracker:
    events = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
    for i in range(n):
        events += turn(i, early if i == 0 else later if i == n // 2 else None)
    return DialogueStateTracker.from_events("citizen", events, DOMAIN.slots)


def stored_events(tmp_path: Path) -> int:
    with sqlite3.connect(tmp_path / "tracker.db") as conn:
        return conn.execute("SELECT count(*) FROM events").fetchone()[0]


def test_a_long_conversation_loads_its_recent_turns_and_keeps_the_state_from_before(tmp_path: Path) -> None:
    s = store(tmp_path, turns=5)
    full = conversation(40, early=lambda: [SlotSet("location", "珲春市"), ActiveLoop("eligibility_form")],
                        later=lambda: [SlotSet("bureau_phone", "0433-7512409")])
    asyncio.run(s.save(full))
    loaded = asyncio.run(s.retrieve("citizen"))
    assert loaded is not None
    assert [e.text for e in loaded.events if isinstance(e, UserUttered)] == [f"问题{i}" for i in range(35, 40)]
    assert loaded.get_slot("location") == "珲春市"  # set in the first turn, 35 turns before the window
    assert loaded.get_slot("bureau_phone") == "0433-7512409"
    assert loaded.active_loop_name == "eligibility_form"
    assert any(isinstance(e, SessionStarted) for e in loaded.events)  # actions/next_step.py looks for it
    assert loaded.current_slot_values() == full.current_slot_values()


def test_a_saved_turn_is_stored_once_after_a_windowed_load(tmp_path: Path) -> None:
    s = store(tmp_path, turns=3)
    asyncio.run(s.save(conversation(10, early=lambda: [SlotSet("location", "延吉市")])))
    before = stored_events(tmp_path)
    tracker = asyncio.run(s.retrieve("citizen"))
    assert tracker is not None
    new = turn(10, lambda: [SlotSet("location", "长春市")])
    for event in new:
        tracker.update(event)
    asyncio.run(s.save(tracker))
    asyncio.run(s.save(tracker))  # saved again: nothing new
    assert stored_events(tmp_path) == before + len(new)
    again = asyncio.run(s.retrieve("citizen"))
    assert again is not None and again.get_slot("location") == "长春市"
    assert again.latest_message.text == "问题10"


def test_a_slot_reset_before_the_window_is_not_undone(tmp_path: Path) -> None:
    s = store(tmp_path, turns=4)
    asyncio.run(s.save(conversation(20, early=lambda: [SlotSet("location", "珲春市")],
                                        later=lambda: [AllSlotsReset()])))
    loaded = asyncio.run(s.retrieve("citizen"))
    assert loaded is not None and loaded.get_slot("location") is None


def test_a_short_conversation_loads_whole_and_zero_turns_means_everything(tmp_path: Path) -> None:
    asyncio.run(store(tmp_path, turns=20).save(conversation(6, early=lambda: [SlotSet("location", "四平市")])))
    rasa = SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    expected = asyncio.run(rasa.retrieve("citizen"))
    for turns in (20, 0):
        loaded = asyncio.run(store(tmp_path, turns=turns).retrieve("citizen"))
        assert loaded is not None and expected is not None
        assert [e.as_dict() for e in loaded.events] == [e.as_dict() for e in expected.events]
        assert loaded.get_slot("location") == "四平市"


def test_the_window_is_a_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_HISTORY_TURNS", "7")
    s = WindowedSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))
    assert s.history_turns == 7
    monkeypatch.setenv("TRACKER_HISTORY_TURNS", "many")
    with pytest.raises(SettingError, match="TRACKER_HISTORY_TURNS"):
        WindowedSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))


def test_sqlite_store_uses_wal_and_the_indexes(tmp_path: Path) -> None:
    store(tmp_path, turns=5)
    with sqlite3.connect(tmp_path / "tracker.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"ix_events_sender_id", "ix_events_sender_type_id"} <= names


def test_saved_rows_are_the_rows_rasa_writes(tmp_path: Path) -> None:
    """Our multi-row insert writes every column as Rasa's SQLTrackerStore.save does (the slot's name in action_name,
    the intent's in intent_name), so Rasa's own reads and records/ see the same table."""
    tracker = conversation(4, early=lambda: [SlotSet("location", "延吉市"), ActiveLoop("eligibility_form")])
    ours = WindowedSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "ours.db"))
    rasa = SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "rasa.db"))
    for s in (ours, rasa):
        asyncio.run(s.save(tracker))

    def rows(name: str) -> list[tuple[object, ...]]:
        with sqlite3.connect(tmp_path / name) as conn:
            return conn.execute("SELECT sender_id, type_name, timestamp, intent_name, action_name, data FROM events "
                                "ORDER BY id").fetchall()

    assert rows("ours.db") == rows("rasa.db")
    assert ("citizen", "slot", "location") in [(r[0], r[1], r[4]) for r in rows("ours.db")]
    assert ("user", "ask_phone") in [(r[1], r[3]) for r in rows("ours.db")]
