"""action_find_bureau, action_give_phone, action_nearest_bureau against the real offices_kb."""

from __future__ import annotations

import json
import re

import pytest
from action_helpers import load_tracker, make_tracker, run

from actions.answer import ActionFindBureau, ActionGivePhone
from actions.api import kb
from actions.nearest import ActionNearestBureau

PHONE = re.compile(r"0\d{2,3}-\d{7,8}")
JILIN_AREA_CODES = ("0431-", "0432-", "0433-", "0434-", "0435-", "0436-", "0437-", "0438-", "0439-")
BASIS_PHONES = "依据：《失业保险金申领指南》四、现场申领（咨询电话表）"
LAST_INSURED = "失业保险需到最后参保地社会保险局申领"


def loc(value: str) -> list[dict[str, str]]:
    return [{"entity": "location", "value": value}]


async def find(text: str, entities: list | None = None, **slots) -> object:
    return await run(ActionFindBureau(), make_tracker(text, "find_bureau", entities, slots))


async def test_found_gives_bureau_phone_reminder_and_slots() -> None:
    out = await find("珲春社保局电话", loc("珲春"))
    assert "珲春市社会保险局" in out.text and "0433-7512409" in out.text
    assert LAST_INSURED in out.text and out.text.rstrip().endswith(BASIS_PHONES)
    assert out.slots() == {"bureau_name": "珲春市社会保险局", "bureau_phone": "0433-7512409",
                           "bureau_region": "延边地区", "location": "珲春市",
                           "contact": "珲春市社会保险局：0433-7512409"}
    assert "/ask_documents" in out.payloads
    assert PHONE.findall(out.text) == ["0433-7512409"]


@pytest.mark.parametrize(("text", "phone", "wrong"), [
    ("琿春社保局電話多少", "0433-7512409", None),
    ("hunchun社保局电话", "0433-7512409", None),
    ("长春朝阳区去哪个社保局", "0431-89323019", None),
    ("公主岭社保局电话是多少", "0434-6262029", "0434-5106000"),
    ("梅河口的社保局电话", "0435-4303908", "0435-3653686"),
    ("九台的社保局电话", "0431-82320301", None),
    ("二道白河镇的社保局", "0433-5759090", None),
    ("省社保局电话多少", "0431-85821827", None),
])
async def test_found_places(text: str, phone: str, wrong: str | None) -> None:
    out = await find(text)
    assert phone in out.text
    assert wrong is None or wrong not in out.text


async def test_region_lists_its_eight_bureaus_with_buttons() -> None:
    out = await find("延边的社保局电话", loc("延边"))
    for phone in ("0433-2706070", "0433-7512409", "0433-5811287", "0433-3667519"):
        assert phone in out.text
    assert len(PHONE.findall(out.text)) == 8
    assert len(out.buttons) == 8
    assert '/inform_location{"location":"延吉市"}' in out.payloads
    assert out.slots()["bureau_region"] == "延边地区"
    assert out.slots()["bureau_phone"] is None  # no single bureau yet


async def test_region_buttons_resolve_to_their_bureau() -> None:
    out = await find("延边")
    for b in out.buttons:
        place = json.loads("{" + b["payload"].split("{", 1)[1])
        assert kb.lookup(place["location"]).status == "found"


async def test_outside_jilin_gives_no_jilin_bureau() -> None:
    out = await find("沈阳社保局电话", loc("沈阳"))
    assert "吉林省" in out.text and "沈阳" in out.text
    assert not any(code in out.text for code in JILIN_AREA_CODES)
    assert not out.slots()


async def test_beijing_chaoyang_is_outside() -> None:
    out = await find("北京朝阳区社保局电话多少", loc("北京朝阳区"))
    assert "0431-89323019" not in out.text and "吉林省" in out.text


async def test_a_name_shared_with_other_provinces_is_read_as_jilins() -> None:
    out = await find("朝阳区社保局电话", loc("朝阳区"))
    assert "朝阳区（长春地区）" in out.text and "0431-89323019" in out.text
    assert "其他省份的朝阳区" in out.text  # said which one was meant
    assert out.slots()["bureau_phone"] == "0431-89323019"


async def test_ambiguous_jilin_province_or_city() -> None:
    out = await find("吉林")
    assert "0431-85821827" in out.text and "0432-69983087" in out.text
    titles = [b["title"] for b in out.buttons]
    assert "吉林省" in titles and "吉林市" in titles


async def test_choice_payload_resolves() -> None:
    tracker = make_tracker('/inform_location{"location":"长春市朝阳区"}', "inform_location", loc("长春市朝阳区"))
    out = await run(ActionFindBureau(), tracker)
    assert "长春市社会保险局" in out.text and "0431-89323019" in out.text
    assert out.slots()["bureau_phone"] == "0431-89323019"


async def test_last_insured_place_wins_over_where_one_lives() -> None:
    out = await find("在长春交的社保回延吉了去哪办", loc("长春") + loc("延吉"))
    assert "0431-89323019" in out.text and "0433-2706070" not in out.text
    assert "最后参保地" in out.text
    assert out.slots()["bureau_name"] == "长春市社会保险局"


async def test_the_place_one_works_in_is_taken_as_the_insured_place() -> None:
    out = await find("我在珲春上班 家在延吉 去哪领", loc("珲春") + loc("延吉"))
    assert "0433-7512409" in out.text and "0433-2706070" not in out.text and "最后参保地" in out.text


async def test_a_bureau_named_in_full_is_not_repeated() -> None:
    out = await find("敦化市社保局在哪里 电话", loc("敦化市"))
    assert out.text.count("敦化市社会保险局") == 1 and "0433-6225268" in out.text


