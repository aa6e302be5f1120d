"""咨询编号: where the bot hands over to a person (转人工, 投诉, the second request to rephrase, an answer the guide
cannot give) the reply carries the conversation's code beside the phone to call; elsewhere it does not."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import pytest
from action_helpers import make_tracker, run

from actions import handoff
from actions.answer import ActionAnswer, ActionNotCovered
from actions.fallback import ActionDefaultFallback
from stores import handoff as codes
from stores.db import Lazy

CODE = re.compile(r"咨询编号：([2-9A-HJ-NP-Z]{7})（有效期7天）")
PROVINCE = "0431-85821827"
FALLBACK_BEFORE = [{"event": "action", "name": "action_default_fallback"},
                   {"event": "bot", "text": "抱歉，我没太明白……", "metadata": {"utter_action": "utter_fallback"}}]


def new_sender() -> str:
    return f"web_{uuid.uuid4().hex[:12]}"


def code_in(text: str) -> str | None:
    found = CODE.findall(text)
    assert len(found) <= 1, text
    return found[0] if found else None


@pytest.mark.parametrize("said", ["转人工", "我要投诉", "能不能找个真人"])
async def test_asking_for_a_person_gets_a_code_and_the_phone(said: str) -> None:
    sender = new_sender()
    out = await run(ActionAnswer(), make_tracker(said, "request_human", sender=sender))
    code = code_in(out.text)
    assert code and PROVINCE in out.text
    assert code not in sender.upper() and "咨询编号：" + code in out.text
    assert out.text.rstrip().splitlines()[-1].startswith("依据：")  # the code line sits in the answer, not after


async def test_the_same_conversation_keeps_its_code_and_another_gets_its_own() -> None:
    sender = new_sender()
    first = code_in((await run(ActionAnswer(), make_tracker("转人工", "request_human", sender=sender))).text)
    again = code_in((await run(ActionNotCovered(), make_tracker("能领多少钱", "ask_benefit_amount",
                                                                  sender=sender))).text)
    other = code_in((await run(ActionAnswer(), make_tracker("转人工", "request_human", sender=new_sender()))).text)
    assert first and first == again and other and other != first


@pytest.mark.parametrize(("text", "intent"), [("能领多少钱", "ask_benefit_amount"),
                                              ("审核要多久", "ask_processing_time"),
                                              ("可以让家里人代办吗", "ask_not_in_guide")])
async def test_an_answer_the_guide_cannot_give_comes_with_a_code(text: str, intent: str) -> None:
    out = await run(ActionNotCovered(), make_tracker(text, intent, sender=new_sender()))
    assert "没有" in out.text and code_in(out.text) and PROVINCE in out.text


async def test_the_second_request_to_rephrase_comes_with_a_code_the_first_not() -> None:
    sender = new_sender()
    first = await run(ActionDefaultFallback(), make_tracker("asdfghjkl", "nlu_fallback", sender=sender))
    assert "换个说法" in first.text and code_in(first.text) is None
    second = await run(ActionDefaultFallback(), make_tracker("qwertyuiop", "nlu_fallback", sender=sender,
                                                             events=FALLBACK_BEFORE))
    assert "换个说法" in second.text and code_in(second.text) and PROVINCE in second.text


@pytest.mark.parametrize(("text", "intent"), [("申领条件是什么", "ask_eligibility"), ("珲春社保局电话", "find_bureau"),
                                              ("怎么网上申请", "ask_online_apply")])
async def test_answers_from_the_guide_carry_no_code(text: str, intent: str) -> None:
    out = await run(ActionAnswer(), make_tracker(text, intent, sender=new_sender()))
    assert "咨询编号" not in out.text


async def test_the_code_is_stored_for_the_console_and_expires(handoff_database: Lazy) -> None:
    sender = new_sender()
    code = code_in((await run(ActionAnswer(), make_tracker("转人工", "request_human", sender=sender))).text)
    assert code
    now = time.time()
    found = codes.find(handoff_database.get(), code, now)
    assert found is not None and found.sender_id == sender
    assert 6.9 * 86400 < found.expires_at - now <= 7 * 86400
    assert codes.find(handoff_database.get(), code, now + 7 * 86400 + 1) is None
    renewed = codes.code_for(handoff_database.get(), sender, now + 7 * 86400 + 1, 7)
    assert renewed.code != code  # an expired code is not given out again for the conversation


async def test_without_a_database_the_answer_still_names_the_phone(monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Any) -> None:
    (tmp_path / "blocked").write_text("a file where the database's directory should be")
    monkeypatch.setattr(handoff, "DATABASE", Lazy(lambda: f"sqlite:///{tmp_path}/blocked/tracker.db"))
    out = await run(ActionAnswer(), make_tracker("转人工", "request_human", sender=new_sender()))
    assert PROVINCE in out.text and "咨询编号" not in out.text
