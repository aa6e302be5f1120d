"""The web app's metrics (prometheus-client, a registry per app), served as GET /metrics by bot.routes_metrics.

Counted here as requests pass: requests by route and status, the latency of /api/chat and of each call to Rasa.
Gathered when Prometheus scrapes: the services up (each Rasa worker, the action server, the knowledge base), each
Rasa worker's own counters (GET /webhooks/rest/stats: turns, NLU fallbacks and unsure answers, requests for a
person, deletions on request, parse-cache hits and misses), and from the tracker store's database the ratings by
value, the open handoff codes and what retention removed. Open like /healthz (no personal data in it), or behind
METRICS_TOKEN (a bearer token) when set.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from records import retention
from records.schema import FEEDBACK, HANDOFF, has_table

LATENCY_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0)
WORKER_COUNTERS = {  # /webhooks/rest/stats "turns" field -> metric
    "turns": ("jl_rasa_turns", "User messages handled by the Rasa worker"),
    "fallback": ("jl_fallback_answers", "Messages the NLU could not place (nlu_fallback)"),
    "low_confidence": ("jl_low_confidence_answers", "Messages answered with an intent below UNANSWERED_THRESHOLD"),
    "handoff_requests": ("jl_handoff_requests", "Messages asking for a person (request_human)"),
    "deletions": ("jl_deletions_on_request", "Conversations deleted at the citizen's request"),
}


class Metrics:
    """The app's metrics: counted by the middleware and the Rasa client, the rest read at scrape time."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter("jl_http_requests", "HTTP requests to the web app", ["route", "method", "status"],
                                registry=self.registry)
        self.chat_seconds = Histogram("jl_chat_request_seconds", "Time to answer POST /api/chat",
                                      buckets=LATENCY_BUCKETS, registry=self.registry)
        self.rasa_seconds = Histogram("jl_rasa_call_seconds", "Time of the web app's calls to Rasa",
                                      ["call", "outcome"], buckets=LATENCY_BUCKETS, registry=self.registry)
        self.scraped = _Scraped()
        self.registry.register(self.scraped)

    def observe_rasa(self, call: str, seconds: float, outcome: str) -> None:
        self.rasa_seconds.labels(call, outcome).observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)


class _Scraped(Collector):
    """Values gathered just before a scrape (set by `refresh`), reported as they are."""

    def __init__(self) -> None:
        self.families: list[Metric] = []

    def collect(self) -> Iterator[Metric]:
        yield from self.families

    def describe(self) -> Iterator[Metric]:
        return iter(())  # the families differ from scrape to scrape (workers, tables present)


def worker_families(stats: list[tuple[str, dict[str, Any] | None]]) -> list[Metric]:
    counters = {key: CounterMetricFamily(name, help_text, labels=["worker"])
                for key, (name, help_text) in WORKER_COUNTERS.items()}
    hits = CounterMetricFamily("jl_parse_cache_hits", "NLU parses served from the worker's cache", labels=["worker"])
    misses = CounterMetricFamily("jl_parse_cache_misses", "NLU parses the worker's cache did not have",
                                 labels=["worker"])
    for index, (_, data) in enumerate(stats, start=1):
        if data is None:
            continue
        worker = str(index)
        for key, family in counters.items():
            family.add_metric([worker], float((data.get("turns") or {}).get(key, 0)))
        cache = data.get("parse_cache")
        if isinstance(cache, dict):
            hits.add_metric([worker], float(cache.get("hits", 0)))
            misses.add_metric([worker], float(cache.get("misses", 0)))
    return [*counters.values(), hits, misses]


def store_figures(engine: sa.engine.Engine) -> list[Metric]:
    """Ratings by value, open handoff codes and retention's removals, from the tables that exist."""
    families: list[Metric] = []
    with engine.connect() as conn:
        if has_table(conn, FEEDBACK):
            ratings = GaugeMetricFamily("jl_ratings", "Stored ratings (好差评) by value", labels=["rating"])
            found = dict(conn.execute(sa.text(f"SELECT rating, COUNT(*) FROM {FEEDBACK} WHERE rating IS NOT NULL "
                                              "GROUP BY rating")).all())
            for value in range(1, 6):
                ratings.add_metric([str(value)], float(found.get(value, 0)))
            helpful = GaugeMetricFamily("jl_helpful_votes", "Stored 有用/没用 votes", labels=["helpful"])
            votes = dict(conn.execute(sa.text(f"SELECT helpful, COUNT(*) FROM {FEEDBACK} WHERE helpful IS NOT NULL "
                                              "GROUP BY helpful")).all())
            helpful.add_metric(["yes"], float(sum(n for v, n in votes.items() if v)))
            helpful.add_metric(["no"], float(sum(n for v, n in votes.items() if not v)))
            families += [ratings, helpful]
        if has_table(conn, HANDOFF):
            count = conn.execute(sa.text(f"SELECT COUNT(*) FROM {HANDOFF} WHERE expires_at > :now"),
                                 {"now": time.time()}).scalar_one()
            families.append(GaugeMetricFamily("jl_handoff_codes_open", "Handoff codes not yet expired",
                                              value=float(count)))
    removed = retention.totals(engine)
    if removed:
        family = CounterMetricFamily("jl_retention_deleted", "Removed by retention (RETENTION_DAYS)",
                                     labels=["kind"])
        for kind, value in removed.items():
            family.add_metric([kind], float(value))
        families.append(family)
    return families
