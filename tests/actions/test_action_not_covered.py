"""action_not_covered and action_default_fallback: say what the guide does not cover, give a phone, invent nothing."""

from __future__ import annotations

import re

import pytest
from action_helpers import load_domain, make_tracker, run

from actions.answer import ActionNotCovered
from actions.fallback import ActionDefaultFallback

SILENT = {"ask_benefit_amount": "utter_silent_amount", "ask_benefit_duration": "utter_silent_duration",
          "ask_processing_time": "utter_silent_processing", "ask_other_insurance": "utter_silent_other_insurance",
          "ask_other_province": "utter_silent_other_province"}


def not_covered(intent: str) -> str:
    """The sentence of the domain that says what the guide does not cover for `intent`."""
    return load_domain()["responses"][SILENT[intent]][0]["text"].split("。")[0]


def numbers_besides_phones(text: str) -> list[str]:
    """Digits other than phones, the guide's own condition (缴费满1年) and the handoff line (a code and how long it
    is valid: not a statement about the benefit)."""
    return re.findall(r"\d+", re.sub(r"0\d{2,3}-\d{7,8}|满1年|咨询编号：[0-9A-Z]{6,8}（有效期\d+天）", "", text))


@pytest.mark.parametrize("intent", SILENT)
async def test_province_phone_when_no_bureau_known(intent: str) -> None:
    out = await run(ActionNotCovered(), make_tracker("？", intent))
    assert not_covered(intent) in out.text
    assert "吉林省社会保险局：0431-85821827" in out.text
    assert numbers_besides_phones(out.text) == []
    assert "元" not in out.text and "依据：《失业保险金申领指南》" in out.text
    assert "/find_bureau" in out.payloads


@pytest.mark.parametrize("intent", SILENT)
async def test_known_bureau_phone(intent: str) -> None:
    tracker = make_tracker("失业金一个月多少钱", intent,
                           slots={"bureau_name": "德惠市社会保险局", "bureau_phone": "0431-87236350"})
    out = await run(ActionNotCovered(), tracker)
    assert "德惠市社会保险局：0431-87236350" in out.text and "0431-85821827" not in out.text
    assert "/find_bureau" not in out.payloads


@pytest.mark.parametrize(("intent", "words"), [
    ("ask_benefit_amount", ["没有写", "多少钱"]), ("ask_benefit_duration", ["没有写", "多长时间"]),
    ("ask_processing_time", ["没有写", "同步审批结果"]), ("ask_other_insurance", ["没有涉及", "养老", "医疗"]),
    ("ask_other_province", ["吉林省", "没有涉及"]),
])
async def test_names_what_is_not_covered(intent: str, words: list[str]) -> None:
    out = await run(ActionNotCovered(), make_tracker("？", intent))
    assert all(w in out.text for w in words)


async def test_unknown_intent_generic() -> None:
    out = await run(ActionNotCovered(), make_tracker("？", "something_else"))
    assert "没有涉及这个问题" in out.text and "0431-85821827" in out.text


async def test_fallback_rephrase_and_four_topics() -> None:
    out = await run(ActionDefaultFallback(), make_tracker("asdfghjkl", "nlu_fallback"))
    assert "换个说法" in out.text
    assert [b["title"] for b in out.buttons] == ["申领条件", "网上申领", "现场办理", "查社保局电话"]
    assert out.payloads == ["/ask_eligibility", "/ask_online_apply", "/ask_onsite_apply", "/find_bureau"]
    assert out.events == [{"event": "rewind", "timestamp": None}]
    assert "0431-85821827" in out.text  # a person to ask, when the guide has no answer


async def test_fallback_gives_the_phone_of_the_bureau_already_found() -> None:
    tracker = make_tracker("低保能一起领吗", "nlu_fallback", slots={"bureau_name": "珲春市社会保险局",
                                                                   "bureau_phone": "0433-7512409"})
    out = await run(ActionDefaultFallback(), tracker)
    assert "珲春市社会保险局：0433-7512409" in out.text


@pytest.mark.parametrize(("text", "topic"), [
    ("支付宝能办失业金吗", "这种办理渠道"), ("家里人能代办吗", "能否由他人代办"), ("需要先做失业登记吗", "失业登记"),
    ("失业金打到哪张卡", "发到哪张卡"),
    ("单位不给开离职证明咋办", "要不要单位出具的证明"), ("找到新工作了还能接着领吗", "找工作、再就业"),
    ("公司没给交社保能领吗", "欠缴或补缴"), ("失业金啥情况会停发", "停发"), ("家裡人能代辦嗎", "能否由他人代办"),
])
async def test_not_in_guide_names_the_topic_and_gives_a_phone(text: str, topic: str) -> None:
    out = await run(ActionNotCovered(), make_tracker(text, "ask_not_in_guide"))
    assert "《失业保险金申领指南》没有说明" in out.text and topic in out.text
    assert "吉林省社会保险局：0431-85821827" in out.text and numbers_besides_phones(out.text) == []


async def test_an_unlisted_channel_is_told_the_channels_the_guide_lists() -> None:
    tracker = make_tracker("支付宝上能领不", "ask_not_in_guide",
                           slots={"bureau_name": "珲春市社会保险局", "bureau_phone": "0433-7512409"})
    out = await run(ActionNotCovered(), tracker)
    assert "吉林掌上社保" in out.text and "现场申领" in out.text and "珲春市社会保险局：0433-7512409" in out.text


async def test_not_in_guide_without_a_topic_word_is_the_generic_answer() -> None:
    out = await run(ActionNotCovered(), make_tracker("这个咋整", "ask_not_in_guide"))
    assert "没有涉及这个问题" in out.text and "0431-85821827" in out.text
