"""The launcher (devtools.stack) with a fake `rasa` executable: start, health polling, URLs, logs, stop, errors."""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bench.servers import stock_rasa
from devtools import stack as run_stack
from tests.stack import ROOT

TEST_PORTS = (21000, 29999)  # below Linux's ephemeral ports (32768), where a client's port may sit at any time
_HANDED_OUT: set[int] = set()  # a port just closed lingers in TIME_WAIT: each test gets ports of its own


def free_port(run: int = 1) -> int:
    """The first of `run` consecutive ports in TEST_PORTS, free now and not handed out before in this session."""
    pick = random.Random()
    for _ in range(1000):
        port = pick.randrange(TEST_PORTS[0], TEST_PORTS[1] - run + 1)
        ports = range(port, port + run)
        if not any(p in _HANDED_OUT or run_stack.port_in_use("127.0.0.1", p) for p in ports):
            _HANDED_OUT.update(ports)
            return port
    raise OSError(f"no {run} free ports in a row in {TEST_PORTS}")


@pytest.fixture
def fake_root(tmp_path: Path) -> Path:
    """A project root whose models/ has a (dummy) model and whose bin/ has python + a fake rasa."""
    root = tmp_path / "project"
    (root / "models").mkdir(parents=True)
    (root / "models" / "assistant.tar.gz").write_bytes(b"fake")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    python = bin_dir / "python"  # a wrapper, so that the venv's site-packages stay visible
    python.write_text(f"#!/bin/sh\nexec {sys.executable} \"$@\"\n")
    python.chmod(0o755)
    rasa = bin_dir / "rasa"
    rasa.write_text(f"#!/bin/sh\ncd {ROOT} && exec {sys.executable} -m tests.web.fake_rasa_cli \"$@\"\n")
    rasa.chmod(0o755)
    sdk = root / "rasa_sdk"  # the action server is `python -m rasa_sdk`: the same stand-in
    sdk.mkdir()
    (sdk / "__init__.py").write_text("")
    (sdk / "__main__.py").write_text("import sys\n\nfrom tests.web.fake_rasa_cli import main\n\nmain(sys.argv[1:])\n")
    for name in ("bot",):  # the web app is started with `python -m bot` from the root
        (root / name).symlink_to(ROOT / name)
    return root


def config_for(root: Path, tmp_path: Path) -> run_stack.StackConfig:
    return run_stack.StackConfig(  # rasa-2's port too: the launcher's default on two cores
        root=root, actions_port=free_port(), rasa_port=free_port(2), web_port=free_port(), timeout=60, rasa_workers=1,
        poll_interval=0.2, python=str(tmp_path / "bin" / "python"), web_python=str(tmp_path / "bin" / "python"),
        extra_env={"VAR_DIR": str(tmp_path / "var"), "CONSOLE_TOKEN": "launcher-test-token-123456",
                   "PYTHONPATH": f"{root}{os.pathsep}{ROOT}"})


def get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=5) as resp:  # noqa: S310 - local
        return int(resp.status)


def test_stack_starts_polls_and_stops(fake_root: Path, tmp_path: Path) -> None:
    config = config_for(fake_root, tmp_path)
    messages: list[str] = []
    with run_stack.Stack(config, echo=messages.append) as stack:
        urls = stack.urls()
        assert get(urls["healthz"]) == 200
        assert get(urls["demo"]) == 200
        procs = [s.proc for s in stack.services.values()]
        assert all(p is not None and p.poll() is None for p in procs)
        assert len(stack.config.rasa_token) >= 24  # generated: Rasa's API is never without auth
    assert all(p is not None and p.poll() is not None for p in procs)
    assert any("rasa-1 is up" in m for m in messages) and any("stopped web" in m for m in messages)
    for name in ("actions", "rasa-1", "web"):
        assert (fake_root / "logs" / f"{name}.log").stat().st_size > 0
    # one argument "--auth-token=<token>": a token_urlsafe token may start with "-", which argparse would take
    # for an option if it were a separate argument
    assert "--enable-api" in stack.services["rasa-1"].cmd
    assert f"--auth-token={stack.config.rasa_token}" in stack.services["rasa-1"].cmd


def test_stack_without_model_fails_clearly(fake_root: Path, tmp_path: Path) -> None:
    (fake_root / "models" / "assistant.tar.gz").unlink()
    with pytest.raises(run_stack.StackError, match="no trained model"):
        run_stack.Stack(config_for(fake_root, tmp_path), echo=lambda m: None).start()


