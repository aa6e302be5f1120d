"""How the tools run Rasa: the command, the environment its processes get, the arguments of `rasa run` and of the
action server, when a Rasa server has loaded its model, how many worker processes a machine holds, which model."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from devtools.net import http_get

WORKER_MEMORY_GB = 1.0  # one Rasa worker with this model: ~0.9 GB resident (make bench, README)
MAX_DEFAULT_WORKERS = 4  # more than that on one machine: separate instances (README, Scaling out)


def rasa_command(python: str, rasa_bin: str = "") -> list[str]:
    """`rasa_bin`, else the `rasa` next to `python` (the venv's), else `python -m rasa`."""
    exe = Path(rasa_bin or Path(python).with_name("rasa"))
    return [str(exe)] if exe.exists() else [python, "-m", "rasa"]


def rasa_env(project: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment for a Rasa or action server process of `project`: the project on PYTHONPATH
    (channels/, components/, serving/, actions/), no telemetry, quiet SQLAlchemy and TensorFlow, unbuffered logs;
    then `extra`."""
    env = dict(os.environ)
    env.update({
        "PYTHONPATH": os.pathsep.join(filter(None, [str(project), env.get("PYTHONPATH", "")])),
        "RASA_TELEMETRY_ENABLED": "false",  # no traffic beyond 127.0.0.1
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "PYTHONUNBUFFERED": "1",
    })
    env.update(extra or {})
    return env


# What our Rasa processes get unless the environment sets it (Stack.env; stock Rasa in the benchmark gets none of
# it). Each measured alone with `make bench` (README, Benchmark):
SERVING_DEFAULTS = {
    # one TensorFlow thread per op and one op at a time per worker: the workers already keep every core busy, and
    # TF's default pools (one thread per core each, per worker) only compete with the other worker for the cores
    "TF_INTRA_OP_PARALLELISM_THREADS": "1",
    "TF_INTER_OP_PARALLELISM_THREADS": "1",
    # (MALLOC_ARENA_MAX=2 was tried in round two: 1,280 -> 1,274 MB per worker, no measurable gain; left out)
}


def serving_defaults(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """SERVING_DEFAULTS without the ones `env` (default: this process's environment) sets itself."""
    env = os.environ if env is None else env
    return {key: value for key, value in SERVING_DEFAULTS.items() if not env.get(key, "").strip()}


def actions_command(python: str, port: int) -> list[str]:
    """The action server: the Rasa SDK's own (`python -m rasa_sdk`, what `rasa run actions` ends up calling), so
    that it does not import all of Rasa and TensorFlow to serve our actions, which import neither: 571 -> about
    130 MB resident and a quicker start (README, Benchmark)."""
    return [python, "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)]


def server_args(host: str, port: int, model: str | Path, endpoints: str | Path, credentials: str | Path,
                token: str | None = None, cors: Sequence[str] = ()) -> list[str]:
    """`rasa run` arguments. With a token the HTTP API is on, behind it: one argument `--auth-token=<token>`,
    because a token that starts with "-" would otherwise be read as an option."""
    api = ["--enable-api", f"--auth-token={token}"] if token else []
    return ["run", *api, "--interface", host, "--port", str(port), *(["--cors", *cors] if cors else []),
            "-m", str(model), "--endpoints", str(endpoints), "--credentials", str(credentials)]


def model_loaded(url: str, token: str) -> bool:
    """True once the Rasa server at `url` answers /status with a loaded model."""
    status, body = http_get(f"{url}/status?token={token}")
    if status != 200:
        return False
    try:
        return bool(json.loads(body).get("model_file"))
    except (ValueError, AttributeError):
        return False


def _available_memory_gb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024 / 1024
    except (OSError, ValueError, IndexError):
        pass
    return WORKER_MEMORY_GB + 1  # unknown: room for one


def default_rasa_workers(cores: int | None = None, memory_gb: float | None = None) -> int:
    """Rasa worker processes for this machine: one per core (Rasa's work per message is single-threaded Python
    and TensorFlow), no more than the available memory holds after 1 GB for the action server, the web app and
    the system, at most MAX_DEFAULT_WORKERS, at least one."""
    cores = cores or os.cpu_count() or 1
    memory_gb = _available_memory_gb() if memory_gb is None else memory_gb
    by_memory = int((memory_gb - 1) // WORKER_MEMORY_GB)
    return max(1, min(cores, by_memory, MAX_DEFAULT_WORKERS))


def find_model(root: Path, models: str = "models") -> Path | None:
    """The newest trained model (models/*.tar.gz), or None."""
    found = sorted((root / models).glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None
