"""validate_eligibility_form, action_assess_eligibility, action_reset_eligibility."""

from __future__ import annotations

import re

import pytest
from action_helpers import load_tracker, make_tracker, run

from actions.eligibility import ActionAssessEligibility, ActionResetEligibility, ValidateEligibilityForm
from citizen.durations import describe_months

BASIS_CONDITIONS = "依据：《失业保险金申领指南》二、申领条件"
FINAL = "最终以社会保险局审核为准"


def in_form(text: str, intent: str, requested: str, entities: list | None = None, **slots) -> object:
    """The tracker Rasa sends to the validator while the form asks for `requested`."""
    events = [{"event": "slot", "name": "requested_slot", "value": requested},
              {"event": "action", "name": "eligibility_form"}]
    return make_tracker(text, intent, entities, {"requested_slot": requested, **slots}, events,
                        active_loop="eligibility_form")


def at_activation(text: str, intent: str = "check_eligibility", entities: list | None = None, **slots) -> object:
    """As in a real turn (data/rules): the form starts on the user's message, with whatever the conversation
    already knows in the slots (facts persist: nothing is reset before a check)."""
    events = [{"event": "slot", "name": "requested_slot", "value": None},
              {"event": "active_loop", "name": "eligibility_form"},
              {"event": "action", "name": "eligibility_form"}]
    return make_tracker(text, intent, entities, slots, events, active_loop="eligibility_form")


def form_slots(out: object) -> dict:
    """The form's own slots among what the validator set."""
    return {k: v for k, v in out.slots().items() if k in ("contribution_months", "leave_reason")}


def next_slot(out: object) -> object:
    """The slot the form asks next (None: complete), when the validator decided it."""
    return out.slots().get("requested_slot", "rasa decides")


# --- filling the form ---------------------------------------------------------------------------------------


async def test_both_facts_in_first_message_from_fixture(domain: dict) -> None:
    out = await run(ValidateEligibilityForm(), load_tracker("eligibility_form_activation"), domain)
    assert form_slots(out) == {"contribution_months": 24.0, "leave_reason": "involuntary"}
    assert out.slots()["contribution_said"] == "两年"
    assert out.messages == []  # complete: the assessment answers next, no acknowledgements


async def test_last_answer_completes_the_form_silently(domain: dict) -> None:
    tracker = in_form("被公司辞退了", "inform_leave_reason", "leave_reason", contribution_months=18.0)
    out = await run(ValidateEligibilityForm(), tracker, domain)
    assert form_slots(out) == {"leave_reason": "involuntary"} and out.messages == []


async def test_first_fact_is_acknowledged_before_the_next_question(domain: dict) -> None:
    out = await run(ValidateEligibilityForm(), in_form("交了两年", "inform_contribution", "contribution_months"),
                    domain)
    assert out.text == "好的，缴费时间：两年（已满1年）。"


async def test_eight_months_in_first_message_settle_it_at_once(domain: dict) -> None:
    tracker = at_activation("社保交了8个月能领吗", entities=[{"entity": "duration", "value": "8个月"}])
    out = await run(ValidateEligibilityForm(), tracker, domain)
    assert form_slots(out) == {"contribution_months": 8.0}
    assert next_slot(out) is None  # condition (一) already fails: the leave reason cannot change the answer
    assert out.messages == []  # the assessment says it next


async def test_first_message_without_entities_is_parsed(domain: dict) -> None:
    out = await run(ValidateEligibilityForm(), at_activation("合同到期公司不续签了 交了三年 能领不"), domain)
    assert form_slots(out) == {"contribution_months": 36.0, "leave_reason": "involuntary"}


async def test_work_years_count_as_contribution_time_worked(domain: dict) -> None:
    out = await run(ValidateEligibilityForm(), at_activation("我在舒兰一个厂子干了八九年 人家不要我了 能领不"), domain)
    assert form_slots(out) == {"contribution_months": 96.0, "leave_reason": "involuntary"}
    assert out.slots()["contribution_worked"] is True and out.slots()["contribution_said"] == "八九年"
    assert out.slots()["insured_place"] == "舒兰"


async def test_a_wait_is_not_a_contribution_period(domain: dict) -> None:
    out = await run(ValidateEligibilityForm(), at_activation("等了两个月了 被辞退了 能领吗"), domain)
    assert form_slots(out) == {"leave_reason": "involuntary"}


