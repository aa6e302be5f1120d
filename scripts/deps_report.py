"""Every pinned package of both virtualenvs with its installed version and release date, so stale pins are seen.

    python -m scripts.deps_report [--offline] [--json FILE]

Two environments: Rasa's (.venv: requirements.txt, requirements-dev.txt, constraints.txt; Rasa 3.6 holds most of
its pins back) and the public web app's (.venv-web: requirements-web*.txt, constraints-web.txt; current releases).
The version comes from each environment's installed metadata (its own python is asked), the release date from the
package index (PyPI's JSON API, one request per package with a timeout, several at a time; remembered in
var/deps-release-dates.json, since a release's date never changes). Without the index (--offline, or unreachable)
the dates are shown as "?" and the rest of the report stands. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
INDEX = "https://pypi.org/pypi/{name}/{version}/json"  # one release: small
INDEX_ALL = "https://pypi.org/pypi/{name}/json"  # every release: megabytes, the fallback where the first is refused
TIMEOUT_S = 5.0  # per request to the index when it does not answer
BUDGET_S = 30.0  # per package in all, a long download included
MAX_BYTES = 64 * 1024 * 1024
PARALLEL = 12
CACHE = ROOT / "var" / "deps-release-dates.json"
_PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*==\s*([^\s;#]+)")


@dataclass(frozen=True)
class Environment:
    label: str
    python: Path
    requirements: tuple[str, ...]  # the direct requirements (marked in the report)
    constraints: str  # every pin


ENVIRONMENTS = (
    Environment("Rasa, action server, tools (.venv, Python 3.10)", ROOT / ".venv" / "bin" / "python",
                ("requirements.txt", "requirements-dev.txt"), "constraints.txt"),
    Environment("public web app bot/ (.venv-web)", ROOT / ".venv-web" / "bin" / "python",
                ("requirements-web.txt", "requirements-web-dev.txt"), "constraints-web.txt"),
)


def canonical(name: str) -> str:
    """PEP 503 name: lower case, runs of -_. as one -."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(path: Path) -> dict[str, str]:
    """{canonical name: version} of the name==version lines of a requirements or constraints file (-r lines and
    comments skipped)."""
    pins: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            pins[canonical(match.group(1))] = match.group(2)
    return pins


def installed(python: Path) -> dict[str, str]:
    """{canonical name: version} installed in the environment of `python` (empty when there is none)."""
    if not python.exists():
        return {}
    code = ("import json, importlib.metadata as m; "
            "print(json.dumps({d.metadata['Name']: d.version for d in m.distributions() if d.metadata['Name']}))")
    out = subprocess.run([str(python), "-c", code], capture_output=True, text=True, timeout=60, check=True).stdout
    return {canonical(name): version for name, version in json.loads(out).items()}


@dataclass(frozen=True)
class Row:
    name: str
    pinned: str
    installed: str  # "" when not installed
    direct: bool
    released: str  # YYYY-MM-DD, "?" unknown


def _get_json(url: str, deadline: float) -> dict[str, Any] | None:
    """The JSON document at `url`, read within `deadline` (time.monotonic) and MAX_BYTES; None otherwise."""
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as resp:  # noqa: S310 - a fixed https URL
            body = bytearray()
            while chunk := resp.read(256 * 1024):
                body += chunk
                if len(body) > MAX_BYTES or time.monotonic() > deadline:
                    return None
        data = json.loads(body)
    except (urllib.error.URLError, OSError, TimeoutError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _earliest(files: object) -> str:
    times = [f.get("upload_time_iso_8601") or f.get("upload_time") or "" for f in files or [] if isinstance(f, dict)]
    times = [t for t in times if t]
    return min(times)[:10] if times else "?"


def release_date(name: str, version: str) -> str:
    """The earliest upload of that release on the index, YYYY-MM-DD; "?" when the index does not answer."""
    deadline = time.monotonic() + BUDGET_S
    one = _get_json(INDEX.format(name=name, version=version), deadline)
    if one is not None:
        return _earliest(one.get("urls"))
    every = _get_json(INDEX_ALL.format(name=name), deadline)
    releases = every.get("releases") if every else None
    return _earliest(releases.get(version)) if isinstance(releases, dict) else "?"


def release_dates(pairs: Iterable[tuple[str, str]], offline: bool = False) -> dict[str, str]:
    """{"name==version": date} for every pair, from the cache, else the index (in parallel)."""
    try:
        cache: dict[str, str] = json.loads(CACHE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    wanted = sorted({f"{n}=={v}" for n, v in pairs})
    missing = [key for key in wanted if key not in cache]
    if missing and not offline:
        with ThreadPoolExecutor(PARALLEL) as pool:
            found = pool.map(lambda key: release_date(*key.split("==", 1)), missing)
            cache.update({key: when for key, when in zip(missing, found, strict=True) if when != "?"})
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        CACHE.write_text(json.dumps(cache, indent=0, sort_keys=True), encoding="utf-8")
    return {key: cache.get(key, "?") for key in wanted}


def report(env: Environment, offline: bool = False) -> list[Row]:
    pins = read_pins(ROOT / env.constraints)
    direct = {name for req in env.requirements for name in read_pins(ROOT / req)}
    have = installed(env.python)
    dates = release_dates(pins.items(), offline)
    return [Row(name, version, have.get(name, ""), name in direct, dates[f"{name}=={version}"])
            for name, version in sorted(pins.items())]


def _age(released: str, today: date) -> str:
    try:
        return str((today - date.fromisoformat(released)).days)
    except ValueError:
        return "?"


def print_report(env: Environment, rows: list[Row]) -> None:
    today = datetime.now(timezone.utc).date()
    print(f"\n== {env.label}: {len(rows)} pinned in {env.constraints}, * = direct requirement")
    if not env.python.exists():
        print(f"   ({env.python} is missing: run `make setup`)")
    print(f"   {'package':<32} {'pinned':<16} {'installed':<16} {'released':<10} {'age (days)':>10}")
    for row in rows:
        shown = row.installed or "-"
        if row.installed and row.installed != row.pinned:
            shown += " (!)"
        print(f" {'*' if row.direct else ' '} {row.name:<32} {row.pinned:<16} {shown:<16} {row.released:<10} "
              f"{_age(row.released, today):>10}")
    unknown = sum(row.released == "?" for row in rows)
    if unknown:
        print(f"   release date unknown for {unknown}: the package index did not answer within {BUDGET_S:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.deps_report", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offline", action="store_true", help="do not ask the package index")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON to this file")
    args = parser.parse_args(argv)
    result = {}
    for env in ENVIRONMENTS:
        rows = report(env, args.offline)
        print_report(env, rows)
        result[env.label] = [asdict(row) for row in rows]
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    mismatched = [row.name for rows in result.values() for row in rows if row["installed"] not in ("", row["pinned"])]
    if mismatched:
        print(f"\ninstalled version differs from the pin: {', '.join(mismatched)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
