"""domain.yml against the guide: every phone, URL and quoted term comes from it, each substantive answer names its
section (and the web app can find that section), buttons trigger real intents, conditional variations are safe."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from action_helpers import ROOT, load_domain
from rasa.core.nlg.interpolator import interpolate_text
from structlog.testing import capture_logs

from actions import guide as guide_sections
from bot.guide_sections import find_section

GUIDE = (ROOT.parent / "shared" / "guide" / "jilin-unemployment-benefit-guide.txt").read_text(encoding="utf-8")
DOMAIN = load_domain()
RESPONSES: dict[str, list[dict[str, Any]]] = DOMAIN["responses"]
VARIATIONS = [(name, v) for name, variations in RESPONSES.items() for v in variations]
FORM_QUESTIONS = {"utter_ask_contribution_months", "utter_ask_leave_reason"}
SMALL_TALK = {"utter_greet", "utter_goodbye", "utter_thank", "utter_affirm", "utter_deny", "utter_bot_challenge",
              "utter_out_of_scope"}
SUBSTANTIVE = sorted(set(RESPONSES) - FORM_QUESTIONS - SMALL_TALK)


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(("name", "variation"), VARIATIONS)
def test_phones_and_urls_come_from_the_guide(name: str, variation: dict[str, Any]) -> None:
    text = variation.get("text", "")
    for phone in re.findall(r"0\d{2,3}-\d{7,8}", text):
        assert phone in GUIDE, f"{name}: {phone} is not in the guide"
    urls = [u.rstrip(".,;:") for u in re.findall(r"https?://[A-Za-z0-9\-._~:/?#@!$&'*+,;=%]+", text)]
    urls += [link["url"] for link in (variation.get("custom") or {}).get("links", [])]
    for url in urls:
        assert url in GUIDE, f"{name}: {url} is not in the guide"


@pytest.mark.parametrize(("name", "variation"), VARIATIONS)
def test_quoted_terms_come_from_the_guide(name: str, variation: dict[str, Any]) -> None:
    for term in re.findall(r"“([^”]+)”", variation.get("text", "")):
        assert _norm(term) in _norm(GUIDE), f"{name}: “{term}” is not in the guide"


@pytest.mark.parametrize("name", SUBSTANTIVE)
def test_substantive_answers_end_with_their_section(name: str) -> None:
    for variation in RESPONSES[name]:
        last = variation["text"].rstrip().splitlines()[-1]
        assert last.startswith(guide_sections.BASIS), f"{name} does not end with a 依据 line"
        section = find_section(last.removeprefix("依据："))
        assert section is not None and section.excerpt, f"{name}: the web app cannot find {last}"


@pytest.mark.parametrize("section", [guide_sections.SCOPE, guide_sections.CONDITIONS, guide_sections.ONLINE_SYSTEM,
                                     guide_sections.ONLINE_APP, guide_sections.ONLINE_CHANGCHUN,
                                     guide_sections.ONSITE, guide_sections.PHONES])
def test_action_citations_resolve(section: str) -> None:
    assert find_section(guide_sections.basis(section).removeprefix("依据：")) is not None


@pytest.mark.parametrize("name", SUBSTANTIVE + sorted(FORM_QUESTIONS) + ["utter_greet", "utter_out_of_scope"])
def test_next_step_buttons(name: str) -> None:
    if name == "utter_goodbye":
        return
    assert all(v.get("buttons") for v in RESPONSES[name]), f"{name} offers no next step"


def _buttons() -> list[tuple[str, dict[str, str]]]:
    return [(name, b) for name, v in VARIATIONS for b in v.get("buttons", [])]


@pytest.mark.parametrize(("name", "button"), _buttons())
def test_button_payloads_trigger_domain_intents(name: str, button: dict[str, str]) -> None:
    # Rasa fills slots into a response's payloads as into its text ({slot}), so literal JSON braces are written
    # {{ }}; what the user's client gets is the interpolated payload
    with capture_logs() as logs:
        payload = interpolate_text(button["payload"], {"location": "SLOT"})
    assert not logs and "SLOT" not in payload, f"{name}: Rasa reads {button['payload']} as a slot template"
    match = re.fullmatch(r"/(\w+)(\{.*\})?", payload)
    assert match, f"{name}: bad payload {button['payload']}"
    assert match.group(1) in DOMAIN["intents"]
    if match.group(2):
        entities = json.loads(match.group(2))
        assert set(entities) <= set(DOMAIN["entities"])


def test_conditional_variations_fall_back_safely() -> None:
    for name, variations in RESPONSES.items():
        conditioned = [v for v in variations if v.get("condition")]
        if not conditioned:
            assert not any("{" in v.get("text", "") for v in variations), f"{name} uses a slot without a guard"
            continue
        for v in conditioned:
            assert v["condition"] == [{"type": "slot", "name": "bureau_phone", "value": None}]
            assert "{" not in v["text"] and "0431-85821827" in v["text"]
        assert any(not v.get("condition") for v in variations)


def test_online_procedure_is_complete() -> None:
    text = RESPONSES["utter_ask_online_apply"][0]["text"]
    for term in ("http://wssb.jlsi.jl.gov.cn:8001", "个人用户", "注册", "登录", "失业金申领", "带*的必填信息",
                 "同步社会保障卡信息", "保存", "失业金申领列表", "附件", "上报", "等待社会保险局审核", "同步审批结果"):
        assert term in text, term


def test_contract_names() -> None:
    assert DOMAIN["forms"]["eligibility_form"]["required_slots"] == ["contribution_months", "leave_reason"]
    assert set(DOMAIN["slots"]) >= {"location", "bureau_name", "bureau_phone", "bureau_region",
                                    "contribution_months", "leave_reason"}
    assert DOMAIN["slots"]["location"]["mappings"] == [{"type": "from_entity", "entity": "location"}]
    assert DOMAIN["slots"]["leave_reason"]["values"] == ["voluntary", "involuntary"]


def test_response_texts_never_state_amounts() -> None:
    for name, v in VARIATIONS:
        assert not re.search(r"\d+\s*(元|天|个工作日)", v.get("text", "")), name


def test_domain_file_is_where_expected() -> None:
    assert Path(ROOT / "domain.yml").is_file()
