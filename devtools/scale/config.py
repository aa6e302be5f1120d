"""What the scale-out cluster is made of: ports, paths, time limits (ScaleConfig, from SCALE_* variables)."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from devtools.process import StackError
from envsettings import env_float, env_int, env_ints, env_path, env_str

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
PG_USER = "rasa"
PG_DB = "rasa_scale"


class ScaleError(StackError):
    """The cluster cannot be set up here (a missing package, model or file)."""


@dataclass
class ScaleConfig:
    project: Path = ROOT
    model: Path | None = None  # default: <project>/models/assistant.tar.gz
    endpoints: Path = ROOT / "endpoints.production.yml"
    work_dir: Path = ROOT / "var" / "scale"
    pg_port: int = 25432
    redis_port: int = 26379
    actions_port: int = 5155
    rasa_ports: tuple[int, ...] = (5106, 5107)
    web_port: int = 8106  # the web app tests/scale starts on the cluster (from .venv-web)
    timeout: float = 600.0  # two Rasa processes loading the model on a busy 2-core machine
    service_timeout: float = 60.0  # PostgreSQL, Redis, the action server
    poll_interval: float = 0.5
    python: str = sys.executable
    extra_env: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, **overrides: object) -> ScaleConfig:
        model = env_str("SCALE_MODEL")
        config = cls(
            project=env_path("SCALE_PROJECT", cls.project).resolve(),
            model=Path(model).resolve() if model else None,
            endpoints=env_path("SCALE_ENDPOINTS", cls.endpoints).resolve(),
            pg_port=env_int("SCALE_PG_PORT", cls.pg_port, minimum=1, maximum=65535),
            redis_port=env_int("SCALE_REDIS_PORT", cls.redis_port, minimum=1, maximum=65535),
            actions_port=env_int("SCALE_ACTIONS_PORT", cls.actions_port, minimum=1, maximum=65535),
            rasa_ports=env_ints("SCALE_RASA_PORTS", cls.rasa_ports),
            web_port=env_int("SCALE_WEB_PORT", cls.web_port, minimum=1, maximum=65535),
            timeout=env_float("SCALE_TIMEOUT", cls.timeout, minimum=1.0),
        )
        for key, value in overrides.items():
            setattr(config, key, value)
        return config

    @property
    def model_path(self) -> Path:
        return self.model or self.project / "models" / "assistant.tar.gz"

    @property
    def logs(self) -> Path:
        return self.work_dir / "logs"

    def rasa_urls(self) -> list[str]:
        return [f"http://{HOST}:{port}" for port in self.rasa_ports]

    @property
    def actions_url(self) -> str:
        return f"http://{HOST}:{self.actions_port}"

