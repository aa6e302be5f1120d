"""Simulated citizens: conversations from bench/conversations.yml, each under its own sender id, at a level of
concurrency for a bounded time, against one target; a level's latencies, errors and unexpected answers."""

from __future__ import annotations

import asyncio
import json
import secrets
import statistics
import time
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import yaml

from bench import echo
from bench.procstats import cpu_seconds, sample_memory
from bench.variety import Wording
from bot.replies import degraded_reason

TARGETS = ("project_web", "project_rest", "stock_rest")
TARGET_LABELS = {"project_web": "project /api/chat", "project_rest": "project Rasa REST",
                 "stock_rest": "stock Rasa REST"}
SERVES = {"project_web": ("web", "rasa", "actions"), "project_rest": ("rasa", "actions"),
          "stock_rest": ("stock_rasa", "actions")}  # the processes that work for each target


def serves(process: str, target: str) -> bool:
    """Whether the process (rasa-2 is one of "rasa") works for the target."""
    return any(process == name or process.startswith(f"{name}-") for name in SERVES[target])


@dataclass(frozen=True)
class Turn:
    say: str
    expect: tuple[str, ...] = ()


@dataclass(frozen=True)
class Conversation:
    name: str
    topic: str
    turns: tuple[Turn, ...]


def load_conversations(path: Path) -> list[Conversation]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for c in data["conversations"]:
        turns = tuple(Turn(str(t["say"]), tuple(str(e) for e in t.get("expect", []))) for t in c["turns"])
        out.append(Conversation(str(c["name"]), str(c.get("topic", "")), turns))
    if not out:
        raise SystemExit(f"no conversations in {path}")
    return out


@dataclass
class Target:
    name: str
    url: str
    web: bool  # True: the web app's {"replies": [...]}; False: Rasa's REST list of messages
    more: tuple[str, ...] = ()  # further URLs of the same service (Rasa's other worker processes)

    def url_for(self, sender: str) -> str:
        """Each conversation to one of the URLs, as a balancer hashing the sender would."""
        urls = (self.url, *self.more)
        return urls[zlib.crc32(sender.encode()) % len(urls)]


@dataclass
class LevelResult:
    target: str
    level: int
    seconds: float
    variety: str = "repeated"  # bench.variety: the same questions again, or every message new
    ok: list[float] = field(default_factory=list)  # latencies (ms) of answered turns
    errors: dict[str, int] = field(default_factory=dict)
    unexpected: int = 0
    conversations: int = 0
    examples: list[str] = field(default_factory=list)
    unexpected_examples: list[str] = field(default_factory=list)  # what was said and answered, the first five
    cpu_s: float = 0.0  # CPU time of the processes serving this target (SERVES) while it ran

    def error(self, kind: str, detail: str = "") -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1
        if detail and len(self.examples) < 5:
            self.examples.append(f"{kind}: {detail[:200]}")

    def summary(self) -> dict[str, Any]:
        lat = sorted(self.ok)
        return {
            "target": self.target, "level": self.level, "variety": self.variety, "seconds": round(self.seconds, 2),
            "messages": len(lat), "messages_per_s": round(len(lat) / self.seconds, 2) if self.seconds else 0.0,
            "p50_ms": pct(lat, 0.50), "p95_ms": pct(lat, 0.95), "p99_ms": pct(lat, 0.99),
            "mean_ms": round(statistics.fmean(lat), 1) if lat else None,
            "cpu_ms_per_message": round(1000 * self.cpu_s / len(lat), 1) if lat else None,
            "errors": sum(self.errors.values()), "error_kinds": self.errors, "error_examples": self.examples,
            "unexpected_answers": self.unexpected, "unexpected_examples": self.unexpected_examples,
            "conversations_started": self.conversations,
        }


def pct(ordered: list[float], q: float) -> float | None:
    if not ordered:
        return None
    return round(ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))], 1)


def answer_text(data: Any, web: bool) -> tuple[str, bool]:
    """(all strings of the answer joined, whether it is a real answer)."""
    messages = data.get("replies") if web and isinstance(data, dict) else data
    if not isinstance(messages, list) or not messages:
        return "", False
    text = json.dumps(messages, ensure_ascii=False)
    # a turn that failed although HTTP said 200 is flagged: `custom.degraded` by the guarded REST channel (its
    # apology), `degraded` in the web app's replies (the same, or its own answer when Rasa sent nothing)
    return text, not any(isinstance(m, dict) and (m.get("degraded") or degraded_reason(m)) for m in messages)


