"""First step of the NLU pipeline: fold what users type into what the model was trained on.

Traditional -> Simplified (琿春 -> 珲春), full-width -> half-width, upper -> lower case. One character
in, one out, so that entity offsets still point into the user's own text.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from offices_kb.normalize import fold


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class ChineseTextNormalizer(GraphComponent):
    @classmethod
    def create(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> ChineseTextNormalizer:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        # annotated values are folded too: otherwise EntitySynonymMapper reads [琿春](location), whose text is
        # now 珲春, as a synonym 珲春 -> 琿春
        for message in training_data.training_examples:
            for entity in message.get(ENTITIES) or []:
                if isinstance(entity.get("value"), str):
                    entity["value"] = fold(entity["value"])
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if text:
                message.set(TEXT, fold(text))
        return messages