def test_stack_without_the_web_venv_fails_clearly(fake_root: Path, tmp_path: Path) -> None:
    config = config_for(fake_root, tmp_path)
    config.web_python = ""  # the default: fake_root/.venv-web/bin/python, not built here
    with pytest.raises(run_stack.StackError, match=r"\.venv-web/bin/python is missing \(run `make setup`\)"):
        run_stack.Stack(config, echo=lambda m: None).start()


def test_stack_refuses_busy_port(fake_root: Path, tmp_path: Path) -> None:
    config = config_for(fake_root, tmp_path)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", config.rasa_port))
        sock.listen()
        with pytest.raises(run_stack.StackError, match="already in use"):
            run_stack.Stack(config, echo=lambda m: None).start()


def test_a_port_held_by_a_client_connection_counts_as_busy() -> None:
    """A client's ephemeral local port answers nobody, yet a server cannot bind it (the scale test's PostgreSQL
    once failed that way after the soak test's thousands of connections)."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname(), timeout=2) as client:
            held = client.getsockname()[1]
            assert run_stack.port_in_use("127.0.0.1", held)
    assert not run_stack.port_in_use("127.0.0.1", free_port())


def test_stack_reports_a_crashing_service(fake_root: Path, tmp_path: Path) -> None:
    config = config_for(fake_root, tmp_path)
    (tmp_path / "bin" / "rasa").write_text("#!/bin/sh\necho 'model could not be loaded' >&2\nexit 3\n")
    with pytest.raises(run_stack.StackError, match="exited with code 3") as info:
        run_stack.Stack(config, echo=lambda m: None).start()
    assert "model could not be loaded" in str(info.value)


def test_stack_times_out(fake_root: Path, tmp_path: Path) -> None:
    """A Rasa that never gets healthy is given up at the timeout and stopped, while it still runs (its own log
    says so in order), instead of being waited for until it ends by itself."""
    config = config_for(fake_root, tmp_path)
    config.timeout = 1.0
    events = tmp_path / "events"  # one line per event: "<rasa's first argument after run> <event>"
    (tmp_path / "bin" / "rasa").write_text(  # Rasa never gets healthy
        "#!/bin/sh\n"
        f"trap 'echo \"$2 stopped\" >> {events}; exit 0' TERM\n"
        f"echo \"$2 running\" >> {events}\n"
        "sleep 120 & wait $!\n"
        f"echo \"$2 ended by itself\" >> {events}\n")
    with pytest.raises(run_stack.StackError, match=r"not healthy after 1 s: (actions, )?rasa"):
        run_stack.Stack(config, echo=lambda m: None).start()
    rasa = [line.split(" ", 1)[1] for line in events.read_text().splitlines() if line.startswith("--enable-api ")]
    assert rasa == ["running", "stopped"]


def test_main_stops_everything_on_sigterm(fake_root: Path, tmp_path: Path) -> None:
    config = config_for(fake_root, tmp_path)
    env = {**os.environ, **config.extra_env, "ACTIONS_PORT": str(config.actions_port),
           "RASA_PORT": str(config.rasa_port), "BOT_PORT": str(config.web_port),
           "RASA_BIN": str(tmp_path / "bin" / "rasa"), "WEB_APP_PYTHON": config.web_python}
    shutil.copytree(ROOT / "devtools", fake_root / "devtools")  # its root is then fake_root
    proc = subprocess.Popen([str(tmp_path / "bin" / "python"), "-m", "devtools.stack"], cwd=fake_root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    out = ""
    deadline = time.monotonic() + 60
    while "Press Ctrl-C" not in out and time.monotonic() < deadline and proc.poll() is None:
        out += proc.stdout.readline()
    assert "/console" in out and f":{config.web_port}/" in out
    assert get(f"http://127.0.0.1:{config.web_port}/healthz") == 200
    proc.send_signal(signal.SIGTERM)
    rest, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert "stopped rasa" in rest and "stopped actions" in rest and "stopped web" in rest
    with pytest.raises(OSError):
        get(f"http://127.0.0.1:{config.web_port}/healthz")


@pytest.mark.parametrize(("cores", "memory_gb", "workers"), [
    (2, 20.0, 2),   # this machine: one worker per core
    (8, 64.0, 4),   # many cores: at most 4 on one machine, more as separate instances
    (8, 3.5, 2),    # memory for two models (1 GB each) after 1 GB for the rest
    (2, 2.0, 1),    # too little memory for two: one
    (1, 0.5, 1),    # never none
])
def test_rasa_workers_one_per_core_as_far_as_memory_goes(cores: int, memory_gb: float, workers: int) -> None:
    assert run_stack.default_rasa_workers(cores, memory_gb) == workers


def test_sanic_workers_is_the_number_of_rasa_processes_and_an_explicit_value_wins(
        fake_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SANIC_WORKERS", raising=False)
    config = run_stack.StackConfig.from_env(root=fake_root, rasa_port=5005)
    stack = run_stack.Stack(config)
    workers = run_stack.default_rasa_workers()
    assert [n for n in stack.services if n.startswith("rasa")] == [f"rasa-{n}" for n in range(1, workers + 1)]
    assert stack.env()["SANIC_WORKERS"] == "1"  # each process is one worker: the launcher replaces a dead one
    assert stack.env()["RASA_URLS"].split(",") == [f"http://127.0.0.1:{5005 + n}" for n in range(workers)]
    monkeypatch.setenv("SANIC_WORKERS", "3")
    config = run_stack.StackConfig.from_env(root=fake_root)
    assert config.rasa_workers == 3 and len(run_stack.Stack(config).config.rasa_names()) == 3


def two_free_ports() -> int:
    """A port whose next one is free too (rasa-1 and rasa-2)."""
    return free_port(2)


def health(url: str) -> dict:
    import json

    try:
        with urllib.request.urlopen(url, timeout=5) as resp:  # noqa: S310 - local
            return json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return json.loads(err.read())


def test_a_killed_rasa_worker_is_noticed_and_replaced(fake_root: Path, tmp_path: Path) -> None:
    config = config_for(fake_root, tmp_path)
    config.rasa_workers, config.rasa_port = 2, two_free_ports()
    messages: list[str] = []
    with run_stack.Stack(config, echo=messages.append) as stack:
        healthz = stack.urls()["healthz"]
        assert health(healthz)["capacity"] == {"rasa_workers_up": 2, "rasa_workers": 2}
        stack.supervise(run_stack.RestartPolicy(backoff_start_s=3.0))
        victim = stack.services["rasa-2"]
        old_pid = victim.pid
        os.kill(old_pid, signal.SIGKILL)
        deadline = time.monotonic() + 60
        degraded = False
        while time.monotonic() < deadline:
            body = health(healthz)
            degraded = degraded or (body["status"] == "degraded" and body["capacity"]["rasa_workers_up"] == 1)
            if degraded and body["status"] == "ok" and any("rasa-2 is up again" in m for m in messages):
                break
            time.sleep(0.2)  # polling the health check, not waiting for a server blindly
        assert degraded, "the missing worker was not reported"
        assert body["status"] == "ok" and body["capacity"]["rasa_workers_up"] == 2
        assert victim.pid != old_pid and victim.running()
        assert any("rasa-2 (pid" in m and "exited with code -9" in m for m in messages)


def test_our_rasa_gets_the_measured_settings_unless_the_environment_sets_them(
        fake_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One TF thread per pool (README, Benchmark); stock Rasa in the benchmark keeps TensorFlow's defaults."""
    for key in ("TF_INTRA_OP_PARALLELISM_THREADS", "TF_INTER_OP_PARALLELISM_THREADS"):
        monkeypatch.delenv(key, raising=False)
    env = run_stack.Stack(config_for(fake_root, tmp_path)).env()
    assert env["TF_INTRA_OP_PARALLELISM_THREADS"] == env["TF_INTER_OP_PARALLELISM_THREADS"] == "1"
    monkeypatch.setenv("TF_INTRA_OP_PARALLELISM_THREADS", "2")
    assert run_stack.Stack(config_for(fake_root, tmp_path)).env()["TF_INTRA_OP_PARALLELISM_THREADS"] == "2"
    stock = stock_rasa(sys.executable, "", tmp_path / "m.tar.gz", 1, "http://127.0.0.1:2", tmp_path, tmp_path / "l")
    assert "TF_INTER_OP_PARALLELISM_THREADS" not in stock.env and stock.env["TF_INTRA_OP_PARALLELISM_THREADS"] == "2"
