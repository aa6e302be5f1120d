"""Settings read from environment variables (all have defaults, nothing secret is hard-coded)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _float(env: dict[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    try:
        return float(raw) if raw else default
    except ValueError as exc:
        raise ValueError(f"environment variable {name} must be a number, got {raw!r}") from exc


def _int(env: dict[str, str], name: str, default: int) -> int:
    return int(_float(env, name, default))


def _bool(env: dict[str, str], name: str, default: bool = False) -> bool:
    raw = env.get(name, "").strip().lower()
    return default if not raw else raw in {"1", "true", "yes", "on"}


def _origins(raw: str) -> frozenset[str]:
    return frozenset(o.strip().rstrip("/") for o in raw.replace(" ", ",").split(",") if o.strip())


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    rasa_url: str = "http://127.0.0.1:5005"
    actions_url: str = "http://127.0.0.1:5055"
    rasa_token: str = ""
    rasa_timeout: float = 30.0  # one chat turn, incl. custom actions
    connect_timeout: float = 3.0
    health_timeout: float = 3.0
    allowed_origins: frozenset[str] = field(default_factory=frozenset)
    public_url: str = ""  # how the widget on the demo page reaches this server ("" = same origin)
    console_token: str = ""
    var_dir: Path = PROJECT_ROOT / "var"
    tracker_db: Path = PROJECT_ROOT / "var" / "rasa" / "tracker.db"
    tracker_store_url: str = ""  # Rasa's tracker store in a database server (wins over tracker_db when set)
    max_body_bytes: int = 8 * 1024
    max_message_chars: int = 500
    max_json_depth: int = 4
    rate_per_min: float = 120.0  # per client IP, all chat/search/console calls
    rate_burst: int = 30
    sender_rate_per_min: float = 30.0  # per conversation (sender id)
    sender_rate_burst: int = 10
    trust_proxy: bool = False  # take the client IP from X-Forwarded-For (only behind your own proxy)
    unanswered_threshold: float = 0.6

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        var_dir = Path(env.get("VAR_DIR") or PROJECT_ROOT / "var")
        return cls(
            host=env.get("BOT_HOST", "127.0.0.1"),
            port=_int(env, "BOT_PORT", 8000),
            rasa_url=env.get("RASA_URL", "http://127.0.0.1:5005").rstrip("/"),
            actions_url=env.get("ACTIONS_URL", "http://127.0.0.1:5055").rstrip("/"),
            rasa_token=env.get("RASA_TOKEN", ""),
            rasa_timeout=_float(env, "RASA_TIMEOUT", 30.0),
            connect_timeout=_float(env, "RASA_CONNECT_TIMEOUT", 3.0),
            health_timeout=_float(env, "HEALTH_TIMEOUT", 3.0),
            allowed_origins=_origins(env.get("ALLOWED_ORIGINS", "")),
            public_url=env.get("PUBLIC_URL", "").rstrip("/"),
            console_token=env.get("CONSOLE_TOKEN", ""),
            var_dir=var_dir,
            tracker_db=Path(env.get("TRACKER_DB") or var_dir / "rasa" / "tracker.db"),
            tracker_store_url=env.get("TRACKER_STORE_URL", "").strip(),
            max_body_bytes=_int(env, "MAX_BODY_BYTES", 8 * 1024),
            max_message_chars=_int(env, "MAX_MESSAGE_CHARS", 500),
            rate_per_min=_float(env, "RATE_LIMIT_PER_MIN", 120.0),
            rate_burst=_int(env, "RATE_LIMIT_BURST", 30),
            sender_rate_per_min=_float(env, "SENDER_RATE_LIMIT_PER_MIN", 30.0),
            sender_rate_burst=_int(env, "SENDER_RATE_LIMIT_BURST", 10),
            trust_proxy=_bool(env, "TRUST_PROXY"),
            unanswered_threshold=_float(env, "UNANSWERED_THRESHOLD", 0.6),
        )
