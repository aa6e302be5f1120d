"""The dashboard's figures as one CSV file for Excel: UTF-8 with a BOM (else Excel on Chinese Windows reads it as
GBK), CRLF line ends, one titled table after another (每日统计, 评价, 问题类别, 地点, 未能很好回答的问题).

Cells that Excel would run as a formula (=, +, -, @ first: the questions are what citizens typed) get a leading
apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _pct(rate: float | None) -> str:
    return "" if rate is None else f"{rate * 100:.1f}%"


def _table(writer: Any, title: str, header: list[str], rows: Iterable[list[Any]]) -> None:
    writer.writerow([title])
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    writer.writerow([])


def to_csv(stats: dict[str, Any]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    span = stats["range"]
    totals = stats["totals"]
    writer.writerow(["失业保险金咨询统计", f"{span['from']} 至 {span['to']}", f"{span['days']} 天", "北京时间"])
    writer.writerow(["问题数", totals["questions"], "兜底率", _pct(totals["fallback_rate"]),
                     "低置信度率", _pct(totals["low_confidence_rate"]), "评价数", totals["ratings"],
                     "平均评分", _cell(totals["average_rating"])])
    writer.writerow([])
    ratings = {day["date"]: day for day in stats["ratings"]["per_day"]}
    _table(writer, "每日统计", ["日期", "问题数", "会话数", "兜底数", "兜底率", "低置信度数", "低置信度率",
                            "评价数", "平均评分", "有用", "没用"],
           ([d["date"], d["questions"], d["sessions"], d["fallback"], _pct(d["fallback_rate"]), d["low_confidence"],
             _pct(d["low_confidence_rate"]), ratings[d["date"]]["count"], ratings[d["date"]]["average"],
             ratings[d["date"]]["helpful"], ratings[d["date"]]["unhelpful"]] for d in stats["per_day"]))
    _table(writer, "评价（好差评）", ["评分", "评价", "次数"],
           ([level["rating"], level["name"], level["count"]] for level in stats["ratings"]["levels"]))
    _table(writer, "问题类别", ["意图", "中文名称", "次数", "占比"],
           ([i["intent"], i["name"], i["count"], _pct(i["share"])] for i in stats["intents"]))
    _table(writer, "问得最多的地点", ["地点", "次数"], ([p["place"], p["count"]] for p in stats["places"]))
    _table(writer, "未能很好回答的问题（相近说法合并）", ["问题", "次数", "不同说法数", "最近日期", "其他说法"],
           ([g["text"], g["count"], g["variants"], g["last_day"], " / ".join(g["examples"][1:])]
            for g in stats["unanswered"]))
    return (BOM + out.getvalue()).encode("utf-8")
