"""What this Rasa process has answered, for the web app's /metrics (GET /webhooks/rest/stats): turns, answers
whose NLU fell back or was unsure (confidence under UNANSWERED_THRESHOLD, as the console's list of poorly answered
questions), requests for a person, conversations deleted on request; and the parse cache's hits and misses.
Counters of this process since it started: Prometheus takes a restart's reset in its stride."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from typing import Any

from rasa.shared.core.trackers import DialogueStateTracker

from envsettings import env_float
from serving import parse_cache

FALLBACK_INTENT = "nlu_fallback"
HANDOFF_INTENT = "request_human"


@dataclass
class TurnStats:
    turns: int = 0
    fallback: int = 0
    low_confidence: int = 0
    handoff_requests: int = 0
    deletions: int = 0

    def count(self, tracker: DialogueStateTracker, threshold: float) -> None:
        """Count the turn whose user message was just logged on `tracker`."""
        message = tracker.latest_message
        if message is None:
            return
        self.turns += 1
        name = message.intent.get("name")
        confidence = message.intent.get("confidence")
        if name == FALLBACK_INTENT:
            self.fallback += 1
        elif isinstance(confidence, (int, float)) and confidence < threshold:
            self.low_confidence += 1
        if name == HANDOFF_INTENT:
            self.handoff_requests += 1


STATS = TurnStats()
THRESHOLD = env_float("UNANSWERED_THRESHOLD", 0.6, minimum=0.0, maximum=1.0)


def snapshot() -> dict[str, Any]:
    cache = parse_cache.current()
    return {"pid": os.getpid(), "turns": asdict(STATS),
            "parse_cache": None if cache is None else {"hits": cache.hits, "misses": cache.misses,
                                                       "entries": len(cache.entries), "size": cache.size}}
