"""The speed-ups of the Rasa server, installed once per process before the model loads (channels/guarded_rest.py
imports this module, and Rasa imports the channel before it starts its workers). Each was measured with
`make bench`, one at a time; the figures are in README.md, section Benchmark."""

from __future__ import annotations

from serving import action_results, fast_load, parse_cache, rule_first, schema_cache


def install() -> None:
    action_results.install()
    parse_cache.install()
    fast_load.install()
    rule_first.install()
    schema_cache.install()
