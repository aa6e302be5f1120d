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


def table(report: dict[str, Any]) -> str:
    lines: list[str] = []
    m = report["machine"]
    lines.append(f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; {m['os']}; Python {m['python']}, "
                 f"Rasa {m['rasa']}; commit {m['commit']}; load average at start {m['load_average_at_start']}")
    lines.append(f"Model: {report['model']['path']} ({report['model']['size_mb']} MB); "
                 f"{report['seconds_per_level']:.0f} s per level and target in {report['slices_per_level']}"
                 f" alternating slices; {report['conversations']} conversations")
    by = {(r["target"], r["level"]): r for r in report["levels"]}
    targets = [t for t in TARGETS if any(r["target"] == t for r in report["levels"])]
    project = [t for t in targets if t != "stock_rest"]
    has_stock = "stock_rest" in targets
    head = f"{'':16}" + "".join(f"{TARGET_LABELS[t]:>19}" for t in targets)
    if has_stock:
        head += "".join(f"{('web' if t == 'project_web' else 'REST') + '/stock':>12}" for t in project)
    metrics = [("messages/s", "messages_per_s", 1), ("p50 ms", "p50_ms", 1), ("p95 ms", "p95_ms", 1),
               ("p99 ms", "p99_ms", 1), ("CPU ms/msg", "cpu_ms_per_message", 1), ("errors", "errors", 0),
               ("unexpected", "unexpected_answers", 0)]
    for level in report["levels_run"]:
        lines.append("")
        lines.append(f"{level} concurrent conversation{'s' if level > 1 else ''}")
        lines.append(head)
        for label, key, digits in metrics:
            row = f"  {label:14}" + "".join(f"{fmt(by.get((t, level), {}).get(key), digits):>19}" for t in targets)
            if has_stock:
                stock = by.get(("stock_rest", level), {}).get(key)
                row += "".join(f"{ratio(by.get((t, level), {}).get(key), stock):>12}" for t in project)
            lines.append(row)
    mem = report["memory_mb"]
    lines.append("")
    lines.append(f"{'resident memory (peak VmRSS, MB)':36}{'project':>10}{'stock':>10}{'project/stock':>15}")
    stock_total = mem.get("stock_total")
    lines.append(f"  {'Rasa':34}{fmt(mem.get('rasa'), 0):>10}{fmt(mem.get('stock_rasa'), 0):>10}"
                 f"{ratio(mem.get('rasa'), mem.get('stock_rasa')):>15}")
    lines.append(f"  {'action server (one, shared)':34}{fmt(mem.get('actions'), 0):>10}"
                 f"{fmt(mem.get('actions'), 0) if has_stock else '—':>10}")
    lines.append(f"  {'web app':34}{fmt(mem.get('web'), 0):>10}{'—':>10}")
    lines.append(f"  {'total':34}{fmt(mem.get('project_total'), 0):>10}{fmt(stock_total, 0):>10}"
                 f"{ratio(mem.get('project_total'), stock_total):>15}")
    lines.append(f"  {'total PSS (shared pages split)':34}{fmt(mem.get('project_total_pss'), 0):>10}"
                 f"{fmt(mem.get('stock_total_pss'), 0):>10}"
                 f"{ratio(mem.get('project_total_pss'), mem.get('stock_total_pss')):>15}")
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

