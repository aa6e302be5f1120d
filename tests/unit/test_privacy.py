"""Personal numbers are masked as people type them: grouped, with dashes, full-width, one after another, with the
country code; numbers that are not personal (a bureau's landline, dates, months, amounts) stay."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from privacy import BANK_CARD, ID_CARD, MOBILE, found, kind_of, mask, mask_value, without_placeholders

FULL = str.maketrans("0123456789Xx ", "０１２３４５６７８９Ｘｘ\u3000")


@pytest.mark.parametrize(("text", "masked"), [
    ("身份证220102199001011234", "身份证[身份证号]"),
    ("身份证号22010219900101123X。", "身份证号[身份证号]。"),
    ("身份证22010219900101123x能领吗", "身份证[身份证号]能领吗"),
    ("老身份证220102900101123", "老身份证[身份证号]"),
    ("身份证号：220102 19900101 1234", "身份证号：[身份证号]"),
    ("手机13812345678", "手机[手机号]"),
    ("手机 138 1234 5678", "手机 [手机号]"),
    ("手机138-1234-5678", "手机[手机号]"),
    ("手机+86 13812345678", "手机[手机号]"),
    ("手机(+86)138 1234 5678", "手机(+86)[手机号]"),
    ("0086-13812345678", "[手机号]"),
    ("全角１３８１２３４５６７８", "全角[手机号]"),
    ("全角＋８６　１３８　１２３４　５６７８", "全角[手机号]"),
    ("卡号6222021234567890", "卡号[银行卡号]"),
    ("卡号6222 0212 3456 7890 123", "卡号[银行卡号]"),
    ("卡号６２２２－０２１２－３４５６－７８９０", "卡号[银行卡号]"),
    ("13812345678 13987654321", "[手机号] [手机号]"),
    ("13812345678 220102199001011234", "[手机号] [身份证号]"),
    ("13812345678220102199001011234", "[手机号][身份证号]"),
    ("对公账号12345678901234567890123", "对公账号[银行卡号]"),
    ("电话：13812345678，身份证：22010219900101123X，卡：6222021234567890",
     "电话：[手机号]，身份证：[身份证号]，卡：[银行卡号]"),
    ("珲春社保局0433-7512409", "珲春社保局0433-7512409"),
    ("省里电话0431-85821827打不通", "省里电话0431-85821827打不通"),
    ("交了12个月，2023年", "交了12个月，2023年"),
    ("2020-01-01到2021-05-31", "2020-01-01到2021-05-31"),
    ("12345678901", "12345678901"),  # 11 digits but no mobile prefix
    ("邮编130000，领了1500", "邮编130000，领了1500"),
    ("", ""),
])
def test_mask(text: str, masked: str) -> None:
    assert mask(text) == masked


def test_masking_twice_changes_nothing() -> None:
    once = mask("我手机13812345678，身份证220102199001011234")
    assert mask(once) == once
    assert found(once) == [MOBILE, ID_CARD]
    assert "身份证" not in without_placeholders("[身份证号]") and "手机" not in without_placeholders("[手机号]")


def test_nested_values_are_masked() -> None:
    value = {"a": ["13812345678", {"b": "卡6222021234567890"}], "n": 3, "t": None}
    assert mask_value(value) == {"a": ["[手机号]", {"b": "卡[银行卡号]"}], "n": 3, "t": None}


def _mobile() -> st.SearchStrategy[str]:
    return st.builds(lambda second, rest: f"1{second}{rest}", st.sampled_from("3456789"),
                     st.text("0123456789", min_size=9, max_size=9))


def _id() -> st.SearchStrategy[str]:
    date = st.dates().filter(lambda d: 1920 <= d.year <= 2020).map(lambda d: d.strftime("%Y%m%d"))
    return st.builds(lambda region, born, seq, check: f"{region}{born}{seq}{check}",
                     st.integers(110000, 829999).map(str), date, st.text("0123456789", min_size=3, max_size=3),
                     st.sampled_from("0123456789Xx"))


def _card() -> st.SearchStrategy[str]:
    card = st.builds(lambda length, digits: ("62" + digits)[:length], st.integers(16, 19),
                     st.text("0123456789", min_size=17, max_size=17))
    return card.filter(lambda c: len(c) != 18 or kind_of(c) == BANK_CARD)  # not one shaped like an ID


def _grouped(number: str, sizes: list[int], separator: str) -> str:
    parts, pos = [], 0
    for size in sizes:
        if pos < len(number):
            parts.append(number[pos:pos + size])
            pos += size
    if pos < len(number):
        parts.append(number[pos:])
    return separator.join(parts)


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from([MOBILE, ID_CARD, BANK_CARD]), data=st.data(),
       separator=st.sampled_from(["", " ", "-", "\u3000", "－"]), full_width=st.booleans(),
       before=st.sampled_from(["我的", "号码是", "，", "电话:", ""]),
       after=st.sampled_from(["，能领吗", "。", "", " 谢谢"]))
def test_any_written_form_is_masked(kind: str, data: st.DataObject, separator: str, full_width: bool, before: str,
                                    after: str) -> None:
    number = data.draw({MOBILE: _mobile(), ID_CARD: _id(), BANK_CARD: _card()}[kind])
    sizes = {MOBILE: [3, 4, 4], ID_CARD: [6, 8, 4], BANK_CARD: [4, 4, 4, 4]}[kind]
    written = _grouped(number, sizes, separator)
    if full_width:
        written = written.translate(FULL)
    text = f"{before}{written}{after}"
    masked = mask(text)
    assert masked == f"{before}{kind}{after}", (text, masked)
    assert not re.search(r"\d{4}", masked.translate(FULL))
