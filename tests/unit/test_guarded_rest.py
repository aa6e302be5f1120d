"""channels/guarded_rest.py: the REST channel's safety net, driven through its webhook handler with a stand-in
for Rasa's message handling (no model, no server). A turn that fails, runs too long or says nothing gets the
apology with the province's phone, flagged as degraded with its reason; a turn that answered is left alone."""

from __future__ import annotations

import asyncio
import importlib
import json
import logging
from collections.abc import Awaitable, Callable, Iterator
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
from rasa.core.actions import action as rasa_action
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor

from bot.replies import degraded_reason

Handler = Callable[[UserMessage], Awaitable[None]]
PROCESSOR_LOG = logging.getLogger("rasa.core.processor")
# what importing the channel changes in Rasa, process-wide (the timeout, and serving.speedups)
PATCHED = [(rasa_action, "DEFAULT_REQUEST_TIMEOUT"), (RemoteAction, "_validate_action_result"),
           (MessageProcessor, "_parse_message_with_graph")]


@pytest.fixture(scope="module", autouse=True)
def guarded_rest() -> Iterator[ModuleType]:
    """The channel module, imported here rather than at collection, and Rasa put back as it was afterwards:
    the other unit tests must see Rasa unpatched."""
    saved = [(owner, name, getattr(owner, name)) for owner, name in PATCHED]
    yield importlib.import_module("channels.guarded_rest")
    for owner, name, value in saved:
        setattr(owner, name, value)


@pytest.fixture(autouse=True)
def _no_leftover_watches(guarded_rest: ModuleType) -> Iterator[None]:
    yield
    for handler in [h for h in PROCESSOR_LOG.handlers if isinstance(h, guarded_rest.ActionFailureWatch)]:
        PROCESSOR_LOG.removeHandler(handler)


def channel() -> ModuleType:
    return importlib.import_module("channels.guarded_rest")  # already imported by the fixture


def webhook(on_new_message: Handler) -> Callable[[Any], Awaitable[Any]]:
    """The POST /webhook handler of the channel's blueprint, as Sanic would call it."""
    blueprint = channel().GuardedRestInput().blueprint(on_new_message)
    routes = [r for r in blueprint._future_routes if r.uri == "/webhook"]
    assert len(routes) == 1
    return routes[0].handler


def post(on_new_message: Handler, sender: str = "citizen", text: str = "珲春社保局电话") -> list[dict[str, Any]]:
    request = SimpleNamespace(json={"sender": sender, "message": text})  # what RestInput reads from a request
    resp = asyncio.run(webhook(on_new_message)(request))
    assert resp.status == 200
    return json.loads(resp.body)


def answers(reply: str) -> Handler:
    async def handle(message: UserMessage) -> None:
        await message.output_channel.send_text_message(message.sender_id, reply)
    return handle


def degraded(messages: list[dict[str, Any]]) -> list[str]:
    return [reason for reason in map(degraded_reason, messages) if reason]


def test_a_turn_that_answered_is_passed_on_untouched() -> None:
    messages = post(answers("珲春市社会保险局 0433-7512409"))
    assert [m["text"] for m in messages] == ["珲春市社会保险局 0433-7512409"]
    assert degraded(messages) == []


def test_a_failed_action_adds_the_apology_after_what_was_said(guarded_rest: ModuleType) -> None:
    async def handle(message: UserMessage) -> None:
        await message.output_channel.send_text_message(message.sender_id, "好的")
        # what rasa/core/processor.py logs when the action server is down or too slow (ACTION_TIMEOUT_S)
        PROCESSOR_LOG.error("Encountered an exception while running action 'action_find_bureau'.")

    messages = post(handle)
    assert [m["text"] for m in messages] == ["好的", guarded_rest.APOLOGY]
    assert guarded_rest.PROVINCE_PHONE in messages[-1]["text"]
    assert degraded(messages) == ["action_failed"]


def test_an_action_failure_of_another_conversation_does_not_touch_this_one(guarded_rest: ModuleType) -> None:
    async def handle(message: UserMessage) -> None:
        token = guarded_rest._sender.set("someone-else")
        try:
            PROCESSOR_LOG.error("Encountered an exception while running action 'action_find_bureau'.")
        finally:
            guarded_rest._sender.reset(token)
        await message.output_channel.send_text_message(message.sender_id, "珲春市社会保险局 0433-7512409")

    assert degraded(post(handle)) == []


def test_a_turn_past_the_turn_timeout_gets_the_apology(monkeypatch: pytest.MonkeyPatch,
                                                       guarded_rest: ModuleType) -> None:
    monkeypatch.setattr(guarded_rest, "TURN_TIMEOUT_S", 0.05)

    async def never_finishes(message: UserMessage) -> None:
        await asyncio.Event().wait()

    messages = post(never_finishes)
    assert [m["text"] for m in messages] == [guarded_rest.APOLOGY]
    assert degraded(messages) == ["turn_timeout"]


def test_an_exception_from_rasa_gets_the_apology_not_a_500(guarded_rest: ModuleType) -> None:
    async def crashes(message: UserMessage) -> None:
        raise RuntimeError("tracker store unavailable")

    messages = post(crashes)
    assert [m["text"] for m in messages] == [guarded_rest.APOLOGY] and "Traceback" not in json.dumps(messages)
    assert degraded(messages) == ["turn_failed"]


def test_a_turn_without_a_reply_gets_the_apology() -> None:
    async def silent(message: UserMessage) -> None:
        return None

    messages = post(silent)
    assert [m["recipient_id"] for m in messages] == ["citizen"]
    assert degraded(messages) == ["no_reply"]


def test_the_action_call_times_out_before_the_turn(guarded_rest: ModuleType) -> None:
    # Rasa's RemoteAction.run reads this module global for every action call (default 5 minutes)
    assert rasa_action.DEFAULT_REQUEST_TIMEOUT == guarded_rest.ACTION_TIMEOUT_S
    assert guarded_rest.ACTION_TIMEOUT_S < guarded_rest.TURN_TIMEOUT_S
