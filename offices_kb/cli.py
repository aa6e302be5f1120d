"""python -m offices_kb lookup "我在珲春住，社保局电话多少" | nearest LAT LON | list 延边 | search hun | build"""

from __future__ import annotations

import argparse
import json
import sys

from offices_kb import api
from offices_kb.build import DEFAULT_DB, build


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m offices_kb", description="吉林省社会保险局查询")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("lookup", help="which bureau serves the place in a text").add_argument("text")
    near = sub.add_parser("nearest", help="bureaus nearest to a point (approximate)")
    near.add_argument("lat", type=float)
    near.add_argument("lon", type=float)
    near.add_argument("-k", type=int, default=3)
    sub.add_parser("list", help="bureaus of a region, e.g. 延边").add_argument("region")
    sub.add_parser("search", help="directory search (name, short name, pinyin)").add_argument("query")
    sub.add_parser("build", help="rebuild the SQLite file from offices_kb/data")
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except ValueError as exc:
        print(f"错误: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.cmd == "build":
        print(f"built {build(DEFAULT_DB)}")
        return 0
    if args.cmd == "lookup":
        r = api.lookup(args.text)
        if args.json:
            return _dump(r.to_dict())
        print(f"[{r.status}] {r.message}")
        for m in r.matches:
            print(f"  {m.bureau}  {m.phone}  ({m.region}; 匹配: {m.matched_text} → {m.place}, {m.level}, {m.score})")
        return 0 if r.status in ("found", "ambiguous") else 1
    if args.cmd == "nearest":
        rows = api.nearest(args.lat, args.lon, args.k)
        if args.json:
            return _dump([n.to_dict() for n in rows])
        for n in rows:
            print(f"  {n.bureau}  {n.phone}  约 {n.distance_km:.0f} 公里（按所在地城区估算）")
        return 0
    if args.cmd == "list":
        rows = api.bureaus_in(args.region)
        if args.json:
            return _dump([b.to_dict() for b in rows])
        for b in rows:
            print(f"  {b.name}  {b.phone}  ({b.region})")
        return 0 if rows else 1
    rows = api.search(args.query)
    if args.json:
        return _dump([m.to_dict() for m in rows])
    for m in rows:
        print(f"  {m.bureau}  {m.phone}  ({m.place})")
    return 0 if rows else 1


def _dump(obj: object) -> int:
    print(json.dumps(obj, ensure_ascii=False, indent=2))
    return 0
