"""Settings read from environment variables (all have defaults, nothing secret is hard-coded)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from envsettings import env_bool, env_float, env_int, env_list, env_path, env_str

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_urls: tuple[str, ...] = ()  # every Rasa worker process (RASA_URLS); () = just rasa_url
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
    metrics_token: str = ""  # /metrics wants it as a bearer token when set (else open, like /healthz)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        var_dir = env_path("VAR_DIR", PROJECT_ROOT / "var", env)
        return cls(
            host=env_str("BOT_HOST", "127.0.0.1", env),
            port=env_int("BOT_PORT", 8000, env, minimum=0, maximum=65535),
            rasa_url=env_str("RASA_URL", "http://127.0.0.1:5005", env).rstrip("/"),
            rasa_urls=tuple(u.rstrip("/") for u in env_list("RASA_URLS", (), env)),
            actions_url=env_str("ACTIONS_URL", "http://127.0.0.1:5055", env).rstrip("/"),
            rasa_token=env_str("RASA_TOKEN", "", env),
            rasa_timeout=env_float("RASA_TIMEOUT", 30.0, env, minimum=0.0),
            connect_timeout=env_float("RASA_CONNECT_TIMEOUT", 3.0, env, minimum=0.0),
            health_timeout=env_float("HEALTH_TIMEOUT", 3.0, env, minimum=0.0),
            allowed_origins=frozenset(o.rstrip("/") for o in env_list("ALLOWED_ORIGINS", (), env)),
            public_url=env_str("PUBLIC_URL", "", env).rstrip("/"),
            console_token=env_str("CONSOLE_TOKEN", "", env),
            var_dir=var_dir,
            tracker_db=env_path("TRACKER_DB", var_dir / "rasa" / "tracker.db", env),
            tracker_store_url=env_str("TRACKER_STORE_URL", "", env),
            max_body_bytes=env_int("MAX_BODY_BYTES", 8 * 1024, env, minimum=1),
            max_message_chars=env_int("MAX_MESSAGE_CHARS", 500, env, minimum=1),
            rate_per_min=env_float("RATE_LIMIT_PER_MIN", 120.0, env),
            rate_burst=env_int("RATE_LIMIT_BURST", 30, env),
            sender_rate_per_min=env_float("SENDER_RATE_LIMIT_PER_MIN", 30.0, env),
            sender_rate_burst=env_int("SENDER_RATE_LIMIT_BURST", 10, env),
            trust_proxy=env_bool("TRUST_PROXY", False, env),
            unanswered_threshold=env_float("UNANSWERED_THRESHOLD", 0.6, env, minimum=0.0, maximum=1.0),
            metrics_token=env_str("METRICS_TOKEN", "", env),
        )

    @property
    def rasa_workers(self) -> tuple[str, ...]:
        """The Rasa processes requests are spread over (RASA_URLS, else RASA_URL alone)."""
        return self.rasa_urls or (self.rasa_url,)
