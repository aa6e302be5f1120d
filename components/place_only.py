"""Place names settle the intent where DIET could not.

1. A message that is nothing but a place name ("池北区", "在延吉") names a place, whatever DIET thought of it.
2. A message with a place in it that FallbackClassifier gave up on ("我在白城交的社保", "长春失业金怎么领") is a
   question about that place: when DIET's best guess is an intent that uses a place and is not far-fetched
   (at least RESCUE_MIN_CONFIDENCE), that guess stands. A question without a place still falls back.

Users answer "哪个市、县（区）？" with a bare name, and also open with one. DIET sees thousands of place names only
through the lookup table and now and then gives a rare one a low confidence (then FallbackClassifier asks to
rephrase) or a small-talk intent. Placed after FallbackClassifier: when the location entities (from
components.gazetteer, i.e. offices_kb) cover the whole message but for punctuation, spaces and a few filler
characters, the intent becomes inform_location. Rule 2 runs only on nlu_fallback; every other message is left
as it is.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

PLACE_INTENTS = frozenset({"inform_location", "find_bureau", "ask_phone", "ask_other_province"})
TARGET = "inform_location"
FALLBACK = "nlu_fallback"
# intents whose answer depends on the place named in the message
USES_A_PLACE = frozenset({*PLACE_INTENTS, "ask_onsite_apply", "ask_changchun_channels", "ask_how_to_apply"})
RESCUE_MIN_CONFIDENCE = 0.2
# what may stand around a bare place name: punctuation, spaces, 的/吧/呢/啊/呀/哈 and the like
FILLER = re.compile(r"[\s\W_的吧呢啊呀哈嘛哦噢啦了在是]")


def is_place_only(text: str, entities: list[dict[str, Any]]) -> bool:
    spans = [(e["start"], e["end"]) for e in entities if e.get("entity") == "location"]
    if not spans:
        return False
    covered = set()
    for start, end in spans:
        covered.update(range(start, end))
    rest = "".join(ch for i, ch in enumerate(text) if i not in covered)
    return not FILLER.sub("", rest)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class PlaceOnlyIntent(GraphComponent):
    @classmethod
    def create(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> PlaceOnlyIntent:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            if intent.get("name") in PLACE_INTENTS:
                continue
            entities = message.get(ENTITIES) or []
            ranking = message.get(INTENT_RANKING_KEY) or []
            if is_place_only(message.get(TEXT) or "", entities):
                # confidence 1.0 with the rule named in the ranking: the console shows why
                rest = [r for r in ranking if r.get("name") != TARGET]
                message.set(INTENT, {"name": TARGET, "confidence": 1.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [{"name": TARGET, "confidence": 1.0}, *rest], add_to_output=True)
            elif intent.get("name") == FALLBACK and (guess := place_question_guess(ranking, entities)):
                message.set(INTENT, guess, add_to_output=True)
        return messages


def place_question_guess(ranking: list[dict[str, Any]], entities: list[dict[str, Any]]) -> dict[str, Any] | None:
    """DIET's best guess for a fallen-back message that names a place, if that guess is a question about a place."""
    if not any(e.get("entity") == "location" for e in entities):
        return None
    best = next((r for r in ranking if r.get("name") != FALLBACK), None)
    if best is None or best.get("name") not in USES_A_PLACE or best.get("confidence", 0.0) < RESCUE_MIN_CONFIDENCE:
        return None
    return {"name": best["name"], "confidence": best["confidence"]}