async def test_own_resignation_first_settles_it(domain: dict) -> None:
    out = await run(ValidateEligibilityForm(), at_activation("我自己辞职的能领失业金吗"), domain)
    assert form_slots(out) == {"leave_reason": "voluntary"}
    assert next_slot(out) is None  # condition (二) fails: the period cannot change the answer


async def test_facts_given_earlier_are_not_asked_again(domain: dict) -> None:
    out = await run(ValidateEligibilityForm(), at_activation("那我能领吗", contribution_months=24.0,
                                                                contribution_said="两年"), domain)
    assert next_slot(out) == "leave_reason"


async def test_not_yet_unemployed_needs_nothing_more(domain: dict) -> None:
    out = await run(ValidateEligibilityForm(), at_activation("我下个月才离职 现在能先申请吗"), domain)
    assert out.slots()["employment"] == "still_employed" and next_slot(out) is None


async def test_nothing_in_first_message_is_silent(domain: dict) -> None:
    out = await run(ValidateEligibilityForm(), at_activation("我能领失业金吗"), domain)
    assert form_slots(out) == {} and out.messages == []
    assert next_slot(out) == "rasa decides"  # both still needed: Rasa asks the first


async def test_answer_to_contribution_question(domain: dict) -> None:
    out = await run(ValidateEligibilityForm(), in_form("交了一年半", "inform_contribution", "contribution_months"),
                    domain)
    assert form_slots(out) == {"contribution_months": 18.0}
    assert "一年半（已满1年）" in out.text


@pytest.mark.parametrize(("payload", "entity", "slot", "value"), [
    ('/inform_contribution{"duration":"不满1年"}', {"entity": "duration", "value": "不满1年"},
     "contribution_months", 11.0),
    ('/inform_contribution{"duration":"1年以上"}', {"entity": "duration", "value": "1年以上"},
     "contribution_months", 12.0),
    ('/inform_leave_reason{"leave_reason": "voluntary"}', {"entity": "leave_reason", "value": "voluntary"},
     "leave_reason", "voluntary"),
    ('/inform_leave_reason{"leave_reason": "involuntary"}', {"entity": "leave_reason", "value": "involuntary"},
     "leave_reason", "involuntary"),
])
async def test_button_payloads(domain: dict, payload: str, entity: dict, slot: str, value: object) -> None:
    intent = payload[1:].split("{")[0]
    out = await run(ValidateEligibilityForm(), in_form(payload, intent, slot, [entity]), domain)
    assert form_slots(out) == {slot: value}


async def test_less_than_a_year_is_said_without_a_made_up_number(domain: dict) -> None:
    tracker = in_form("不到一年", "inform_contribution", "contribution_months")
    out = await run(ValidateEligibilityForm(), tracker, domain)
    assert next_slot(out) is None and out.slots()["contribution_said"] == "不到一年"
    answer = await assess(out.slots()["contribution_months"], None, contribution_said="不到一年")
    assert "不到一年还不满1年" in answer.text and "11" not in answer.text


async def test_a_period_either_side_of_the_year_is_asked_not_guessed(domain: dict) -> None:
    """'不到两年' may be eight months or twenty: no verdict on the lowest or highest reading."""
    out = await run(ValidateEligibilityForm(), at_activation("交了不到两年 被辞退了 能领吗"), domain)
    assert form_slots(out) == {"leave_reason": "involuntary"}  # no contribution_months: not 23, not 0
    assert next_slot(out) == "contribution_months"
    out = await run(ValidateEligibilityForm(), in_form("不到两年吧", "inform_contribution", "contribution_months"),
                    domain)
    assert form_slots(out) == {"contribution_months": None}
    assert "“不到两年”，可能满1年，也可能不满1年" in out.text and "没能看懂" not in out.text
    out = await run(ValidateEligibilityForm(), in_form("一年多", "inform_contribution", "contribution_months"), domain)
    assert form_slots(out) == {"contribution_months": 12.0}


async def test_unreadable_answer_is_rejected_with_help(domain: dict) -> None:
    out = await run(ValidateEligibilityForm(), in_form("记不太清了", "nlu_fallback", "contribution_months"), domain)
    assert form_slots(out) == {"contribution_months": None}
    assert "没能看懂缴费时间" in out.text and "一年半" in out.text
    assert out.slots()["unreadable_answers"] == 1


