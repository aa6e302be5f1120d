"""The dialogue data without a trained model: RulePolicy and MemoizationPolicy are fitted in memory on data/
(seconds, nothing written to the project) and stories are replayed with the intents they name; each action
must be predicted, with form rejection emulated the way `rasa test core` does. TED is not involved.

Two kinds of replay, kept apart: the stories of tests/test_stories.yml, which the policies never saw (a test
checks that none repeats a training story), show that the rules and stories generalise to new paths; the
training stories of data/stories/ are replayed only as a consistency check of the data (a rule that
contradicts a story makes one of them unreproducible), which says nothing about generalisation."""

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
TEST_STORIES = ROOT / "tests" / "test_stories.yml"
TRAINING_STORIES = sorted((ROOT / "data" / "stories").glob("*.yml"))


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


def _read(paths: list[Path]) -> list:
    return [story for path in paths for story in YAMLStoryReader(DOMAIN).read_from_file(str(path))]


def _params(paths: list[Path]) -> list:
    return [pytest.param(story, id=story.block_name) for story in _read(paths)]


def _steps(story) -> tuple[str, ...]:
    """What the policies see of a story: intents with the kinds of entity they carry (values are not features),
    actions, other events, in order."""
    steps = []
    for event in story.events:
        if isinstance(event, UserUttered):
            steps.append(f"{event.intent_name}{sorted({e['entity'] for e in event.entities})}")
        elif isinstance(event, ActionExecuted):
            steps.append(event.action_name or "")
        else:
            steps.append(repr(event))
    return tuple(steps)


def _within(part: tuple[str, ...], whole: tuple[str, ...]) -> bool:
    return any(whole[i:i + len(part)] == part for i in range(len(whole) - len(part) + 1))


def test_no_test_story_repeats_a_training_story() -> None:
    """No conversation of several turns follows a training story's path, nor a stretch of one (its first turns
    are no new path either). A one-turn story checks a rule, which every path contains."""
    trained = [(story.block_name, _steps(story)) for story in _read(TRAINING_STORIES)]
    several = [story for story in _read([TEST_STORIES])
               if sum(isinstance(event, UserUttered) for event in story.events) > 1]
    repeated = {story.block_name: name for story in several for name, steps in trained
                if _within(_steps(story), steps)}
    assert len(several) >= 15 and repeated == {}


@pytest.mark.parametrize("story", _params([TEST_STORIES]))
def test_unseen_story_replays(policies: list, story) -> None:
    _replay(policies, story)


@pytest.mark.parametrize("story", _params(TRAINING_STORIES))
def test_training_story_is_reproduced_consistency_only(policies: list, story) -> None:
    """A replay of a story the policies were fitted on: fails only when the data contradicts itself."""
    _replay(policies, story)


def _replay(policies: list, story) -> None:
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
