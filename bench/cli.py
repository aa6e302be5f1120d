"""`python -m bench`: the options, the run (our stack and stock Rasa started, driven, stopped) and results.json."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

import bench
from bench import echo
from bench.figures import kb_timings, machine, training_seconds
from bench.load import TARGETS, Target, drive, load_conversations
from bench.long import measure_long
from bench.procstats import memory_mb, process_memory
from bench.report import table
from bench.servers import HOST, first_answer, project_endpoints, stock_actions, stock_rasa, throwaway_postgres
from bench.variety import VARIETIES, Wording
from devtools.net import free_port_run, free_ports
from devtools.process import signals_raise_interrupt, wait_ready
from devtools.rasa import default_rasa_workers, find_model
from devtools.stack import ROOT, Stack, StackConfig
from envsettings import env_range

# our stack's three ports and stock Rasa's, below Linux's ephemeral ports; BENCH_PORTS=LOW-HIGH on a shared machine
DEFAULT_PORTS = (18000, 18999)


def default_model(project: Path) -> Path:
    preferred = project / "models" / "assistant.tar.gz"
    if preferred.is_file():
        return preferred
    found = find_model(project)
    if found is None:
        raise SystemExit(f"no trained model in {project / 'models'} (run `make train`, or pass --model)")
    return Path(found)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=bench.__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
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
    p.add_argument("--varieties", default=",".join(VARIETIES),
                   help="repeated: the conversations' own questions again and again; unique: every message worded "
                        "anew, so no parse cache helps (bench/variety.py); default both")
    p.add_argument("--long", default="10,100,500",
                   help="long conversations: turns before the measured messages (default 10,100,500; 0: none)")
    p.add_argument("--postgres", action="store_true",
                   help="our tracker store on a throwaway PostgreSQL server (make test-scale's) instead of SQLite")
    p.add_argument("--probes", type=int, default=10, help="measured messages per long conversation (default 10)")
    args = p.parse_args(argv)
    if args.quick:
        args.seconds = min(args.seconds, 3.0)
        args.slices = 1
        if args.levels == "1,10,50":
            args.levels = "1,10"
        if args.long == "10,100,500":
            args.long = "10"
        args.probes = min(args.probes, 3)
    args.levels = [int(x) for x in str(args.levels).split(",") if x.strip()]
    args.targets = [t for t in TARGETS if t in str(args.targets).split(",")]
    args.long = [int(x) for x in str(args.long).split(",") if x.strip() and int(x) > 0]
    args.varieties = [v for v in VARIETIES if v in str(args.varieties).split(",")]
    if not args.targets or not args.levels or min(args.levels) < 1 or not args.varieties:
        p.error("need at least one target, one variety and levels >= 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with contextlib.ExitStack() as resources:  # closed last to first: PostgreSQL, then the run's directory
        return _run(args, resources)


def _run(args: argparse.Namespace, resources: contextlib.ExitStack) -> int:
    project = args.project.resolve()
    model = (args.model or default_model(project)).resolve()
    if not model.is_file():
        raise SystemExit(f"model not found: {model}")
    conversations = load_conversations(args.conversations)
    random.Random(7).shuffle(conversations)  # topics mixed, same order every run
    run_dir = Path(tempfile.mkdtemp(prefix="bench-"))
    resources.callback(shutil.rmtree, run_dir, ignore_errors=True)
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
        "project_tracker_store": "PostgreSQL (throwaway, no durability)" if args.postgres else "endpoints file",
    }
    echo(f"timing offices_kb.lookup ({args.kb_rounds} rounds)")
    report["offices_kb"] = kb_timings(1 if args.quick else args.kb_rounds, run_dir)
    report["training_s"] = training_seconds(project)

    extra_env = {"RATE_LIMIT_PER_MIN": "0", "SENDER_RATE_LIMIT_PER_MIN": "0", "CONSOLE_TOKEN": secrets.token_hex(16),
                 "VAR_DIR": str(run_dir / "var"), "TRACKER_DB": str(run_dir / "tracker.db")}
    extra_env.update(kv.split("=", 1) for kv in args.env)  # type: ignore[arg-type]
    workers = int(extra_env.pop("SANIC_WORKERS", "") or default_rasa_workers())  # our stack's Rasa processes
    low, high = env_range("BENCH_PORTS", DEFAULT_PORTS)
    actions_port, web_port, stock_port, stock_actions_port, pg_port = free_ports(5, low, high, HOST)
    # rasa-N listens on rasa_port + N - 1: one run of free ports for all of them
    rasa_port = free_port_run(workers, low, high, HOST,
                              avoid={actions_port, web_port, stock_port, stock_actions_port, pg_port})
    tracker_store = None
    if args.postgres:
        echo("starting a throwaway PostgreSQL for our tracker store")
        tracker_store = resources.enter_context(throwaway_postgres(run_dir, pg_port, echo))
    config = StackConfig.from_env(
        root=ROOT, host=HOST, actions_port=actions_port, rasa_port=rasa_port, web_port=web_port,
        models=str(run_dir / "models"), log_dir=log_dir, timeout=args.start_timeout, python=sys.executable,
        endpoints=project_endpoints(args.endpoints.resolve(), f"http://{HOST}:{actions_port}", run_dir,
                                    tracker_store),
        extra_env=extra_env)
    config.rasa_workers = workers
    stack = Stack(config, echo=lambda m: echo(f"project: {m}"))
    report["rasa_workers"] = stack.config.rasa_workers
    stock_actions_server = stock_actions(config.python, config.rasa_bin, stock_actions_port,
                                         log_dir / "stock-actions.log")
    stock = stock_rasa(config.python, config.rasa_bin, model, stock_port, f"http://{HOST}:{stock_actions_port}",
                       run_dir, log_dir / "stock-rasa.log")
    wording = Wording()
    long_rows: list[dict[str, Any]] = []
    worker_memory: dict[str, list[dict[str, Any]]] = {}
    hello = {"sender": f"cold{secrets.token_hex(3)}", "message": "你好"}
    try:
        with signals_raise_interrupt():
            echo(f"starting our stack (logs in {log_dir})")
            t0 = time.monotonic()
            stack.start()
            t1 = first_answer(f"{config.url('web')}/api/chat", hello, args.start_timeout, lambda: True)
            cold = {"project": round(t1 - t0, 1)}
            if "stock_rest" in args.targets:
                echo("starting stock Rasa")
                t0 = time.monotonic()
                stock_actions_server.start()
                stock.start()
                wait_ready([stock_actions_server], args.start_timeout, echo=lambda m: echo(f"stock: {m}"))
                t1 = first_answer(f"http://{HOST}:{stock_port}/webhooks/rest/webhook", hello, args.start_timeout,
                                  stock.running)
                cold["stock"] = round(t1 - t0, 1)
            report["cold_start_s"] = cold
            echo(f"cold start: {cold}")
            targets = {
                "project_web": Target("project_web", f"{config.url('web')}/api/chat", web=True),
                "project_rest": Target("project_rest", f"{config.url('rasa')}/webhooks/rest/webhook", web=False,
                                       more=tuple(f"{config.url(n)}/webhooks/rest/webhook"
                                                  for n in config.rasa_names()[1:])),
                "stock_rest": Target("stock_rest", f"http://{HOST}:{stock_port}/webhooks/rest/webhook", web=False),
            }
            pids = {s.name: s.pid for s in [*stack.services.values(), stock, stock_actions_server]
                    if s.pid is not None}
            idle = {name: round(memory_mb(pid)[0], 1) for name, pid in pids.items()}

            async def after(session: Any) -> None:
                worker_memory.update({name: process_memory(pid) for name, pid in pids.items()})
                if args.long:
                    timeout = aiohttp.ClientTimeout(total=args.timeout, connect=5)
                    long_targets = [targets[t] for t in ("project_web", "stock_rest") if t in args.targets]
                    long_rows.extend(await measure_long(session, long_targets, conversations, args.long,
                                                        args.probes, timeout, wording))

            levels, peaks = asyncio.run(drive(
                [targets[t] for t in args.targets], conversations, args.levels, args.seconds, args.slices, pids,
                args.timeout, warmup=3 if args.quick else len(conversations), varieties=args.varieties,
                wording=wording, after=after))
            report["unique_messages"] = {"sent": len(wording.seen), "reused": wording.reused,
                                         "variants_per_turn": wording.capacity()}
            report["long_conversations"] = long_rows
            stack.check_alive()
    except KeyboardInterrupt:
        echo("interrupted")
        return 130
    finally:
        stock.stop()
        stock_actions_server.stop()
        stack.stop()
    for suffix in ("", "_pss"):  # our Rasa is one process per worker: their sum is "rasa"
        peaks["rasa" + suffix] = sum(v for k, v in peaks.items()
                                     if k.startswith("rasa-") and k.endswith(suffix) and ("_pss" in k) == bool(suffix))
    mem: dict[str, Any] = {k: round(v, 1) for k, v in peaks.items()}
    mem["idle"] = idle
    mem["processes"] = worker_memory
    for suffix in ("", "_pss"):
        mem[f"project_total{suffix}"] = round(sum(peaks.get(k + suffix, 0.0) for k in ("actions", "rasa", "web")), 1)
        if "stock_rasa" in peaks:
            mem[f"stock_total{suffix}"] = round(peaks["stock_rasa" + suffix] + peaks.get("stock_actions" + suffix, 0.0),
                                                1)
    report.update({"levels": levels, "memory_mb": mem})
    text = table(report)
    report["table"] = text
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print()
    print(text)
    print(f"\nwritten: {args.out}")
    return 0

