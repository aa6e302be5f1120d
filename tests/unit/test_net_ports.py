"""The benchmark's ports (BENCH_PORTS): Rasa's worker processes listen on consecutive ports (rasa-N on
RASA_PORT + N - 1), so the range must yield a run of free ones that skips a port someone holds and the ports the
benchmark took for its other services."""

from __future__ import annotations

import socket

import pytest

from devtools.net import free_port_run, free_ports


def test_a_run_of_free_ports_skips_a_held_port_and_the_avoided_ones() -> None:
    low = free_ports(1, 20000, 29000)[0]
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as held:
        held.bind(("127.0.0.1", low + 1))
        held.listen()
        start = free_port_run(3, low, low + 40, avoid={low + 2})
        assert start >= low + 3
        assert not {start, start + 1, start + 2} & {low + 1, low + 2}
    with pytest.raises(OSError):
        free_port_run(5, low, low + 3)  # a range shorter than the run
