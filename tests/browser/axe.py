"""axe-core (vendored from npm, tests/browser/vendor/) run inside the page under test.

The script is added as an init script of the browser context (before the page loads), so the page's own
Content-Security-Policy does not block it and the web app never serves it. Every run's violations are appended to
tests/browser/screenshots/axe-results.json (the report lists them).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Page

AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
RESULTS = Path(__file__).resolve().parent / "screenshots" / "axe-results.json"
BLOCKING = ("serious", "critical")
_lock = threading.Lock()


def enable_axe(context: BrowserContext) -> None:
    """Make window.axe available in every page the context opens from now on."""
    context.add_init_script(path=str(AXE_JS))


def run_axe(page: Page, label: str, selector: str | None = None) -> list[dict[str, Any]]:
    """axe.run on the document (or one element); returns the violations and records them under label."""
    result = page.evaluate(
        """async (selector) => {
            const context = selector ? document.querySelector(selector) : document;
            const r = await axe.run(context, {resultTypes: ['violations', 'passes']});
            return {
              version: axe.version,
              passes: r.passes.length,
              violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})),
            };
        }""",
        selector,
    )
    _record(label, result)
    return result["violations"]


def blocking(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in violations if v["impact"] in BLOCKING]


def _record(label: str, result: dict[str, Any]) -> None:
    with _lock:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        runs = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
        runs[label] = result
        RESULTS.write_text(json.dumps(runs, ensure_ascii=False, indent=1), encoding="utf-8")
