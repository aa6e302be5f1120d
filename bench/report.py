"""The benchmark's table: every figure for each target, with the ratio project / stock."""

from __future__ import annotations

from typing import Any

from bench.load import TARGET_LABELS, TARGETS


def ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or not b:
        return "—"
    return f"{a / b:.2f}x"


def fmt(v: float | None, digits: int = 1) -> str:
    return "—" if v is None else f"{v:.{digits}f}"


VARIETY_LABELS = {"repeated": "repeated questions", "unique": "every message new"}


def long_table(rows: list[dict[str, Any]]) -> list[str]:
    """Next-message p50 by conversation length, with the ratio to a fresh conversation's."""
    if not rows:
        return []
    lines = ["", f"{'long conversations: next message p50 ms (ratio to fresh)':60}"]
    for target in dict.fromkeys(r["target"] for r in rows):
        cells = [f"{r['turns']} turns {fmt(r['p50_ms'])} ({fmt(r['ratio_to_fresh'], 2)}x)"
                 for r in rows if r["target"] == target]
        errors = sum(r["errors"] for r in rows if r["target"] == target)
        lines.append(f"  {TARGET_LABELS[target]:18} " + " | ".join(cells) + f"  errors {errors}")
    return lines


def table(report: dict[str, Any]) -> str:
    lines: list[str] = []
    m = report["machine"]
    lines.append(f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; {m['os']}; Python {m['python']}, "
                 f"Rasa {m['rasa']}; commit {m['commit']}; load average at start {m['load_average_at_start']}")
    lines.append(f"Model: {report['model']['path']} ({report['model']['size_mb']} MB); "
                 f"{report['seconds_per_level']:.0f} s per level and target in {report['slices_per_level']}"
                 f" alternating slices; {report['conversations']} conversations")
    by = {(r["target"], r["level"], r.get("variety", "repeated")): r for r in report["levels"]}
    targets = [t for t in TARGETS if any(r["target"] == t for r in report["levels"])]
    project = [t for t in targets if t != "stock_rest"]
    has_stock = "stock_rest" in targets
    head = f"{'':16}" + "".join(f"{TARGET_LABELS[t]:>19}" for t in targets)
    if has_stock:
        head += "".join(f"{('web' if t == 'project_web' else 'REST') + '/stock':>12}" for t in project)
    metrics = [("messages/s", "messages_per_s", 1), ("p50 ms", "p50_ms", 1), ("p95 ms", "p95_ms", 1),
               ("p99 ms", "p99_ms", 1), ("CPU ms/msg", "cpu_ms_per_message", 1), ("errors", "errors", 0),
               ("unexpected", "unexpected_answers", 0)]
    varieties = list(dict.fromkeys(r.get("variety", "repeated") for r in report["levels"]))
    for variety in varieties:
        for level in report["levels_run"]:
            lines.append("")
            lines.append(f"{level} concurrent conversation{'s' if level > 1 else ''}, {VARIETY_LABELS[variety]}")
            lines.append(head)
            for label, key, digits in metrics:
                row = f"  {label:14}" + "".join(f"{fmt(by.get((t, level, variety), {}).get(key), digits):>19}"
                                                for t in targets)
                if has_stock:
                    stock = by.get(("stock_rest", level, variety), {}).get(key)
                    row += "".join(f"{ratio(by.get((t, level, variety), {}).get(key), stock):>12}" for t in project)
                lines.append(row)
    unique = report.get("unique_messages")
    if unique and "unique" in varieties:
        lines.append(f"  (unique: {unique['sent']} different messages sent, {unique['reused']} sent twice)")
    lines.extend(long_table(report.get("long_conversations") or []))
    mem = report["memory_mb"]
    lines.append("")
    lines.append(f"{'resident memory (peak VmRSS, MB)':36}{'project':>10}{'stock':>10}{'project/stock':>15}")
    stock_total = mem.get("stock_total")
    lines.append(f"  {'Rasa':34}{fmt(mem.get('rasa'), 0):>10}{fmt(mem.get('stock_rasa'), 0):>10}"
                 f"{ratio(mem.get('rasa'), mem.get('stock_rasa')):>15}")
    lines.append(f"  {'action server':34}{fmt(mem.get('actions'), 0):>10}"
                 f"{fmt(mem.get('stock_actions'), 0) if has_stock else '—':>10}"
                 f"{ratio(mem.get('actions'), mem.get('stock_actions')) if has_stock else '':>15}")
    lines.append(f"  {'web app':34}{fmt(mem.get('web'), 0):>10}{'—':>10}")
    lines.append(f"  {'total':34}{fmt(mem.get('project_total'), 0):>10}{fmt(stock_total, 0):>10}"
                 f"{ratio(mem.get('project_total'), stock_total):>15}")
    lines.append(f"  {'total PSS (shared pages split)':34}{fmt(mem.get('project_total_pss'), 0):>10}"
                 f"{fmt(mem.get('stock_total_pss'), 0):>10}"
                 f"{ratio(mem.get('project_total_pss'), mem.get('stock_total_pss')):>15}")
    for name, rows in (mem.get("processes") or {}).items():
        for r in rows:
            lines.append(f"    {name} pid {r['pid']}: VmRSS {r['rss_mb']:.0f} MB, PSS {r['pss_mb']:.0f} MB  "
                         f"{r['cmd'][:48]}")
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

