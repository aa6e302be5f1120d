"""Realistic questions asked of the running stack through Rasa's REST channel (the integration interface).

The questions and the facts each reply must (or must not) hold are in cases.yml; every conversation gets
its own sender id. Facts are checked in the text, button titles and payloads the user would see.
"""

from __future__ import annotations

import json
import re
import urllib.request
import uuid
from pathlib import Path

import pytest
import yaml

CASES = yaml.safe_load((Path(__file__).parent / "cases.yml").read_text(encoding="utf-8"))
# amounts, durations or deadlines the guide never states: a reply that contains one invented it
INVENTED = re.compile(r"\d+(\.\d+)?\s*(元|块钱|%|个工作日|工作日内)|百分之")


def ask(rasa_url: str, sender: str, text: str) -> str:
    body = json.dumps({"sender": sender, "message": text}).encode()
    req = urllib.request.Request(f"{rasa_url}/webhooks/rest/webhook", data=body,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310 - 127.0.0.1
        replies = json.loads(resp.read())
    parts = []
    for r in replies:
        parts.append(r.get("text", ""))
        for b in r.get("buttons", []):
            parts += [b.get("title", ""), b.get("payload", "")]
    return "\n".join(parts)


def check(reply: str, turn: dict) -> None:
    assert reply.strip(), f"no reply to {turn['say']!r}"
    for s in turn.get("all", []):
        assert s in reply, f"{turn['say']!r}: expected {s!r} in\n{reply}"
    if turn.get("any"):
        assert any(s in reply for s in turn["any"]), f"{turn['say']!r}: expected one of {turn['any']} in\n{reply}"
    for s in turn.get("none", []):
        assert s not in reply, f"{turn['say']!r}: {s!r} must not be in\n{reply}"
    assert not INVENTED.search(reply), f"{turn['say']!r}: a number the guide does not give:\n{reply}"
    assert "Traceback" not in reply


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
    asked = len(CASES["single"]) + sum(len(c["turns"]) for c in CASES["conversations"])
    assert asked >= 80
