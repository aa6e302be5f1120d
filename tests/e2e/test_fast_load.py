"""serving.fast_load on the trained model: the model it loads (weights restored on creation, prediction traced
without AutoGraph) understands and decides exactly as the model Rasa loads its own way: the same intent,
confidence and entities for held-out questions, the same TED probabilities at every step of the stories and rules.
Needs the model (`make train`), not the stack."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from rasa.core.agent import Agent
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.tensorflow.models import RasaModel

from serving import fast_load
from tests.e2e.test_rule_first import MODEL, prefixes
from tests.stack import ROOT

QUESTIONS = 120  # of tests/nlu/heldout.yml, every few lines: all intents


def heldout() -> list[str]:
    data = yaml.safe_load((ROOT / "tests" / "nlu" / "heldout.yml").read_text(encoding="utf-8"))
    texts = [line.strip()[2:] for block in data["nlu"] for line in block["examples"].splitlines()
             if line.strip().startswith("- ")]
    return texts[:: max(1, len(texts) // QUESTIONS)][:QUESTIONS]


async def understood(agent: Agent, texts: list[str]) -> list[tuple[Any, ...]]:
    out = []
    for text in texts:
        parse = await agent.parse_message(text)
        out.append((text, parse["intent"]["name"], round(parse["intent"]["confidence"], 5),
                    sorted((e["entity"], str(e["value"])) for e in parse["entities"])))
    return out


def decided(agent: Agent, trackers: list[DialogueStateTracker]) -> list[list[float]]:
    processor = agent.processor
    assert processor is not None
    ted = next(n for n in processor.model_metadata.predict_schema.nodes if n.startswith("run_TED"))
    return [[round(p, 5) for p in processor.graph_runner.run(inputs={"__tracker__": t}, targets=[ted])[ted]
             .probabilities] for t in trackers]


@pytest.fixture(scope="module")
def agents() -> Iterator[tuple[Agent, Agent]]:
    assert MODEL.is_file(), "no trained model: make train"
    before = RasaModel.__dict__["load"]  # the classmethod itself: RasaModel.load would be bound to RasaModel
    try:  # importing channels/ (another test may have) installs the quick load: Rasa's own is fast_load._original
        RasaModel.load = classmethod(fast_load._original)  # type: ignore[method-assign,assignment]
        rasas = Agent.load(str(MODEL))
        fast_load.install()
        ours = Agent.load(str(MODEL))
    finally:
        RasaModel.load = before  # type: ignore[method-assign]
    yield rasas, ours


@pytest.mark.asyncio
async def test_the_quick_load_understands_as_rasas_load(agents: tuple[Agent, Agent]) -> None:
    texts = heldout()
    rasas, ours = agents
    assert len(texts) >= 100
    assert await understood(ours, texts) == await understood(rasas, texts)


def test_the_quick_load_decides_as_rasas_load(agents: tuple[Agent, Agent]) -> None:
    rasas, ours = agents
    assert rasas.processor is not None
    trackers = list(prefixes(rasas.processor.domain))  # one list: the generator's order is not fixed
    assert len(trackers) > 100
    assert decided(ours, trackers) == decided(rasas, trackers)
