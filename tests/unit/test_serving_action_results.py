"""serving.action_results: the action server's answers are checked exactly as Rasa checks them, the schema once."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from serving import action_results

GOOD: list[dict[str, Any]] = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "bureau_phone", "value": "0433-7512409"}],
     "responses": [{"text": "珲春市社会保险局 0433-7512409", "buttons": [{"title": "再问", "payload": "/ask"}]}]},
    {"events": [{"event": "active_loop", "name": "eligibility_form"}, {"event": "slot", "name": "requested_slot",
                                                                      "value": "contribution_months"}],
     "responses": [{"response": "utter_ask_contribution_months"}]},
    {},
]
BAD: list[Any] = [
    {"events": "not a list"},
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"event": "slot"}]},  # a slot event without a name
    {"responses": "hello"},
    {"responses": ["not an object"]},
    [],
]


def _rasa(result: Any) -> bool:
    try:
        jsonschema.validate(result, RemoteAction.action_response_format_spec())
        return True
    except jsonschema.ValidationError:
        return False


def _ours(result: Any) -> bool:
    try:
        return action_results.validate_action_result(None, result)  # type: ignore[arg-type]
    except jsonschema.ValidationError:
        return False


@pytest.mark.parametrize("result", GOOD + BAD)
def test_same_verdict_as_rasa(result: Any) -> None:
    assert _ours(result) == _rasa(result)


@pytest.mark.parametrize("result", BAD)
def test_a_bad_answer_raises_the_validation_error_rasa_expects(result: Any) -> None:
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response"):
        action_results.validate_action_result(None, result)  # type: ignore[arg-type]


def test_installed_on_rasas_remote_action_and_schema_checked_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    action_results.install()
    assert RemoteAction._validate_action_result is action_results.validate_action_result
    action_results.response_validator.cache_clear()
    action = RemoteAction("action_find_bureau", None)
    for result in GOOD * 5:
        assert action._validate_action_result(result)
    assert action_results.response_validator.cache_info().misses == 1  # schema checked and compiled once
