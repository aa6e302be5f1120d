"""actions/api/kb.py: lazy access to offices_kb, and the action modules' registration with rasa_sdk."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from actions.api import kb

ROOT = Path(__file__).resolve().parents[2]
NAMES = {"action_answer", "action_find_bureau", "action_nearest_bureau", "action_give_phone",
         "action_assess_eligibility", "validate_eligibility_form", "action_not_covered", "action_default_fallback",
         "action_reset_eligibility", "action_next_step"}


def _python(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                          timeout=120).stdout.strip()


def test_import_does_no_work() -> None:
    assert _python("import sys, actions.api.kb; print('offices_kb' in sys.modules)") == "False"


def test_action_server_registers_exactly_the_contract_actions() -> None:
    out = _python("from rasa_sdk.executor import ActionExecutor\n"
                  "e = ActionExecutor(); e.register_package('actions'); print(' '.join(sorted(e.actions)))")
    assert set(out.split()) == NAMES


def test_contract_examples() -> None:
    found = kb.lookup("珲春")
    assert found.status == "found" and found.matches[0].bureau == "珲春市社会保险局"
    assert found.matches[0].phone == "0433-7512409"
    yanbian = kb.lookup("延边")
    assert yanbian.status == "ambiguous" and yanbian.region and len(yanbian.matches) == 8
    assert kb.lookup("沈阳").status == "outside_jilin"
    assert kb.lookup("朝阳区").status == "ambiguous"


def test_overlong_text_is_clipped_not_refused() -> None:
    assert kb.lookup("珲春" + "。" * 2000).status == "found"


def test_province_contact() -> None:
    assert kb.province_contact() == ("吉林省社会保险局", "0431-85821827")


def test_province_contact_survives_a_broken_kb(monkeypatch) -> None:
    monkeypatch.setattr(kb, "_kb", lambda: (_ for _ in ()).throw(RuntimeError("no database")))
    assert kb.province_contact() == ("吉林省社会保险局", "0431-85821827")
