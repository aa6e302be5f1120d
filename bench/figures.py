"""The figures of a run that are not load: the machine, the training time, the offices_kb lookup timings."""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench import echo
from devtools.stack import ROOT


def training_seconds(project: Path) -> float | None:
    log = project / "logs" / "train.log"
    if not log.is_file():
        return None
    found = re.findall(r"trained in (\d+(?:\.\d+)?) s", log.read_text(encoding="utf-8", errors="replace"))
    return float(found[-1]) if found else None


def kb_timings(rounds: int, run_dir: Path) -> dict[str, Any] | None:
    out = run_dir / "kb.json"
    cmd = [sys.executable, "-m", "scripts.bench_kb", "--rounds", str(rounds), "--json", str(out)]
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

