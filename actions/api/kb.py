"""Lazy, per-process access to offices_kb. Importing this module does no work; the first call loads the package
(offices_kb itself opens its SQLite file on first use). Every function is a thin pass-through to the contract API."""

from __future__ import annotations

import importlib
import logging
import threading
from types import ModuleType
from typing import TYPE_CHECKING, Any

import guide
from actions.config import get_settings

if TYPE_CHECKING:  # only for type checkers: no import at runtime
    from offices_kb import Bureau, LookupResult, Mention, Nearby

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_module: ModuleType | None = None


def _kb() -> ModuleType:
    """The offices_kb module, imported once per process."""
    global _module
    if _module is None:
        with _lock:
            if _module is None:
                _module = importlib.import_module(get_settings().kb_module)
    return _module


def reset() -> None:
    """Forget the loaded module (tests)."""
    global _module
    with _lock:
        _module = None


def _clip(text: Any) -> str:
    """Text within the knowledge base's length cap (it raises ValueError beyond it)."""
    return text[: get_settings().max_text] if isinstance(text, str) else ""


def lookup(text: str) -> LookupResult:
    """Which bureau serves the place named in `text`."""
    return _kb().lookup(_clip(text))


def mentions(text: str) -> list[Mention]:
    """Place-name spans in `text` (inside and outside Jilin)."""
    return _kb().mentions(_clip(text))


def outside_only(text: str) -> bool:
    """Whether `text` names only places outside Jilin (a name shared with a Jilin place is Jilin's)."""
    return lookup(text).status == "outside_jilin"


def nearest(lat: float, lon: float, k: int | None = None) -> list[Nearby]:
    """The k bureaus nearest to (lat, lon); raises ValueError for coordinates out of range."""
    return _kb().nearest(lat, lon, k or get_settings().nearest_k)


def bureaus_in(region: str) -> list[Bureau]:
    """The bureaus of a region such as 延边."""
    return _kb().bureaus_in(_clip(region))


def province_contact() -> tuple[str, str]:
    """(name, phone) of 吉林省社会保险局; the guide's number if the knowledge base cannot be read."""
    try:
        bureau = _kb().province_bureau()
        return bureau.name, bureau.phone
    except Exception:  # noqa: BLE001 - a phone number must always be given
        logger.exception("offices_kb.province_bureau failed")
        return guide.province_contact()
