"""action_next_step: '下一步呢' gets the step after the last one explained, read from the conversation's events."""

from __future__ import annotations

from typing import Any

import pytest
from action_helpers import make_tracker, run

from actions.next_step import ActionNextStep

HUNCHUN = {"bureau_name": "珲春市社会保险局", "bureau_phone": "0433-7512409", "location": "珲春"}


def said(*names: str) -> list[dict[str, Any]]:
    """Events of the bot answering with these responses (as Rasa records them: utter_action in the metadata)."""
    events: list[dict[str, Any]] = []
    for name in names:
        if name.startswith("utter_"):
            events += [{"event": "action", "name": name},
                       {"event": "bot", "text": "…", "metadata": {"utter_action": name}}]
        else:
            events += [{"event": "action", "name": name}, {"event": "bot", "text": "…", "metadata": {}}]
    return events


async def next_step(*names: str, **slots: str) -> Any:
    history = said(*names)
    tracker = make_tracker("然后呢", "ask_next_step", slots=slots)
    tracker.events = [*history, *tracker.events]  # what was said came before the latest question
    return await run(ActionNextStep(), tracker)


@pytest.mark.parametrize(("before", "then"), [
    (["utter_ask_online_register"], "utter_ask_online_fill"),
    (["utter_ask_online_fill"], "utter_ask_online_attachment"),
    (["utter_ask_online_attachment"], "utter_ask_online_submit"),
    (["utter_ask_online_register", "utter_ask_online_fill"], "utter_ask_online_attachment"),  # the latest counts
    (["utter_ask_how_to_apply"], "utter_ask_online_apply"),
    (["action_assess_eligibility"], "utter_ask_how_to_apply"),
    (["utter_ask_onsite_apply", "action_find_bureau"], "utter_ask_documents"),  # 去哪办 runs both
    ([], "utter_ask_how_to_apply"),
])
async def test_the_response_after_the_last_step(before: list[str], then: str) -> None:
    out = await next_step(*before)
    assert [m.get("utter_action") for m in out.messages] == [then]
    assert out.events == []


async def test_after_the_last_online_step_it_says_so_and_gives_the_phone() -> None:
    out = await next_step("utter_ask_online_register", "utter_ask_online_submit")
    assert "最后一步（第5步）" in out.text and "同步审批结果" in out.text
    assert "吉林省社会保险局：0431-85821827" in out.text
    assert "依据：《失业保险金申领指南》三、网上申领（一）" in out.text
    assert "/ask_online_register" in out.payloads


async def test_after_the_whole_online_procedure_it_offers_each_step() -> None:
    out = await next_step("utter_ask_online_apply", **HUNCHUN)
    assert "一共5步" in out.text and "珲春市社会保险局：0433-7512409" in out.text
    assert out.payloads == ["/ask_online_register", "/ask_online_fill", "/ask_online_attachment",
                            "/ask_online_submit"]


async def test_after_the_app_the_guide_has_no_steps_inside_it() -> None:
    out = await next_step("utter_ask_app")
    assert "APP里具体怎么操作，《指南》没有写" in out.text and "0431-85821827" in out.text
    assert "依据：《失业保险金申领指南》三、网上申领（二）" in out.text


async def test_after_the_documents_it_names_the_bureau_asked_about() -> None:
    out = await next_step("utter_ask_documents", **HUNCHUN)
    assert "最后参保地社会保险局申领" in out.text and "珲春市社会保险局，电话：0433-7512409" in out.text
    assert out.payloads == []


async def test_after_the_documents_without_a_bureau_it_asks_the_place() -> None:
    out = await next_step("utter_ask_documents")
    assert "最后参保的市、县（区）" in out.text and out.payloads == ["/find_bureau"]


async def test_after_bureau_and_documents_the_on_site_way_ends_with_the_phone() -> None:
    out = await next_step("utter_bureau_found", "utter_ask_documents", "utter_bureau_phone_again", **HUNCHUN)
    assert "激活金融社会保障卡" in out.text and "珲春市社会保险局：0433-7512409" in out.text
    assert "依据：《失业保险金申领指南》四、现场申领" in out.text


async def test_after_the_documents_a_place_named_in_passing_gives_its_bureau() -> None:
    out = await next_step("utter_ask_documents", insured_place="梅河口")
    assert "梅河口市社会保险局，电话：0435-4303908" in out.text and out.payloads == []


async def test_steps_of_an_earlier_session_do_not_count() -> None:
    history = [*said("utter_ask_online_attachment"), {"event": "session_started"}]
    tracker = make_tracker("然后呢", "ask_next_step")
    tracker.events = [*history, *tracker.events]
    out = await run(ActionNextStep(), tracker)
    assert [m.get("utter_action") for m in out.messages] == ["utter_ask_how_to_apply"]
