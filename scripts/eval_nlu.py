"""`make eval` (part of `make test`): evaluate the trained model on the held-out NLU test set
(tests/nlu/heldout.yml) and fail below the quality the team holds.

Runs `rasa test nlu` (full reports under results/nlu/) and prints the figures we track: intent accuracy,
the weakest intents, and F1 of the location entity for each extractor that produced it. Exits 1 when intent
accuracy is below MIN_INTENT_ACCURACY or the location F1 of an extractor that produces locations is below
MIN_LOCATION_F1 (also when none produces them), so a regression turns CI red.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "results" / "nlu"
TESTSET = ROOT / "tests" / "nlu" / "heldout.yml"
MODEL = ROOT / "models" / "assistant.tar.gz"
MIN_INTENT_ACCURACY = 0.95
MIN_LOCATION_F1 = 0.95


ENTITIES = ("location", "duration", "leave_reason")


def entity_scores(out: Path) -> list[tuple[str, str, dict[str, Any]]]:
    """(extractor, entity, scores) for each entity an extractor produced. One that never produces an entity
    (DIET's locations are replaced by the gazetteer's) is left out."""
    found = []
    for report in sorted(out.glob("*_report.json")):
        if report.name == "intent_report.json" or "response" in report.name:
            continue
        data = json.loads(report.read_text())
        for entity in ENTITIES:
            if entity in data and (data[entity]["precision"] or data[entity]["recall"]):
                found.append((report.stem.removesuffix("_report"), entity, data[entity]))
    return found


def verdict(intents: dict[str, Any], locations: dict[str, float], min_accuracy: float, min_f1: float) -> list[str]:
    """What falls short of the gate (empty when the model passes)."""
    problems = []
    if intents["accuracy"] < min_accuracy:
        problems.append(f"intent accuracy {intents['accuracy']:.3f} < {min_accuracy}")
    if not locations:
        problems.append("no extractor produced a location")
    problems += [f"location F1 of {name} {f1:.3f} < {min_f1}" for name, f1 in locations.items() if f1 < min_f1]
    return problems


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=MODEL, help="model archive (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=OUT, help="report directory (default: %(default)s)")
    parser.add_argument("--nlu", type=Path, default=TESTSET, help="held-out test set (default: %(default)s)")
    parser.add_argument("--min-intent-accuracy", type=float, default=MIN_INTENT_ACCURACY)
    parser.add_argument("--min-location-f1", type=float, default=MIN_LOCATION_F1)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out = args.out.resolve()
    cmd = [str(ROOT / ".venv/bin/rasa"), "test", "nlu", "--nlu", str(args.nlu.resolve()),
           "--model", str(args.model.resolve()), "--out", str(out), "--no-plot", "--quiet"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        print(proc.stdout[-3000:], proc.stderr[-3000:], sep="\n")
        return proc.returncode
    intents = json.loads((out / "intent_report.json").read_text())
    n = int(intents["weighted avg"]["support"])
    print(f"model {args.model}; held-out NLU test set: {args.nlu} ({n} messages)")
    print(f"intent accuracy {intents['accuracy']:.3f}   weighted F1 {intents['weighted avg']['f1-score']:.3f}   "
          f"macro F1 {intents['macro avg']['f1-score']:.3f}")
    weak = sorted(
        ((k, v) for k, v in intents.items() if isinstance(v, dict) and "confused_with" in v),
        key=lambda kv: kv[1]["f1-score"],
    )[:6]
    print("weakest intents:")
    for name, v in weak:
        print(f"  {name:26} F1 {v['f1-score']:.3f}  support {v['support']:>3}  confused with {v['confused_with']}")
    scores = entity_scores(out)
    for extractor, entity, e in scores:
        print(f"entity {entity:12} {extractor:26} precision {e['precision']:.3f}  "
              f"recall {e['recall']:.3f}  F1 {e['f1-score']:.3f}  support {e['support']}")
    errors = out / "intent_errors.json"
    if errors.exists():
        wrong = json.loads(errors.read_text())
        print(f"{len(wrong)} misclassified messages, listed in {errors}")
    locations = {extractor: float(e["f1-score"]) for extractor, entity, e in scores if entity == "location"}
    problems = verdict(intents, locations, args.min_intent_accuracy, args.min_location_f1)
    for problem in problems:
        print(f"NLU GATE FAILED: {problem}")
    if not problems:
        print(f"NLU gate passed (intent accuracy >= {args.min_intent_accuracy}, "
              f"location F1 >= {args.min_location_f1})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
