"""Scale-out check on real engines: PostgreSQL tracker store + Redis lock store shared by two Rasa instances.

    python -m devtools.scale              install postgresql/redis-server if missing (apt-get, needs root),
                                          then run pytest tests/scale (what `make test-scale` does)
    python -m devtools.scale --up         start the cluster, print its URLs and settings, stay up until Ctrl-C
    python -m devtools.scale --install    only install the Debian packages when missing
    python -m devtools.scale --project /tmp/toy --model /tmp/toy/models/assistant.tar.gz   another project

The cluster, all on 127.0.0.1 and in throwaway directories under var/scale/ (wiped at start and stop, logs kept
in var/scale/logs/): PostgreSQL (port 25432, run as the `postgres` user when we are root, no unix socket,
password auth), Redis (26379, password, no persistence), one action server (5155) and two Rasa instances
(5106, 5107) started with endpoints.production.yml, credentials.yml and the model, with their HTTP API behind a
token generated for the run. Every wait polls a health check and is bounded; everything is stopped at the end,
also on failure, Ctrl-C or SIGTERM.

Settings (environment, or the options): SCALE_PROJECT (project directory with credentials.yml and actions/,
default: this project), SCALE_MODEL (default: <project>/models/assistant.tar.gz), SCALE_ENDPOINTS (default:
endpoints.production.yml of this project), SCALE_TIMEOUT (s to wait for Rasa to load the model, default 600),
SCALE_PG_PORT, SCALE_REDIS_PORT, SCALE_ACTIONS_PORT, SCALE_RASA_PORTS ("5106,5107"), SCALE_PYTEST_TIMEOUT.
Importable (tests/scale/conftest.py): `with Cluster(ScaleConfig.from_env()) as cluster: ...`.

Modules: config (ScaleConfig), packages (apt), postgres, redis_server, leftovers (pids of a killed run),
cluster (Cluster), __main__ (the command line and the pytest run).
"""

from devtools.scale.cluster import Cluster
from devtools.scale.config import ScaleConfig, ScaleError
from devtools.scale.packages import missing_packages

__all__ = ["Cluster", "ScaleConfig", "ScaleError", "missing_packages"]
