"""The held-out NLU test set is disjoint from the training data, so `make eval` measures generalisation: after
folding (case, spaces, punctuation, Traditional characters) and with every tagged entity value masked, no
held-out sentence has the template of a training sentence ("[公主岭](location)社保局电话多少" and the same with
another place are one sentence), and none contains a training sentence or is contained in one where the shorter
is at least MIN_CONTAINED characters and half of the longer ("带啥材料" in "要带啥材料")."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from offices_kb.normalize import normalize

ROOT = Path(__file__).resolve().parents[2]
ANNOTATION = re.compile(r"\[([^\]]+)\](?:\((\w+)[^)]*\)|\{[^}]*?\"entity\":\s*\"(\w+)\"[^}]*\})")
HELD_OUT = ROOT / "tests" / "nlu" / "heldout.yml"
MIN_CONTAINED = 3
_SLOTS: dict[str, str] = {}


def annotated(path: Path) -> list[tuple[str, str]]:
    """(intent, example as written, with its entity annotations)."""
    out = []
    for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
        if "intent" in block:
            for line in block["examples"].splitlines():
                line = line.strip()
                if line.startswith("- "):
                    out.append((block["intent"], line[2:]))
    return out


def examples(path: Path) -> list[tuple[str, str]]:
    return [(intent, ANNOTATION.sub(r"\1", text)) for intent, text in annotated(path)]


def key(text: str) -> str:
    return normalize(text).replace(" ", "")


def slot(entity: str) -> str:
    """One character standing for any value of `entity` (private use: no folded text contains it)."""
    return _SLOTS.setdefault(entity, chr(0xE000 + len(_SLOTS)))


def template(text: str) -> str:
    """The folded sentence with each annotated entity value replaced by its entity's slot character."""
    parts, pos = [], 0
    for m in ANNOTATION.finditer(text):
        parts += [key(text[pos:m.start()]), slot(m.group(2) or m.group(3))]
        pos = m.end()
    return "".join([*parts, key(text[pos:])])


def training_files() -> list[Path]:
    return sorted((ROOT / "data" / "nlu").glob("*.yml"))


def training() -> list[tuple[str, str]]:
    return [x for f in training_files() for x in examples(f)]


def contains(longer: str, shorter: str) -> bool:
    return len(shorter) >= MIN_CONTAINED and 2 * len(shorter) >= len(longer) and shorter in longer


def overlaps(held_out: list[tuple[str, str]], train: list[tuple[str, str]]) -> dict[str, str]:
    """Held-out sentence -> the training sentence it repeats: same template, or one contains the other. A bare
    entity value ("[延吉](location)") has no wording to repeat: only the exact check applies to it."""
    trained = {template(text): text for _, text in train}
    found = {}
    for _, text in held_out:
        t = template(text)
        if len(t) == 1:
            continue
        same = trained.get(t) or next((other for ot, other in trained.items() if contains(ot, t) or contains(t, ot)),
                                      None)
        if same is not None:
            found[text] = same
    return found


def test_templates_mask_entity_values_and_fold_the_rest():
    assert template("[公主岭](location)社保局電話多少？") == template("[梅河口](location) 社保局电话多少")
    leave = '[被辞退]{"entity": "leave_reason", "value": "involuntary"}了'
    assert template(leave) == template("[裁员](leave_reason)了")
    assert len({template("[延吉](location)的"), template("[两年](duration)的"), template("延吉的")}) == 3


def test_overlap_catches_templates_and_containment_both_ways():
    train = [("find_bureau", "[临江](location)的社保局电话多少"), ("ask_documents", "要带啥材料"),
             ("ask_benefit_duration", "能领多久"), ("deny", "不"), ("inform_location", "[梅河口](location)")]
    held = [("find_bureau", "[延吉](location)的社保局电话多少"), ("ask_documents", "带啥材料"),
            ("inform_location", "[延吉](location)"),
            ("ask_benefit_duration", "失业金能领多久"), ("ask_documents", "需要带户口本不"),
            ("ask_benefit_duration", "要是一直找不到活儿，这钱最多给发到啥时候")]
    assert overlaps(held, train) == {"[延吉](location)的社保局电话多少": "[临江](location)的社保局电话多少",
                                     "带啥材料": "要带啥材料", "失业金能领多久": "能领多久"}


def test_no_held_out_sentence_is_in_the_training_data():
    seen = {key(t) for _, t in training()}
    shared = [t for _, t in examples(HELD_OUT) if key(t) in seen]
    assert shared == []


def test_no_held_out_sentence_repeats_a_training_sentence():
    train = [x for f in training_files() for x in annotated(f)]
    shared = overlaps(annotated(HELD_OUT), train)
    assert shared == {}, f"{len(shared)} held-out sentences repeat training ones:\n" + "\n".join(
        f"  {held}  <->  {trained}" for held, trained in shared.items())


def test_held_out_set_is_large_enough_and_covers_every_trained_intent():
    held = examples(HELD_OUT)
    assert len(held) >= 300
    assert {i for i, _ in training()} <= {i for i, _ in held}


def test_no_training_sentence_has_two_intents():
    intents: dict[str, set[str]] = {}
    for intent, text in training():
        intents.setdefault(key(text), set()).add(intent)
    assert {k: v for k, v in intents.items() if len(v) > 1} == {}
