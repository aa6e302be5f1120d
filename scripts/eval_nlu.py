"""`make eval`: evaluate the trained model on the held-out NLU test set (tests/nlu/heldout.yml).

Runs `rasa test nlu` (full reports under results/nlu/) and prints the figures we track: intent accuracy,
the weakest intents, and F1 of the location entity for each extractor that produced it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "results" / "nlu"
TESTSET = ROOT / "tests" / "nlu" / "heldout.yml"
MODEL = ROOT / "models" / "assistant.tar.gz"


def main() -> int:
    cmd = [str(ROOT / ".venv/bin/rasa"), "test", "nlu", "--nlu", str(TESTSET), "--model", str(MODEL),
           "--out", str(OUT), "--no-plot", "--quiet"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        print(proc.stdout[-3000:], proc.stderr[-3000:], sep="\n")
        return proc.returncode
    intents = json.loads((OUT / "intent_report.json").read_text())
    n = int(intents["weighted avg"]["support"])
    print(f"held-out NLU test set: {TESTSET.relative_to(ROOT)} ({n} messages)")
    print(f"intent accuracy {intents['accuracy']:.3f}   weighted F1 {intents['weighted avg']['f1-score']:.3f}   "
          f"macro F1 {intents['macro avg']['f1-score']:.3f}")
    weak = sorted(
        ((k, v) for k, v in intents.items() if isinstance(v, dict) and "confused_with" in v),
        key=lambda kv: kv[1]["f1-score"],
    )[:6]
    print("weakest intents:")
    for name, v in weak:
        print(f"  {name:26} F1 {v['f1-score']:.3f}  support {v['support']:>3}  confused with {v['confused_with']}")
    for report in sorted(OUT.glob("*_report.json")):
        if report.name == "intent_report.json" or "response" in report.name:
            continue
        data = json.loads(report.read_text())
        for entity in ("location", "duration", "leave_reason"):
            # an extractor that never produces an entity (DIET's locations are replaced by the gazetteer's) is not shown
            if entity in data and (data[entity]["precision"] or data[entity]["recall"]):
                e = data[entity]
                print(f"entity {entity:12} {report.stem.removesuffix('_report'):26} precision {e['precision']:.3f}  "
                      f"recall {e['recall']:.3f}  F1 {e['f1-score']:.3f}  support {e['support']}")
    errors = OUT / "intent_errors.json"
    if errors.exists():
        wrong = json.loads(errors.read_text())
        print(f"{len(wrong)} misclassified messages, listed in {errors.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