async def test_a_way_out_after_two_unreadable_answers(domain: dict) -> None:
    tracker = in_form("真记不住", "nlu_fallback", "contribution_months", unreadable_answers=1.0)
    out = await run(ValidateEligibilityForm(), tracker, domain)
    assert "先不问了" in out.text and "0431-85821827" in out.text and "没能看懂缴费时间" not in out.text
    assert next_slot(out) == "leave_reason"  # the form goes on without the period instead of asking a third time


async def test_question_in_between_is_left_to_the_rules(domain: dict) -> None:
    out = await run(ValidateEligibilityForm(), in_form("网上能办不", "ask_online_apply", "contribution_months"),
                    domain)
    # no event at all: any SlotSet (a fact, the unreadable count) would count as an answer, Rasa would not reject
    # the form, and it would ask its question again instead of the rules answering this one
    assert out.events == [] and out.messages == []


async def test_other_fact_while_asked_for_contribution(domain: dict) -> None:
    out = await run(ValidateEligibilityForm(), in_form("被辞退了", "inform_leave_reason", "contribution_months"),
                    domain)
    assert form_slots(out) == {"leave_reason": "involuntary"}
    assert "没能看懂" not in out.text


async def test_time_ago_is_not_a_period(domain: dict) -> None:
    out = await run(ValidateEligibilityForm(), in_form("半年前被辞退的", "inform_leave_reason", "leave_reason"),
                    domain)
    assert form_slots(out) == {"leave_reason": "involuntary"}


async def test_forced_resignation_says_guide_is_silent_and_gives_phone(domain: dict) -> None:
    out = await run(ValidateEligibilityForm(), in_form("被迫辞职的", "inform_leave_reason", "leave_reason"), domain)
    assert form_slots(out) == {"leave_reason": None}
    assert "《指南》没有说明" in out.text and "0431-85821827" in out.text


async def test_forced_resignation_uses_known_bureau(domain: dict) -> None:
    tracker = in_form("被迫辞职的", "inform_leave_reason", "leave_reason",
                      bureau_name="德惠市社会保险局", bureau_phone="0431-87236350")
    out = await run(ValidateEligibilityForm(), tracker, domain)
    assert "德惠市社会保险局：0431-87236350" in out.text


async def test_mutual_agreement_in_the_opening_question_says_guide_is_silent(domain: dict) -> None:
    out = await run(ValidateEligibilityForm(), at_activation("跟公司协商解除劳动合同了 交了两年 能领不"), domain)
    assert form_slots(out).get("contribution_months") == 24 and form_slots(out).get("leave_reason") is None
    assert "“协商解除劳动合同”算不算非因本人意愿，《指南》没有说明" in out.text and "0431-85821827" in out.text


async def test_company_asking_me_to_resign_is_not_taken_as_my_own_wish(domain: dict) -> None:
    out = await run(ValidateEligibilityForm(), in_form("公司让我主动辞职的", "inform_leave_reason", "leave_reason"),
                    domain)
    assert form_slots(out) == {"leave_reason": None}
    assert "“被迫辞职”" in out.text and "0431-85821827" in out.text


async def test_an_entity_does_not_overrule_a_reason_the_guide_does_not_classify(domain: dict) -> None:
    entities = [{"entity": "leave_reason", "value": "voluntary"}]  # DIET tags 辞职 in 公司让我主动辞职
    out = await run(ValidateEligibilityForm(), at_activation("公司让我主动辞职 能领吗", entities=entities), domain)
    assert form_slots(out).get("leave_reason") is None
    assert "属于本人意愿" not in out.text and "“被迫辞职”" in out.text
    answered = in_form("公司让我主动辞职的", "inform_leave_reason", "leave_reason", entities=entities)
    out = await run(ValidateEligibilityForm(), answered, domain)
    assert form_slots(out) == {"leave_reason": None} and "“被迫辞职”" in out.text


async def test_a_clear_opening_question_gets_no_note(domain: dict) -> None:
    out = await run(ValidateEligibilityForm(), at_activation("被辞退了 交了两年 能领不"), domain)
    assert "《指南》没有说明" not in out.text


