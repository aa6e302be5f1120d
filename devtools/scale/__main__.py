"""`python -m devtools.scale`: see the package's docstring (`python -m devtools.scale --help`)."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

import devtools.scale
from devtools.process import StackError, signals_raise_interrupt
from devtools.scale.cluster import Cluster
from devtools.scale.config import ROOT, ScaleConfig
from devtools.scale.packages import install_packages
from envsettings import env_float


def _run_pytest(args: argparse.Namespace, extra: list[str]) -> int:
    """pytest tests/scale in a child process; its session fixture starts and stops the cluster."""
    env = dict(os.environ, SCALE_REQUIRED="1")  # tests/scale fails instead of skipping when it cannot start
    for name, value in (("SCALE_PROJECT", args.project), ("SCALE_MODEL", args.model),
                        ("SCALE_ENDPOINTS", args.endpoints)):
        if value:
            env[name] = str(Path(value).resolve())
    if args.timeout:
        env["SCALE_TIMEOUT"] = str(args.timeout)
    limit = env_float("SCALE_PYTEST_TIMEOUT", 3600.0, minimum=1.0)
    cmd = [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", "tests/scale", *extra]
    print("+ " + " ".join(cmd), flush=True)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)  # noqa: S603 - fixed argument list

    def forward(signum: int, frame: FrameType | None) -> None:
        proc.send_signal(signal.SIGTERM)  # tests/scale/conftest.py turns it into Ctrl-C: fixtures stop all

    # Ctrl-C reaches pytest directly (same process group); a second SIGINT from here would cut its teardown short
    old = {signal.SIGINT: signal.signal(signal.SIGINT, signal.SIG_IGN),
           signal.SIGTERM: signal.signal(signal.SIGTERM, forward), signal.SIGHUP: signal.signal(signal.SIGHUP, forward)}
    try:
        return proc.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        print(f"ERROR: tests/scale still running after {limit:.0f} s; stopping it", file=sys.stderr, flush=True)
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        return 1
    finally:
        for sig, previous in old.items():
            signal.signal(sig, previous)


def _stay_up(args: argparse.Namespace) -> None:
    overrides: dict[str, object] = {}
    for name in ("project", "model", "endpoints"):
        if getattr(args, name):
            overrides[name] = Path(getattr(args, name)).resolve()
    if args.timeout:
        overrides["timeout"] = args.timeout
    cluster = Cluster(ScaleConfig.from_env(**overrides), echo=lambda msg: print(msg, flush=True))
    try:
        cluster.start()
        print(cluster.describe(), "\nPress Ctrl-C to stop.", flush=True)
        while True:
            cluster.check_alive()
            time.sleep(1.0)
    finally:
        cluster.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.scale", description=devtools.scale.__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--up", action="store_true", help="start the cluster and keep it running until Ctrl-C")
    mode.add_argument("--install", action="store_true", help="only install postgresql/redis-server if missing")
    parser.add_argument("--no-install", action="store_true", help="never call apt-get")
    parser.add_argument("--project", help="Rasa project directory (credentials.yml, actions/); default: this one")
    parser.add_argument("--model", help="model archive; default: <project>/models/assistant.tar.gz")
    parser.add_argument("--endpoints", help="endpoints file; default: endpoints.production.yml of this project")
    parser.add_argument("--timeout", type=float, help="seconds to wait for each Rasa instance (default 600)")
    args, extra = parser.parse_known_args(argv)
    with signals_raise_interrupt():
        try:
            if not args.no_install:
                install_packages(echo=lambda msg: print(msg, flush=True))
            if args.install:
                return 0
            if not args.up:
                return _run_pytest(args, extra)
            _stay_up(args)
            return 0
        except KeyboardInterrupt:
            print("\nstopped", flush=True)
            return 0 if args.up else 130
        except (StackError, ValueError, subprocess.SubprocessError) as exc:  # ValueError: a bad SCALE_* setting
            print(f"ERROR: {exc}", file=sys.stderr, flush=True)
            return 1


if __name__ == "__main__":
    raise SystemExit(main())
