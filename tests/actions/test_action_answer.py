"""The composing actions on citizens' stories: the question asked first, the last insured place's bureau, what the
facts imply, tone. A tracker per message (the intent as DIET might give it), the real domain and offices_kb."""

from __future__ import annotations

import re

import pytest
from action_helpers import make_tracker, run

from actions.answer import ActionAnswer, ActionFindBureau, ActionGivePhone, ActionNotCovered
from actions.fallback import ActionDefaultFallback

PHONE = re.compile(r"0\d{2,3}-\d{7,8}")
PROVINCE = "0431-85821827"


async def answer(text: str, intent: str, action: object = None, **slots: object) -> object:
    return await run(action or ActionAnswer(), make_tracker(text, intent, slots=slots))


@pytest.mark.parametrize(("text", "right", "wrong"), [
    ("以前在德惠交的 后来在农安交了一年多 农安那厂子黄了 现在住长春 电话多少", "0431-83232199",
     ["0431-89323019", "0431-87236350"]),
    ("我在舒兰一个厂子干了八九年 厂子搬走了 人家不要我了 我该去哪办 电话多少", "0432-68259380", []),
    ("社保一直在九台交的 人搬到长春市里住了 现在申请失业金找哪", "0431-82320301", ["0431-89323019"]),
    ("原来在四平上班 后来去了公主岭 公主岭那厂子黄了 电话多少", "0434-6262029", ["0434-5106000"]),
])
async def test_the_last_insured_place_wins(text: str, right: str, wrong: list[str]) -> None:
    out = await answer(text, "find_bureau", ActionFindBureau())
    assert right in out.text and not any(w in out.text for w in wrong)
    assert out.slots()["bureau_phone"] == right


async def test_the_facts_beside_the_question_are_answered_after_it() -> None:
    out = await answer("我在舒兰一个厂子干了八九年 人家不要我了 我该去哪办 电话多少", "find_bureau",
                       ActionFindBureau())
    assert out.text.index("0432-68259380") < out.text.index("八九年")
    assert "如果这期间单位和您按规定缴纳了失业保险" in out.text  # time worked counts only if paid
    assert out.slots()["contribution_months"] == 96 and out.slots()["leave_reason"] == "involuntary"


async def test_two_places_get_each_its_bureau() -> None:
    out = await answer("辽源和东丰的电话", "ask_phone", ActionGivePhone())
    assert "0437-3271048" in out.text and "0437-6218773" in out.text


async def test_only_the_residence_known_asks_for_the_insured_place() -> None:
    out = await answer("我住在珲春 社保局电话多少", "find_bureau", ActionFindBureau())
    assert "不一定是您现在住的珲春" in out.text and "如果您也是在珲春交的失业保险" in out.text
    assert out.slots().get("bureau_phone") is None  # nothing confirmed: not remembered as the user's bureau
    assert out.slots()["residence_place"] == "珲春"


async def test_the_remembered_insured_place_answers_later_questions() -> None:
    out = await answer("电话多少", "ask_phone", ActionGivePhone(), insured_place="农安")
    assert "按您之前说的地方（农安县）" in out.text and "0431-83232199" in out.text


async def test_a_place_in_changchun_names_its_own_online_channels() -> None:
    out = await answer("我在长春上班交的社保 网上能办吗", "ask_online_apply")
    assert "ccshbx.org.cn" in out.text and "公众号" in out.text and "wssb.jlsi.jl.gov.cn:8001" in out.text


@pytest.mark.parametrize(("text", "said"), [
    ("只带身份证够吗", "只带身份证不够"),
    ("社保卡还没激活能办吗", "社保卡没激活也能去现场办"),
    ("带社保卡就行吧", "如果是已经激活的金融社会保障卡，带它就可以"),
    ("带身份证和银行卡去行不行", "可以"),
    ("身份证丢了还能办吗", "身份证丢了或过期的话，可以带激活的金融社会保障卡去"),
])
async def test_yes_no_questions_on_documents_get_a_yes_or_no(text: str, said: str) -> None:
    out = await answer(text, "ask_documents")
    assert out.text.startswith(said) and "激活金融社会保障卡，或本人身份证、银行卡、存折" in out.text


@pytest.mark.parametrize(("text", "intent", "kept"), [
    ("单位从来没给上过保险 能领吗", "ask_eligibility", "单位没给交失业保险"),
    ("我是自己个人交的社保 能领失业金吗", "ask_scope", "自己个人交的社保"),
    ("我下个月才离职 现在能先申请吗", "ask_how_to_apply", "还不属于失业人员"),
])
async def test_states_the_guide_does_not_settle_are_named_with_a_phone(text: str, intent: str, kept: str) -> None:
    out = await answer(text, intent)
    assert kept in out.text and PROVINCE in out.text and "看起来都符合" not in out.text


