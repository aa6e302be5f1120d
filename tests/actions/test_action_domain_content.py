"""domain.yml against the guide: every phone, URL and quoted term comes from it, each substantive answer names its
section (and the console can find it), buttons trigger real intents, each response is written once and used."""

from __future__ import annotations

import json
import re
import string
from typing import Any

import pytest
from action_helpers import ROOT, load_domain
from rasa.core.nlg.interpolator import interpolate_text
from structlog.testing import capture_logs

import guide
from bot.guide_sections import cited_passages

GUIDE = guide.guide_text()
DOMAIN = load_domain()
RESPONSES: dict[str, list[dict[str, Any]]] = DOMAIN["responses"]
VARIATIONS = [(name, v) for name, variations in RESPONSES.items() for v in variations]
# said by the form while it asks, or small talk: no guide section behind them
FORM = {"utter_ask_contribution_months", "utter_ask_leave_reason", "utter_got_contribution",
        "utter_got_contribution_less", "utter_got_voluntary", "utter_got_involuntary", "utter_unreadable_contribution",
        "utter_contribution_either_side",
        "utter_unreadable_leave_reason", "utter_contract_ended_who", "utter_unclassified_reason",
        "utter_unclassified_reason_choose"}
SMALL_TALK = {"utter_greet", "utter_goodbye", "utter_thank", "utter_affirm", "utter_deny", "utter_bot_challenge",
              "utter_out_of_scope", "utter_fallback", "utter_foreign_ko", "utter_foreign_en", "utter_foreign_ru",
              "utter_foreign_ja", "utter_ack_upset",
              "utter_ack_upset_call",
              "utter_ack_elderly"}
# personal data: the number not needed, deleting the conversation (not facts of the guide)
PRIVACY = {"utter_ack_personal_numbers", "utter_offer_deletion", "utter_deletion_done", "utter_deletion_kept"}
# lines composed with a full answer (which carries the 依据 line): a header, one condition, a note, a question
PARTS = {"utter_elig_header", "utter_elig_c1_met", "utter_elig_c1_worked", "utter_elig_c1_unknown",
         "utter_elig_c2_met", "utter_elig_c2_unknown", "utter_elig_c2_unclassified", "utter_note_no_address",
         "utter_note_no_address_ask", "utter_note_outside_too", "utter_note_far", "utter_place_outside",
         "utter_place_not_found", "utter_nearest_none", "utter_ask_place_only", "utter_note_last_insured",
         "utter_note_lives_elsewhere", "utter_note_not_there", "utter_handoff_code"}
SUBSTANTIVE = sorted(set(RESPONSES) - FORM - SMALL_TALK - PARTS - PRIVACY)
USED_BY_RULES = {step["action"] for f in (ROOT / "data").rglob("*.yml") if "nlu" not in f.parts
                 for block in (__import__("yaml").safe_load(f.read_text(encoding="utf-8")) or {}).get("rules", []) +
                 (__import__("yaml").safe_load(f.read_text(encoding="utf-8")) or {}).get("stories", [])
                 for step in block["steps"] if "action" in step}
ACTIONS_SOURCE = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "actions").rglob("*.py"))


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


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
        if "{" in term:  # a value the action passes (the place the user typed)
            continue
        assert _norm(term) in _norm(GUIDE), f"{name}: “{term}” is not in the guide"


@pytest.mark.parametrize("name", SUBSTANTIVE)
def test_substantive_answers_end_with_their_section(name: str) -> None:
    text = RESPONSES[name][0]["text"].rstrip()
    last = text.splitlines()[-1]
    assert last.startswith(guide.BASIS), f"{name} does not end with a 依据 line"
    cited = guide.cited_sections(last)
    assert cited and len(cited) == len(last.removeprefix(guide.BASIS).split("；")), f"{name}: unknown section in {last}"
    assert all(p.excerpt for p in cited_passages(last)), f"{name}: the console cannot find {last}"


@pytest.mark.parametrize("key", sorted(guide.SECTIONS))
def test_every_section_is_in_the_guide(key: str) -> None:
    assert guide.passage(key), key
    (found,) = guide.cited_sections(guide.cite(key))
    assert found.key == key


def test_each_response_is_written_once() -> None:
    assert [name for name, variations in RESPONSES.items() if len(variations) != 1] == []


