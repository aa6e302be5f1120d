"""The question a message asks settles its intent (components/question.py): given the classifier's guess, which
intent the reply is built for. Each case is a citizen's message with the classifier's likely mistake."""

from __future__ import annotations

import pytest

from citizen import read_facts
from citizen.questions import kinds
from components.question import asked_intent

CASES = [
    # a button of the online system doing nothing is that step, not a question of processing time
    ("提交的时候按了确定没反应", "ask_online_submit", None),
    ("点下一步一直转圈 咋整", "ask_processing_time", None),
    ("材料交上去半个月了还没动静", "check_eligibility", "ask_processing_time"),
    # in person, when nothing more specific is asked
    ("亲自去一趟能给办了不", "check_eligibility", "ask_onsite_apply"),
    ("现场去办得带些啥", "ask_onsite_apply", None),
    # the nearest bureau: by location without a place, that place's bureau with one
    ("俺家周边哪有社保局", "find_bureau", "share_location"),
    ("敦化附近的社保局在哪", "share_location", "find_bureau"),
    ("我家附近的厂子关门了 我能领吗", "find_bureau", "check_eligibility"),
    # a phone with a place named is that place's bureau; without one, the phone of the bureau talked about
    ("梅河口的电话给我发一下", "ask_phone", "find_bureau"),
    ("你刚才说的号再发一遍", "affirm", "ask_phone"),
    ("舒兰办这个上哪个门", "ask_phone", "find_bureau"),
    ("现场办理该上哪", "ask_onsite_apply", None),
    # a finer question than the classifier's of the same family
    ("手机上的软件能申请失业金不", "ask_online_apply", "ask_app"),
    ("机器人说不明白 给我转人工", "bot_challenge", "request_human"),
    ("你是人工智能吧", "bot_challenge", None),
    ("对面是人工还是电脑", "bot_challenge", None),
    # helplessness is no question of how; a fact of years is no question of conditions
    ("单位不要我了 我也不知道咋整 给个电话吧", "ask_how_to_apply", "ask_phone"),
    ("交了好几年 把我辞了 这钱一个月能给几个钱", "check_eligibility", "ask_benefit_amount"),
    # how long the benefit is paid, not how much
    ("一共能给发几个月", "ask_benefit_amount", "ask_benefit_duration"),
    ("失业金能发到啥时候", "ask_not_in_guide", "ask_benefit_duration"),
    ("每月领的金额是咋定的", "ask_other_insurance", "ask_benefit_amount"),
    # insured outside Jilin: the guide does not cover it, whatever the question
    ("我在大连打工交的社保 回来以后该去哪领", "find_bureau", "ask_other_province"),
    ("在锦州交的保险 可以到四平领不", "find_bureau", "ask_other_province"),
    ("一直在外省打工交的社保 回家这边能领不", "check_eligibility", "ask_other_province"),
    ("我是外地人 在长春交了三年 能领吗", "ask_other_province", "check_eligibility"),
    # a story asking 'can I claim' is no topic the guide is silent on
    ("厂里跟我解除合同了 前前后后交了两年 这钱能申请不", "ask_not_in_guide", "check_eligibility"),
    ("单位一直没给我交社保 我能领吗", "ask_not_in_guide", None),
    # lost, and asking how to go on: how to apply, unless something more specific is asked
    ("我失业了 心里难受 不知道咋办", "nlu_fallback", "ask_how_to_apply"),
    ("被裁了 不知道怎么办了", "inform_leave_reason", "ask_how_to_apply"),
    ("电话一直打不通 不知道咋办", "nlu_fallback", "request_human"),  # not also how to apply
]


@pytest.mark.parametrize(("text", "diet", "expected"), CASES)
def test_the_question_asked_settles_the_intent(text: str, diet: str, expected: str | None) -> None:
    assert asked_intent(text, diet) == expected, kinds(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("shiyejin zai nali ban a", ["where"]),
    ("hunchun shebaoju de dianhua", ["phone"]),
    ("shiye baoxian jin ruhe shenqing", ["how"]),
    ("ling shiyejin yao dai shenme", ["documents"]),
    ("wo zheyang de neng ling ma", ["can_i"]),
    ("Where can I apply for it", []),  # English: 'app' inside 'apply' is no question about the APP
])
def test_questions_typed_in_pinyin_are_read(text: str, expected: list[str]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("交了两年 现在住梅河口 去柳河还是梅河口", ["where"]),
    ("拿户口本能办不", ["doc_other"]),
    ("凭啥不给我办 老子交了八年", []),
])
def test_more_questions_are_read(text: str, expected: list[str]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("网上那个系统死活登不上 有没有别的法子", "ask_how_to_apply"),  # the other ways, wherever the cue stands
    ("银行流水要带吗", "ask_documents"),
    ("失业金给一次性发完不", "ask_not_in_guide"),
    ("那我上哪咨询去", "ask_phone"),
    ("asdfjkl qwer", "nlu_fallback"),
])
def test_cues_that_settle_the_question(text: str, expected: str) -> None:
    assert asked_intent(text, "greet") == expected


@pytest.mark.parametrize("text", ["失业一年多了才想起来 还能领吗", "公司欠了我半年的社保没交 能领吗"])
def test_a_period_since_losing_the_job_or_of_arrears_is_no_contribution(text: str) -> None:
    assert read_facts(text, lambda _: []).duration is None
