"""The held-out NLU test set shares no sentence with the training data (after folding case, spaces,
punctuation and Traditional characters), so `make eval` measures generalisation."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from offices_kb.normalize import normalize

ROOT = Path(__file__).resolve().parents[2]
ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def examples(path: Path) -> list[tuple[str, str]]:
    out = []
    for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
        if "intent" in block:
            for line in block["examples"].splitlines():
                line = line.strip()
                if line.startswith("- "):
                    out.append((block["intent"], ANNOTATION.sub(r"\1", line[2:])))
    return out


def key(text: str) -> str:
    return normalize(text).replace(" ", "")


def training() -> list[tuple[str, str]]:
    return [x for f in sorted((ROOT / "data" / "nlu").glob("*.yml")) for x in examples(f)]


def test_no_held_out_sentence_is_in_the_training_data():
    seen = {key(t) for _, t in training()}
    shared = [t for _, t in examples(ROOT / "tests" / "nlu" / "heldout.yml") if key(t) in seen]
    assert shared == []


def test_held_out_set_is_large_enough_and_covers_every_trained_intent():
    held = examples(ROOT / "tests" / "nlu" / "heldout.yml")
    assert len(held) >= 300
    assert {i for i, _ in training()} <= {i for i, _ in held}


def test_no_training_sentence_has_two_intents():
    intents: dict[str, set[str]] = {}
    for intent, text in training():
        intents.setdefault(key(text), set()).add(intent)
    assert {k: v for k, v in intents.items() if len(v) > 1} == {}
