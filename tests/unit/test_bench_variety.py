"""bench.variety: the "every message new" level never sends the same text twice (after the parse cache's folding),
and each variant still holds the question it words."""

from __future__ import annotations

from bench.variety import Wording
from offices_kb.normalize import fold


def test_every_variant_of_a_turn_is_new_and_holds_the_question() -> None:
    w = Wording()
    said = [w.unique("珲春社保局电话") for _ in range(w.capacity())]
    assert len({fold(s) for s in said}) == len(said) > 200
    assert all("珲春社保局电话" in s for s in said) and "珲春社保局电话" not in said
    assert w.reused == 0
    w.unique("珲春社保局电话")  # one more than there are: counted, not hidden
    assert w.reused == 1


def test_repeated_is_the_text_itself_and_runs_repeat_themselves() -> None:
    assert Wording().for_variety("repeated")("需要带什么") == "需要带什么"
    assert [Wording(seed=3).unique("需要带什么") for _ in range(2)] == [Wording(seed=3).unique("需要带什么")] * 2
