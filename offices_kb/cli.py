"""python -m offices_kb lookup "我在珲春住，社保局电话多少" | nearest LAT LON | list 延边 | search hun | build

`--json` (machine-readable output) goes before or after the command: `python -m offices_kb lookup --json 珲春`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from offices_kb import api
from offices_kb.build import DEFAULT_DB, build

# A command: (what --json prints, the lines for people, whether it found something: exit code 0 or 1)
Outcome = tuple[object, list[str], bool]


def _lookup(args: argparse.Namespace) -> Outcome:
    r = api.lookup(args.text)
    lines = [f"[{r.status}] {r.message}"] + [
        f"  {m.bureau}  {m.phone}  ({m.region}; 匹配: {m.matched_text} → {m.place}, {m.level}, {m.score})"
        for m in r.matches]
    return r.to_dict(), lines, r.status in ("found", "ambiguous")


def _nearest(args: argparse.Namespace) -> Outcome:
    rows = api.nearest(args.lat, args.lon, args.k)
    lines = [f"  {n.bureau}  {n.phone}  约 {n.distance_km:.0f} 公里（按所在地城区估算）" for n in rows]
    return [n.to_dict() for n in rows], lines, True


def _list(args: argparse.Namespace) -> Outcome:
    rows = api.bureaus_in(args.region)
    return [b.to_dict() for b in rows], [f"  {b.name}  {b.phone}  ({b.region})" for b in rows], bool(rows)


def _search(args: argparse.Namespace) -> Outcome:
    rows = api.search(args.query)
    return [m.to_dict() for m in rows], [f"  {m.bureau}  {m.phone}  ({m.place})" for m in rows], bool(rows)


COMMANDS: dict[str, Callable[[argparse.Namespace], Outcome]] = {
    "lookup": _lookup, "nearest": _nearest, "list": _list, "search": _search}


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m offices_kb", description="吉林省社会保险局查询")
    main.add_argument("--json", action="store_true", help="machine-readable output")
    # the same flag after the command; SUPPRESS keeps the subcommand from resetting a --json given before it
    after = argparse.ArgumentParser(add_help=False)
    after.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable output")
    sub = main.add_subparsers(dest="cmd", required=True)
    sub.add_parser("lookup", parents=[after], help="which bureau serves the place in a text").add_argument("text")
    near = sub.add_parser("nearest", parents=[after], help="bureaus nearest to a point (approximate)")
    near.add_argument("lat", type=float)
    near.add_argument("lon", type=float)
    near.add_argument("-k", type=int, default=3)
    sub.add_parser("list", parents=[after], help="bureaus of a region, e.g. 延边").add_argument("region")
    sub.add_parser("search", parents=[after], help="directory search (name, short name, pinyin)").add_argument("query")
    sub.add_parser("build", help="rebuild the SQLite file from offices_kb/data")
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.cmd == "build":
            print(f"built {build(DEFAULT_DB)}")
            return 0
        data, lines, found = COMMANDS[args.cmd](args)
    except ValueError as exc:
        print(f"错误: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    for line in lines:
        print(line)
    return 0 if found else 1
