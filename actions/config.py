"""Settings of the action server, from environment variables with defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Settings:
    """What the actions may be tuned by; the facts themselves come from the guide and offices_kb."""

    kb_module: str = "offices_kb"  # the knowledge base package (a stand-in can be named in tests)
    nearest_k: int = 3  # bureaus listed for a shared location
    far_km: float = 150.0  # nearest bureau farther than this: the user is probably outside Jilin
    max_buttons: int = 8  # quick-reply buttons per message
    max_text: int = 500  # offices_kb.lookup refuses longer texts


def _int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings from ACTIONS_* environment variables (read once per process)."""
    return Settings(
        kb_module=os.environ.get("ACTIONS_KB_MODULE", "offices_kb"),
        nearest_k=max(1, min(_int("ACTIONS_NEAREST_K", 3), 10)),
        max_buttons=max(1, min(_int("ACTIONS_MAX_BUTTONS", 8), 12)),
    )
