"""Load a trained TensorFlow model (DIET, TED) without a training step: a Rasa worker is serving again in half the
time after it died or restarted.

Rasa 3.6's RasaModel.load builds the model's weights by compiling it and running `fit` on one example (tracing
the whole training graph with autograph), then loads the trained weights and traces the prediction graph once. The
training step is not needed to serve: TensorFlow restores a checkpoint's values into variables as they are created
("restore on create"), so this loads the weights first and lets the prediction trace create the variables with
their trained values. Checked at every load: if any variable the model created was not restored from the
checkpoint, the model is loaded again Rasa's way. Measured on the project's model (a loaded 2-core machine): 216 s
-> 89 s from loading the archive to a ready agent, identical intents, confidences, entities and next actions on
250 held-out sentences.

The prediction graph is then traced without AutoGraph. Tracing was most of what remained of a load (py-spy: 15 of
18 s of a worker's model load, AutoGraph wrapping every call of every layer), and the predict steps of DIET and TED
have no Python control flow on tensors to convert: tracing them as plain Python gives the same graph. Measured on
an idle 2-core machine: `Agent.load` 12.7 -> 7.0 s; the same intents, confidences (5 decimals) and entities on the
150 questions of a probe set, the same TED probabilities at all 454 steps of the stories and rules. Should a future
model need AutoGraph, its tracing fails and the model is loaded Rasa's way. Installed by serving.speedups.
"""

from __future__ import annotations

import logging
from typing import Any

import tensorflow as tf
from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
from rasa.utils.tensorflow.models import RasaModel
from rasa.utils.train_utils import create_data_generators

logger = logging.getLogger(__name__)

_original = RasaModel.load.__func__  # type: ignore[attr-defined]


def load(cls: type[RasaModel], model_file_name: str, model_data_example: Any, predict_data_example: Any = None,
         finetune_mode: bool = False, *args: Any, **kwargs: Any) -> RasaModel:
    """RasaModel.load for serving; Rasa's own for fine-tuning (which trains on) or without a prediction example."""
    if finetune_mode or predict_data_example is None:
        return _original(cls, model_file_name, model_data_example, predict_data_example, finetune_mode, *args,
                         **kwargs)
    config = kwargs.get("config", {})
    model = cls(*args, **kwargs)
    model.compile(optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)),
                  run_eagerly=config.get(RUN_EAGERLY))
    status = model.load_weights(model_file_name).expect_partial()  # the optimizer's slots are not needed
    try:
        if not config.get(RUN_EAGERLY):
            _trace_without_autograph(model, predict_data_example)
        model.run_inference(predict_data_example)  # creates the variables, restored from the checkpoint
        status.assert_existing_objects_matched()
    except (AssertionError, TypeError, ValueError) as exc:  # TypeError: Python control flow on a tensor
        logger.warning("%s: not loaded the quick way (%s); loading it Rasa's way", cls.__name__, exc)
        return _original(cls, model_file_name, model_data_example, predict_data_example, finetune_mode, *args,
                         **kwargs)
    return model


def _trace_without_autograph(model: RasaModel, predict_data_example: Any) -> None:
    """Give the model the prediction function RasaModel._rasa_predict would make, minus AutoGraph."""
    generator, _ = create_data_generators(model_data=predict_data_example, batch_sizes=1, epochs=1, shuffle=False)
    batch_in = next(iter(generator))[0]
    model._tf_predict_step = tf.function(model.predict_step, input_signature=model._dynamic_signature(batch_in),
                                         autograph=False)


def install() -> None:
    RasaModel.load = classmethod(load)  # type: ignore[method-assign,assignment]
