"""Old names of renamed or merged places, the full and short forms of ethnic townships, and the township-level
units added since the gazetteer's sources were made: each gets today's bureau (offices_kb/data/manual_places.yaml)."""

from __future__ import annotations

import pytest

from offices_kb import lookup


@pytest.mark.parametrize("text, bureau", [
    ("八道江区", "白山市社会保险局"), ("八道江", "白山市社会保险局"), ("浑江市", "白山市社会保险局"),
    ("江源县", "白山市江源区社会保险局"), ("九台市", "长春市社会保险局九台分局"), ("扶余县", "扶余市社会保险局"),
    ("双阳县", "长春市社会保险局双阳分局"), ("蛟河县", "蛟河市社会保险局"), ("郭尔罗斯前旗", "前郭县社会保险局"),
    ("四平公主岭", "公主岭市社会保险局"), ("四平市公主岭市", "公主岭市社会保险局"),
    ("四平范家屯", "公主岭市社会保险局"), ("那木斯蒙古族乡", "双辽市社会保险局"), ("马鞍山镇", "伊通县社会保险局"),
    ("圣水镇", "柳河县社会保险局"), ("超越街道", "长春市社会保险局"), ("龙潭经济开发区", "吉林市社会保险局"),
    ("查干湖旅游经济开发区", "前郭县社会保险局"),
])
def test_old_names_and_new_units_map_to_todays_bureau(text, bureau):
    r = lookup(text)
    assert r.status == "found" and r.best.bureau == bureau and r.best.method == "exact", r.to_dict()


@pytest.mark.parametrize("full, short, bureau", [
    ("两家子满族乡", "两家子乡", "吉林市社会保险局"), ("土城子满族朝鲜族乡", "土城子乡", "吉林市社会保险局"),
    ("乌林朝鲜族乡", "乌林乡", "蛟河市社会保险局"), ("叶赫满族镇", "叶赫镇", "四平市社会保险局"),
    ("三源浦朝鲜族镇", "三源浦镇", "柳河县社会保险局"), ("胡家回族乡", "胡家乡", "长春市社会保险局九台分局"),
    ("延和朝鲜族乡", "延和乡", "榆树市社会保险局"), ("三骏满族蒙古族锡伯族乡", "三骏乡", "扶余市社会保险局"),
    ("向海蒙古族乡", "向海乡", "通榆县社会保险局"), ("乌拉街满族镇", "乌拉街镇", "吉林市社会保险局"),
    ("大口钦满族镇", "大口钦镇", "吉林市社会保险局"), ("金家满族乡", "金家乡", "永吉县社会保险局"),
])
def test_ethnic_townships_by_full_and_short_name(full, short, bureau):
    for text in (full, short, f"我在{short}上班"):
        r = lookup(text)
        assert r.status == "found" and r.best.bureau == bureau and r.best.method == "exact", (text, r.to_dict())


def test_a_township_name_shared_by_two_counties_is_ambiguous():
    r = lookup("两家子")  # 吉林市昌邑区两家子满族乡 and 大安市两家子镇
    assert r.status == "ambiguous"
    assert {m.bureau for m in r.matches} == {"吉林市社会保险局", "大安市社会保险局"}
