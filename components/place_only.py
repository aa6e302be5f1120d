"""A message that is nothing but a place name ("池北区", "在延吉") names a place, whatever DIET thought of it.

Users answer "哪个市、县（区）？" with a bare name, and also open with one. DIET sees thousands of place names only
through the lookup table and now and then gives a rare one a low confidence (then FallbackClassifier asks to
rephrase) or a small-talk intent. Placed after FallbackClassifier: when the location entities (from
components.gazetteer, i.e. offices_kb) cover the whole message but for punctuation, spaces and a few filler
characters, the intent becomes inform_location; every other message is left as it is.
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
            if not is_place_only(message.get(TEXT) or "", message.get(ENTITIES) or []):
                continue
            # confidence 1.0 with the rule named in the ranking: the console shows why
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != TARGET]
            message.set(INTENT, {"name": TARGET, "confidence": 1.0}, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [{"name": TARGET, "confidence": 1.0}, *ranking], add_to_output=True)
        return messages
