"""citizen.durations and citizen.leave: contribution periods and leave reasons from free text (no Rasa involved)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citizen.durations import Duration, chinese_number, describe_months, parse_duration
from citizen.leave import INVOLUNTARY, VOLUNTARY, parse_leave_reason, unclear_leave_reason


@pytest.mark.parametrize(("text", "months"), [
    ("8个月", 8), ("十个月", 10), ("一年半", 18), ("两年", 24), ("1年2个月", 14), ("半年", 6), ("俩月", 2),
    ("交了两年多了", 24), ("一年零三个月", 15), ("1.5年", 18), ("十八个月", 18), ("二十四个月", 24), ("三年", 36),
    ("一个半月", 1.5), ("社保交了8个月能领吗", 8), ("单位给我交了两年社保被辞退了", 24), ("2年", 24),
    ("在舒兰交了一年半 后来去打零工了", 18),
    ("交了 1 年 3 个月", 15), ("一年", 12), ("12个月", 12), ("仨月", 3), ("两个月", 2),
])
def test_periods(text: str, months: float) -> None:
    found = parse_duration(text)
    assert found is not None and found.months == months


@pytest.mark.parametrize(("text", "bound", "months"), [
    ("不满1年", "less_than", 11), ("不到一年", "less_than", 11), ("快一年了", "less_than", 11),
    ("大半年", "less_than", 11), ("1年以上", "at_least", 12), ("两年多", "at_least", 24), ("半年多", "range", 7),
    ("不到两年", "less_than", 23),  # either side of a year: actions.case.settled leaves it to the form to ask
])
def test_bounds(text: str, bound: str, months: float) -> None:
    found = parse_duration(text)
    assert found is not None and found.bound == bound and found.months == months


@pytest.mark.parametrize("text", [
    "", "我能领失业金吗", "差不多一年", "2023年3月被辞退", "3月份被辞退的", "去年", "几个月",
    "半年前", "一年以前交的", "上个月", "0个月", "两年后再说",
])
def test_not_periods(text: str) -> None:
    assert parse_duration(text) is None


def test_time_ago_skipped_for_the_real_period() -> None:
    found = parse_duration("半年前被辞退，交了两年")
    assert found is not None and found.months == 24


def test_non_strings() -> None:
    assert parse_duration(None) is None  # type: ignore[arg-type]
    assert parse_leave_reason(8) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "number"), [
    ("8", 8), ("十", 10), ("十一", 11), ("二十", 20), ("二十四", 24), ("两", 2), ("1.5", 1.5), ("零", 0),
    ("", None), ("十十", None), ("abc", None), ("二三", None),
])
def test_chinese_number(text: str, number: float | None) -> None:
    assert chinese_number(text) == number


@pytest.mark.parametrize(("months", "text"),
                         [(8, "8个月"), (12, "1年"), (18, "1年6个月"), (24, "2年"), (1.5, "1.5个月")])
def test_describe(months: float, text: str) -> None:
    assert describe_months(months) == text


def test_duration_describe() -> None:
    assert Duration(0, 12).describe() == "不到1年"
    assert Duration(24, math.inf).describe() == "2年以上"


@pytest.mark.parametrize("text", [
    "辞职", "我自己辞职的", "不干了", "自己不干了", "主动离职", "自己走的", "我辞了", "跳槽了", "个人原因离职",
    "合同到期我不想续了", "没被开除，自己走的", "voluntary",
])
def test_voluntary(text: str) -> None:
    assert parse_leave_reason(text) == VOLUNTARY


@pytest.mark.parametrize("text", [
    "被辞退", "被公司辞退了", "开除", "被开除了", "裁员", "公司裁员被裁了", "合同到期不续签", "合同到期公司不续签了",
    "合同到期没续", "公司倒闭", "公司倒闭了", "单位解除合同", "公司把我辞了", "老板辞了我", "被辞了", "不是自己辞职的",
    "公司不让我干了", "被优化了", "INVOLUNTARY", "involuntary",
])
def test_involuntary(text: str) -> None:
    assert parse_leave_reason(text) == INVOLUNTARY


@pytest.mark.parametrize("text", ["", "离职了", "合同到期", "被迫辞职", "逼我辞职", "我不知道", "辞职了又被开除",
                                  "公司让我主动辞职", "协商解除劳动合同", "和公司协商一致解除"])
def test_unclear_reasons(text: str) -> None:
    assert parse_leave_reason(text) is None


def test_reasons_the_guide_does_not_classify_are_named() -> None:
    assert unclear_leave_reason("单位逼我辞职") == "被迫辞职"
    assert unclear_leave_reason("公司让我主动辞职") == "被迫辞职"
    assert unclear_leave_reason("跟单位协商解除劳动合同了") == "协商解除劳动合同"
    assert unclear_leave_reason("我自己辞职") is None and unclear_leave_reason("被辞退了") is None


@given(st.text(max_size=60))
def test_never_raises(text: str) -> None:
    found = parse_duration(text)
    if found is not None:  # a stated period is positive; what is stored never exceeds it ("不到1个月" stores 0)
        assert found.value > 0 and found.bound in ("exact", "less_than", "at_least")
        assert 0 <= found.months <= found.value and (found.months < found.value) == (found.bound == "less_than")
    assert parse_leave_reason(text) in (None, VOLUNTARY, INVOLUNTARY)
