"""What we change in Rasa's message processor and trackers, each with its reason. Installed once per process by
the channels (channels/guarded_rest.py, which Rasa imports before it serves), beside serving.speedups.

- Personal numbers (serving.masking): every message is masked before MessageProcessor parses or logs it
  (handle_message, log_message, parse_message), and every user event added to a tracker is masked, so no path
  into Rasa stores a 身份证号, mobile or bank card number.
- Deleting on request (serving.forget): a message that confirms the offer to delete is caught in handle_message,
  which Rasa's agent calls holding the conversation's lock: the conversation is deleted and the confirmation is
  never stored.
- Counting (serving.turn_stats): each logged user message is counted (fallback, unsure, a person asked for).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from serving import forget, masking, turn_stats

INSTALLED = "_jl_patched"


def _once(function: Callable[..., Any]) -> bool:
    return getattr(function, INSTALLED, False)


def _mark(function: Callable[..., Any]) -> Callable[..., Any]:
    setattr(function, INSTALLED, True)
    return function


def install() -> None:
    original_handle = MessageProcessor.handle_message
    if _once(original_handle):
        return
    original_log = MessageProcessor.log_message
    original_parse = MessageProcessor.parse_message
    original_update = DialogueStateTracker.update

    @wraps(original_handle)
    async def handle_message(self: MessageProcessor, message: UserMessage) -> Any:
        masking.mask_message(message)
        if await forget.confirmed(self, message):
            turn_stats.STATS.deletions += 1
            return await forget.delete_and_answer(self, message)
        return await original_handle(self, message)

    @wraps(original_log)
    async def log_message(self: MessageProcessor, message: UserMessage, should_save_tracker: bool = True) -> Any:
        masking.mask_message(message)
        tracker = await original_log(self, message, should_save_tracker)
        turn_stats.STATS.count(tracker, turn_stats.THRESHOLD)
        return tracker

    @wraps(original_parse)
    async def parse_message(self: MessageProcessor, message: UserMessage, *args: Any, **kwargs: Any) -> Any:
        masking.mask_message(message)
        return await original_parse(self, message, *args, **kwargs)

    @wraps(original_update)
    def update(self: DialogueStateTracker, event: Event, *args: Any, **kwargs: Any) -> None:
        if isinstance(event, UserUttered):
            masking.mask_event(event)
        original_update(self, event, *args, **kwargs)

    MessageProcessor.handle_message = _mark(handle_message)  # type: ignore[method-assign]
    MessageProcessor.log_message = log_message  # type: ignore[method-assign]
    MessageProcessor.parse_message = parse_message  # type: ignore[method-assign]
    DialogueStateTracker.update = update  # type: ignore[method-assign]
