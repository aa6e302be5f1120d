"""Location entities from the bureau knowledge base (offices_kb) instead of from DIET alone.

The knowledge base knows every place name of Jilin, its short names, pinyin and common typos; DIET only
knows the ones in the training data. Where the knowledge base finds a place, its span replaces DIET's
location entities; where it finds none, DIET's guess is kept.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

import offices_kb

ENTITY = "location"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class GazetteerEntityExtractor(GraphComponent, EntityExtractorMixin):
    @classmethod
    def create(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> GazetteerEntityExtractor:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            try:
                found = offices_kb.mentions(text)
            except ValueError:  # over the length cap: leave the message as DIET saw it
                continue
            if not found:
                continue
            entities = [e for e in message.get(ENTITIES, []) if e.get("entity") != ENTITY]
            entities += [
                {"entity": ENTITY, "start": m.start, "end": m.end, "value": m.text.strip(),
                 "confidence_entity": 1.0, "extractor": self.__class__.__name__}
                for m in found
            ]
            message.set(ENTITIES, sorted(entities, key=lambda e: e["start"]), add_to_output=True)
        return messages
