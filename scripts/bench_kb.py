"""Benchmark offices_kb.lookup: p50/p95/p99 over every gazetteer name (official and short), in a sentence too, and
over sentences with a one-character sound typo of each county-level and prefecture name (the typo readings).

    make bench-kb          (or: .venv/bin/python -m scripts.bench_kb --json bench/kb.json)
A benchmark, not a test: it reports, it does not fail on timings.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from offices_kb import lookup
from offices_kb.pinyin import name_keys
from offices_kb.store import default_kb
from offices_kb.words import sound_alikes


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def timed(texts: list[str], rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        for t in texts:
            start = time.perf_counter()
            lookup(t)
            out.append((time.perf_counter() - start) * 1000)
    return out


def typo_sentences(kb) -> list[str]:
    """'我在敦华上班，社保局电话多少': the last character of each county-level or prefecture short name replaced by the
    most common character that sounds like it."""
    alikes = sound_alikes(kb.common_words)
    out = []
    for p in kb.places.values():
        short = p.short or p.name[:-1]
        if p.level in ("prefecture", "county") and len(short) >= 2:
            swap = next((c for c in alikes.get(name_keys(short)[-1], []) if c != short[-1]), None)
            if swap:
                out.append(f"我在{short[:-1]}{swap}上班，社保局电话多少")
    return sorted(set(out))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    t0 = time.perf_counter()
    kb = default_kb()
    lookup("珲春")
    load_ms = (time.perf_counter() - t0) * 1000
    names = sorted({p.name for p in kb.places.values()} | {p.short for p in kb.places.values() if p.short})
    sentences = [f"我在{n}住，社保局电话多少" for n in names]
    report = {"kb_load_ms": round(load_ms, 1), "names": len(names)}
    for label, texts in (("name", names), ("sentence", sentences), ("typo", typo_sentences(kb))):
        ms = timed(texts, args.rounds)
        report[label] = {"n": len(ms), "p50_ms": round(statistics.median(ms), 3),
                         "p95_ms": round(percentile(ms, 0.95), 3), "p99_ms": round(percentile(ms, 0.99), 3),
                         "max_ms": round(max(ms), 3)}
    print(f"offices_kb.lookup over {len(names)} gazetteer names x {args.rounds} rounds (KB load {load_ms:.0f} ms)")
    print(f"{'input':10} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for label in ("name", "sentence", "typo"):
        r = report[label]
        print(f"{label:10} {r['n']:>6} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['p99_ms']:>8} {r['max_ms']:>8}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
