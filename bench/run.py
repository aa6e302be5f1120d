#!/usr/bin/env python3
"""`make bench`: our stack against stock Rasa, same model, same action server, same simulated citizens.

    .venv/bin/python bench/run.py                    levels 1, 10, 50 concurrent conversations, 20 s each
    .venv/bin/python bench/run.py --quick            smoke run: levels 1 and 10, 3 s each
    .venv/bin/python bench/run.py --seconds 10 --levels 1,50
    .venv/bin/python bench/run.py --project /tmp/toy --model /tmp/toy/models/t.tar.gz

Starts our stack through scripts/run_stack.py (action server, Rasa with channels.guarded_rest and the SQLite
tracker store, web app with its rate limits disabled) and stock Rasa (`rasa run`, in-memory tracker store, one
process, built-in `rest:` channel, pointed at the same action server), each on free ports of 127.0.0.1. Simulated
citizens (bench/conversations.yml, one sender id per conversation) then talk at each concurrency level for a
bounded time to: our web app (POST /api/chat), our Rasa directly (REST channel), stock Rasa (REST channel).
Reports messages/s, latency p50/p95/p99, errors, resident memory (VmRSS) per process, cold start (launch to first
answer), training time (`trained in N s` in <project>/logs/train.log), model size and offices_kb lookup p50/p95
(scripts/bench_kb.py), each with the ratio project / stock; writes bench/results.json. Service logs go to
logs/bench/. It measures; it asserts nothing about timings.

Sending traffic only to 127.0.0.1; every request has a timeout; every level stops after --seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import yaml

ROOT = Path(__file__).resolve().parent.parent  # the serving code (actions, channels, bot) always comes from here
HOST = "127.0.0.1"
TARGETS = ("project_web", "project_rest", "stock_rest")
TARGET_LABELS = {"project_web": "project /api/chat", "project_rest": "project Rasa REST",
                 "stock_rest": "stock Rasa REST"}


sys.path.insert(0, str(ROOT))
from bot.replies import degraded_reason  # noqa: E402
from scripts import run_stack  # noqa: E402


def echo(msg: str) -> None:
    print(f"[bench] {msg}", flush=True)


# ---------------------------------------------------------------- conversations


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


# ---------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        tree.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return tree


def _status_kb(path: Path, key: str) -> int:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def memory_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, PSS) of a process and all its descendants, in MB.

    Sanic workers (SANIC_WORKERS > 1) are forked children of the `rasa run` process: their VmRSS counts the pages
    they share with it once per process, PSS splits shared pages between the processes that map them.
    """
    tree = _children()
    rss_kb = pss_kb = 0
    todo, seen = [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        rss_kb += _status_kb(Path(f"/proc/{p}/status"), "VmRSS:")
        pss_kb += _status_kb(Path(f"/proc/{p}/smaps_rollup"), "Pss:")
        todo.extend(tree.get(p, []))
    return rss_kb / 1024, pss_kb / 1024


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
SERVES = {"project_web": ("web", "rasa", "actions"), "project_rest": ("rasa", "actions"),
          "stock_rest": ("stock_rasa", "actions")}  # the processes that work for each target


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its live descendants."""
    tree = _children()
    ticks, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
        todo.extend(tree.get(p, []))
    return ticks / CLOCK_TICKS


class BenchStack(run_stack.Stack):  # type: ignore[misc,name-defined]
    """Our stack exactly as `make run` starts it, except that the SQLite tracker store lives in the run dir."""

    def __init__(self, config: Any, run_dir: Path, endpoints: Path) -> None:
        self.run_dir = run_dir
        self.endpoints = endpoints
        super().__init__(config, echo=lambda m: echo(f"project: {m}"))

    def _endpoints_file(self) -> Path:
        c = self.config
        data = yaml.safe_load(self.endpoints.read_text(encoding="utf-8")) or {}
        data.setdefault("action_endpoint", {})["url"] = f"{c.url('actions')}/webhook"
        store = data.get("tracker_store") or {}
        if str(store.get("dialect", "")).startswith("sqlite"):
            store["db"] = str(self.run_dir / "tracker.db")
        locks = data.get("lock_store") or {}
        if str(locks.get("type", "")).endswith("SQLiteLockStore"):
            locks["db"] = str(self.run_dir / "locks.db")
        path = self.run_dir / "endpoints-project.yml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path


@dataclass
class StockRasa:
    """`rasa run` with its defaults: in-memory tracker and lock store, one process, built-in REST channel."""

    rasa_cmd: list[str]
    model: Path
    port: int
    actions_url: str
    run_dir: Path
    log_path: Path
    env: dict[str, str]
    proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        d = self.run_dir / "stock"
        d.mkdir(parents=True, exist_ok=True)
        (d / "endpoints.yml").write_text(f'action_endpoint:\n  url: "{self.actions_url}/webhook"\n', encoding="utf-8")
        (d / "credentials.yml").write_text("rest:\n", encoding="utf-8")
        cmd = [*self.rasa_cmd, "run", "-m", str(self.model), "--endpoints", str(d / "endpoints.yml"),
               "--credentials", str(d / "credentials.yml"), "--interface", HOST, "--port", str(self.port)]
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(  # noqa: S603 - fixed argument list
                cmd, cwd=d, env=self.env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, grace: float = 20.0) -> None:
        if not self.alive():
            return
        assert self.proc is not None
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=grace)
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)


def first_answer(url: str, payload: dict[str, str], timeout: float, alive: Callable[[], bool]) -> float:
    """Poll until `url` answers the message with 200 and a non-empty body; returns the monotonic time."""
    deadline = time.monotonic() + timeout
    body = json.dumps(payload, ensure_ascii=False).encode()
    while time.monotonic() < deadline:
        if not alive():
            raise RuntimeError(f"process for {url} exited before it answered")
        req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310 - 127.0.0.1 only
                if resp.status == 200 and json.loads(resp.read() or b"null"):
                    return time.monotonic()
        except (urllib.error.URLError, OSError, TimeoutError, ValueError):
            pass
        time.sleep(0.25)
    raise RuntimeError(f"no answer from {url} within {timeout:.0f} s")


# ---------------------------------------------------------------- load


@dataclass
class Target:
    name: str
    url: str
    web: bool  # True: the web app's {"replies": [...]}; False: Rasa's REST list of messages


@dataclass
class LevelResult:
    target: str
    level: int
    seconds: float
    ok: list[float] = field(default_factory=list)  # latencies (ms) of answered turns
    errors: dict[str, int] = field(default_factory=dict)
    unexpected: int = 0
    conversations: int = 0
    examples: list[str] = field(default_factory=list)
    cpu_s: float = 0.0  # CPU time of the processes serving this target (SERVES) while it ran

    def error(self, kind: str, detail: str = "") -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1
        if detail and len(self.examples) < 5:
            self.examples.append(f"{kind}: {detail[:200]}")

    def summary(self) -> dict[str, Any]:
        lat = sorted(self.ok)
        return {
            "target": self.target, "level": self.level, "seconds": round(self.seconds, 2),
            "messages": len(lat), "messages_per_s": round(len(lat) / self.seconds, 2) if self.seconds else 0.0,
            "p50_ms": pct(lat, 0.50), "p95_ms": pct(lat, 0.95), "p99_ms": pct(lat, 0.99),
            "mean_ms": round(statistics.fmean(lat), 1) if lat else None,
            "cpu_ms_per_message": round(1000 * self.cpu_s / len(lat), 1) if lat else None,
            "errors": sum(self.errors.values()), "error_kinds": self.errors, "error_examples": self.examples,
            "unexpected_answers": self.unexpected, "conversations_started": self.conversations,
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
               timeout: aiohttp.ClientTimeout) -> bool:
    start = time.perf_counter()
    try:
        async with session.post(target.url, json={"sender": sender, "message": turn.say}, timeout=timeout) as resp:
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
    return True


async def citizen(session: aiohttp.ClientSession, target: Target, conversations: list[Conversation], user: int,
                  tag: str, deadline: float, result: LevelResult, timeout: aiohttp.ClientTimeout) -> None:
    k = 0
    while time.monotonic() < deadline:
        conv = conversations[(user + k) % len(conversations)]
        sender = f"{tag}-{user}-{k}"
        result.conversations += 1
        k += 1
        for turn in conv.turns:
            if time.monotonic() >= deadline:
                return
            if not await send(session, target, sender, turn, result, timeout):
                break  # a real citizen would start over after a failed turn


async def run_level(session: aiohttp.ClientSession, target: Target, conversations: list[Conversation], level: int,
                    seconds: float, tag: str, timeout: aiohttp.ClientTimeout, result: LevelResult) -> None:
    """`level` citizens talk to `target` for `seconds`; adds to `result` (one slice of a level)."""
    start = time.monotonic()
    deadline = start + seconds
    tasks = [citizen(session, target, conversations, u, tag, deadline, result, timeout) for u in range(level)]
    await asyncio.gather(*tasks)
    result.seconds += time.monotonic() - start  # includes the last in-flight turns


async def sample_memory(pids: dict[str, int], peaks: dict[str, float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        for name, pid in pids.items():
            rss, pss = memory_mb(pid)
            peaks[name] = max(peaks.get(name, 0.0), rss)
            peaks[f"{name}_pss"] = max(peaks.get(f"{name}_pss", 0.0), pss)
        try:
            await asyncio.wait_for(stop.wait(), timeout=1.0)
        except asyncio.TimeoutError:
            pass


async def drive(targets: list[Target], conversations: list[Conversation], levels: list[int], seconds: float,
                slices: int, pids: dict[str, int], timeout_s: float,
                warmup: int) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """Warm up, then per level: the targets take turns in `slices` slices (order reversed every other slice), so
    that load from other programs on a shared machine falls on project and stock alike."""
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
            for level in levels:
                per_target = {t.name: LevelResult(t.name, level, 0.0) for t in targets}
                for n in range(slices):
                    for target in (targets if n % 2 == 0 else targets[::-1]):
                        tag = f"b{run_tag}-{target.name[0]}{target.name[8:10]}{level}-{n}"
                        serving = [pids[name] for name in SERVES[target.name] if name in pids]
                        cpu0 = sum(cpu_seconds(pid) for pid in serving)
                        await run_level(session, target, conversations, level, seconds / slices, tag, timeout,
                                        per_target[target.name])
                        per_target[target.name].cpu_s += sum(cpu_seconds(pid) for pid in serving) - cpu0
                        await asyncio.sleep(0.5)
                for target in targets:
                    s = per_target[target.name].summary()
                    results.append(s)
                    echo(f"{TARGET_LABELS[target.name]:18} x{level:<3} {s['messages_per_s']:7.1f} msg/s  "
                         f"p50 {s['p50_ms']} ms  p95 {s['p95_ms']} ms  p99 {s['p99_ms']} ms  errors {s['errors']}  "
                         f"unexpected {s['unexpected_answers']}  CPU {s['cpu_ms_per_message']} ms/msg")
        finally:
            stop.set()
            await sampler
    return results, peaks


# ---------------------------------------------------------------- static figures


def training_seconds(project: Path) -> float | None:
    log = project / "logs" / "train.log"
    if not log.is_file():
        return None
    found = re.findall(r"trained in (\d+(?:\.\d+)?) s", log.read_text(encoding="utf-8", errors="replace"))
    return float(found[-1]) if found else None


def kb_timings(rounds: int, run_dir: Path) -> dict[str, Any] | None:
    out = run_dir / "kb.json"
    cmd = [sys.executable, str(ROOT / "scripts" / "bench_kb.py"), "--rounds", str(rounds), "--json", str(out)]
    try:
        subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, timeout=300)  # noqa: S603
        return json.loads(out.read_text(encoding="utf-8"))
    except (subprocess.SubprocessError, OSError, ValueError) as exc:
        echo(f"offices_kb timing failed: {exc}")
        return None


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                    if ln.startswith("model name")), "")
        mem_kb = int(next(ln.split()[1] for ln in Path("/proc/meminfo").read_text().splitlines()
                          if ln.startswith("MemTotal")))
    except (OSError, StopIteration, ValueError):
        mem_kb = 0
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,  # noqa: S607
                                text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    try:
        from importlib.metadata import version
        rasa_version = version("rasa")
    except Exception:  # noqa: BLE001 - informational only
        rasa_version = ""
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(mem_kb / 1024 / 1024, 1),
            "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
            "rasa": rasa_version, "commit": commit, "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}


# ---------------------------------------------------------------- report


def ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or not b:
        return "—"
    return f"{a / b:.2f}x"


def fmt(v: float | None, digits: int = 1) -> str:
    return "—" if v is None else f"{v:.{digits}f}"


def table(report: dict[str, Any]) -> str:
    lines: list[str] = []
    m = report["machine"]
    lines.append(f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; {m['os']}; Python {m['python']}, "
                 f"Rasa {m['rasa']}; commit {m['commit']}; load average at start {m['load_average_at_start']}")
    lines.append(f"Model: {report['model']['path']} ({report['model']['size_mb']} MB); "
                 f"{report['seconds_per_level']:.0f} s per level and target in {report['slices_per_level']}"
                 f" alternating slices; {report['conversations']} conversations")
    by = {(r["target"], r["level"]): r for r in report["levels"]}
    targets = [t for t in TARGETS if any(r["target"] == t for r in report["levels"])]
    project = [t for t in targets if t != "stock_rest"]
    has_stock = "stock_rest" in targets
    head = f"{'':16}" + "".join(f"{TARGET_LABELS[t]:>19}" for t in targets)
    if has_stock:
        head += "".join(f"{('web' if t == 'project_web' else 'REST') + '/stock':>12}" for t in project)
    metrics = [("messages/s", "messages_per_s", 1), ("p50 ms", "p50_ms", 1), ("p95 ms", "p95_ms", 1),
               ("p99 ms", "p99_ms", 1), ("CPU ms/msg", "cpu_ms_per_message", 1), ("errors", "errors", 0),
               ("unexpected", "unexpected_answers", 0)]
    for level in report["levels_run"]:
        lines.append("")
        lines.append(f"{level} concurrent conversation{'s' if level > 1 else ''}")
        lines.append(head)
        for label, key, digits in metrics:
            row = f"  {label:14}" + "".join(f"{fmt(by.get((t, level), {}).get(key), digits):>19}" for t in targets)
            if has_stock:
                stock = by.get(("stock_rest", level), {}).get(key)
                row += "".join(f"{ratio(by.get((t, level), {}).get(key), stock):>12}" for t in project)
            lines.append(row)
    mem = report["memory_mb"]
    lines.append("")
    lines.append(f"{'resident memory (peak VmRSS, MB)':36}{'project':>10}{'stock':>10}{'project/stock':>15}")
    stock_total = mem.get("stock_total")
    lines.append(f"  {'Rasa':34}{fmt(mem.get('rasa'), 0):>10}{fmt(mem.get('stock_rasa'), 0):>10}"
                 f"{ratio(mem.get('rasa'), mem.get('stock_rasa')):>15}")
    lines.append(f"  {'action server (one, shared)':34}{fmt(mem.get('actions'), 0):>10}"
                 f"{fmt(mem.get('actions'), 0) if has_stock else '—':>10}")
    lines.append(f"  {'web app':34}{fmt(mem.get('web'), 0):>10}{'—':>10}")
    lines.append(f"  {'total':34}{fmt(mem.get('project_total'), 0):>10}{fmt(stock_total, 0):>10}"
                 f"{ratio(mem.get('project_total'), stock_total):>15}")
    lines.append(f"  {'total PSS (shared pages split)':34}{fmt(mem.get('project_total_pss'), 0):>10}"
                 f"{fmt(mem.get('stock_total_pss'), 0):>10}"
                 f"{ratio(mem.get('project_total_pss'), mem.get('stock_total_pss')):>15}")
    cold = report["cold_start_s"]
    lines.append("")
    lines.append(f"{'cold start (launch to first answer), s':36}{fmt(cold.get('project')):>10}"
                 f"{fmt(cold.get('stock')):>10}{ratio(cold.get('project'), cold.get('stock')):>15}")
    train = report["training_s"]
    lines.append(f"{'training time, s (same model)':36}{fmt(train, 0) if train is not None else 'not logged':>10}"
                 f"{fmt(train, 0) if train is not None else '—':>10}{'1.00x' if train else '—':>15}")
    size = report["model"]["size_mb"]
    lines.append(f"{'model size, MB (same model)':36}{size:>10}{size:>10}{'1.00x':>15}")
    kb = report.get("offices_kb")
    if kb:
        for label in ("name", "sentence"):
            r = kb[label]
            lines.append(f"{'offices_kb lookup p50/p95 ms, ' + label:36}{r['p50_ms']:>10}{r['p95_ms']:>10}"
                         f"{'(project only; n=' + str(r['n']) + ')':>24}")
    return "\n".join(lines)


# ---------------------------------------------------------------- main


def default_model(project: Path) -> Path:
    preferred = project / "models" / "assistant.tar.gz"
    if preferred.is_file():
        return preferred
    found = run_stack.find_model(project)
    if found is None:
        raise SystemExit(f"no trained model in {project / 'models'} (run `make train`, or pass --model)")
    return Path(found)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--project", type=Path, default=ROOT,
                   help="Rasa project whose model and logs/train.log are benchmarked (default: this repository)")
    p.add_argument("--model", type=Path, help="model file (default: <project>/models/assistant.tar.gz)")
    p.add_argument("--seconds", type=float, default=20.0, help="seconds per level and target (default 20)")
    p.add_argument("--levels", default="1,10,50", help="concurrent conversations per level (default 1,10,50)")
    p.add_argument("--slices", type=int, default=4,
                   help="each level's time is split in this many slices, the targets taking turns (default 4)")
    p.add_argument("--quick", action="store_true", help="smoke run: levels 1,10 for 3 s, one warm-up pass")
    p.add_argument("--targets", default=",".join(TARGETS), help=f"subset of {','.join(TARGETS)}")
    p.add_argument("--endpoints", type=Path, default=ROOT / "endpoints.yml",
                   help="endpoints file for our Rasa (default endpoints.yml; a SQLite tracker store is moved to a temp "
                        "dir, the action server URL set to the benchmark's)")
    p.add_argument("--conversations", type=Path, default=ROOT / "bench" / "conversations.yml")
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per request before it counts as an error")
    p.add_argument("--start-timeout", type=float, default=600.0, help="seconds for a service to come up")
    p.add_argument("--kb-rounds", type=int, default=3)
    p.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                   help="extra environment for our stack's processes (e.g. SANIC_WORKERS=2); repeatable")
    p.add_argument("--label", default="", help="free text stored in results.json (what this run tried)")
    args = p.parse_args(argv)
    if args.quick:
        args.seconds = min(args.seconds, 3.0)
        args.slices = 1
        if args.levels == "1,10,50":
            args.levels = "1,10"
    args.levels = [int(x) for x in str(args.levels).split(",") if x.strip()]
    args.targets = [t for t in TARGETS if t in str(args.targets).split(",")]
    if not args.targets or not args.levels or min(args.levels) < 1:
        p.error("need at least one target and levels >= 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    project = args.project.resolve()
    model = (args.model or default_model(project)).resolve()
    if not model.is_file():
        raise SystemExit(f"model not found: {model}")
    conversations = load_conversations(args.conversations)
    random.Random(7).shuffle(conversations)  # topics mixed, same order every run
    run_dir = Path(tempfile.mkdtemp(prefix="bench-"))
    log_dir = ROOT / "logs" / "bench"
    shutil.rmtree(log_dir, ignore_errors=True)
    log_dir.mkdir(parents=True)
    (run_dir / "models").mkdir()
    (run_dir / "models" / "model.tar.gz").symlink_to(model)
    report: dict[str, Any] = {
        "label": args.label, "started": time.strftime("%Y-%m-%d %H:%M:%S %z"), "machine": machine(),
        "model": {"path": str(model), "size_mb": round(model.stat().st_size / 1e6, 1)},
        "seconds_per_level": args.seconds, "slices_per_level": args.slices, "levels_run": args.levels,
        "conversations": len(conversations),
        "project_env": args.env, "project_endpoints": str(args.endpoints),
    }
    echo(f"timing offices_kb.lookup ({args.kb_rounds} rounds)")
    report["offices_kb"] = kb_timings(1 if args.quick else args.kb_rounds, run_dir)
    report["training_s"] = training_seconds(project)

    extra_env = {"RATE_LIMIT_PER_MIN": "0", "SENDER_RATE_LIMIT_PER_MIN": "0", "CONSOLE_TOKEN": secrets.token_hex(16),
                 "VAR_DIR": str(run_dir / "var"), "TRACKER_DB": str(run_dir / "tracker.db")}
    extra_env.update(kv.split("=", 1) for kv in args.env)  # type: ignore[arg-type]
    config = run_stack.StackConfig.from_env(
        root=ROOT, host=HOST, actions_port=free_port(), rasa_port=free_port(), web_port=free_port(),
        models=str(run_dir / "models"), log_dir=log_dir, timeout=args.start_timeout, python=sys.executable,
        extra_env=extra_env)
    if not config.rasa_token:  # the launcher's token_urlsafe() may start with "-", which `rasa run -t` rejects
        config.rasa_token = secrets.token_hex(24)
    stack = BenchStack(config, run_dir, args.endpoints.resolve())
    stock_port = free_port()
    stock_env = {k: v for k, v in stack._env().items() if k not in extra_env}  # the launcher's env, stock settings
    stock_env.pop("SANIC_WORKERS", None)  # stock: one process (with its in-memory lock store Rasa allows no more)
    report["rasa_workers"] = int(stack._env()["SANIC_WORKERS"])  # --env SANIC_WORKERS=... wins
    stock = StockRasa(stack.services["rasa"].cmd[: stack.services["rasa"].cmd.index("run")], model, stock_port,
                      config.url("actions"), run_dir, log_dir / "stock-rasa.log", stock_env)
    hello = {"sender": f"cold{secrets.token_hex(3)}", "message": "你好"}
    try:
        with run_stack.signals_raise_interrupt():
            echo(f"starting our stack (logs in {log_dir})")
            t0 = time.monotonic()
            stack.start()
            t1 = first_answer(f"{config.url('web')}/api/chat", hello, args.start_timeout, lambda: True)
            cold = {"project": round(t1 - t0, 1)}
            if "stock_rest" in args.targets:
                echo("starting stock Rasa")
                t0 = time.monotonic()
                stock.start()
                t1 = first_answer(f"http://{HOST}:{stock_port}/webhooks/rest/webhook", hello, args.start_timeout,
                                  stock.alive)
                cold["stock"] = round(t1 - t0, 1)
            report["cold_start_s"] = cold
            echo(f"cold start: {cold}")
            targets = {
                "project_web": Target("project_web", f"{config.url('web')}/api/chat", web=True),
                "project_rest": Target("project_rest", f"{config.url('rasa')}/webhooks/rest/webhook", web=False),
                "stock_rest": Target("stock_rest", f"http://{HOST}:{stock_port}/webhooks/rest/webhook", web=False),
            }
            pids = {name: s.proc.pid for name, s in stack.services.items() if s.proc is not None}
            if stock.proc is not None:
                pids["stock_rasa"] = stock.proc.pid
            idle = {name: round(memory_mb(pid)[0], 1) for name, pid in pids.items()}
            levels, peaks = asyncio.run(drive(
                [targets[t] for t in args.targets], conversations, args.levels, args.seconds, args.slices, pids,
                args.timeout,
                warmup=3 if args.quick else len(conversations)))
            stack.check_alive()
    except KeyboardInterrupt:
        echo("interrupted")
        return 130
    finally:
        stock.stop()
        stack.stop()
        shutil.rmtree(run_dir, ignore_errors=True)
    mem: dict[str, Any] = {k: round(v, 1) for k, v in peaks.items()}
    mem["idle"] = idle
    for suffix in ("", "_pss"):
        mem[f"project_total{suffix}"] = round(sum(peaks.get(k + suffix, 0.0) for k in ("actions", "rasa", "web")), 1)
        if "stock_rasa" in peaks:
            mem[f"stock_total{suffix}"] = round(peaks["stock_rasa" + suffix] + peaks.get("actions" + suffix, 0.0), 1)
    report.update({"levels": levels, "memory_mb": mem})
    text = table(report)
    report["table"] = text
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print()
    print(text)
    print(f"\nwritten: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