async def send(session: aiohttp.ClientSession, target: Target, sender: str, turn: Turn, result: LevelResult,
               timeout: aiohttp.ClientTimeout, say: Callable[[str], str] = str) -> bool:
    """One turn (its text as `say` words it); False when it failed."""
    said = say(turn.say)
    start = time.perf_counter()
    try:
        async with session.post(target.url_for(sender), json={"sender": sender, "message": said},
                                timeout=timeout) as resp:
            raw = await resp.read()
            elapsed = (time.perf_counter() - start) * 1000
            if resp.status != 200:
                result.error(f"http_{resp.status}", raw.decode(errors="replace"))
                return False
        data = json.loads(raw)
    except asyncio.TimeoutError:
        result.error("timeout", f"{turn.say} ({sender})")
        return False
    except aiohttp.ClientError as exc:
        result.error("connection", f"{type(exc).__name__}: {exc}")
        return False
    except ValueError:
        result.error("bad_json", raw[:200].decode(errors="replace"))
        return False
    text, real = answer_text(data, target.web)
    if not real:
        result.error("no_answer", f"{turn.say} -> {text}")
        return False
    result.ok.append(elapsed)
    if turn.expect and not any(e in text for e in turn.expect):
        result.unexpected += 1
        if len(result.unexpected_examples) < 5:
            result.unexpected_examples.append(f"{said} -> {text[:160]}")
    return True


async def citizen(session: aiohttp.ClientSession, target: Target, conversations: list[Conversation], user: int,
                  tag: str, deadline: float, result: LevelResult, timeout: aiohttp.ClientTimeout,
                  say: Callable[[str], str]) -> None:
    k = 0
    while time.monotonic() < deadline:
        conv = conversations[(user + k) % len(conversations)]
        sender = f"{tag}-{user}-{k}"
        result.conversations += 1
        k += 1
        for turn in conv.turns:
            if time.monotonic() >= deadline:
                return
            if not await send(session, target, sender, turn, result, timeout, say):
                break  # a real citizen would start over after a failed turn


async def run_level(session: aiohttp.ClientSession, target: Target, conversations: list[Conversation], level: int,
                    seconds: float, tag: str, timeout: aiohttp.ClientTimeout, result: LevelResult,
                    say: Callable[[str], str]) -> None:
    """`level` citizens talk to `target` for `seconds`; adds to `result` (one slice of a level)."""
    start = time.monotonic()
    deadline = start + seconds
    tasks = [citizen(session, target, conversations, u, tag, deadline, result, timeout, say) for u in range(level)]
    await asyncio.gather(*tasks)
    result.seconds += time.monotonic() - start  # includes the last in-flight turns


async def drive(targets: list[Target], conversations: list[Conversation], levels: list[int], seconds: float,
                slices: int, pids: dict[str, int], timeout_s: float, warmup: int, varieties: list[str],
                wording: Wording, after: Callable[[aiohttp.ClientSession], Awaitable[None]] | None = None,
                ) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """Warm up, then per variety and level: the targets take turns in `slices` slices (order reversed every other
    slice), so that load from other programs on a shared machine falls on project and stock alike. `after` runs
    in the same session while memory is still sampled (the long conversations)."""
    timeout = aiohttp.ClientTimeout(total=timeout_s, connect=5)
    connector = aiohttp.TCPConnector(limit=max(levels) * len(targets) + 10)
    run_tag = secrets.token_hex(2)
    results: list[dict[str, Any]] = []
    peaks: dict[str, float] = {}
    stop = asyncio.Event()
    async with aiohttp.ClientSession(connector=connector) as session:
        for target in targets:  # warm-up: each conversation once, one at a time, not measured
            warm = LevelResult(target.name, 0, 0)
            for i, conv in enumerate(conversations[:warmup]):
                for turn in conv.turns:
                    await send(session, target, f"w{run_tag}-{target.name[:2]}{target.name[-4:]}-{i}", turn, warm,
                               timeout)
            if warm.errors:
                echo(f"warm-up on {target.name}: errors {warm.errors} {warm.examples[:2]}")
        sampler = asyncio.create_task(sample_memory(pids, peaks, stop))
        try:
            for variety in varieties:
                say = wording.for_variety(variety)
                for level in levels:
                    per_target = {t.name: LevelResult(t.name, level, 0.0, variety) for t in targets}
                    for n in range(slices):
                        for target in (targets if n % 2 == 0 else targets[::-1]):
                            tag = f"b{run_tag}-{variety[0]}{target.name[0]}{target.name[8:10]}{level}-{n}"
                            serving = [pid for name, pid in pids.items() if serves(name, target.name)]
                            cpu0 = sum(cpu_seconds(pid) for pid in serving)
                            await run_level(session, target, conversations, level, seconds / slices, tag, timeout,
                                            per_target[target.name], say)
                            per_target[target.name].cpu_s += sum(cpu_seconds(pid) for pid in serving) - cpu0
                            await asyncio.sleep(0.5)
                    for target in targets:
                        s = per_target[target.name].summary()
                        results.append(s)
                        echo(f"{TARGET_LABELS[target.name]:18} {variety:8} x{level:<3} {s['messages_per_s']:7.1f} "
                             f"msg/s  p50 {s['p50_ms']} ms  p95 {s['p95_ms']} ms  p99 {s['p99_ms']} ms  errors "
                             f"{s['errors']}  unexpected {s['unexpected_answers']}  CPU {s['cpu_ms_per_message']} "
                             "ms/msg")
            if after is not None:
                await after(session)
        finally:
            stop.set()
            await sampler
    return results, peaks
