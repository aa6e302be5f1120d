"""What users type: sentences, pinyin, Traditional characters, typos, places outside Jilin, and bad input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from offices_kb import lookup, mentions
from offices_kb.models import STATUSES

HUNCHUN = "0433-7512409"


@pytest.mark.parametrize("text", [
    "珲春", "珲春市", "珲春市社会保险局", "我在珲春住，社保局电话多少", "珲春社保局电话", "琿春", "琿春市社會保險局",
    "hunchun", "Hunchun", "HUNCHUN", "hun chun", "hunchunshi", "  珲 春  ", "珲春！！！", "【珲春】", "延边珲春市",
    "浑春社保局电话", "在浑春", "珲春的社保局在哪", "我是珲春的咋领失业金",
])
def test_hunchun_however_it_is_typed(text):
    r = lookup(text)
    assert r.status == "found", (text, r.to_dict())
    assert r.best.phone == HUNCHUN


@pytest.mark.parametrize("text, phone", [
    ("長春", "0431-89323019"), ("changchun", "0431-89323019"), ("Changchun", "0431-89323019"),
    ("長白縣", "0439-8225022"), ("yanji", "0433-2706070"), ("gongzhuling", "0434-6262029"),
    ("meihekou", "0435-4303908"), ("changling", "0438-7229883"), ("changbai", "0439-8225022"),
    ("梅河口市", "0435-4303908"), ("梅河", "0435-4303908"), ("公主领市", "0434-6262029"),
    ("乾安", "0438-8233181"), ("乾安縣", "0438-8233181"), ("前郭爾羅斯", "0438-5076115"),
    ("我家在九台社保在哪交", "0431-82320301"), ("扶余市社保局电话是多少啊", "0438-6830080"),
    ("二道白河", "0433-5759090"), ("德惠 社保局", "0431-87236350"),
])
def test_variants(text, phone):
    r = lookup(text)
    assert r.status == "found", (text, r.to_dict())
    assert r.best.phone == phone


@pytest.mark.parametrize("text", ["沈阳", "北京朝阳区", "哈尔滨", "我在大连上班", "Shenyang", "上海浦东新区", "辽宁省"])
def test_outside_jilin_never_gives_a_jilin_bureau(text):
    r = lookup(text)
    assert r.status == "outside_jilin", r.to_dict()
    assert r.matches == [] and r.outside


@pytest.mark.parametrize("text", ["朝阳区", "铁西区", "铁东区", "西安区", "朝阳"])
def test_names_shared_with_other_provinces_are_ambiguous_without_context(text):
    r = lookup(text)
    assert r.status == "ambiguous", r.to_dict()
    assert "吉林省内外都有" in r.message


@pytest.mark.parametrize("text, status, phone", [
    ("长春朝阳区", "found", "0431-89323019"), ("北京朝阳区", "outside_jilin", None),
    ("长春的朝阳区", "found", "0431-89323019"), ("北京的朝阳区", "outside_jilin", None),
    ("四平 铁东区", "found", "0434-5106000"), ("沈阳铁西区", "outside_jilin", None),
    ("鞍山铁东区", "outside_jilin", None), ("通化东昌区", "found", "0435-3653686"),
])
def test_shared_names_resolve_by_context(text, status, phone):
    r = lookup(text)
    assert r.status == status, r.to_dict()
    if phone:
        assert r.best.phone == phone


def test_jilin_alone_is_province_or_city():
    r = lookup("吉林")
    assert r.status == "ambiguous"
    assert {m.bureau for m in r.matches} == {"吉林省社会保险局", "吉林市社会保险局"}


@pytest.mark.parametrize("text", [
    "", "   ", "\n\t", "县", "市", "区", "镇", "乡", "社保局电话多少", "😀😀😀", "'; DROP TABLE places; --",
    "SELECT * FROM aliases", "\x00\x01\x02", "吉林掌上社保app咋下载", "失业金怎么领", "a" * 500, "答案是什么",
])
def test_bad_or_placeless_input_is_not_found_without_crashing(text):
    r = lookup(text)
    assert r.status == "not_found", r.to_dict()
    assert r.message


@pytest.mark.parametrize("bad", [None, 42, b"bytes", ["珲春"], "长" * 501, "珲春" * 5000])
def test_wrong_types_and_huge_text_raise_a_clear_value_error(bad):
    with pytest.raises(ValueError, match="text|文字"):
        lookup(bad)


def test_mentions_give_offsets_into_the_typed_text():
    text = "我在長春朝陽區，以前在hunchun上班"
    spans = [(m.text, m.in_jilin) for m in mentions(text)]
    assert spans == [("長春朝陽區", True), ("hunchun", True)]
    m = mentions(text)[0]
    assert text[m.start:m.end] == "長春朝陽區"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=500))
def test_lookup_never_crashes_on_random_unicode(text):
    r = lookup(text)
    assert r.status in STATUSES
    for m in r.matches:
        assert m.phone.startswith("04")


def test_a_bureau_name_mentions_only_its_place():
    found = mentions("前郭县社保局电话")
    assert [(m.text, m.level) for m in found] == [("前郭县", "bureau")]


@pytest.mark.parametrize("text", ["算了", "算了吧", "好的", "不用了", "对", "是的"])
def test_everyday_words_that_sound_like_places_are_not_places(text):
    assert lookup(text).status == "not_found"
    assert mentions(text) == []
