"""scripts/eval_nlu.py's gate: `make test` fails when the held-out figures fall below the team's levels."""

from __future__ import annotations

import json
from pathlib import Path

from scripts.eval_nlu import MIN_INTENT_ACCURACY, MIN_LOCATION_F1, entity_scores, verdict


def test_the_levels_are_the_teams() -> None:
    assert (MIN_INTENT_ACCURACY, MIN_LOCATION_F1) == (0.95, 0.95)


def test_a_model_at_the_levels_passes_and_one_below_fails() -> None:
    assert verdict({"accuracy": 0.95}, {"GazetteerEntityExtractor": 0.95}, 0.95, 0.95) == []
    assert verdict({"accuracy": 0.949}, {"GazetteerEntityExtractor": 1.0}, 0.95, 0.95) == [
        "intent accuracy 0.949 < 0.95"]
    assert verdict({"accuracy": 1.0}, {"GazetteerEntityExtractor": 0.9, "DIETClassifier": 0.97}, 0.95, 0.95) == [
        "location F1 of GazetteerEntityExtractor 0.900 < 0.95"]


def test_no_location_at_all_fails() -> None:
    assert verdict({"accuracy": 1.0}, {}, 0.95, 0.95) == ["no extractor produced a location"]


def test_an_extractor_that_never_produced_an_entity_is_left_out(tmp_path: Path) -> None:
    zero = {"precision": 0.0, "recall": 0.0, "f1-score": 0.0, "support": 140}
    some = {"precision": 1.0, "recall": 0.9, "f1-score": 0.947, "support": 140}
    (tmp_path / "DIETClassifier_report.json").write_text(json.dumps({"location": zero, "duration": some}))
    (tmp_path / "GazetteerEntityExtractor_report.json").write_text(json.dumps({"location": some}))
    (tmp_path / "intent_report.json").write_text(json.dumps({"location": some}))
    assert [(x, e) for x, e, _ in entity_scores(tmp_path)] == [("DIETClassifier", "duration"),
                                                              ("GazetteerEntityExtractor", "location")]
