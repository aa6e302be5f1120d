"""`make validate`: `rasa data validate`, failing on any error or warning except the one Rasa 3.6 raises for
form questions (utter_ask_<slot> is used by the form itself, which the validator does not see)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORM_QUESTION = re.compile(r"The utterance 'utter_ask_\w+' is not used in any story or rule")


def main() -> int:
    proc = subprocess.run([str(ROOT / ".venv/bin/rasa"), "data", "validate"], cwd=ROOT, capture_output=True,
                          text=True)
    out = proc.stdout + proc.stderr
    problems = [line for line in out.splitlines()
                if ("UserWarning" in line or " ERROR " in line) and not FORM_QUESTION.search(line)]
    for line in problems:
        print(line)
    ok = proc.returncode == 0 and not problems
    verdict = "clean" if ok else f"{len(problems)} problem(s), exit code {proc.returncode}"
    print(f"rasa data validate: {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