async def test_contract_expiry_alone_asks_who_did_not_renew(domain: dict) -> None:
    out = await run(ValidateEligibilityForm(), in_form("合同到期了", "inform_leave_reason", "leave_reason"), domain)
    assert form_slots(out) == {"leave_reason": None}
    assert "单位不续签" in out.text


# --- assessment ---------------------------------------------------------------------------------------------


async def assess(months: float | None, reason: str | None, **slots) -> object:
    tracker = make_tracker("那我能领吗", "check_eligibility",
                           slots={"contribution_months": months, "leave_reason": reason, **slots})
    return await run(ActionAssessEligibility(), tracker)


async def test_both_conditions_met() -> None:
    out = await assess(18.0, "involuntary")
    assert "1年6个月，已满1年" in out.text and "非因本人意愿" in out.text
    assert "看起来都符合" in out.text and FINAL in out.text
    assert "0431-85821827" in out.text and out.text.rstrip().endswith(BASIS_CONDITIONS)
    assert "/ask_online_apply" in out.payloads and "/ask_onsite_apply" in out.payloads


async def test_under_a_year() -> None:
    out = await assess(8.0, "involuntary")
    assert "不满1年，这一条不符合" in out.text and "看起来还不能申领" in out.text and FINAL in out.text
    assert "/restart_check" in out.payloads


async def test_seven_months_said_at_once_in_the_users_words() -> None:
    out = await assess(7.0, None, contribution_said="七个月")
    assert out.text.startswith("按《指南》申领条件（一）") and "您说的七个月还不满1年" in out.text
    assert "离职" not in out.text  # nothing asked that could not change the answer


async def test_own_will() -> None:
    out = await assess(24.0, "voluntary")
    assert "本人意愿，这一条不符合" in out.text and "看起来不能申领" in out.text


async def test_missing_facts() -> None:
    out = await assess(None, None)
    assert "无法对照" in out.text and "看起来都符合" not in out.text


async def test_known_bureau_phone_is_given() -> None:
    out = await assess(24.0, "involuntary", bureau_name="珲春市社会保险局", bureau_phone="0433-7512409")
    assert "珲春市社会保险局：0433-7512409" in out.text and "0431-85821827" not in out.text


async def test_place_named_in_passing_gives_its_bureau_phone() -> None:
    # "我在梅河口上班被开了 交了三年社保": the insured place remembered, its bureau not looked up yet
    out = await assess(36.0, "involuntary", insured_place="梅河口")
    assert "梅河口市社会保险局：0435-4303908" in out.text and "0431-85821827" not in out.text


async def test_place_outside_jilin_falls_back_to_the_province_phone() -> None:
    out = await assess(36.0, "involuntary", insured_place="沈阳")
    assert "0431-85821827" in out.text


@pytest.mark.parametrize(("slots", "said"), [
    ({"employment": "still_employed"}, "还不属于失业人员"),
    ({"paid_by": "employer_never_paid"}, "单位没给交失业保险"),
    ({"paid_by": "self_paid", "contribution_months": 36.0}, "自己个人交的社保"),
    ({"paid_by": "never_paid"}, "没交过失业保险"),
])
async def test_states_the_guide_does_not_settle_are_named_with_a_phone(slots: dict, said: str) -> None:
    tracker = make_tracker("能领吗", "check_eligibility", slots=slots)
    out = await run(ActionAssessEligibility(), tracker)
    assert said in out.text and "0431-85821827" in out.text and "看起来都符合" not in out.text


@pytest.mark.parametrize(("months", "reason"), [(8.0, "voluntary"), (24.0, "involuntary"), (12.0, "voluntary")])
async def test_no_money_or_durations_invented(months: float, reason: str) -> None:
    out = await assess(months, reason)
    assert "元" not in out.text
    numbers = re.sub(r"0\d{2,3}-\d{7,8}", "", out.text)
    own = set(re.findall(r"\d+", describe_months(months)))
    assert set(re.findall(r"\d+", numbers)) <= {"1"} | own  # 满1年 and the user's own period


async def test_reset_clears_the_form() -> None:
    out = await run(ActionResetEligibility(), make_tracker("重新判断", "restart_check",
                                                           slots={"contribution_months": 8.0}))
    assert form_slots(out) == {"contribution_months": None, "leave_reason": None}
    assert out.slots()["requested_slot"] is None and out.slots()["paid_by"] is None