@pytest.mark.parametrize(("text", "intent", "said"), [
    ("领失业金得多长时间参保", "ask_benefit_duration", "缴费义务满1年"),
    ("失业补助金和失业保险金有啥区别", "ask_eligibility", "只解答《失业保险金申领指南》里的失业保险金"),
    ("打了一上午没人接", "ask_phone", "电话一时没人接或占线"),
])
async def test_what_the_benefit_is_not_confused_with(text: str, intent: str, said: str) -> None:
    out = await answer(text, intent, ActionGivePhone() if intent == "ask_phone" else ActionAnswer())
    assert said in out.text


async def test_the_phone_not_answering_gets_the_province_and_the_online_ways() -> None:
    out = await answer("电话一直占线", "request_human")
    assert PROVINCE in out.text and "吉林掌上社保" in out.text and "wssb.jlsi.jl.gov.cn:8001" in out.text


async def test_upset_gets_one_line_then_the_useful_step() -> None:
    out = await answer("都一个月了还没信儿 你们到底管不管", "ask_processing_time", ActionNotCovered())
    first, rest = out.text.split("\n", 1)
    assert first == "让您着急了，很抱歉。" and "同步审批结果" in rest and PROVINCE in rest


async def test_an_older_citizen_gets_the_on_site_way_and_the_bureau() -> None:
    out = await answer("我六十了 不会弄手机 在敦化交的社保 咋领", "ask_how_to_apply")
    assert out.text.startswith("您别着急") and "身份证" in out.text and "0433-6225268" in out.text
    assert "个人用户" not in out.text  # not the online steps


@pytest.mark.parametrize(("text", "language"), [("실업급여는 어디서 신청하나요?", "중국어"),
                                                ("How do I apply for unemployment benefit?", "Chinese")])
async def test_other_languages_get_one_line_and_the_province(text: str, language: str) -> None:
    out = await run(ActionDefaultFallback(), make_tracker(text, "nlu_fallback"))
    assert language in out.text and PROVINCE in out.text and PHONE.findall(out.text) == [PROVINCE]


async def test_insured_outside_jilin_is_not_given_a_jilin_bureau() -> None:
    out = await answer("我在辽宁交的失业保险 回吉林能领吗", "check_eligibility")
    assert "没有涉及其他省份" in out.text and PHONE.findall(out.text) == [PROVINCE]


async def test_a_story_names_its_bureau_whatever_it_asks() -> None:
    out = await answer("在集安交了一年多一点 单位不让干了 想在网上申请咋弄", "ask_online_apply")
    assert "wssb.jlsi.jl.gov.cn:8001" in out.text and "集安市社会保险局" in out.text and "0435-6224544" in out.text


async def test_a_typo_not_clearly_one_place_is_asked() -> None:
    out = await answer("吉安失业金电话", "find_bureau", ActionFindBureau())
    assert out.text.startswith("您说的是") and "0435-6224544" in out.text
    assert {b["title"] for b in out.buttons} >= {"集安市", "江西省吉安市"}


async def test_a_question_on_the_benefit_the_guide_does_not_answer_is_no_fallback() -> None:
    out = await run(ActionDefaultFallback(), make_tracker("失业金用不用交个税", "nlu_fallback"))
    assert "《失业保险金申领指南》" in out.text and "没有" in out.text and PROVINCE in out.text
    assert "没太明白" not in out.text
    assert all(e["event"] != "rewind" for e in out.events)  # answered: the message is not taken back


async def test_changchun_channels_asked_by_someone_insured_elsewhere_point_to_the_provinces() -> None:
    out = await answer("在白城交的 能用长春社会保险公众号办吗", "ask_changchun_channels")
    assert "给长春市失业人员用的" in out.text and "wssb.jlsi.jl.gov.cn:8001" in out.text
    assert "0436-3351660" in out.text  # the bureau of the last insured place


async def test_a_document_the_guide_does_not_name_is_said_so_with_whom_to_ask() -> None:
    out = await answer("去办的时候带驾驶证行不行", "ask_documents")
    assert "没有写驾驶证能不能用" in out.text and PROVINCE in out.text
    assert "本人身份证、银行卡、存折" in out.text


async def test_a_contribution_of_a_year_or_more_without_a_reason_says_condition_one_is_met() -> None:
    out = await answer("在舒兰交了一年半 后来去打零工了 零活也没了 能不能领", "ask_not_in_guide", ActionNotCovered())
    assert "已满1年，条件（一）看起来符合" in out.text and "非因本人意愿" in out.text


@pytest.mark.parametrize(("text", "words"), [
    ("Здравствуйте, где получить пособие по безработице?", "китайском"),
    ("失業保険金はどこで申請できますか", "中国語"),
])
async def test_russian_and_japanese_get_one_line_in_their_language_with_the_provinces_phone(text: str,
                                                                                          words: str) -> None:
    out = await answer(text, "nlu_fallback", ActionDefaultFallback())
    assert words in out.text and PHONE.findall(out.text) == [PROVINCE]


async def test_a_system_that_will_not_let_one_in_gets_the_other_ways() -> None:
    out = await answer("网上那个系统死活登不上 还有别的招没", "ask_online_register")
    assert "吉林掌上社保" in out.text and "现场申领" in out.text and PROVINCE in out.text
