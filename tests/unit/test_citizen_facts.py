"""citizen: facts, places with their roles, questions and tone read from the messages citizens actually write."""

from __future__ import annotations

import pytest

from citizen import questions as q
from citizen import read_facts
from citizen.places import EARLIER, HOMETOWN, INSURED, NAMED, RESIDENCE
from citizen.status import EMPLOYER_NEVER_PAID, EMPLOYER_STOPPED, NEVER_PAID, SELF_PAID, STILL_EMPLOYED
from citizen.tone import ENGLISH, KOREAN, elderly, foreign_language, upset
from offices_kb import mentions


def facts(text: str):
    return read_facts(text, mentions)


@pytest.mark.parametrize(("text", "roles", "insured"), [
    ("以前在德惠交的 后来在农安交了一年多 农安那厂子黄了 现在住长春 电话多少",
     {"德惠": EARLIER, "农安": INSURED, "长春": RESIDENCE}, "农安"),
    ("我住吉林市丰满区 但是社保在长春交的 去哪领", {"吉林市丰满区": RESIDENCE, "长春": INSURED}, "长春"),
    ("我在舒兰一个厂子干了八九年 厂子搬走了", {"舒兰": INSURED}, "舒兰"),
    ("老家榆树的 在长春上班", {"榆树": HOMETOWN, "长春": INSURED}, "长春"),
    ("户口在延吉 在珲春交的社保", {"延吉": HOMETOWN, "珲春": INSURED}, "珲春"),
    ("原来在四平上班 后来去了公主岭", {"四平": EARLIER, "公主岭": INSURED}, "公主岭"),
    ("辽源和东丰的电话", {"辽源": NAMED, "东丰": NAMED}, None),
    ("我住在珲春 社保局电话多少", {"珲春": RESIDENCE}, None),
])
def test_places_and_their_roles(text: str, roles: dict[str, str], insured: str | None) -> None:
    found = facts(text).places
    assert {p.text: p.role for p in found.named} == roles
    assert (found.insured.text if found.insured else None) == insured


@pytest.mark.parametrize(("text", "said", "months", "worked"), [
    ("我在舒兰一个厂子干了八九年", "八九年", 96, True),
    ("社保交了三年多", "三年多", 36, False),
    ("交了一年零两个月", "一年零两个月", 14, False),
    ("单位给交了十来年", "十来年", 120, False),
    ("才交了七个月 能领吗", "七个月", 7, False),
    ("交了半年", "半年", 6, False),
    ("社保差两个月满一年", "差两个月满一年", 10, False),
])
def test_contribution_periods_as_people_say_them(text: str, said: str, months: float, worked: bool) -> None:
    found = facts(text)
    assert found.duration is not None and found.duration.words == said
    assert found.duration.months == months and found.worked is worked


@pytest.mark.parametrize("text", ["我等了两个月了还没信", "19年开始交的", "从20年到现在", "2023年3月被辞退的"])
def test_waits_and_dates_are_not_periods(text: str) -> None:
    assert facts(text).duration is None


@pytest.mark.parametrize(("text", "paid", "employment"), [
    ("单位从来没给上过保险", EMPLOYER_NEVER_PAID, None),
    ("公司一直没给我交社保", EMPLOYER_NEVER_PAID, None),
    ("交了两年 单位断了半年没交", EMPLOYER_STOPPED, None),
    ("公司三个月没给交了", EMPLOYER_STOPPED, None),
    ("厂子去年就没给交", EMPLOYER_STOPPED, None),
    ("单位欠了我半年社保", EMPLOYER_STOPPED, None),
    ("我是自己个人交的社保", SELF_PAID, None),
    ("一天社保没交过", NEVER_PAID, None),
    ("我下个月才离职 现在能先申请吗", None, STILL_EMPLOYED),
    ("我还在上班 能领吗", None, STILL_EMPLOYED),
    ("单位给我交了两年社保 被辞退了", None, "unemployed"),
])
def test_who_paid_and_whether_still_employed(text: str, paid: str | None, employment: str | None) -> None:
    found = facts(text)
    assert found.paid_by == paid and found.employment == employment
    assert found.states_own_case


@pytest.mark.parametrize(("text", "kinds"), [
    ("我在舒兰一个厂子干了八九年 厂子搬走了 人家不要我了 我该去哪办 电话多少", [q.WHERE, q.PHONE]),
    ("才交了七个月 能领吗", [q.CAN_I]),
    ("网上能办吗", [q.ONLINE]),  # 'can it be done online' is not a question of eligibility
    ("只带身份证够吗", [q.DOC_ID_ONLY]),
    ("社保卡还没激活能办吗", [q.DOC_CARD_INACTIVE]),
    ("带社保卡就行吧", [q.DOC_CARD_ONLY]),
    ("领失业金得多长时间参保", [q.CONDITIONS]),
    ("失业金能领多久", [q.BENEFIT_DURATION]),
    ("失业补助金和失业保险金有啥区别", [q.OTHER_BENEFIT]),
    ("打了一上午没人接", [q.PHONE_UNANSWERED]),
    ("电话一直占线", [q.PHONE_UNANSWERED]),
    ("失业金打到哪张卡", []),
    ("我的手机号是[手机号] 能领吗", [q.CAN_I]),
    ("我下个月才离职 现在能先申请吗", [q.CAN_I]),
])
def test_questions_in_the_order_asked(text: str, kinds: list[str]) -> None:
    assert facts(text).kinds == kinds


def test_tone() -> None:
    assert upset("都一个月了还没信儿 你们到底管不管") and not upset("珲春社保局电话")
    assert elderly("我六十了 不会弄手机 咋领") and elderly("我今年58岁了") and not elderly("我交了58个月")
    assert foreign_language("실업급여 어떻게 신청해요?") == KOREAN
    assert foreign_language("How do I apply for unemployment benefit?") == ENGLISH
    assert foreign_language("shiyejin zenme lingqu") is None and foreign_language("珲春社保局电话") is None
