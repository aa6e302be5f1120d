"""Contribution periods in free text: '8个月', '一年半', '八九年' (a range), '三年多', '一年零两个月', '十来年',
'一年不到', '差两个月满一年'. Dates and points in time ('2023年', '19年开始交的', '3月份', '半年前') are skipped."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from offices_kb.normalize import fold

_DIGITS = dict(zip("零〇一二两俩三仨四五六七八九", (0, 0, 1, 2, 2, 2, 3, 3, 4, 5, 6, 7, 8, 9), strict=True))
_NUM = r"(?:\d+(?:\.\d+)?|[零〇一二两俩三仨四五六七八九十]+)"
_ONE = "一二两三四五六七八九"
_LESS_PRE = ("不到", "不满", "不足", "未满", "没满", "没到", "不够", "还差", "快", "将近", "接近")
_LESS_POST = ("不到", "不满", "没到", "不够", "还不到", "都不到")
_MORE_POST = ("多", "以上", "出头", "还多", "多点", "有余")
_DURATION_RE = re.compile(
    rf"(?P<pre>{'|'.join(_LESS_PRE)}|差不多|大概|大约|得有|有)?\s*"
    rf"(?:(?P<big>大)?半年"
    rf"|(?P<r1>[{_ONE}])(?P<r2>[{_ONE}])\s*(?P<runit>年|个月|个多月)"          # 八九年, 七八个月: a range
    rf"|(?P<many>好几|好多|很多|十几|十来|二十来|二十几|几十|多)\s*年"           # 好几年, 十来年: surely more than one
    rf"|(?P<y>{_NUM})\s*(?P<ygehalf>个半)?\s*(?:周年|年)(?P<yhalf>半)?"
    rf"(?:\s*(?:零|又)?\s*(?P<m>{_NUM})\s*个?\s*(?P<mhalf>半)?\s*月)?"
    rf"|(?P<m2>{_NUM})\s*个?\s*(?P<m2half>半)?\s*月)"
    rf"(?P<post>{'|'.join(sorted(_LESS_POST + _MORE_POST, key=len, reverse=True))})?"
)
_SHORT_OF = re.compile(rf"差\s*(?P<n>{_NUM})\s*个?月\s*(?:就)?(?:满|够|到)?\s*(?:一|1)\s*年")
# '一年半后' is a date, '一年半 后来…' a period followed by what happened next
_NOT_A_PERIOD = re.compile(r"^\s*(?:前|以前|之前|后(?!来)|以后|之后|份|日|号|底|初|中旬|末|开始|起|到现在|入职"
                           r"|进厂|进的|那会|的时候|就退休|退休|到期|内|之内|以内|没动静|没信|了还没|多了还没)")
_DATE_BEFORE = re.compile(r"(?:从|在|是|于|自|打)\s*$")
_MONTH_AFTER = re.compile(r"\s*(?:\d|[一二三四五六七八九十]+)\s*月")
_MANY = {"好几": 24.0, "好多": 24.0, "很多": 24.0, "多": 24.0, "十几": 120.0, "十来": 120.0, "二十来": 240.0,
         "二十几": 240.0, "几十": 240.0}


@dataclass(frozen=True)
class Duration:
    """A contribution period as stated, in months: between `low` and `high` (equal when exact; `high` is inf for
    "at least", `low` is 0 for "less than")."""

    low: float
    high: float
    said: str = ""  # the words as typed, after folding ('八九年'), to quote back

    @property
    def words(self) -> str:
        """How to name the period back to the user: their own words if they gave some, else describe()."""
        return self.said or self.describe()

    @property
    def bound(self) -> str:
        """exact | at_least | less_than | range."""
        if self.low == self.high:
            return "exact"
        if math.isinf(self.high):
            return "at_least"
        return "less_than" if self.low == 0 else "range"

    @property
    def months(self) -> float:
        """Months to store in the slot: the lowest the statement allows ("less than N": one month under N)."""
        if self.bound == "less_than":
            return max(self.high - 1, 0.0)
        return self.low

    def meets(self, minimum: float) -> bool | None:
        """True/False when the statement decides whether it reaches `minimum` months, None when it does not."""
        if self.low >= minimum:
            return True
        if self.high < minimum or (self.bound == "less_than" and self.high <= minimum):
            return False
        return None

    def describe(self) -> str:
        """Chinese description: '1年6个月', '不到1年', '2年以上', '8到9年'."""
        if self.bound == "less_than":
            return f"不到{describe_months(self.high)}"
        if self.bound == "at_least":
            return f"{describe_months(self.low)}以上"
        if self.bound == "range":
            low, high = describe_months(self.low), describe_months(self.high)
            for unit in ("个月", "年"):
                if low.endswith(unit) and high.endswith(unit) and "年" not in low[:-len(unit)]:
                    return f"{low[:-len(unit)]}到{high}"
            return f"{low}到{high}"
        return describe_months(self.low)


def describe_months(months: float) -> str:
    """18 -> '1年6个月', 8 -> '8个月', 24 -> '2年'."""
    whole = int(months)
    if months != whole:
        return f"{months:g}个月"
    years, rest = divmod(whole, 12)
    if years and rest:
        return f"{years}年{rest}个月"
    return f"{years}年" if years else f"{rest}个月"


def chinese_number(text: str) -> float | None:
    """'8' -> 8, '十' -> 10, '二十四' -> 24, '两' -> 2, '1.5' -> 1.5; None if not a number."""
    text = text.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    tens, ten, ones = text.partition("十")
    if not ten:
        return float(_DIGITS[text]) if len(text) == 1 and text in _DIGITS else None
    t, o = (_DIGITS.get(tens) if tens else 1), (_DIGITS.get(ones) if ones else 0)
    return None if t is None or o is None or len(tens) > 1 or len(ones) > 1 else float(t * 10 + o)


def _months_of(match: re.Match[str]) -> float | None:
    g = match.groupdict()
    if g["y"] is not None:
        years = chinese_number(g["y"])
        if years is None or years >= 100:  # '2023年' is a date, not a period
            return None
        months = years * 12 + (6 if g["ygehalf"] or g["yhalf"] else 0)
        if g["m"] is not None:
            extra = chinese_number(g["m"])
            if extra is None:
                return None
            months += extra + (0.5 if g["mhalf"] else 0)
        return months
    if g["m2"] is not None:
        count = chinese_number(g["m2"])
        return None if count is None else count + (0.5 if g["m2half"] else 0)
    return 6.0  # 半年


def _is_date(text: str, match: re.Match[str]) -> bool:
    """'19年开始交的', '从20年到现在', '2023年3月': a year, not a period."""
    if _NOT_A_PERIOD.match(text[match.end():]):
        return True
    y = match.group("y")
    if not (y and y.isdigit() and 10 <= int(y) <= 40):
        return False
    return bool(_DATE_BEFORE.search(text[:match.start()]) or _MONTH_AFTER.match(text[match.end():]))


def _duration_of(match: re.Match[str]) -> Duration | None:
    g = match.groupdict()
    pre, post = g["pre"], g["post"]
    if g["big"]:  # 大半年: more than half a year, less than one
        return Duration(0.0, 12.0)
    if g["y"] is None and g["m2"] is None and g["r1"] is None and g["many"] is None and post in _MORE_POST:
        return Duration(7.0, 11.0)  # 半年多: more than half a year, less than one
    if g["many"]:
        return Duration(_MANY[g["many"]], math.inf)
    if g["r1"]:
        low, high = _DIGITS[g["r1"]], _DIGITS[g["r2"]]
        if not 0 < high - low <= 2:
            return None
        unit = 12.0 if g["runit"] == "年" else 1.0
        return Duration(low * unit, high * unit)
    months = _months_of(match)
    if months is None or months <= 0:
        return None
    if pre == "差不多":
        return None
    if pre in _LESS_PRE or post in _LESS_POST:
        return Duration(0.0, months)  # "不到两年": either side of a year, actions.case.settled decides
    return Duration(months, math.inf) if post in _MORE_POST else Duration(months, months)


def parse_duration(text: str) -> Duration | None:
    """The first contribution period in `text`, or None (also for vague amounts such as '差不多一年')."""
    if not isinstance(text, str):
        return None
    text = fold(text)
    short = _SHORT_OF.search(text)
    if short and (n := chinese_number(short.group("n"))) and 0 < n < 12:
        return Duration(12.0 - n, 12.0 - n, short.group(0))
    for match in _DURATION_RE.finditer(text):
        if _is_date(text, match):
            continue
        found = _duration_of(match)
        if found is not None:
            return Duration(found.low, found.high, match.group(0).strip())
    return None
