"""`python -m records purge`: delete what is older than RETENTION_DAYS (default 180) from the tracker store's
database: TRACKER_STORE_URL (e.g. postgresql://user:password@host:5432/rasa) when set, else the SQLite file
TRACKER_DB (default var/rasa/tracker.db). For cron, e.g. `15 3 * * * cd /srv/assistant && .venv/bin/python -m
records purge`; `make run` does it once a day itself. Exit 0 when done, 1 on a bad setting or database error."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from envsettings import env_float, env_path, env_str
from records.retention import DEFAULT_DAYS, purge

ROOT = Path(__file__).resolve().parent.parent
BUSY_TIMEOUT_S = 30.0  # Rasa's workers write to the same SQLite file: wait for their (short) transactions


def engine_from_env() -> Engine:
    url = env_str("TRACKER_STORE_URL")
    if url:
        connect_args = {"connect_timeout": 10} if url.startswith("postgres") else {}
        return sa.create_engine(url, pool_pre_ping=True, connect_args=connect_args)
    path = env_path("TRACKER_DB", ROOT / "var" / "rasa" / "tracker.db").resolve()
    return sa.create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_S})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m records", description=__doc__)
    parser.add_argument("command", choices=["purge"])
    parser.add_argument("--days", type=float, help=f"keep this many days (default RETENTION_DAYS or {DEFAULT_DAYS})")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr)
    try:
        days = args.days if args.days is not None else env_float("RETENTION_DAYS", DEFAULT_DAYS, minimum=1.0)
        engine = engine_from_env()
    except ValueError as exc:  # envsettings.SettingError, a malformed URL
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1
    try:
        purge(engine, days)
    except sa.exc.SQLAlchemyError as exc:
        print(f"ERROR: purge failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
