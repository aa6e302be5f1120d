"""Two states the guide's conditions turn on but citizens rarely name plainly: whether they are unemployed yet
(一、申领范围：失业人员) and who paid the contributions (二（一）: 所在用人单位和本人…缴费)."""

from __future__ import annotations

import re

from offices_kb.normalize import fold

STILL_EMPLOYED = "still_employed"  # 还在职, 还没离职, 下个月才离职, 准备辞职
UNEMPLOYED = "unemployed"  # 失业了, 被辞了, 厂子黄了 (read with the leave reason)

EMPLOYER_NEVER_PAID = "employer_never_paid"  # 单位从来没给上过保险
EMPLOYER_STOPPED = "employer_stopped"  # 单位断缴了, 欠缴
SELF_PAID = "self_paid"  # 自己个人交的, 灵活就业
NEVER_PAID = "never_paid"  # 一天没交过

_STILL_EMPLOYED = re.compile(
    r"还在(?:职|上班|单位|厂里|公司)|还没(?:离职|辞职|走|被辞|正式离职|办离职)|没离职|在职(?:期间|的时候)?(?:能|可以|想)"
    r"|(?:下个?月|下周|明年|月底|年底|过几天|过段时间|马上|快要?|准备|打算|想|要)(?:才|就)?(?:离职|辞职|辞工|走人|不干)"
    r"|(?:离职|辞职)(?:前|之前)(?:能|可以)|先(?:申请|领|办)(?:着)?")
_UNEMPLOYED = re.compile(r"失业了|没(?:工作|活干|班上)了|已经离职|离职了|辞职了|被辞|下岗|待业|在家待着|闲着")
_EMPLOYER = r"(?:单位|公司|厂子?|老板|企业)"
# a time it went unpaid
_SPAN = r"(?:半年|几个月|[一二两三四五六七八九十\d]+个?(?:多)?月|[一二两三\d]+年(?:多)?|去年|今年)"
_PAID = (
    # stopped before never: '单位断了半年没交' and '公司三个月没给交' are a break, not 'never'
    (re.compile(rf"{_EMPLOYER}[^，。,.!?？！]{{0,6}}(?:断缴|欠缴|停缴|停了|欠着|拖欠|欠了|断了|停交)(?:社保|保险)?"
                rf"|{_EMPLOYER}[^，。,.!?？！]{{0,4}}{_SPAN}(?:都|就|也)?(?:没|没有)(?:给|帮)?(?:我)?(?:交|缴|上)"
                r"|(?:社保|保险)(?:被)?(?:断缴|断了|停了|欠缴)"), EMPLOYER_STOPPED),
    (re.compile(rf"{_EMPLOYER}[^，。,.!?？！]{{0,6}}(?:从来|一直|根本|就)?(?:都)?(?:没|不|没有)(?:给|帮)?(?:我)?"
                r"(?:上|交|缴|买|办)(?:过)?(?:社保|保险|失业保险|五险)?"), EMPLOYER_NEVER_PAID),
    (re.compile(r"(?:自己|我自个儿?)个人|个人(?:一直)?(?:交|缴|买|上)|(?:自己|自个儿?)(?:一直)?(?:交|缴|买|上)的"
                r"|自费(?:交|缴)|灵活就业|个体(?:户)?(?:交|缴)|以个人身份|个体户|个体工商户"), SELF_PAID),
    (re.compile(r"(?:从来|一直|一天|从没|压根|根本)(?:都)?(?:没|没有)(?:交|缴|上)(?:过)?|没(?:交|缴|上)过"),
     NEVER_PAID),
)


def employment(text: str) -> str | None:
    """STILL_EMPLOYED, UNEMPLOYED or None (not said)."""
    folded = fold(text or "")
    if _STILL_EMPLOYED.search(folded):
        return STILL_EMPLOYED
    return UNEMPLOYED if _UNEMPLOYED.search(folded) else None


def paid_by(text: str) -> str | None:
    """Who paid, when the message says something other than "the employer and I paid": EMPLOYER_NEVER_PAID,
    EMPLOYER_STOPPED, SELF_PAID, NEVER_PAID, or None."""
    folded = fold(text or "")
    return next((label for pattern, label in _PAID if pattern.search(folded)), None)
