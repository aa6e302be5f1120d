"""Thin, failure-tolerant wrapper around the offices_kb package (bureau directory and place lookup)."""

from __future__ import annotations

import importlib
import logging
from types import ModuleType
from typing import Any

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 100


class KnowledgeBaseUnavailable(Exception):
    pass


def _match_dict(match: Any) -> dict[str, Any]:
    return {
        "bureau": match.bureau,
        "bureau_id": getattr(match, "bureau_id", ""),
        "phone": match.phone,
        "region": match.region,
        "place": getattr(match, "place", ""),
        "level": getattr(match, "level", ""),
        "score": round(float(getattr(match, "score", 0.0) or 0.0), 3),
    }


class KnowledgeBase:
    """Imports offices_kb lazily so the web app starts (and /healthz can say so) even when it is broken."""

    def __init__(self, module_name: str = "offices_kb") -> None:
        self._module_name = module_name
        self._module: ModuleType | None = None
        self.error = ""

    def _kb(self) -> ModuleType:
        if self._module is None:
            try:
                module = importlib.import_module(self._module_name)
                for name in ("lookup", "search", "province_bureau"):
                    if not callable(getattr(module, name, None)):
                        raise AttributeError(f"{self._module_name}.{name} is missing")
            except Exception as exc:  # noqa: BLE001 - any import problem means "knowledge base down"
                self.error = f"{type(exc).__name__}: {exc}"
                log.error("knowledge base unavailable: %s", self.error)
                raise KnowledgeBaseUnavailable(self.error) from exc
            self._module, self.error = module, ""
        return self._module

    def health(self) -> tuple[bool, str]:
        try:
            bureau = self._kb().province_bureau()
            return True, f"{bureau.name} {bureau.phone}"
        except Exception as exc:  # noqa: BLE001
            return False, f"{type(exc).__name__}: {exc}"[:200]

    def search(self, query: str, limit: int = 10) -> list[dict[str, Any]]:
        return [_match_dict(m) for m in self._kb().search(query, limit=limit)]

    def lookup(self, text: str) -> dict[str, Any]:
        result = self._kb().lookup(text)
        return {
            "status": result.status,
            "message": getattr(result, "message", ""),
            "region": getattr(result, "region", None),
            "outside": list(getattr(result, "outside", []) or []),
            "matches": [_match_dict(m) for m in result.matches],
        }
