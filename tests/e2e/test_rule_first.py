"""Rules first (serving/rule_first.py) on the trained model: at every step of every story and rule of the project
and of tests/test_stories.yml it predicts what Rasa's full ensemble predicts (action, confidence, policy, events),
and it leaves TED out of most of them. Needs the model (`make train`), not the stack."""

from __future__ import annotations

import copy
import inspect
from collections.abc import Iterator
from typing import Any

import pytest
from rasa.core.agent import Agent
from rasa.core.processor import MessageProcessor
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.generator import TrainingDataGenerator
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.importers.importer import TrainingDataImporter

from serving import rule_first
from tests.stack import ROOT

MODEL = ROOT / "models" / "assistant.tar.gz"
STORIES = [ROOT / "data" / "stories", ROOT / "data" / "rules", ROOT / "tests" / "test_stories.yml"]
# Rasa's own, also when the patch is installed in this process (importing channels/ installs it)
RASA_PREDICTION = inspect.unwrap(MessageProcessor._predict_next_with_tracker)


@pytest.fixture(scope="module")
def processor() -> MessageProcessor:
    assert MODEL.is_file(), "no trained model: make train"
    agent = Agent.load(str(MODEL))
    assert agent.processor is not None
    return agent.processor


def prefixes(domain: Domain) -> Iterator[DialogueStateTracker]:
    """Each story's and rule's conversation up to (not including) each action it runs after its first."""
    importer = TrainingDataImporter.load_from_dict(domain_path=str(ROOT / "domain.yml"),
                                                   training_data_paths=[str(p) for p in STORIES])
    graph = importer.get_stories()
    trackers = TrainingDataGenerator(graph, domain, remove_duplicates=True, augmentation_factor=0).generate()
    for tracker in trackers:
        events = list(tracker.events)
        for i, event in enumerate(events):
            if i and isinstance(event, ActionExecuted):
                prefix = DialogueStateTracker.from_events(tracker.sender_id, events[:i], slots=domain.slots)
                if not prefix.followup_action:  # a rule's snippet before any action: Rasa's own path anyway
                    yield prefix


def summary(prediction: Any) -> tuple[Any, ...]:
    return (prediction.max_confidence_index, round(prediction.max_confidence, 6), prediction.policy_name,
            prediction.events, prediction.is_no_user_prediction, prediction.is_end_to_end_prediction,
            prediction.hide_rule_turn)


def test_rules_first_predicts_what_rasa_predicts(processor: MessageProcessor) -> None:
    assert not getattr(RASA_PREDICTION, rule_first.INSTALLED, False), "Rasa's own prediction to compare with"
    plan = rule_first.Plan.for_model(processor.model_metadata.predict_schema, processor.model_metadata.core_target)
    assert plan is not None, "the model's core graph should be rules + memoization + TED"
    runs: list[list[str]] = []
    run = processor.graph_runner.run

    def counting_run(inputs: Any = None, targets: Any = None) -> Any:
        runs.append(list(targets or []))
        return run(inputs=inputs, targets=targets)

    rules_first = rule_first.wrap(RASA_PREDICTION)
    compared = without_ted = 0
    mismatches: list[str] = []
    for tracker in prefixes(processor.domain):
        runs.clear()
        processor.graph_runner.run = counting_run  # type: ignore[method-assign]
        try:
            ours = rules_first(processor, copy.deepcopy(tracker))  # Rasa's path clears a follow-up action
        finally:
            del processor.graph_runner.run
        rasa = RASA_PREDICTION(processor, copy.deepcopy(tracker))
        compared += 1
        without_ted += not any(name in plan.rest for targets in runs for name in targets)
        if summary(ours) != summary(rasa):
            mismatches.append(f"{tracker.sender_id} after {tracker.latest_action_name}: {summary(ours)} != "
                              f"{summary(rasa)}")
    print(f"rules first: {compared} predictions compared, {without_ted} without TED")
    assert compared > 100, compared
    assert not mismatches, "\n".join(mismatches[:10])
    # most steps of this bot are rules: TED is asked for only where the stories need it
    assert without_ted / compared > 0.5, (without_ted, compared)
