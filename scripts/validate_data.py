"""`make validate`: `rasa data validate`, failing on any error or warning except "not used in any story or rule"
for responses that are used elsewhere: form questions (utter_ask_<slot>, asked by the form itself) and the
responses the custom actions compose (named in actions/*.py), neither of which the validator sees."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNUSED = re.compile(r"The utterance '(utter_\w+)' is not used in any story or rule")
FORM_QUESTION = re.compile(r"utter_ask_(contribution_months|leave_reason)$")


def used_by_actions() -> set[str]:
    """Response names the custom actions utter or compose."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "actions").rglob("*.py"))
    return set(re.findall(r'"(utter_\w+)"', source))


def expected(line: str, composed: set[str]) -> bool:
    """A warning about a response that is used where the validator does not look."""
    unused = UNUSED.search(line)
    return bool(unused) and (bool(FORM_QUESTION.match(unused.group(1))) or unused.group(1) in composed)


def main() -> int:
    proc = subprocess.run([str(ROOT / ".venv/bin/rasa"), "data", "validate"], cwd=ROOT, capture_output=True,
                          text=True)
    out = proc.stdout + proc.stderr
    composed = used_by_actions()
    problems = [line for line in out.splitlines()
                if ("UserWarning" in line or " ERROR " in line) and not expected(line, composed)]
    for line in problems:
        print(line)
    ok = proc.returncode == 0 and not problems
    verdict = "clean" if ok else f"{len(problems)} problem(s), exit code {proc.returncode}"
    print(f"rasa data validate: {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
