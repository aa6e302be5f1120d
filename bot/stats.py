"""The dashboard's figures for a range of days, read from the rollup (bot/stats_rollup.py) and `feedback`.

Days are China time (UTC+8). A range is the last `days` days up to today, or `from`/`to` (YYYY-MM-DD), at most
MAX_DAYS. Every day of the range is listed, zeros included, so a chart's axis has no gaps.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from multidict import MultiMapping
from sqlalchemy.engine import Connection

from bot.intent_names import RATING_NAMES, intent_label
from bot.stats_groups import top_groups
from bot.stats_rollup import CHINA_TIME, SERIES, day_of
from bot.validation import InvalidInput

MAX_DAYS = 366
DEFAULT_DAYS = 30
TOP_PLACES = 30
TOP_GROUPS = 50
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits: \\d takes ３ too
DAYS_RE = re.compile(r"[0-9]{1,4}")

PER_DAY = sa.text("SELECT day, metric, SUM(n) FROM stats_daily WHERE day >= :first AND day <= :last "
                  f"AND metric IN ({', '.join(repr(m) for m in SERIES)}) GROUP BY day, metric")  # the rollup's names
PER_ITEM = sa.text("SELECT metric, item, SUM(n) FROM stats_daily WHERE day >= :first AND day <= :last "
                   "AND metric IN ('intent', 'place') GROUP BY metric, item")
TEXTS = sa.text("SELECT grp, text, COUNT(*), MAX(day), MIN(event_id) FROM stats_unanswered "
                "WHERE day >= :first AND day <= :last GROUP BY grp, text")
RATINGS = sa.text("SELECT created_at, rating, helpful FROM feedback WHERE created_at >= :start AND created_at < :end")


@dataclass(frozen=True)
class DayRange:
    first: date
    last: date

    def days(self) -> list[str]:
        return [(self.first + timedelta(days=i)).isoformat() for i in range((self.last - self.first).days + 1)]

    def timestamps(self) -> tuple[float, float]:
        """POSIX seconds from the first day's China-time midnight to the midnight after the last day."""
        start = datetime(self.first.year, self.first.month, self.first.day, tzinfo=CHINA_TIME).timestamp()
        return start, start + 86400 * ((self.last - self.first).days + 1)


def today(now: float | None = None) -> date:
    return datetime.fromtimestamp(time.time() if now is None else now, CHINA_TIME).date()


def _date(value: str, name: str) -> date:
    try:
        if not DATE_RE.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"参数 {name} 必须是日期，格式 YYYY-MM-DD（例如 2025-01-31）。") from None


def parse_range(query: MultiMapping[str], current: date) -> DayRange:
    """`days=N` (1..366, default 30) or `from=YYYY-MM-DD&to=YYYY-MM-DD`; anything else is InvalidInput (400)."""
    unknown = sorted(set(query) - {"days", "from", "to"})
    if unknown:
        raise InvalidInput(f"不支持的参数：{'、'.join(unknown)}（可用 days，或 from 和 to）。")
    for name in ("days", "from", "to"):
        if len(query.getall(name, [])) > 1:
            raise InvalidInput(f"参数 {name} 只能给一次。")
    if "from" in query or "to" in query:
        if "days" in query or "from" not in query or "to" not in query:
            raise InvalidInput("请只用 days，或同时给出 from 和 to（YYYY-MM-DD）。")
        first, last = _date(query["from"], "from"), _date(query["to"], "to")
        if first > last:
            raise InvalidInput("参数 from 不能晚于 to。")
        if (last - first).days >= MAX_DAYS:
            raise InvalidInput(f"日期范围最长 {MAX_DAYS} 天。")
        return DayRange(first, last)
    raw = query.get("days", str(DEFAULT_DAYS)).strip()
    if not DAYS_RE.fullmatch(raw) or not 1 <= int(raw) <= MAX_DAYS:
        raise InvalidInput(f"参数 days 必须是 1 到 {MAX_DAYS} 之间的整数（天数）。")
    return DayRange(current - timedelta(days=int(raw) - 1), current)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _ratings(rows: list[Any], rng: DayRange) -> dict[str, Any]:
    """(created_at, rating, helpful) rows -> totals, the five levels (非常满意 5 first) and each day's figures."""
    helpful: dict[str, Counter[bool]] = {day: Counter() for day in rng.days()}
    scores: dict[str, list[int]] = {day: [] for day in helpful}
    for created_at, rating, was_helpful in rows:
        day = day_of(float(created_at))
        if day not in helpful:
            continue
        if isinstance(rating, int) and 1 <= rating <= 5:
            scores[day].append(rating)
        if was_helpful is not None:
            helpful[day][bool(was_helpful)] += 1
    every = [score for day in scores.values() for score in day]
    levels = Counter(every)
    return {
        "count": len(every),
        "average": _mean(every),
        "levels": [{"rating": level, "name": name, "count": levels[level]} for level, name in RATING_NAMES.items()],
        "helpful": sum(c[True] for c in helpful.values()),
        "unhelpful": sum(c[False] for c in helpful.values()),
        "per_day": [{"date": day, "count": len(scores[day]), "average": _mean(scores[day]),
                     "helpful": helpful[day][True], "unhelpful": helpful[day][False]} for day in helpful],
    }