async def test_insured_outside_jilin() -> None:
    out = await find("在沈阳交的社保现在在长春")
    assert "0431-89323019" not in out.text and "吉林省" in out.text


async def test_not_found_asks_for_the_place() -> None:
    out = await find("火星社保局电话", loc("火星"))
    assert "火星" in out.text and "哪个市" in out.text
    assert not PHONE.findall(out.text)


async def test_no_place_uses_the_place_given_earlier() -> None:
    tracker = make_tracker("那去哪办", "ask_onsite_apply", slots={"location": "德惠"})
    out = await run(ActionFindBureau(), tracker)
    assert "德惠市社会保险局" in out.text and "0431-87236350" in out.text


async def test_no_place_at_all_asks() -> None:
    out = await run(ActionFindBureau(), make_tracker("/find_bureau", "find_bureau"))
    assert "最后参保地" in out.text and "哪个市" in out.text
    assert not out.events


async def test_overlong_text_does_not_crash() -> None:
    out = await find("珲春" + "啊" * 1000)
    assert "0433-7512409" in out.text


# --- action_give_phone --------------------------------------------------------------------------------------


async def test_phone_again_from_fixture() -> None:
    out = await run(ActionGivePhone(), load_tracker("hunchun_then_phone_again"))
    assert "珲春市社会保险局" in out.text and "0433-7512409" in out.text
    assert out.text.rstrip().endswith(BASIS_PHONES)


async def test_phone_without_any_place_asks_and_gives_province() -> None:
    out = await run(ActionGivePhone(), make_tracker("电话多少", "ask_phone"))
    assert "哪个市" in out.text and "0431-85821827" in out.text


async def test_phone_for_a_listed_region_lists_again() -> None:
    tracker = make_tracker("电话再说一遍", "ask_phone", slots={"bureau_region": "延边地区", "location": "延边"})
    out = await run(ActionGivePhone(), tracker)
    assert len(PHONE.findall(out.text)) == 8


async def test_phone_with_a_new_place_looks_it_up() -> None:
    tracker = make_tracker("延吉的电话呢", "ask_phone", loc("延吉"),
                           slots={"bureau_name": "珲春市社会保险局", "bureau_phone": "0433-7512409"})
    out = await run(ActionGivePhone(), tracker)
    assert "0433-2706070" in out.text and "0433-7512409" not in out.text


# --- action_nearest_bureau ----------------------------------------------------------------------------------


async def test_nearest_from_fixture() -> None:
    out = await run(ActionNearestBureau(), load_tracker("share_location"))
    assert out.text.startswith("离您所在位置较近的社会保险局")
    assert "珲春市社会保险局" in out.text.splitlines()[1]
    assert len(re.findall(r"约 [\d.]+ 公里（按所在地城区估算）", out.text)) == 3
    assert LAST_INSURED in out.text and len(out.buttons) == 3


async def test_nearest_changchun() -> None:
    tracker = make_tracker("/share_location", "share_location",
                           [{"entity": "latitude", "value": "43.8"}, {"entity": "longitude", "value": "125.3"}])
    out = await run(ActionNearestBureau(), tracker)
    assert "长春市社会保险局" in out.text.splitlines()[1]


async def test_nearest_far_away_says_probably_not_jilin() -> None:
    tracker = make_tracker("/share_location", "share_location",
                           [{"entity": "latitude", "value": 39.9}, {"entity": "longitude", "value": 116.4}])
    out = await run(ActionNearestBureau(), tracker)
    assert "可能不在吉林省" in out.text


@pytest.mark.parametrize("entities", [
    [],
    [{"entity": "latitude", "value": "abc"}, {"entity": "longitude", "value": 125.3}],
    [{"entity": "latitude", "value": 95}, {"entity": "longitude", "value": 125.3}],
    [{"entity": "latitude", "value": "nan"}, {"entity": "longitude", "value": 125.3}],
])
async def test_nearest_without_a_valid_position_asks(entities: list) -> None:
    out = await run(ActionNearestBureau(), make_tracker("/share_location", "share_location", entities))
    assert "没有收到有效的位置信息" in out.text and not PHONE.findall(out.text)


# --- address and opening hours: the guide has phones only -----------------------------------------------------

@pytest.mark.parametrize("text", ["珲春社保局地址", "珲春社保局在哪个位置", "珲春社保局几点下班", "珲春社保局在哪",
                                  "琿春社保局週末上班嗎"])
async def test_address_or_hours_question_gets_the_phone_and_says_the_guide_has_none(text: str) -> None:
    out = await find(text)
    assert "0433-7512409" in out.text
    assert "没有写地址和办公时间" in out.text


@pytest.mark.parametrize(("text", "phone"), [("我在梅河口上班 社保局电话多少", "0435-4303908"),
                                           ("南关区失业金在哪领", "0431-89323019")])
async def test_plain_phone_question_gets_no_address_note(text: str, phone: str) -> None:
    out = await find(text)
    assert phone in out.text and "没有写地址" not in out.text


async def test_address_of_the_bureau_found_earlier() -> None:
    tracker = make_tracker("地址在哪", "ask_phone",
                           slots={"bureau_name": "珲春市社会保险局", "bureau_phone": "0433-7512409"})
    out = await run(ActionGivePhone(), tracker)
    assert "0433-7512409" in out.text and "没有写地址和办公时间" in out.text


@pytest.mark.parametrize("text", ["你们几点上班", "社保局中午休息吗", "你们单位在哪"])
async def test_hours_question_without_a_place_says_the_guide_has_none_and_asks_the_place(text: str) -> None:
    out = await find(text)
    assert "没有写地址和办公时间" in out.text
    assert "最后参保地是哪个市、县（区）" in out.text and not PHONE.findall(out.text)
