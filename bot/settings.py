"""Settings read from environment variables (all have defaults, nothing secret is hard-coded)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from envsettings import env_bool, env_float, env_int, env_list, env_path, env_str
from stores.db import sqlite_url

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
    max_body_bytes: int = 8 * 1024  # a JSON request body (aiohttp's client_max_size)
    # against slow and oversized clients (slowloris): every connection must send a complete request head within
    # keepalive_s of opening (and of its previous answer), a body within body_timeout_s
    keepalive_s: float = 15.0
    body_timeout_s: float = 10.0
    max_line_bytes: int = 4096  # the request line (method, path, query) and each header line
    max_header_bytes: int = 4096  # one header's value
    max_headers: int = 64
    max_message_chars: int = 500
    max_json_depth: int = 4
    rate_per_min: float = 120.0  # per client IP, all chat/search/console calls
    rate_burst: int = 30
    sender_rate_per_min: float = 30.0  # per conversation (sender id)
    sender_rate_burst: int = 10
    trust_proxy: bool = False  # take the client IP from X-Forwarded-For (only behind your own proxy)
    unanswered_threshold: float = 0.6
    metrics_token: str = ""  # /metrics wants it as a bearer token when set (else open, like /healthz)
    stats_refresh_s: float = 60.0  # the dashboard's rollup is brought up to date this often (0: never, for tests)
    stats_settle_s: float = 30.0  # events younger than this wait for the next refresh (bot/stats_rollup.py)
    # staff accounts of the console (bot/accounts.py) and its 咨询编号 lookups
    staff_session_hours: float = 8.0
    staff_max_failures: int = 5  # failed logins in a row that lock the account
    staff_lockout_minutes: float = 15.0
    argon2_time_cost: int = 3  # RFC 9106's low-memory profile (argon2-cffi's default)
    argon2_memory_kib: int = 64 * 1024
    handoff_rate_per_min: float = 20.0  # code lookups per staff member
    handoff_rate_burst: int = 10

    @property
    def database_url(self) -> str:
        """Where the tracker store keeps conversations, and the assistant its own tables (stores/)."""
        return self.tracker_store_url or sqlite_url(self.tracker_db)

    @property
    def database_description(self) -> str:
        """database_url without a password, for logs."""
        return re.sub(r"://([^:/@]+):.*@", r"://\1:***@", self.database_url)

    def server_options(self) -> dict[str, float | int]:
        """The connection limits, as web.run_app and web.AppRunner take them (handed to each connection's
        handler). aiohttp arms the keep-alive timer when a connection opens: one that has not sent a complete
        request head by then is closed, so a slow client holds a socket for keepalive_s at most. After an answer
        sent before the whole body came (408, 413), aiohttp reads on for lingering_time (10 s by default) so the
        client sees the answer: 2 s are enough for a client that is sending at all."""
        return {"keepalive_timeout": self.keepalive_s, "max_line_size": self.max_line_bytes,
                "max_field_size": self.max_header_bytes, "max_headers": self.max_headers,
                "lingering_time": min(2.0, self.body_timeout_s)}

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
            keepalive_s=env_float("BOT_KEEPALIVE_S", 15.0, env, minimum=0.5),
            body_timeout_s=env_float("BOT_BODY_TIMEOUT_S", 10.0, env, minimum=0.1),
            max_line_bytes=env_int("BOT_MAX_LINE_BYTES", 4096, env, minimum=256),
            max_header_bytes=env_int("BOT_MAX_HEADER_BYTES", 4096, env, minimum=256),
            max_headers=env_int("BOT_MAX_HEADERS", 64, env, minimum=8),
            rate_per_min=env_float("RATE_LIMIT_PER_MIN", 120.0, env),
            rate_burst=env_int("RATE_LIMIT_BURST", 30, env),
            sender_rate_per_min=env_float("SENDER_RATE_LIMIT_PER_MIN", 30.0, env),
            sender_rate_burst=env_int("SENDER_RATE_LIMIT_BURST", 10, env),
            trust_proxy=env_bool("TRUST_PROXY", False, env),
            unanswered_threshold=env_float("UNANSWERED_THRESHOLD", 0.6, env, minimum=0.0, maximum=1.0),
            metrics_token=env_str("METRICS_TOKEN", "", env),
            staff_session_hours=env_float("STAFF_SESSION_HOURS", 8.0, env, minimum=0.01, maximum=24.0 * 30),
            staff_max_failures=env_int("STAFF_MAX_FAILURES", 5, env, minimum=1),
            staff_lockout_minutes=env_float("STAFF_LOCKOUT_MINUTES", 15.0, env, minimum=0.0),
            argon2_time_cost=env_int("STAFF_ARGON2_TIME_COST", 3, env, minimum=1),
            argon2_memory_kib=env_int("STAFF_ARGON2_MEMORY_KIB", 64 * 1024, env, minimum=64),
            handoff_rate_per_min=env_float("HANDOFF_RATE_LIMIT_PER_MIN", 20.0, env),
            handoff_rate_burst=env_int("HANDOFF_RATE_LIMIT_BURST", 10, env),
            stats_refresh_s=env_float("STATS_REFRESH_S", 60.0, env, minimum=0.0),
            stats_settle_s=env_float("STATS_SETTLE_S", 30.0, env, minimum=0.0),
        )

    @property
    def rasa_workers(self) -> tuple[str, ...]:
        """The Rasa processes requests are spread over (RASA_URLS, else RASA_URL alone)."""
        return self.rasa_urls or (self.rasa_url,)