def _mean(scores: list[int]) -> float | None:
    return round(sum(scores) / len(scores), 2) if scores else None


def empty(rng: DayRange, threshold: float, note: str) -> dict[str, Any]:
    """The figures of a range with nothing in it (no tracker store yet)."""
    zero = {day: dict.fromkeys(SERIES, 0) for day in rng.days()}
    return _assemble(rng, threshold, zero, Counter(), Counter(), [], _ratings([], rng), note)


def read_stats(conn: Connection, rng: DayRange, threshold: float, note: str = "") -> dict[str, Any]:
    days = rng.days()
    bounds = {"first": days[0], "last": days[-1]}
    series = {day: dict.fromkeys(SERIES, 0) for day in days}
    for day, metric, n in conn.execute(PER_DAY, bounds):
        series[day.strip()][metric] = int(n)
    intents: Counter[str] = Counter()
    places: Counter[str] = Counter()
    for metric, item, n in conn.execute(PER_ITEM, bounds):
        (intents if metric == "intent" else places)[item] += int(n)
    groups = [g.to_dict() for g in top_groups(conn.execute(TEXTS, bounds), limit=TOP_GROUPS)]
    start, end = rng.timestamps()
    rated = conn.execute(RATINGS, {"start": start, "end": end}).all()  # the rollup made the table if missing
    return _assemble(rng, threshold, series, intents, places, groups, _ratings(rated, rng), note)


def _assemble(rng: DayRange, threshold: float, series: dict[str, dict[str, int]], intents: Counter[str],
              places: Counter[str], groups: list[dict[str, Any]], ratings: dict[str, Any],
              note: str) -> dict[str, Any]:
    total = {metric: sum(day[metric] for day in series.values()) for metric in SERIES}
    questions = total["questions"]
    return {
        "range": {"from": rng.first.isoformat(), "to": rng.last.isoformat(), "days": len(series),
                  "timezone": "UTC+8"},
        "note": note,
        "threshold": threshold,
        "totals": {"questions": questions, "sessions": total["sessions"], "fallback": total["fallback"],
                   "low_confidence": total["low"], "fallback_rate": _rate(total["fallback"], questions),
                   "low_confidence_rate": _rate(total["low"], questions), "ratings": ratings["count"],
                   "average_rating": ratings["average"]},
        "per_day": [{"date": day, "questions": c["questions"], "sessions": c["sessions"], "fallback": c["fallback"],
                     "low_confidence": c["low"], "fallback_rate": _rate(c["fallback"], c["questions"]),
                     "low_confidence_rate": _rate(c["low"], c["questions"])} for day, c in series.items()],
        "intents": [{"intent": name, "name": intent_label(name), "count": n, "share": _rate(n, questions)}
                    for name, n in sorted(intents.items(), key=lambda kv: (-kv[1], kv[0]))],
        "places": [{"place": name, "count": n} for name, n in sorted(places.items(),
                                                                      key=lambda kv: (-kv[1], kv[0]))[:TOP_PLACES]],
        "ratings": ratings,
        "unanswered": groups,
    }
