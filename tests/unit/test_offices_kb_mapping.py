"""Every place of Jilin goes to the bureau the guide lists for it (offices_kb.lookup)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from guide import phone_table
from offices_kb import lookup

GUIDE = {b.name: b for b in phone_table()}
DATA = Path(__file__).resolve().parents[2] / "offices_kb" / "data"

# The oracle, written from the guide and public administrative geography (not from offices_kb's data):
# each county-level unit of Jilin -> the bureau that serves it.
COUNTY_TO_BUREAU = {
    **dict.fromkeys(["南关区", "宽城区", "朝阳区", "二道区", "绿园区"], "长春市社会保险局"),
    "双阳区": "长春市社会保险局双阳分局", "九台区": "长春市社会保险局九台分局",
    "德惠市": "德惠市社会保险局", "榆树市": "榆树市社会保险局", "农安县": "农安县社会保险局",
    "公主岭市": "公主岭市社会保险局",
    **dict.fromkeys(["昌邑区", "龙潭区", "船营区", "丰满区"], "吉林市社会保险局"),
    "永吉县": "永吉县社会保险局", "桦甸市": "桦甸市社会保险局", "磐石市": "磐石市社会保险局",
    "蛟河市": "蛟河市社会保险局", "舒兰市": "舒兰市社会保险局",
    **dict.fromkeys(["铁西区", "铁东区"], "四平市社会保险局"),
    "双辽市": "双辽市社会保险局", "伊通满族自治县": "伊通县社会保险局", "梨树县": "梨树县社会保险局",
    **dict.fromkeys(["龙山区", "西安区"], "辽源市社会保险局"),
    "东丰县": "东丰县社会保险局", "东辽县": "东辽县社会保险局",
    **dict.fromkeys(["东昌区", "二道江区"], "通化市社会保险局"),
    "通化县": "通化县社会保险局", "辉南县": "辉南县社会保险局", "柳河县": "柳河县社会保险局",
    "集安市": "集安市社会保险局", "梅河口市": "梅河口市社会保险局",
    "浑江区": "白山市社会保险局", "江源区": "白山市江源区社会保险局", "抚松县": "抚松县社会保险局",
    "靖宇县": "靖宇县社会保险局", "长白朝鲜族自治县": "长白县社会保险局", "临江市": "临江市社会保险局",
    "宁江区": "松原市社会保险局", "前郭尔罗斯蒙古族自治县": "前郭县社会保险局", "长岭县": "长岭县社会保险局",
    "乾安县": "乾安县社会保险局", "扶余市": "扶余市社会保险局",
    "洮北区": "白城市社会保险局", "镇赉县": "镇赉县社会保险局", "通榆县": "通榆县社会保险局",
    "洮南市": "洮南市社会保险局", "大安市": "大安市社会保险局",
    "延吉市": "延吉市社会保险局", "图们市": "图们市社会保险局", "敦化市": "敦化市社会保险局",
    "珲春市": "珲春市社会保险局", "龙井市": "龙井市社会保险局", "和龙市": "和龙市社会保险局",
    "汪清县": "汪清县社会保险局", "安图县": "安图县社会保险局",
}
PREFECTURE = {"南关区": "长春", "宽城区": "长春", "朝阳区": "长春", "二道区": "长春", "绿园区": "长春",
              "铁西区": "四平", "铁东区": "四平", "西安区": "辽源", "龙山区": "辽源", "东昌区": "通化",
              "昌邑区": "吉林市", "龙潭区": "吉林市", "宽城": "长春"}


def phone_of(bureau: str) -> str:
    return GUIDE[bureau].phone


def test_the_oracle_covers_every_county_level_unit_of_the_gazetteer():
    rows = list(csv.DictReader((DATA / "gazetteer.csv").open(encoding="utf-8")))
    counties = {r["name"] for r in rows if r["level"] == "county"}
    assert counties == set(COUNTY_TO_BUREAU), counties ^ set(COUNTY_TO_BUREAU)
    assert len(counties) == 60


@pytest.mark.parametrize("county, bureau", sorted(COUNTY_TO_BUREAU.items()))
def test_every_county_level_unit_maps_to_its_bureau(county, bureau):
    # names shared with other provinces need their prefecture to be settled
    text = PREFECTURE.get(county, "") + county
    r = lookup(text)
    assert r.status == "found", (text, r.to_dict())
    assert r.best.bureau == bureau
    assert r.best.phone == phone_of(bureau)


@pytest.mark.parametrize("bureau", sorted(GUIDE))
def test_every_bureau_is_found_by_its_own_name_with_the_guides_phone(bureau):
    r = lookup(bureau)
    assert r.status == "found" and r.best.bureau == bureau and r.best.phone == GUIDE[bureau].phone


SHORT_NAMES = {
    "长春市社会保险局双阳分局": "双阳分局", "长春市社会保险局九台分局": "九台分局", "白山市江源区社会保险局": "江源区",
    "长白山管委会社会保险局": "长白山管委会", "吉林省社会保险局": "吉林省", "长白县社会保险局": "长白县",
    "前郭县社会保险局": "前郭县", "伊通县社会保险局": "伊通县",
}


@pytest.mark.parametrize("bureau", sorted(GUIDE))
def test_every_bureau_is_found_by_its_short_name(bureau):
    short = SHORT_NAMES.get(bureau, bureau.replace("社会保险局", ""))
    for text in {short, bureau.replace("社会保险局", "社保局")}:
        r = lookup(text)
        assert r.status == "found", (text, r.to_dict())
        assert r.best.bureau == bureau and r.best.phone == GUIDE[bureau].phone


@pytest.mark.parametrize("text", ["经开区", "高新区", "净月区", "净月", "汽开区", "长春新区", "莲花山", "中韩示范区"])
def test_changchun_development_zones_go_to_the_city_bureau(text):
    r = lookup("长春" + text if text in ("经开区", "高新区") else text)
    assert r.status == "found" and r.best.bureau == "长春市社会保险局"


@pytest.mark.parametrize("text", ["长白山", "长白山管委会", "池北区", "池西区", "池南区", "二道白河镇"])
def test_changbaishan_areas_go_to_the_management_committee_bureau(text):
    r = lookup(text)
    assert r.status == "found" and r.best.phone == "0433-5759090"


@pytest.mark.parametrize("text, bureau", [
    ("公主岭", "公主岭市社会保险局"), ("公主岭市", "公主岭市社会保险局"), ("长春公主岭", "公主岭市社会保险局"),
    ("梅河口", "梅河口市社会保险局"), ("通化梅河口市", "梅河口市社会保险局"),
    ("江源区", "白山市江源区社会保险局"), ("浑江区", "白山市社会保险局"), ("白山", "白山市社会保险局"),
    ("双阳", "长春市社会保险局双阳分局"), ("九台区", "长春市社会保险局九台分局"),
    ("省", "吉林省社会保险局"), ("吉林省", "吉林省社会保险局"), ("省社保局", "吉林省社会保险局"),
    ("吉林市", "吉林市社会保险局"), ("吉林经开区", "吉林市社会保险局"), ("吉林高新区", "吉林市社会保险局"),
    ("长白县", "长白县社会保险局"), ("长白", "长白县社会保险局"), ("前郭", "前郭县社会保险局"),
    ("前郭尔罗斯", "前郭县社会保险局"), ("伊通", "伊通县社会保险局"), ("通化", "通化市社会保险局"),
    ("通化县", "通化县社会保险局"), ("长春", "长春市社会保险局"), ("长春朝阳区", "长春市社会保险局"),
    ("长春市朝阳区", "长春市社会保险局"), ("四平铁西区", "四平市社会保险局"), ("辽源西安区", "辽源市社会保险局"),
])
def test_mapping_rules(text, bureau):
    r = lookup(text)
    assert r.status == "found", r.to_dict()
    assert r.best.bureau == bureau and r.best.phone == phone_of(bureau)


def test_gongzhuling_is_neither_siping_nor_the_changchun_city_bureau():
    r = lookup("公主岭")
    assert r.best.bureau not in ("四平市社会保险局", "长春市社会保险局")


def test_yanbian_is_a_region_with_its_eight_bureaus():
    r = lookup("延边")
    assert r.status == "ambiguous" and r.region == "延边朝鲜族自治州"
    expected = {n for n, b in GUIDE.items() if b.region == "延边地区"}
    assert {m.bureau for m in r.matches} == expected and len(expected) == 8
    assert lookup("延边州").region == "延边朝鲜族自治州"


def test_a_place_inside_a_named_region_is_settled():
    r = lookup("延边珲春")
    assert r.status == "found" and r.best.phone == "0433-7512409"
    r = lookup("吉林延吉")
    assert r.status == "found" and r.best.bureau == "延吉市社会保险局"
