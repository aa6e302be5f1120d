"""Free-text parsing for the eligibility form: contribution periods and leave reasons. No Rasa import."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

VOLUNTARY = "voluntary"
INVOLUNTARY = "involuntary"
LEAVE_VALUES = (VOLUNTARY, INVOLUNTARY)

_DIGITS = dict(zip("零〇一二两俩三仨四五六七八九", (0, 0, 1, 2, 2, 2, 3, 3, 4, 5, 6, 7, 8, 9), strict=True))
_NUM = r"(?:\d+(?:\.\d+)?|[零〇一二两俩三仨四五六七八九十]+)"
_DURATION_RE = re.compile(
    rf"(?P<pre>不到|不满|不足|未满|没满|没到|不够|还差|快|将近|接近|差不多)?\s*"
    rf"(?:(?P<big>大)?半年"
    rf"|(?P<y>{_NUM})\s*(?P<ygehalf>个半)?\s*(?:周年|年)(?P<yhalf>半)?"
    rf"(?:\s*(?:零|又)?\s*(?P<m>{_NUM})\s*个?\s*(?P<mhalf>半)?\s*月)?"
    rf"|(?P<m2>{_NUM})\s*个?\s*(?P<m2half>半)?\s*月)"
    rf"(?P<post>多|以上|出头|还多)?"
)
_LESS = {"不到", "不满", "不足", "未满", "没满", "没到", "不够", "还差", "快", "将近", "接近"}
_NOT_A_PERIOD = re.compile(r"^\s*(?:前|以前|之前|后|以后|之后|份|日|号|底|初|中旬|末)")


@lru_cache(maxsize=1)
def _t2s() -> Any:
    from opencc import OpenCC  # plain Python; loaded on first use

    return OpenCC("t2s")


def fold(text: str) -> str:
    """Full-width to half-width, Traditional to Simplified (兩年 -> 两年, 被辭退 -> 被辞退), lower case."""
    text = unicodedata.normalize("NFKC", text).lower()
    return _t2s().convert(text) if any("\u4e00" <= ch <= "\u9fff" for ch in text) else text


@dataclass(frozen=True)
class Duration:
    """A contribution period as stated: `value` months, `bound` exact | at_least | less_than."""

    value: float
    bound: str = "exact"

    @property
    def months(self) -> float:
        """Months to store in the slot (for "less than N" one month under N)."""
        return max(self.value - 1, 0.0) if self.bound == "less_than" else self.value

    def describe(self) -> str:
        """Chinese description, e.g. '1年6个月', '不到12个月', '24个月以上'."""
        amount = describe_months(self.value)
        return {"less_than": f"不到{amount}", "at_least": f"{amount}以上"}.get(self.bound, amount)


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
    if g["y"] is None and g["m2"] is None:  # 半年
        return 6.0
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
    count = chinese_number(g["m2"] or "")
    return None if count is None else count + (0.5 if g["m2half"] else 0)


def parse_duration(text: str) -> Duration | None:
    """The first contribution period in `text`: '8个月', '十个月', '一年半', '两年', '1年2个月', '半年', '俩月'.

    Skips dates and points in time ('2023年', '3月份', '半年前'); vague amounts ('差不多一年') give None.
    """
    if not isinstance(text, str):
        return None
    text = fold(text)
    for match in _DURATION_RE.finditer(text):
        if _NOT_A_PERIOD.match(text[match.end():]):
            continue
        months = _months_of(match)
        if months is None or months <= 0:
            continue
        pre, post = match.group("pre"), match.group("post")
        if match.group("big"):  # 大半年: more than half a year, less than one
            return Duration(12.0, "less_than")
        if pre == "差不多":
            return None
        if pre in _LESS:
            return Duration(months, "less_than") if months <= 12 else None
        return Duration(months, "at_least" if post else "exact")
    return None


def parse_months(text: str) -> float | None:
    """Months to store for the period in `text`, or None."""
    found = parse_duration(text)
    return None if found is None else found.months


_NEGATION = re.compile(r"不是|并非|没有|没|不算|不属于")
# Leave reasons the guide does not classify (it says only "非因本人意愿中断就业"), with how to name them back.
_UNCLEAR = (
    (re.compile(r"被迫|逼(?:我|着)?(?:辞职|离职|走)|被辞职|劝(?:我)?辞职"
                r"|(?:让|叫|要|要求|逼)我(?:主动|自己)?(?:辞职|离职|写辞职|交辞职|打辞职|签辞职|提辞职)"), "被迫辞职"),
    (re.compile(r"协商(?:一致)?(?:解除|离职|辞职|解约|走)|协议(?:解除|离职)|和单位协商|跟单位协商|和公司协商|跟公司协商"),
     "协商解除劳动合同"),
)
_VOLUNTARY_OVERRIDES = re.compile(r"(?:我|本人|自己)(?:主动)?(?:不想|不愿意?|没|不)(?:再)?续")
_INVOLUNTARY_WORDS = tuple(
    "辞退 开除 被开 裁员 被裁 裁掉 裁了 解雇 炒鱿鱼 被炒 倒闭 破产 黄了 解散 关门 被辞 "
    "不续签 不续约 不再续 没续签 没续 未续签 不给续 不跟我续 不和我续 "
    "被解除 单位解除 公司解除 解除了合同 解除劳动合同 让我走 不让我干 不要我 劝退 被优化 辞了我 把我辞".split()
)
_VOLUNTARY_WORDS = tuple(
    "辞职 裸辞 辞工 辞了 主动离职 自己离职 自愿离职 个人原因 自己走 自离 不干了 不想干 跳槽 "
    "自己辞 本人申请 主动辞 不想上班 自己提 我提的 我提出 自己不干".split()
)


def _spans(text: str, words: tuple[str, ...]) -> list[tuple[int, int]]:
    return [m.span() for word in words for m in re.finditer(re.escape(word), text)]


def _negated(text: str, pos: int) -> bool:
    return bool(_NEGATION.search(text[max(0, pos - 4):pos]))  # 不是/没 up to 4 characters before


def unclear_leave_reason(text: str) -> str | None:
    """'被迫辞职' (被迫辞职, 单位让我辞职) or '协商解除劳动合同' (协商解除): kinds the guide does not classify."""
    if not isinstance(text, str):
        return None
    cleaned = fold(text)
    return next((label for pattern, label in _UNCLEAR if pattern.search(cleaned)), None)


def parse_leave_reason(text: str) -> str | None:
    """'voluntary' (辞职, 不干了, 自己走的), 'involuntary' (被辞退, 开除, 裁员, 合同到期不续签, 公司倒闭) or None.

    Also accepts the values themselves. Unclear cases give None: forced resignation (被迫辞职, 单位让我辞职),
    mutual agreement (协商解除), both kinds at once, or only '合同到期' without saying who did not renew.
    """
    if not isinstance(text, str):
        return None
    cleaned = fold(text).strip()
    if cleaned in LEAVE_VALUES:
        return cleaned
    if unclear_leave_reason(cleaned):
        return None
    if _VOLUNTARY_OVERRIDES.search(cleaned):
        return VOLUNTARY
    invol = _spans(cleaned, _INVOLUNTARY_WORDS)
    votes = {VOLUNTARY if _negated(cleaned, a) else INVOLUNTARY for a, _ in invol}
    for pos, _ in _spans(cleaned, _VOLUNTARY_WORDS):
        if not any(a <= pos < b for a, b in invol) and not (pos > 0 and cleaned[pos - 1] == "被"):
            votes.add(INVOLUNTARY if _negated(cleaned, pos) else VOLUNTARY)
    return votes.pop() if len(votes) == 1 else None
