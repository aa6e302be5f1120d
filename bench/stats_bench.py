"""How fast the console's dashboard API answers on a year of data (make bench-stats).

    python -m bench.stats_bench                       # SQLite var/bench/tracker-1m.db, made when missing
    python -m bench.stats_bench --url postgresql://user:pw@127.0.0.1:25432/db --fill

Fills a tracker store with generated conversations (bench/tracker_fill.py, 1,000,000 events over 365 days),
starts the web app on a free port of 127.0.0.1 (no rate limit), times the first full rollup of the store, then
GET /console/api/stats?days=7|30|365 and stats.csv?days=365 over HTTP, `--requests` each: once with nothing new,
once with `--new` fresh events written before every request while the background refresh counts them every
`--refresh` seconds in the same process. Prints p50/p95/max in ms and the CPU time per request (server and
client share the process; the refreshes running meanwhile count too), which other processes on the machine do not
inflate. A benchmark: it measures, it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import statistics
import time
from pathlib import Path
from typing import Any

import aiohttp
import sqlalchemy as sa
from aiohttp import web

from bench.tracker_fill import COLUMNS, ROOT, Generator, add_postgres, fill_postgres, fill_sqlite
from bot import keys
from bot.app import create_app
from bot.settings import Settings

TOKEN = "bench-console-token-0123456789"
DEFAULT_DB = ROOT / "var" / "bench" / "tracker-1m.db"
TARGETS = ("stats?days=7", "stats?days=30", "stats?days=365", "stats.csv?days=365")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _settings(args: argparse.Namespace) -> Settings:
    db = args.db.resolve()
    return Settings(console_token=TOKEN, var_dir=db.parent, tracker_db=db, tracker_store_url=args.url or "",
                    rate_per_min=0, sender_rate_per_min=0, stats_refresh_s=0, stats_settle_s=30)


async def _keep_counting(app: web.Application, period_s: float, stop: asyncio.Event) -> None:
    """The background refresh, every `period_s` while the live scenario writes events (a tenth of production's)."""
    while not stop.is_set():
        await asyncio.to_thread(app[keys.STATS].refresh)
        try:
            await asyncio.wait_for(stop.wait(), period_s)
        except asyncio.TimeoutError:
            pass


def _drop_rollup(settings: Settings) -> None:
    url = settings.tracker_store_url or f"sqlite:///{settings.tracker_db}"
    engine = sa.create_engine(url, future=True)
    with engine.connect() as conn:
        for table in ("stats_state", "stats_daily", "stats_unanswered"):
            conn.execute(sa.text(f"DROP TABLE IF EXISTS {table}"))
        conn.commit()
        events = conn.execute(sa.text("SELECT count(*) FROM events")).scalar()
    engine.dispose()
    print(f"store: {settings.tracker_store_url.split('@')[-1] or settings.tracker_db} with {events:,} events")


def _add_events(settings: Settings, rows: list[tuple[Any, ...]]) -> None:
    """Fresh events, as Rasa would write them meanwhile (older than the rollup's settle time)."""
    if settings.tracker_store_url:
        add_postgres(settings.tracker_store_url, rows)
        return
    with sqlite3.connect(settings.tracker_db) as conn:
        conn.executemany(f"INSERT INTO events ({', '.join(COLUMNS)}) VALUES (?,?,?,?,?,?)", rows)


async def _time(http: aiohttp.ClientSession, url: str) -> float:
    started = time.perf_counter()
    async with http.get(url, headers={"Authorization": f"Bearer {TOKEN}"}) as resp:
        await resp.read()
        if resp.status != 200:
            raise SystemExit(f"{url}: HTTP {resp.status}")
    return (time.perf_counter() - started) * 1000


async def run(args: argparse.Namespace) -> dict[str, Any]:
    settings = _settings(args)
    _drop_rollup(settings)
    app = create_app(settings)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    base = f"http://127.0.0.1:{port}/console/api/"
    results: dict[str, Any] = {"events": args.events, "requests": args.requests}
    try:
        started, cpu = time.perf_counter(), time.process_time()
        progress = await asyncio.to_thread(app[keys.STATS].refresh)
        results["rollup_s"] = round(time.perf_counter() - started, 1)
        results["rollup_cpu_s"] = round(time.process_time() - cpu, 1)
        print(f"first rollup of the store: {results['rollup_s']} s ({results['rollup_cpu_s']} s CPU), "
              f"to event {progress.last_id if progress else '?'}")
        fresh = Generator(days=1, end=time.time() - 60, seed=99).rows(args.new * args.requests * len(TARGETS))
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:
            for scenario in ("steady", "live"):
                stop = asyncio.Event()
                counting = asyncio.create_task(_keep_counting(app, args.refresh, stop)) if scenario == "live" else None
                for target in TARGETS:
                    times, cpu_ms = [], 0.0
                    for _ in range(args.requests):
                        if scenario == "live":
                            _add_events(settings, [next(fresh) for _ in range(args.new)])
                        cpu = time.process_time()
                        times.append(await _time(http, base + target))
                        cpu_ms += (time.process_time() - cpu) * 1000
                    row = {"p50": round(statistics.median(times)), "p95": round(percentile(times, 0.95)),
                           "max": round(max(times)), "cpu_ms": round(cpu_ms / args.requests)}
                    results[f"{scenario} {target}"] = row
                    print(f"{scenario:6} {target:20} p50 {row['p50']:5} ms  p95 {row['p95']:5} ms  "
                          f"max {row['max']:5} ms  CPU {row['cpu_ms']:4} ms/request", flush=True)
                if counting is not None:
                    stop.set()
                    await counting
        results["load_average"] = [round(x, 1) for x in os.getloadavg()]
        print(f"load average at the end: {results['load_average']} ({os.cpu_count()} cores)")
    finally:
        await runner.cleanup()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="SQLite tracker store (made when missing)")
    parser.add_argument("--url", default="", help="PostgreSQL tracker store instead of --db")
    parser.add_argument("--fill", action="store_true", help="with --url: add --events generated events first")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=40, help="requests per target and scenario")
    parser.add_argument("--new", type=int, default=100, help="events written before each request (live)")
    parser.add_argument("--refresh", type=float, default=6.0, help="seconds between background refreshes (live)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if args.url and args.fill:
        fill_postgres(args.url, args.events)
    elif not args.url and not args.db.is_file():
        print(f"generating {args.events:,} events into {args.db} (about a minute) ...")
        fill_sqlite(args.db, args.events)
    results = asyncio.run(run(args))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
