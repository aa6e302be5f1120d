"""The cluster's default ports stay out of the kernel's ephemeral range, where any client connection may hold one."""

from __future__ import annotations

from pathlib import Path

from devtools.scale import ScaleConfig


def test_default_ports_are_below_the_ephemeral_range() -> None:
    low, _high = (int(x) for x in Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    config = ScaleConfig()
    ports = [config.pg_port, config.redis_port, config.actions_port, *config.rasa_ports, config.web_port]
    assert all(port < low for port in ports), (ports, low)
