"""Work out each part of the model's graph once, not at every run.

Rasa 3.6's DaskGraphRunner.run prunes the whole graph schema to the nodes its targets need at every call (the NLU
parse, each prediction; serving.rule_first runs two smaller parts), walking every dependency chain again: 6.5
of a worker's 70 ms per unique message in a py-spy profile (README, Benchmark). A served model's schema does
not change, so the pruned schema is kept per schema and targets. Installed by serving.speedups.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import GraphSchema

CACHE = "_jl_minimal_schemas"


def install() -> None:
    original = GraphSchema.minimal_graph_schema
    if getattr(original, CACHE, False):
        return

    def minimal_graph_schema(self: GraphSchema, targets: list[str] | None = None) -> GraphSchema:
        cache: dict[Any, GraphSchema] = self.__dict__.setdefault(CACHE, {})
        key = tuple(targets) if targets else None
        found = cache.get(key)
        if found is None:
            found = cache[key] = original(self, targets)
        return found

    setattr(minimal_graph_schema, CACHE, True)
    GraphSchema.minimal_graph_schema = minimal_graph_schema  # type: ignore[method-assign]
