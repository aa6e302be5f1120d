"""The dashboard's figures on demand, and the rollup kept current in the background.

A request first counts what came since the last refresh (REFRESH_BUDGET_S at most, so the first request after a
long pause or during the first backfill of a large store answers in time, with `complete: false` and a note) and
then reads the rollup. A background task per process refreshes every STATS_REFRESH_S (default 300 s), so a
request usually finds little to count. One refresh at a time per process (a lock); across processes the
watermark's guarded update keeps them apart.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from typing import Any

from bot.stats import DayRange, empty, read_stats
from bot.stats_rollup import Progress, Rollup
from bot.tracker import TrackerReader

log = logging.getLogger(__name__)

REFRESH_BUDGET_S = 0.5
NO_STORE = "尚无对话记录（对话存储文件不存在）。"


class StatsService:
    def __init__(self, reader: TrackerReader, threshold: float, settle_s: float) -> None:
        self.reader = reader
        self.threshold = threshold
        self.rollup = Rollup(reader.engine, threshold, settle_s=settle_s)
        self.lock = threading.Lock()
        self.stopping = False

    def refresh(self, budget_s: float | None = None) -> Progress | None:
        """Counts new events (all of them without a budget); None when another refresh holds the lock past it."""
        if not self.reader.exists():
            return Progress(0, 0, True)
        if not self.lock.acquire(timeout=-1 if budget_s is None else budget_s):
            return None
        try:
            if budget_s is not None:
                return self.rollup.refresh(time.monotonic() + budget_s, stop=lambda: self.stopping)
            progress = self.rollup.refresh(stop=lambda: self.stopping)
            self.rollup.purge()  # questions of conversations deleted since (POST /api/forget, unsubscribe)
            return progress
        finally:
            self.lock.release()

    def snapshot(self, rng: DayRange) -> dict[str, Any]:
        """The figures of `rng` as the JSON API returns them."""
        if not self.reader.exists():
            return empty(rng, self.threshold, NO_STORE)
        progress = self.refresh(REFRESH_BUDGET_S) or self.rollup.progress()
        if not self.rollup.ready:
            return empty(rng, self.threshold, "尚无对话记录。")
        note = "" if progress.complete else \
            f"历史对话仍在汇总中（已完成约 {100 * progress.last_id // max(progress.max_id, 1)}%），数字会继续增加。"
        with self.reader.engine.connect() as conn:
            stats = read_stats(conn, rng, self.threshold, note)
        stats["complete"] = progress.complete
        return stats


async def keep_current(service: StatsService, period_s: float, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            progress = await asyncio.to_thread(service.refresh)
            if progress and progress.last_id:
                log.debug("stats rollup at event %d of %d", progress.last_id, progress.max_id)
        except Exception as exc:  # noqa: BLE001 - the store may be down for a while: try again next period
            log.warning("stats rollup refresh failed (%s): %s", service.reader.description, type(exc).__name__)
        try:
            await asyncio.wait_for(stop.wait(), period_s)
        except asyncio.TimeoutError:
            pass
