"""Inside Rasa: a user event reaching a tracker by any way is masked before a store saves it; a confirmation counts
only right after the offer to delete; a deletion takes the conversation from the SQL store (with its ratings) or
the in-memory one, nothing of anyone else's."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.core.processor import MessageProcessor
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore, SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from serving import forget, processor
from stores.schema import create


@pytest.fixture
def patched() -> Iterator[None]:
    saved = {name: getattr(MessageProcessor, name) for name in ("handle_message", "log_message", "parse_message")}
    update = DialogueStateTracker.update
    processor.install()
    try:
        yield
    finally:
        for name, original in saved.items():
            setattr(MessageProcessor, name, original)
        DialogueStateTracker.update = update  # type: ignore[method-assign]


async def test_a_user_event_is_masked_before_the_store_saves_it(patched: None, tmp_path: Path) -> None:
    store = SQLTrackerStore(Domain.empty(), db=str(tmp_path / "tracker.db"))
    text = "身份证220102199001011234 手机138 1234 5678"
    event = UserUttered(text, {"name": "greet", "confidence": 0.9},
                        [{"entity": "x", "value": "13812345678", "start": 0, "end": 1}],
                        {"text": text, "intent": {"name": "greet"}}, metadata={"note": "卡6222021234567890"})
    await store.save(DialogueStateTracker.from_events("citizen", [event]))
    with sqlite3.connect(tmp_path / "tracker.db") as conn:
        (data,) = conn.execute("SELECT data FROM events WHERE type_name = 'user'").fetchone()
    stored = json.loads(data)
    assert stored["text"] == "身份证[身份证号] 手机[手机号]" and stored["parse_data"]["text"] == stored["text"]
    assert stored["parse_data"]["entities"][0]["value"] == "[手机号]"
    assert "6222021234567890" not in data and "13812345678" not in data


def test_only_a_confirmation_right_after_the_offer_counts() -> None:
    offer = [ActionExecuted("action_listen"), UserUttered("删除记录", {"name": "request_deletion"}),
             ActionExecuted(forget.OFFER), BotUttered("确认删除吗？"), ActionExecuted("action_listen")]
    assert forget.offered_last(DialogueStateTracker.from_events("a", offer))
    later = [*offer, UserUttered("珲春", {"name": "inform_location"}), ActionExecuted("action_answer"),
             ActionExecuted("action_listen")]
    assert not forget.offered_last(DialogueStateTracker.from_events("a", later))
    assert not forget.offered_last(DialogueStateTracker.from_events("a", []))
    assert not forget.offered_last(None)


async def test_delete_from_the_sql_store_takes_events_and_ratings_of_one_conversation(tmp_path: Path) -> None:
    path = tmp_path / "tracker.db"
    store = SQLTrackerStore(Domain.empty(), db=str(path))
    for sender in ("a", "b"):
        await store.save(DialogueStateTracker.from_events(sender, [UserUttered("你好")]))
    with store.engine.begin() as conn:
        create(conn)
        conn.execute(sa.text("INSERT INTO feedback (sender_id, created_at, rating) VALUES ('a', 1, 5), ('b', 1, 4)"))
    gone = forget.delete_unlocked(FailSafeTrackerStore(store), "a")
    assert gone.known and gone.rows == 2  # its event and its rating
    assert await store.retrieve("a") is None and await store.retrieve("b") is not None
    assert forget.delete_unlocked(store, "a").known  # deleted before: still known, nothing more to delete
    assert not forget.delete_unlocked(store, "nobody").known


def test_delete_from_the_in_memory_store() -> None:
    store = InMemoryTrackerStore(Domain.empty())
    store.store["a"] = "serialised tracker"
    assert forget.delete_unlocked(store, "a").known and "a" not in store.store
    assert not forget.delete_unlocked(store, "a").known
