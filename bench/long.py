"""Long conversations: how long the next message of a conversation that already has 10, 100 or 500 turns takes,
against a fresh conversation's (a WeChat user keeps one conversation id for ever).

For each length, one sender is brought to that many turns (the benchmark's conversations one after the other, one
message at a time, not measured), then sends `probes` messages, each worded anew (bench.variety), one at a time;
the figure is their median. Length 0 is a fresh conversation (its first messages). Stock Rasa is measured up to
STOCK_MAX_TURNS only: its time per message grows with the conversation (6.8x fresh at 100 turns), so bringing it
to 500 turns alone would take about ten minutes.
"""

from __future__ import annotations

import itertools
import secrets
import statistics
import time
from typing import Any

import aiohttp

from bench import echo
from bench.load import Conversation, LevelResult, Target, Turn, send
from bench.variety import Wording

STOCK_MAX_TURNS = 100


def _turns(conversations: list[Conversation]) -> list[Turn]:
    return [turn for conv in conversations for turn in conv.turns]


async def measure_long(session: aiohttp.ClientSession, targets: list[Target], conversations: list[Conversation],
                       lengths: list[int], probes: int, timeout: aiohttp.ClientTimeout,
                       wording: Wording) -> list[dict[str, Any]]:
    turns = _turns(conversations)
    tag = secrets.token_hex(2)
    out: list[dict[str, Any]] = []
    for target in targets:
        fresh: float | None = None
        wanted = [n for n in sorted(set(lengths) - {0}) if target.name != "stock_rest" or n <= STOCK_MAX_TURNS]
        for length in [0, *wanted]:
            sender = f"long{tag}-{target.name[:2]}{target.name[-4:]}-{length}"
            build = LevelResult(target.name, length, 0.0)
            t0 = time.monotonic()
            for turn in itertools.islice(itertools.cycle(turns), length):
                await send(session, target, sender, turn, build, timeout)
            build_s = time.monotonic() - t0
            probe = LevelResult(target.name, length, 0.0, "unique")
            for turn in turns[:probes]:
                await send(session, target, sender, turn, probe, timeout, wording.unique)
            p50 = statistics.median(probe.ok) if probe.ok else None
            if length == 0:
                fresh = p50
            row = {"target": target.name, "turns": length, "p50_ms": round(p50, 1) if p50 else None,
                   "probes": len(probe.ok), "errors": sum(probe.errors.values()) + sum(build.errors.values()),
                   "unexpected": probe.unexpected, "build_s": round(build_s, 1),
                   "ratio_to_fresh": round(p50 / fresh, 2) if p50 and fresh else None}
            out.append(row)
            echo(f"long conversation {target.name:12} {length:4} turns: next message p50 {row['p50_ms']} ms "
                 f"({row['ratio_to_fresh']}x fresh), errors {row['errors']}, built in {row['build_s']} s")
    return out
