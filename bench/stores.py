"""The tracker store alone: load a conversation and save one more turn, at 0, 10, 100 and 500 turns, Rasa's
SQLTrackerStore against ours (serving.sql_tracker_store), in one process, on the same disk. Isolates the store
from the policies and from the load other programs put on a shared machine (both stores run back to back).

    .venv/bin/python -m bench.stores                      SQLite files in a temporary directory
    .venv/bin/python -m bench.stores --url postgresql://USER:PASSWORD@127.0.0.1:25432/DB   (a database to use)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import make_url

from devtools.stack import ROOT
from serving.sql_tracker_store import WindowedSQLTrackerStore

LENGTHS = (0, 10, 100, 500)


def turn(i: int) -> list[Event]:
    """A turn as our bot's look in the store: the parse, two slots, the action, its answer."""
    parse = {"intent": {"name": "ask_phone", "confidence": 0.97}, "text": f"珲春社保局电话多少{i}",
             "entities": [{"entity": "location", "value": "珲春市"}]}
    return [UserUttered(parse["text"], parse["intent"], parse["entities"], parse),
            SlotSet("location", "珲春市"), SlotSet("bureau_phone", "0433-7512409"), ActionExecuted("action_answer"),
            BotUttered("珲春市社会保险局：0433-7512409", metadata={"utter_action": "utter_bureau_phone"}),
            ActionExecuted("action_listen")]


def conversation(sender: str, turns: int, domain: Domain) -> DialogueStateTracker:
    events: list[Event] = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
    for i in range(turns):
        events += turn(i)
    return DialogueStateTracker.from_events(sender, events, domain.slots)


def store_kwargs(url: str, db: Path) -> dict[str, Any]:
    if not url:
        return {"dialect": "sqlite", "db": str(db)}
    u = make_url(url)
    return {"dialect": u.drivername, "host": u.host, "port": u.port, "db": u.database, "username": u.username,
            "password": u.password}


async def per_turn(store: SQLTrackerStore, sender: str, probes: int) -> float:
    """Median ms to load the conversation and save one more turn."""
    times = []
    for i in range(probes):
        t0 = time.perf_counter()
        tracker = await store.retrieve(sender)
        if tracker is None:
            raise RuntimeError(f"{type(store).__name__} lost the conversation {sender}")
        for event in turn(10_000 + i):
            tracker.update(event)
        await store.save(tracker)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def measure(url: str = "", probes: int = 15, lengths: tuple[int, ...] = LENGTHS) -> list[dict[str, Any]]:
    domain = Domain.load(str(ROOT / "domain.yml"))
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-stores-") as tmp:
        stores = {"rasa": SQLTrackerStore(domain=domain, **store_kwargs(url, Path(tmp) / "rasa.db")),
                  "ours": WindowedSQLTrackerStore(domain=domain, **store_kwargs(url, Path(tmp) / "ours.db"))}
        tag = f"{time.time():.0f}"
        for length in lengths:
            row: dict[str, Any] = {"turns": length}
            for name, store in stores.items():
                sender = f"bench-stores-{tag}-{name}-{length}"
                asyncio.run(store.save(conversation(sender, max(length, 1), domain)))
                row[f"{name}_ms"] = round(asyncio.run(per_turn(store, sender, probes)), 2)
            row["ratio"] = round(row["ours_ms"] / row["rasa_ms"], 2)
            rows.append(row)
            print(f"[bench.stores] {length:4} turns: load + save one turn: Rasa's {row['rasa_ms']} ms, ours "
                  f"{row['ours_ms']} ms ({row['ratio']}x)", flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.stores", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", default="", help="a PostgreSQL database to use instead of SQLite files")
    p.add_argument("--probes", type=int, default=15)
    p.add_argument("--json", type=Path, help="write the rows here")
    args = p.parse_args(argv)
    rows = measure(args.url, args.probes)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
