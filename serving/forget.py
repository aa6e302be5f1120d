"""Deleting one conversation inside Rasa, wherever the request comes from: the confirm button (or a yes) right
after the bot offered it, in any channel; POST /webhooks/rest/forget (the web app's /api/forget); WeChat's
`unsubscribe`.

Rasa Open Source 3.6 has no delete in its TrackerStore API, so this reaches the store behind Rasa's wrappers
(FailSafeTrackerStore, AwaitableTrackerStore) and deletes the way each store keeps conversations: the SQL store's
rows (SQLite or PostgreSQL; with them the conversation's ratings, handoff code and dashboard rows: records.forget,
stores.forget), the in-memory dict, the Redis key. Always under the conversation's lock: a turn of the same user
still running is not half deleted, and its save cannot bring the conversation back afterwards.

The confirmation is caught before Rasa stores it (`confirmed`, used by serving.processor): the conversation is
deleted and the reply is utter_deletion_done, so not even the "yes, delete" is kept.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.core.tracker_store import InMemoryTrackerStore, RedisTrackerStore, SQLTrackerStore, TrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker

from records.forget import Forgotten, forget_rows

logger = logging.getLogger(__name__)

OFFER = "utter_offer_deletion"
DONE = "utter_deletion_done"
CONFIRMING_INTENTS = frozenset({"confirm_deletion", "affirm"})


class CannotDelete(RuntimeError):
    """The tracker store is of a kind this module cannot delete from."""


def innermost(store: TrackerStore) -> TrackerStore:
    seen = 0
    while hasattr(store, "_tracker_store") and seen < 5:
        store = store._tracker_store  # noqa: SLF001 - Rasa's wrappers keep the real store here
        seen += 1
    return store


def delete_unlocked(store: TrackerStore, sender_id: str) -> Forgotten:
    """Delete now; the caller holds the conversation's lock. Raises CannotDelete for other kinds of stores."""
    store = innermost(store)
    if isinstance(store, SQLTrackerStore):
        with store.engine.begin() as conn:  # in the loop, as Rasa's own store calls are (no thread hop)
            return forget_rows(conn, sender_id)
    if isinstance(store, InMemoryTrackerStore):
        existed = store.store.pop(sender_id, None) is not None
        return Forgotten(rows=int(existed), known=existed)
    if isinstance(store, RedisTrackerStore):
        existed = bool(store.red.delete(store.key_prefix + sender_id))
        return Forgotten(rows=int(existed), known=existed)
    raise CannotDelete(f"cannot delete a conversation from a {type(store).__name__}")


async def delete_conversation(agent: Any, sender_id: str) -> Forgotten:
    """Delete under the conversation's lock (waits for a turn of this user that is still running)."""
    async with agent.lock_store.lock(sender_id):
        return delete_unlocked(agent.tracker_store, sender_id)


def offered_last(tracker: DialogueStateTracker | None) -> bool:
    """The bot's last action in this session was the offer to delete (so a yes now confirms it)."""
    if tracker is None:
        return False
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecuted) and event.action_name != ACTION_LISTEN_NAME:
            return event.action_name == OFFER
    return False


async def confirmed(processor: MessageProcessor, message: UserMessage) -> bool:
    """Whether `message` confirms the offer to delete. Parses the message (the parse is kept on it, so Rasa does
    not parse it again) and, only for a confirming intent, reads the conversation's last action."""
    if message.parse_data is None:
        message.parse_data = await processor.parse_message(message)
    intent = (message.parse_data.get("intent") or {}).get("name")
    if intent not in CONFIRMING_INTENTS:
        return False
    return offered_last(await processor.tracker_store.retrieve(message.sender_id))


async def delete_and_answer(processor: MessageProcessor, message: UserMessage) -> list[dict[str, Any]] | None:
    """The confirmed deletion (the caller, Rasa's agent, holds the lock): nothing of this turn is stored; the reply
    is utter_deletion_done."""
    forgotten = delete_unlocked(processor.tracker_store, message.sender_id)
    logger.info("conversation deleted on request (%d rows: events, ratings, handoff code, dashboard rows)",
                forgotten.rows)
    empty = DialogueStateTracker.from_events(message.sender_id, [], slots=processor.domain.slots)
    response = await processor.nlg.generate(DONE, empty, message.output_channel.name())
    if response:
        await message.output_channel.send_response(message.sender_id, response)
    return getattr(message.output_channel, "messages", None)
