"""Typo readings of Jilin's place names: voice-typed and mistyped names find their bureau; a reading that is not
clearly one place is asked about (did_you_mean), never answered with a wrong bureau; ordinary words stay words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from offices_kb import lookup, mentions
from offices_kb.models import STATUSES
from offices_kb.pinyin import name_keys
from offices_kb.store import default_kb
from offices_kb.words import sound_alikes

ROOT = Path(__file__).resolve().parents[2]
ANNOTATION = re.compile(r"\[([^\]]+)\](\([^)]*\)|\{[^}]*\})")
PHONE = {"敦化": "0433-6225268", "辉南": "0435-8224285", "桦甸": "0432-65053009", "珲春": "0433-7512409",
         "舒兰": "0432-68259380", "榆树": "0431-83656840", "扶余": "0438-6830080", "洮南": "0436-6247015",
         "延吉": "0433-2706070", "农安": "0431-83232199", "集安": "0435-6224544", "东丰": "0437-6218773"}


@pytest.mark.parametrize("text, place", [
    ("敦华", "敦化"), ("挥南", "辉南"), ("桦店", "桦甸"), ("珲存", "珲春"), ("书兰", "舒兰"), ("于树", "榆树"),
    ("扶于", "扶余"), ("桃南", "洮南"), ("言吉", "延吉"), ("敦華", "敦化"),
    ("我在敦华上班 厂子黄了 社保局电话多少", "敦化"), ("挥南县社保局电话", "辉南"), ("我在桦店干了三年", "桦甸"),
    ("珲存市", "珲春"), ("书兰的社保局电话", "舒兰"), ("我在于树上班", "榆树"), ("桃南市社保", "洮南"),
    ("以前在德惠交的 后来在农按交了一年多", "农安"), ("东风县", "东丰"), ("huncun", "珲春"),
])
def test_a_one_character_typo_finds_the_bureau(text, place):
    r = lookup(text)
    assert r.status in ("found", "ambiguous"), r.to_dict()
    assert PHONE[place] in {m.phone for m in r.matches}
    typo = next(m for m in r.matches if m.phone == PHONE[place])
    assert typo.method in ("sound", "edit") and typo.place.startswith(place)


@pytest.mark.parametrize("text", ["挥南县", "挥南县社保局电话多少", "我在挥南县上班"])
def test_a_typo_that_is_a_county_elsewhere_is_not_sent_out_of_jilin(text):
    # 挥南县 contains 南县 (湖南省): the one-character-off Jilin county wins
    r = lookup(text)
    assert r.status == "found" and r.best.phone == PHONE["辉南"] and r.outside == []


@pytest.mark.parametrize("text, candidates, outside", [
    ("东平县", {"东丰县", "东辽县"}, ["山东省东平县"]),  # an edit only, and a county of 山东 by that name
    ("吉安", {"集安市"}, ["江西省吉安市"]),  # homophones: the Jilin city or the one in 江西
    ("吉安社保局电话", {"集安市"}, ["江西省吉安市"]),
    ("二道将", {"二道区", "二道江区"}, []),  # 二道 + 将, or 二道江 misheard
    ("通化线", {"通化市", "通化县"}, []),
    ("八道河区", {"浑江区"}, []),  # one character off 八道江区, 浑江区's name until 2010
])
def test_an_unclear_typo_is_asked_about_with_every_candidate(text, candidates, outside):
    r = lookup(text)
    assert r.status == "did_you_mean", r.to_dict()
    assert {m.place for m in r.matches} == candidates
    assert all(m.bureau and m.phone.startswith("04") for m in r.matches)
    assert r.outside == outside
    assert r.message.startswith("您说的是") and r.message.endswith("？")
    assert all(f"“{name}”" in r.message for name in candidates | set(outside))


def test_the_rest_of_the_message_settles_a_homophone_of_a_name_outside_jilin():
    assert lookup("吉林吉安").best.phone == PHONE["集安"]
    r = lookup("我在吉安上班 现在住长春")
    assert r.status == "ambiguous" and PHONE["集安"] in {m.phone for m in r.matches} and r.outside == []
    assert lookup("江西吉安").status == "outside_jilin"
    assert lookup("江西省吉安市").status == "outside_jilin"
    assert lookup("河北三河市").status == "outside_jilin"  # 三河市 alone: 蛟河市 or 河北省三河市?
    assert lookup("我在辽宁敦华").status == "outside_jilin"  # framed by 辽宁: no Jilin typo


@pytest.mark.parametrize("text", ["长沙市", "我在长沙市上班", "淮南", "哈尔滨", "沈阳铁西区"])
def test_a_well_known_place_outside_jilin_is_not_taken_for_a_typo(text):
    r = lookup(text)
    assert r.status == "outside_jilin", r.to_dict()


def test_an_exact_name_beats_a_typo_reading():
    assert lookup("我在长春上过班 后来去长沙市了").best.bureau == "长春市社会保险局"
    assert lookup("长春的朝阳区").status == "found"
    r = lookup("外地户口能在长春领吗")  # 长春 + 领, not the town 长春岭
    assert r.status == "found" and r.best.bureau == "长春市社会保险局"


@pytest.mark.parametrize("text", [
    "长期", "前后", "和平", "高兴", "东风", "富余", "同化", "一通电话", "打了一通社保局电话 没人接",
    "我长期在外地打工", "前后交了三年", "和平年代", "我在按图片上传", "读书兰花", "交的年头越长领得越久吗",
    "我在东风上班", "全身都疼", "升级了吗", "changing", "hello",
])
def test_common_words_are_not_places(text):
    r = lookup(text)
    assert r.status in ("not_found", "outside_jilin"), r.to_dict()
    assert [m for m in mentions(text) if m.in_jilin] == []


def test_a_piece_of_a_common_word_alone_is_asked_about_not_answered():
    r = lookup("按图")  # 按图索骥; or 安图 said into a phone
    assert r.status == "did_you_mean" and [m.place for m in r.matches] == ["安图县"]
    assert lookup("请按图填写").status == "not_found"


def _training_and_held_out() -> list[tuple[str, bool]]:
    out = []
    for path in [*sorted((ROOT / "data" / "nlu").glob("*.yml")), ROOT / "tests" / "nlu" / "heldout.yml"]:
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            for line in (block.get("examples") or "").splitlines() if "intent" in block else []:
                line = line.strip()
                if line.startswith("- "):
                    tagged = any("location" in m.group(2) for m in ANNOTATION.finditer(line[2:]))
                    out.append((ANNOTATION.sub(r"\1", line[2:]), tagged))
    return out


def test_no_sentence_of_the_nlu_data_without_a_tagged_place_gets_a_typo_reading():
    # the data leaves a few real place names untagged (我在白城交的社保): an exact name may be read there,
    # a typo reading never
    read = [t for t, tagged in _training_and_held_out() if not tagged
            and (lookup(t).status == "did_you_mean" or any(m.method != "exact" for m in lookup(t).matches))]
    assert read == []


def test_every_tagged_sentence_of_the_nlu_data_still_finds_its_place():
    missed = [t for t, tagged in _training_and_held_out() if tagged and lookup(t).status == "not_found"]
    assert missed == []


def test_no_sound_typo_of_any_county_or_city_is_answered_with_another_bureau():
    kb = default_kb()
    by_key = sound_alikes(kb.common_words)
    found = 0
    for p in (p for p in kb.places.values() if p.level in ("prefecture", "county")):
        name = p.short or p.name[:-1]
        if len(name) < 2 or not any(t.code == p.code for t in kb.aliases.get(name, [])):
            continue  # 通化县's short 通化 is the city's
        want = {m.bureau_id for m in lookup(p.name).matches}
        for i, key in enumerate(name_keys(name)):
            for ch in set(by_key.get(key, [])) - {name[i]}:
                typo = name[:i] + ch + name[i + 1:]
                if typo in kb.aliases:
                    continue
                for text in (typo, f"我在{typo}上班"):
                    r = lookup(text)
                    if r.status == "found":
                        assert r.best.bureau_id in want, (text, p.name, r.to_dict())
                        found += 1
    assert found > 500  # and it does find most of them


def test_mentions_mark_typo_readings_and_keep_typed_offsets():
    text = "我在敦華上班，老家是东平县的"
    found = mentions(text)
    assert [(m.text, m.place, m.certain) for m in found] == [("敦華", "敦化市", True), ("东平县", "东丰县", False)]
    assert text[found[0].start:found[0].end] == "敦華"


def test_the_new_status_is_listed():
    assert "did_you_mean" in STATUSES


_POOL = sorted({*list(default_kb().aliases)[::7], "敦华", "挥南县", "吉安", "吉安市", "江西", "东平县", "二道将",
                "通化线", "长沙市", "于树", "三河市", "辽宁", "延边", "朝阳区", "huncun", "长春", "吉林"})


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_POOL), min_size=1, max_size=4),
       st.lists(st.sampled_from(["", " ", "在", "的", "上班", "社保局电话", "，", "和", "住"]), min_size=4, max_size=4))
def test_any_mix_of_names_typos_and_places_outside_gives_a_well_formed_answer(names, fillers):
    text = "".join(f + n for f, n in zip(fillers, names, strict=False))
    r = lookup(text)
    assert r.status in STATUSES and r.message
    if r.status in ("found", "ambiguous"):
        assert r.matches and all(m.phone.startswith("04") for m in r.matches)
    if r.status == "did_you_mean":
        assert r.matches and len(r.matches) + len(r.outside) >= 1 and "您说的是" in r.message
    assert all(text[m.start:m.end] == m.text for m in mentions(text))


@pytest.mark.parametrize(("text", "places"), [
    ("在德会和农按都交过", ["德会", "农按"]), ("我在长春和农按交过", ["长春", "农按"]),
    ("在德会、农按交过", ["德会", "农按"]), ("在延吉和和龙都干过", ["延吉", "和龙"]), ("我和老婆在长春", ["长春"]),
])
def test_the_next_place_of_a_list_is_read_even_with_a_typo(text: str, places: list[str]) -> None:
    assert [m.text for m in mentions(text)] == places
