"""serving.parse_cache: a repeated question (after folding Traditional/full-width/case) is not parsed again, and
nobody can tell a cached parse from a fresh one."""

from __future__ import annotations

import copy
from types import SimpleNamespace
from typing import Any

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor

from components.normalizer import fold
from serving import parse_cache


class FakeGraph:
    """Stands in for Rasa's NLU graph: a parse that depends on the folded text only, and a call count."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, processor: Any, message: UserMessage, tracker: Any, only: bool = True) -> dict[str, Any]:
        self.calls.append(message.text or "")
        text = fold(message.text or "")
        return {"text": text, "intent": {"name": "find_bureau", "confidence": 0.9},
                "entities": [{"entity": "location", "value": text[:2], "start": 0, "end": 2}]}


def _processor(model_id: str = "m1") -> Any:
    return SimpleNamespace(model_metadata=SimpleNamespace(model_id=model_id))


def _parse(fn: Any, text: str, processor: Any = None, only: bool = True) -> dict[str, Any]:
    return fn(processor or _processor(), UserMessage(text, sender_id="s"), None, only)


@pytest.fixture()
def graph() -> FakeGraph:
    return FakeGraph()


def test_a_repeated_question_is_parsed_once_even_in_traditional_or_full_width(graph: FakeGraph) -> None:
    fn = parse_cache.cached(graph, parse_cache.ParseCache(16))
    first = _parse(fn, "珲春社保局电话")
    assert _parse(fn, "琿春社保局電話") == first
    assert _parse(fn, "珲春社保局电话") == first
    assert graph.calls == ["珲春社保局电话"]
    assert fn.cache.hits == 2 and fn.cache.misses == 1


def test_a_cached_parse_cannot_be_changed_by_whoever_got_it(graph: FakeGraph) -> None:
    fn = parse_cache.cached(graph, parse_cache.ParseCache(16))
    first = _parse(fn, "延吉社保局")
    expected = copy.deepcopy(first)
    first["entities"].clear()
    first["intent"]["name"] = "changed"
    again = _parse(fn, "延吉社保局")
    assert again == expected
    again["entities"][0]["value"] = "x"
    assert _parse(fn, "延吉社保局") == expected


def test_intent_payloads_full_parses_and_empty_messages_go_to_rasa_every_time(graph: FakeGraph) -> None:
    fn = parse_cache.cached(graph, parse_cache.ParseCache(16))
    for _ in range(2):
        _parse(fn, '/inform_location{"location":"长春市"}')
        _parse(fn, "全部属性", only=False)
        _parse(fn, "")
    assert len(graph.calls) == 6


def test_another_model_does_not_get_the_old_models_parse(graph: FakeGraph) -> None:
    fn = parse_cache.cached(graph, parse_cache.ParseCache(16))
    _parse(fn, "怎么申领", _processor("old"))
    _parse(fn, "怎么申领", _processor("new"))
    assert len(graph.calls) == 2


def test_bounded_least_recently_used_go_first(graph: FakeGraph) -> None:
    cache = parse_cache.ParseCache(2)
    fn = parse_cache.cached(graph, cache)
    for text in ("一", "二", "一", "三"):  # 二 is the least recently used when 三 arrives
        _parse(fn, text)
    assert len(cache.entries) == 2
    _parse(fn, "一")
    _parse(fn, "二")
    assert graph.calls == ["一", "二", "三", "二"]


def test_installed_once_on_rasas_processor_and_off_with_size_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    original = MessageProcessor._parse_message_with_graph
    monkeypatch.setattr(MessageProcessor, "_parse_message_with_graph", original)
    assert parse_cache.install(0) is None
    assert MessageProcessor._parse_message_with_graph is original
    monkeypatch.setenv("PARSE_CACHE_SIZE", "8")
    cache = parse_cache.install()
    assert cache is not None and cache.size == 8
    assert parse_cache.install() is cache  # a second install does not wrap twice
