"""The dialogue data without a trained model: RulePolicy and MemoizationPolicy are fitted in memory on data/
(seconds, nothing written to the project) and every test story is replayed with the intents it names; each
action must be predicted, with form rejection emulated the way `rasa test core` does. TED is not involved."""

from __future__ import annotations

from pathlib import Path

import pytest
from action_helpers import ROOT
from rasa.core.policies.memoization import MemoizationPolicy
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActionExecutionRejected, UserUttered
from rasa.shared.core.generator import TrainingDataGenerator
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.importers.importer import TrainingDataImporter

DOMAIN = Domain.load(str(ROOT / "domain.yml"))
STORY_FILES = [ROOT / "tests" / "test_stories.yml", *sorted((ROOT / "data" / "stories").glob("*.yml"))]


@pytest.fixture(scope="module")
def policies(tmp_path_factory: pytest.TempPathFactory) -> list:
    importer = TrainingDataImporter.load_from_dict(domain_path=str(ROOT / "domain.yml"),
                                                   training_data_paths=[str(ROOT / "data")])
    trackers = TrainingDataGenerator(importer.get_stories(), DOMAIN, augmentation_factor=0).generate()
    storage = LocalModelStorage(Path(tmp_path_factory.mktemp("policies")))
    context = ExecutionContext(GraphSchema({}), "replay")
    rule = RulePolicy({**RulePolicy.get_default_config(), "core_fallback_action_name": "action_default_fallback",
                       "core_fallback_threshold": 0.3, "enable_fallback_prediction": True},
                      storage, Resource("rule"), context)
    memo = MemoizationPolicy({**MemoizationPolicy.get_default_config(), "max_history": 4},
                             storage, Resource("memo"), context)
    for policy in (rule, memo):
        policy.train(trackers, DOMAIN)
    return [rule, memo]


def _predict(policies: list, tracker: DialogueStateTracker) -> str:
    best: tuple[float, str] = (0.0, "")
    for policy in policies:  # RulePolicy first: it wins ties, as its priority does in Rasa
        probabilities = policy.predict_action_probabilities(tracker, DOMAIN).probabilities
        confidence = max(probabilities)
        if confidence > best[0]:
            best = (confidence, DOMAIN.action_names_or_texts[probabilities.index(confidence)])
    return best[1]


def _next(policies: list, tracker: DialogueStateTracker, expected: str) -> str:
    predicted = _predict(policies, tracker)
    if predicted != expected and predicted == tracker.active_loop_name:  # the form would have rejected
        tracker.update(ActionExecutionRejected(predicted))
        predicted = _predict(policies, tracker)
    return predicted


def _stories() -> list:
    return [pytest.param(story, id=f"{path.name}: {story.block_name}") for path in STORY_FILES
            for story in YAMLStoryReader(DOMAIN).read_from_file(str(path))]


@pytest.mark.parametrize("story", _stories())
def test_story_replays(policies: list, story) -> None:
    tracker = DialogueStateTracker.from_events(story.block_name, [], DOMAIN.slots)
    tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
    for event in story.events:
        if isinstance(event, ActionExecuted):
            assert _next(policies, tracker, event.action_name) == event.action_name, f"before {event.action_name}"
            tracker.update(event)
        elif isinstance(event, UserUttered):
            if tracker.latest_action_name != ACTION_LISTEN_NAME:
                assert _next(policies, tracker, ACTION_LISTEN_NAME) == ACTION_LISTEN_NAME
                tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
            tracker.update(UserUttered(event.text, {"name": event.intent_name, "confidence": 1.0}, event.entities),
                           DOMAIN)
        else:
            tracker.update(event, DOMAIN)
    assert _next(policies, tracker, ACTION_LISTEN_NAME) == ACTION_LISTEN_NAME
