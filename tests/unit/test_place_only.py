"""components.place_only: a message that is only a place name becomes inform_location; nothing else changes."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

import offices_kb
from components.place_only import PlaceOnlyIntent, is_place_only


def _message(text: str, intent: str, confidence: float = 0.3) -> Message:
    """A message as it leaves FallbackClassifier, with the knowledge base's location spans."""
    entities = [{"entity": "location", "start": m.start, "end": m.end, "value": m.text}
                for m in offices_kb.mentions(text)]
    return Message(data={TEXT: text, INTENT: {"name": intent, "confidence": confidence}, ENTITIES: entities,
                         INTENT_RANKING_KEY: [{"name": intent, "confidence": confidence},
                                              {"name": "inform_location", "confidence": 0.2}]})


def _run(message: Message) -> dict[str, Any]:
    PlaceOnlyIntent().process([message])
    return message.get(INTENT)


@pytest.mark.parametrize("text", ["池北区", "池西区", "珲春", "在延吉", "长春朝阳区。", "hunchun", "琿春市吧", "北京"])
def test_a_bare_place_is_inform_location(text: str) -> None:
    message = _message(text, "nlu_fallback")
    assert _run(message) == {"name": "inform_location", "confidence": 1.0}
    assert message.get(INTENT_RANKING_KEY)[0]["name"] == "inform_location"
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)].count("inform_location") == 1


@pytest.mark.parametrize(("text", "intent"), [
    ("珲春社保局电话", "find_bureau"),        # more than a place: DIET decides
    ("我在长春交了两年社保", "check_eligibility"),
    ("长春人网上咋申请", "ask_changchun_channels"),
    ("asdfghjkl", "nlu_fallback"),         # no place at all
    ("好的", "affirm"),
    ("延吉", "find_bureau"),                # already a place intent: kept
])
def test_everything_else_is_left_alone(text: str, intent: str) -> None:
    assert _run(_message(text, intent, 0.9)) == {"name": intent, "confidence": 0.9}


def test_spans_must_cover_the_message() -> None:
    location = [{"entity": "location", "start": 0, "end": 2}]
    assert is_place_only("延吉", location)
    assert is_place_only("延吉的呢？", location)
    assert not is_place_only("延吉社保局", location)
    assert not is_place_only("延吉", [{"entity": "duration", "start": 0, "end": 2}])


def _fallen_back(text: str, ranking: list[tuple[str, float]]) -> Message:
    """A message FallbackClassifier gave up on: nlu_fallback first, DIET's own ranking after it."""
    message = _message(text, "nlu_fallback", 0.45)
    message.set(INTENT_RANKING_KEY, [{"name": "nlu_fallback", "confidence": 0.45},
                                     *({"name": n, "confidence": c} for n, c in ranking)])
    return message


@pytest.mark.parametrize(("text", "ranking", "expected"), [
    ("我在白城交的社保", [("find_bureau", 0.29), ("inform_location", 0.17)], "find_bureau"),
    ("长春失业金怎么领", [("ask_changchun_channels", 0.32), ("ask_how_to_apply", 0.23)], "ask_changchun_channels"),
    ("在四平交的 去哪领", [("ask_onsite_apply", 0.4), ("find_bureau", 0.3)], "ask_onsite_apply"),
])
def test_a_fallen_back_question_naming_a_place_keeps_diets_place_guess(
        text: str, ranking: list[tuple[str, float]], expected: str) -> None:
    assert _run(_fallen_back(text, ranking))["name"] == expected


@pytest.mark.parametrize(("text", "ranking"), [
    ("领失业金期间还交社保吗", [("find_bureau", 0.4)]),                     # no place: still falls back
    ("长春今天下雨不", [("out_of_scope", 0.3), ("find_bureau", 0.2)]),       # best guess is not about a place
    ("长春那个事咋整", [("find_bureau", 0.1), ("greet", 0.05)]),             # guess too weak
])
def test_other_fallen_back_messages_still_fall_back(text: str, ranking: list[tuple[str, float]]) -> None:
    assert _run(_fallen_back(text, ranking))["name"] == "nlu_fallback"
