"""Realistic questions asked of the running stack through Rasa's REST channel (the integration interface).

The questions and the facts each reply must (or must not) hold are in cases.yml; every conversation gets
its own sender id. Facts are checked in the text, button titles and payloads the user would see. A reply that
is not an answer fails every case that is not about exactly that (`about: fallback` or `about: apology`): the
fallback (utter_fallback, "请换个说法", said by actions/fallback.py) and the apology of a failed turn (flagged
`custom.degraded` by channels/guarded_rest.py). Both carry the province's phone and topic words, so without this
rule they would satisfy many cases.
"""

from __future__ import annotations

import asyncio
import json
import re
import urllib.request
import uuid
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import yaml

from bot.replies import degraded_reason

ROOT = Path(__file__).resolve().parents[2]
CASES = yaml.safe_load((Path(__file__).parent / "cases.yml").read_text(encoding="utf-8"))
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
FALLBACK_TEXT = DOMAIN["responses"]["utter_fallback"][0]["text"].split("{")[0]  # its words before whom to call
TURNS = CASES["single"] + [turn for conv in CASES["conversations"] for turn in conv["turns"]]
# amounts, durations or deadlines the guide never states: a reply that contains one invented it
INVENTED = re.compile(r"\d+(\.\d+)?\s*(元|块钱|%|个工作日|工作日内)|百分之")
ABOUT = ("fallback", "apology")  # a case whose expected answer is the fallback, or the apology of a failed turn


class Reply(NamedTuple):
    text: str  # texts, button titles and payloads, joined
    degraded: list[str]  # flags of the messages that stand in for an answer (the apology), in order


def reply_of(messages: list[dict[str, Any]]) -> Reply:
    parts = []
    for m in messages:
        parts.append(m.get("text", ""))
        for b in m.get("buttons", []):
            parts += [b.get("title", ""), b.get("payload", "")]
    return Reply("\n".join(parts), [reason for reason in map(degraded_reason, messages) if reason])


def ask(rasa_url: str, sender: str, text: str) -> Reply:
    body = json.dumps({"sender": sender, "message": text}).encode()
    req = urllib.request.Request(f"{rasa_url}/webhooks/rest/webhook", data=body,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310 - 127.0.0.1
        return reply_of(json.loads(resp.read()))


def check(reply: Reply, turn: dict) -> None:
    about = turn.get("about")
    assert about in (None, *ABOUT), f"{turn['say']!r}: unknown about: {about!r}"
    assert reply.text.strip(), f"no reply to {turn['say']!r}"
    said = {"apology": bool(reply.degraded), "fallback": FALLBACK_TEXT in reply.text}
    for kind, yes in said.items():  # each only where the case is about exactly that, and there always
        assert yes == (about == kind), f"{turn['say']!r}: {'' if yes else 'not '}the {kind}:\n{reply.text}"
    reply_text = reply.text
    for s in turn.get("all", []):
        assert s in reply_text, f"{turn['say']!r}: expected {s!r} in\n{reply_text}"
    if turn.get("any"):
        assert any(s in reply_text for s in turn["any"]), \
            f"{turn['say']!r}: expected one of {turn['any']} in\n{reply_text}"
    for s in turn.get("none", []):
        assert s not in reply_text, f"{turn['say']!r}: {s!r} must not be in\n{reply_text}"
    assert not INVENTED.search(reply_text), f"{turn['say']!r}: a number the guide does not give:\n{reply_text}"
    assert "Traceback" not in reply_text


@pytest.mark.stack
@pytest.mark.parametrize("turn", CASES["single"], ids=[c["say"] for c in CASES["single"]])
def test_single_question(stack, turn):
    check(ask(stack.rasa_url, f"e2e-{uuid.uuid4().hex[:12]}", turn["say"]), turn)


@pytest.mark.stack
@pytest.mark.parametrize("conv", CASES["conversations"], ids=[c["name"] for c in CASES["conversations"]])
def test_conversation(stack, conv):
    sender = f"e2e-{uuid.uuid4().hex[:12]}"
    for turn in conv["turns"]:
        check(ask(stack.rasa_url, sender, turn["say"]), turn)


def test_the_case_file_covers_enough_questions():
    assert len(TURNS) >= 80


def canned_replies() -> dict[str, Reply]:
    """What a turn gets when it is not answered: the fallback (the real action, as for a first message) and
    the apology of a failed turn (the real channel's text and flag)."""
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.fallback import ActionDefaultFallback
    from channels.guarded_rest import APOLOGY

    dispatcher = CollectingDispatcher()
    tracker = Tracker("e2e-canned", {}, {"text": "asdfghjkl", "intent": {"name": "nlu_fallback"}, "entities": []},
                      [], False, None, {}, "action_listen")
    asyncio.run(ActionDefaultFallback().run(dispatcher, tracker, DOMAIN))
    return {"fallback": reply_of(dispatcher.messages),
            "apology": reply_of([{"text": APOLOGY, "custom": {"degraded": "action_failed"}}])}


def passes(reply: Reply, turn: dict) -> bool:
    try:
        check(reply, turn)
    except AssertionError:
        return False
    return True


@pytest.mark.parametrize("canned", ABOUT)
def test_the_checker_takes_a_canned_reply_only_where_a_case_is_about_it(canned: str) -> None:
    reply = canned_replies()[canned]
    passed = [turn["say"] for turn in TURNS if passes(reply, turn)]
    assert passed == [turn["say"] for turn in TURNS if turn.get("about") == canned]
