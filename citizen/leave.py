"""Why the job ended, as the guide's condition (二) needs it: of one's own will (voluntary) or not (involuntary).
Kinds the guide does not classify (被迫辞职, 协商解除) are named, never forced into either."""

from __future__ import annotations

import re

from offices_kb.normalize import fold

VOLUNTARY = "voluntary"
INVOLUNTARY = "involuntary"
LEAVE_VALUES = (VOLUNTARY, INVOLUNTARY)

_NEGATION = re.compile(r"不是|并非|没有|没|不算|不属于|非")
# Leave reasons the guide does not classify (it says only "非因本人意愿中断就业"), with how to name them back.
_UNCLEAR = (
    (re.compile(r"被迫|逼(?:我|着)?(?:辞职|离职|走)|被辞职|劝(?:我)?辞职"
                r"|(?:让|叫|要|要求|逼)我(?:主动|自己)?(?:辞职|离职|写辞职|交辞职|打辞职|签辞职|提辞职)"), "被迫辞职"),
    (re.compile(r"协商(?:一致)?(?:解除|离职|辞职|解约|走)|协议(?:解除|离职)|和单位协商|跟单位协商|和公司协商|跟公司协商"),
     "协商解除劳动合同"),
)
_VOLUNTARY_OVERRIDES = re.compile(r"(?:我|本人|自己)(?:主动)?(?:不想|不愿意?|没|不)(?:再)?续")
_INVOLUNTARY_WORDS = tuple(
    "辞退 开除 被开 裁员 被裁 裁掉 裁了 解雇 炒鱿鱼 被炒 倒闭 破产 黄了 解散 关门 被辞 下岗 清退 "
    "不续签 不续约 不再续 没续签 没续 未续签 不给续 不跟我续 不和我续 不让干 不让我干 不用我 不要我 不要人 "
    "被解除 单位解除 公司解除 厂子解除 解除了合同 解除劳动合同 让我走 劝退 被优化 辞了我 把我辞 把我开 "
    "撤销 注销了 关停 停产了 散伙 干黄 整黄 不续了 不给续了 不续合同 遣散 跑路 歇业 停业 关张 倒了 放假回家 "
    "让我们回家 都给放了 把我们放了 把我们都放了 把我放了".split()
)
# the employer went under or let everyone go ('厂子没了', '公司关了', '饭店散了')
_EMPLOYER_GONE = re.compile(r"(?:单位|公司|厂子?|工厂|企业|店|饭店|酒店|宾馆|商场|超市|矿|工地|老板)[^，,。 ]{0,3}"
                            r"(?:没了|关了|倒了|散了|撤了|黄摊|完了|不开了|不干了)")
_VOLUNTARY_WORDS = tuple(
    "辞职 裸辞 辞工 辞了 主动离职 自己离职 自愿离职 个人原因 自己走 自离 不干了 不想干 跳槽 "
    "自己辞 本人申请 主动辞 不想上班 自己提 我提的 我提出 自己不干 自愿 申请离职 提出离职 提的离职 主动申请".split()
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
    """'voluntary' (辞职, 不干了, 自己走的), 'involuntary' (被辞退, 开除, 裁员, 合同到期不续签, 公司倒闭, 厂子黄了,
    人家不要我了) or None.

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
    invol = _spans(cleaned, _INVOLUNTARY_WORDS) + [m.span() for m in _EMPLOYER_GONE.finditer(cleaned)]
    votes = {VOLUNTARY if _negated(cleaned, a) else INVOLUNTARY for a, _ in invol}
    for pos, _ in _spans(cleaned, _VOLUNTARY_WORDS):
        if not any(a <= pos < b for a, b in invol) and not (pos > 0 and cleaned[pos - 1] == "被"):
            votes.add(INVOLUNTARY if _negated(cleaned, pos) else VOLUNTARY)
    return votes.pop() if len(votes) == 1 else None
