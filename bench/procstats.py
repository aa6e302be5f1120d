"""Memory and CPU time of the serving processes, read from /proc (a process and all its descendants: Rasa's
Sanic workers are forked children of `rasa run`)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        tree.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return tree


def with_descendants(pid: int) -> Iterator[int]:
    """`pid` and every live process below it."""
    tree = _children()
    todo, seen = [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        yield p
        todo.extend(tree.get(p, []))


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
    rss_kb = pss_kb = 0
    for p in with_descendants(pid):
        rss_kb += _status_kb(Path(f"/proc/{p}/status"), "VmRSS:")
        pss_kb += _status_kb(Path(f"/proc/{p}/smaps_rollup"), "Pss:")
    return rss_kb / 1024, pss_kb / 1024


def process_memory(pid: int) -> list[dict[str, Any]]:
    """VmRSS and PSS (MB) of a process and of each of its descendants on their own (Rasa's main process and its
    Sanic workers), with the start of each command line."""
    rows = []
    for p in with_descendants(pid):
        try:
            cmd = Path(f"/proc/{p}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        rows.append({"pid": p, "rss_mb": round(_status_kb(Path(f"/proc/{p}/status"), "VmRSS:") / 1024, 1),
                     "pss_mb": round(_status_kb(Path(f"/proc/{p}/smaps_rollup"), "Pss:") / 1024, 1),
                     "cmd": cmd[:80]})
    return rows


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its live descendants."""
    ticks = 0
    for p in with_descendants(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return ticks / CLOCK_TICKS


async def sample_memory(pids: dict[str, int], peaks: dict[str, float], stop: asyncio.Event) -> None:
    """Keep the peak VmRSS (`name`) and PSS (`name_pss`) of each process in `peaks`, once a second until `stop`."""
    while not stop.is_set():
        for name, pid in pids.items():
            rss, pss = memory_mb(pid)
            peaks[name] = max(peaks.get(name, 0.0), rss)
            peaks[f"{name}_pss"] = max(peaks.get(f"{name}_pss", 0.0), pss)
        try:
            await asyncio.wait_for(stop.wait(), timeout=1.0)
        except asyncio.TimeoutError:
            pass
