"""Loopback HTTP and ports for the tools: requests never go through a proxy (an http_proxy setting must not send
127.0.0.1 elsewhere), every request has a timeout, and a port counts as busy when a server could not bind it."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from collections.abc import Collection
from typing import Any

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http_get(url: str, timeout: float = 3.0, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """(status, body); status 0 when nothing answered."""
    return _open(urllib.request.Request(url, headers=headers or {}), timeout)


def http_post_json(url: str, payload: Any, timeout: float = 30.0) -> tuple[int, bytes]:
    body = json.dumps(payload, ensure_ascii=False).encode()
    return _open(urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"}), timeout)


def _open(request: urllib.request.Request, timeout: float) -> tuple[int, bytes]:
    try:
        with _OPENER.open(request, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib.error.URLError, OSError, TimeoutError):
        return 0, b""


def http_ok(url: str, timeout: float = 3.0) -> bool:
    return http_get(url, timeout)[0] == 200


def port_in_use(host: str, port: int) -> bool:
    """True when something listens on the port or a server could not bind it. The second case catches a client
    connection (or its TIME_WAIT) holding the port as its ephemeral local port: nothing answers, yet bind fails."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        if sock.connect_ex((host, port)) == 0:
            return True
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers bind
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def free_port(host: str = "127.0.0.1") -> int:
    """A port the kernel has free right now (for tools that pick their own ports)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def free_ports(count: int, low: int, high: int, host: str = "127.0.0.1") -> list[int]:
    """`count` ports from low..high (inclusive) that nothing holds right now, lowest first: for tools that must
    stay in a range (below Linux's ephemeral ports, 32768, or a range agreed with others on a shared machine)."""
    found = []
    for port in range(low, high + 1):
        if not port_in_use(host, port):
            found.append(port)
            if len(found) == count:
                return found
    raise OSError(f"fewer than {count} free ports in {low}-{high}")


def free_port_run(count: int, low: int, high: int, host: str = "127.0.0.1", avoid: Collection[int] = ()) -> int:
    """The first of `count` consecutive ports in low..high that nothing holds right now, none of them in `avoid`:
    for a stack whose Rasa processes listen on RASA_PORT, RASA_PORT + 1, ... (devtools.stack)."""
    run = 0
    for port in range(low, high + 1):
        run = run + 1 if port not in avoid and not port_in_use(host, port) else 0
        if run == count:
            return port - count + 1
    raise OSError(f"no {count} consecutive free ports in {low}-{high}")
