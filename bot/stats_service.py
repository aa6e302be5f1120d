"""The dashboard's figures on demand, and the rollup kept current in the background.

A request only reads the rollup: what it costs does not depend on how much was said meanwhile, and it never waits
for a write. A background task per process counts the new events every STATS_REFRESH_S (default 60 s), so the
figures are at most that plus the settle time (30 s) behind. When the rollup is further behind than that (the
first count of a large store, or the store was unreachable), the figures say `complete: false` with a note, and
the page reloads until it is done. One refresh at a time per process (a lock); across processes the watermark's
guarded update keeps them apart.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

from bot.records import Records
from bot.stats import DayRange, empty, read_stats
from bot.stats_rollup import Progress, Rollup
from bot.tracker import TrackerReader

log = logging.getLogger(__name__)

NO_STORE = "尚无对话记录（对话存储文件不存在）。"
SLACK_S = 60.0  # a refresh may take a while on a busy machine before the figures count as behind


class StatsService:
    """The rollup lives on the engine of the assistant's own tables (bot.records: the one that writes `feedback`,
    so the ratings shown are the ones POST /api/feedback stored), made on first use once the tracker store exists
    (`reader.exists()`: the web app never creates the SQLite file before Rasa does)."""

    def __init__(self, reader: TrackerReader, records: Records, threshold: float, settle_s: float,
                 refresh_s: float) -> None:
        self.reader = reader
        self.records = records
        self.threshold = threshold
        self.settle_s = settle_s
        self.allowed_lag_s = settle_s + refresh_s + SLACK_S
        self.lock = threading.Lock()  # one refresh at a time
        self._made = threading.Lock()
        self._rollup: Rollup | None = None
        self.stopping = False

    @property
    def rollup(self) -> Rollup:
        if self._rollup is None:
            with self._made:
                if self._rollup is None:
                    self._rollup = Rollup(self.records.engine, self.threshold, settle_s=self.settle_s)
        return self._rollup

    def refresh(self) -> Progress:
        """Counts every new event (stops early at shutdown), then purges deleted conversations' questions."""
        if not self.reader.exists():
            return Progress(0, 0, True)
        with self.lock:
            progress = self.rollup.refresh(stop=lambda: self.stopping)
            self.rollup.purge()  # questions of conversations deleted since (POST /api/forget, unsubscribe)
            return progress

    def snapshot(self, rng: DayRange) -> dict[str, Any]:
        """The figures of `rng` as the JSON API returns them."""
        if not self.reader.exists():
            return empty(rng, self.threshold, NO_STORE)
        progress = self.rollup.progress(self.allowed_lag_s)
        if not self.rollup.ready:
            return empty(rng, self.threshold, "尚无对话记录。")
        note = "" if progress.complete else \
            f"历史对话仍在汇总中（已完成约 {100 * progress.last_id // max(progress.max_id, 1)}%），数字会继续增加。"
        with self.records.engine.connect() as conn:
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
