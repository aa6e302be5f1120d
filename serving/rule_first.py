"""Ask the rules first: TED runs only when no rule and no memorized story decides the next action.

Rasa 3.6 runs every policy of the graph at each prediction (two per turn: the action, then action_listen) and its
ensemble (DefaultPolicyPredictionEnsemble._pick_best_policy) keeps the prediction with the highest (confidence,
priority). RulePolicy (priority 6) and MemoizationPolicy (3) predict with confidence 1.0 when a rule or a memorized
story applies, and TEDPolicy (1) cannot beat (1.0, 6) or (1.0, 3): its work is thrown away at every such
prediction, and it is the most expensive part of a turn (README, Benchmark: the turn's breakdown). So this runs the
decisive policies' nodes of the graph first and TED's only when none of them predicts 1.0, then lets the model's
own ensemble combine what was run, in the schema's order: the same prediction, events and metadata as Rasa's.

What could make TED matter even against a 1.0 is kept out, checked once per model (`Plan.for_model`) or per turn:
- end-to-end TED (trained on user text: its prediction overrules intent-based ones): the schema then feeds it
  "precomputations"; such a model is left to Rasa;
- an ensemble other than Rasa's default, or policies other than rules, memoization and TED: left to Rasa;
- a rejected last action (the ensemble sets its confidence to 0 in every prediction) and follow-up actions: Rasa's
  own path.
Installed by serving.speedups; `RULE_FIRST=0` turns it off (bench: `--env RULE_FIRST=0`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.memoization import MemoizationPolicy
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.core.processor import MessageProcessor
from rasa.engine.constants import PLACEHOLDER_TRACKER
from rasa.engine.graph import GraphSchema
from rasa.shared.core.events import ActionExecuted, ActionExecutionRejected
from rasa.shared.core.trackers import DialogueStateTracker

from envsettings import env_bool

logger = logging.getLogger(__name__)

DECISIVE = (RulePolicy, MemoizationPolicy)  # RulePolicy is a MemoizationPolicy too; both predict 1.0 or nothing
SURE = 1.0
INSTALLED = "_jl_rule_first"


@dataclass(frozen=True)
class Plan:
    """The core graph's policy nodes of one model, in the order the ensemble receives them."""

    order: tuple[str, ...]  # every policy node, as the ensemble's `needs` list them
    decisive: tuple[str, ...]  # rules and memoization
    rest: tuple[str, ...]  # TED

    @classmethod
    def for_model(cls, schema: GraphSchema, target: str) -> Plan | None:
        """The plan, or None when the graph is not one this reasoning holds for (see the module's docstring)."""
        ensemble = schema.nodes.get(target)
        if ensemble is None or ensemble.uses is not DefaultPolicyPredictionEnsemble:
            return None
        order = tuple(node for key, node in ensemble.needs.items() if key not in ("domain", "tracker"))
        decisive, rest = [], []
        for name in order:
            node = schema.nodes.get(name)
            if node is None or "precomputations" in node.needs:  # end to end: TED's prediction may overrule
                return None
            if issubclass(node.uses, DECISIVE):
                decisive.append(name)
            elif issubclass(node.uses, TEDPolicy):
                rest.append(name)
            else:
                return None
        if not decisive or not rest:
            return None
        return cls(order, tuple(decisive), tuple(rest))


def _last_action_rejected(tracker: DialogueStateTracker) -> bool:
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecutionRejected):
            return True
        if isinstance(event, ActionExecuted):
            return False
    return False


def _plan(processor: MessageProcessor) -> Plan | None:
    """Worked out once per processor (Rasa makes one per loaded model)."""
    cached = processor.__dict__.get(INSTALLED)
    if cached is None:
        metadata = processor.model_metadata
        cached = (Plan.for_model(metadata.predict_schema, metadata.core_target or ""),)
        processor.__dict__[INSTALLED] = cached
        if cached[0] is None:
            logger.info("rule_first: this model's core graph is not rules + memoization + TED; Rasa's own path")
    return cached[0]


def predict(processor: MessageProcessor, tracker: DialogueStateTracker, plan: Plan) -> PolicyPrediction:
    """The ensemble's prediction from the decisive policies, with TED's only when they do not decide."""
    inputs: dict[str, Any] = {PLACEHOLDER_TRACKER: tracker}
    results = processor.graph_runner.run(inputs=inputs, targets=list(plan.decisive))
    if not any(results[name].max_confidence >= SURE for name in plan.decisive):
        results.update(processor.graph_runner.run(inputs=inputs, targets=list(plan.rest)))
    predictions = [results[name] for name in plan.order if name in results]
    return DefaultPolicyPredictionEnsemble().combine_predictions(predictions, tracker, processor.domain)


def wrap(original: Callable[[MessageProcessor, DialogueStateTracker], PolicyPrediction],
         ) -> Callable[[MessageProcessor, DialogueStateTracker], PolicyPrediction]:
    """MessageProcessor._predict_next_with_tracker asking the rules first, Rasa's `original` where it must."""

    @wraps(original)  # __wrapped__: Rasa's own, for whoever must compare with it (tests/e2e/test_rule_first.py)
    def _predict_next_with_tracker(self: MessageProcessor, tracker: DialogueStateTracker) -> PolicyPrediction:
        plan = _plan(self)
        if plan is None or tracker.followup_action or _last_action_rejected(tracker):
            return original(self, tracker)
        return predict(self, tracker, plan)

    setattr(_predict_next_with_tracker, INSTALLED, True)
    return _predict_next_with_tracker


def install() -> None:
    original = MessageProcessor._predict_next_with_tracker
    if getattr(original, INSTALLED, False) or not env_bool("RULE_FIRST", True):
        return
    MessageProcessor._predict_next_with_tracker = wrap(original)  # type: ignore[method-assign]
