"""Settings of the action server, from environment variables with defaults."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from envsettings import env_float, env_int, env_str


@dataclass(frozen=True)
class Settings:
    """What the actions may be tuned by; the facts themselves come from the guide and offices_kb."""

    kb_module: str = "offices_kb"  # the knowledge base package (a stand-in can be named in tests)
    nearest_k: int = 3  # bureaus listed for a shared location
    far_km: float = 150.0  # nearest bureau farther than this: the user is probably outside Jilin
    max_buttons: int = 8  # quick-reply buttons per message
    max_text: int = 500  # offices_kb.lookup refuses longer texts
    handoff_days: float = 7.0  # how long a 咨询编号 opens its conversation in the console


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings from ACTIONS_* environment variables (read once per process; a bad value raises SettingError)."""
    return Settings(
        kb_module=env_str("ACTIONS_KB_MODULE", "offices_kb"),
        nearest_k=max(1, min(env_int("ACTIONS_NEAREST_K", 3), 10)),
        max_buttons=max(1, min(env_int("ACTIONS_MAX_BUTTONS", 8), 12)),
        handoff_days=env_float("HANDOFF_TTL_DAYS", 7.0, minimum=0.01, maximum=365.0),
    )