def test_every_response_is_used_and_every_used_response_exists() -> None:
    named_in_actions = set(re.findall(r'"(utter_\w+)"', ACTIONS_SOURCE)) - {"utter_action"}  # the metadata key
    form_questions = {f"utter_ask_{slot}" for slot in DOMAIN["forms"]["eligibility_form"]["required_slots"]}
    used = named_in_actions | {a for a in USED_BY_RULES if a.startswith("utter_")} | form_questions
    assert sorted(set(RESPONSES) - used) == []
    assert sorted(used - set(RESPONSES)) == []


def test_responses_said_by_rules_need_no_values() -> None:
    for name in (a for a in USED_BY_RULES if a.startswith("utter_")):
        assert not _fields(RESPONSES[name][0]["text"]), f"{name} is uttered by a rule but needs values"


# responses whose buttons are built at run time (a place to choose) or that go out with the answer they complete
RUNTIME_BUTTONS = {"utter_bureau_several", "utter_bureau_region", "utter_bureau_did_you_mean", "utter_nearest",
                   "utter_ask_place", "utter_ask_insured_place", "utter_ask_insured_place_hometown",
                   "utter_ask_insured_place_or_same", "utter_note_your_bureau", "utter_form_way_out",
                   "utter_note_last_insured", "utter_note_lives_elsewhere", "utter_onsite_short",
                   "utter_elig_met_short", "utter_elig_met_short_worked", "utter_next_bureau_known", "utter_foreign_ko",
                   "utter_foreign_en", "utter_foreign_ru", "utter_foreign_ja"}
FORM_NOTES = {"utter_got_contribution", "utter_got_contribution_less", "utter_got_voluntary", "utter_got_involuntary",
              "utter_unreadable_contribution", "utter_contribution_either_side", "utter_unreadable_leave_reason",
              "utter_contract_ended_who",
              "utter_unclassified_reason", "utter_unclassified_reason_choose"}


@pytest.mark.parametrize("name", sorted((set(SUBSTANTIVE) | FORM) - FORM_NOTES - RUNTIME_BUTTONS))
def test_next_step_buttons(name: str) -> None:
    assert RESPONSES[name][0].get("buttons"), f"{name} offers no next step"


def _buttons() -> list[tuple[str, dict[str, str]]]:
    return [(name, b) for name, v in VARIATIONS for b in v.get("buttons", [])]


@pytest.mark.parametrize(("name", "button"), _buttons())
def test_button_payloads_trigger_domain_intents(name: str, button: dict[str, str]) -> None:
    # Rasa fills slots into a response's payloads as into its text ({slot}), so literal JSON braces are written
    # {{ }}; what the user's client gets is the interpolated payload
    with capture_logs() as logs:
        payload = interpolate_text(button["payload"], {"location": "SLOT"})
    assert not logs and "SLOT" not in payload, f"{name}: Rasa reads {button['payload']} as a slot template"
    assert payload == button["payload"].format_map({}), f"{name}: the actions would render it differently"
    match = re.fullmatch(r"/(\w+)(\{.*\})?", payload)
    assert match, f"{name}: bad payload {button['payload']}"
    assert match.group(1) in DOMAIN["intents"]
    if match.group(2):
        entities = json.loads(match.group(2))
        assert set(entities) <= set(DOMAIN["entities"])


def test_online_procedure_is_complete() -> None:
    text = RESPONSES["utter_ask_online_apply"][0]["text"]
    for term in ("http://wssb.jlsi.jl.gov.cn:8001", "个人用户", "注册", "登录", "失业金申领", "带*的必填信息",
                 "同步社会保障卡信息", "保存", "失业金申领列表", "附件", "上报", "等待社会保险局审核", "同步审批结果"):
        assert term in text, term


def test_contract_names() -> None:
    assert DOMAIN["forms"]["eligibility_form"]["required_slots"] == ["contribution_months", "leave_reason"]
    assert set(DOMAIN["slots"]) >= {"location", "bureau_name", "bureau_phone", "bureau_region", "contact",
                                    "contribution_months", "leave_reason", "insured_place", "residence_place",
                                    "unreadable_answers"}
    assert DOMAIN["slots"]["location"]["mappings"] == [{"type": "from_entity", "entity": "location"}]
    assert DOMAIN["slots"]["leave_reason"]["values"] == ["voluntary", "involuntary"]


def test_response_texts_never_state_amounts() -> None:
    for name, v in VARIATIONS:
        assert not re.search(r"\d+\s*(元|天|个工作日)", v.get("text", "")), name

