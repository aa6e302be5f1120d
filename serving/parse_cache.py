"""Remember the NLU parses of questions asked before (after folding), so a repeated question skips the pipeline.

During a policy change thousands of people type the same few questions ("失业金怎么领", "需要带什么"). Rasa's NLU
result depends only on the message's text: the pipeline's first step (components.normalizer) folds Traditional,
full-width and case, and nothing after it reads the tracker or the metadata. So the parse of a folded text can be
kept and handed out again: a bounded LRU per process (PARSE_CACHE_SIZE entries, 0 turns it off), per model,
deep-copied in and out so that nobody changes a cached parse. Messages that carry an intent ("/find_bureau{...}"
buttons) are parsed by Rasa's regex handler, which is cheap: they are not cached.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.trackers import DialogueStateTracker

from envsettings import env_int
from offices_kb.normalize import fold

DEFAULT_SIZE = 4096
Parse = Callable[[MessageProcessor, UserMessage, DialogueStateTracker, bool], dict[str, Any]]


class ParseCache:
    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[tuple[str, str], dict[str, Any]] = OrderedDict()
        self.hits = self.misses = 0

    def get(self, key: tuple[str, str]) -> dict[str, Any] | None:
        found = self.entries.get(key)
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        self.entries.move_to_end(key)
        return copy.deepcopy(found)

    def put(self, key: tuple[str, str], parse: dict[str, Any]) -> None:
        self.entries[key] = copy.deepcopy(parse)
        self.entries.move_to_end(key)
        while len(self.entries) > self.size:
            self.entries.popitem(last=False)


def cached(parse: Parse, cache: ParseCache) -> Parse:
    def parse_message_with_graph(self: MessageProcessor, message: UserMessage, tracker: DialogueStateTracker,
                                 only_output_properties: bool = True) -> dict[str, Any]:
        text = message.text or ""
        if not only_output_properties or not text or text.startswith("/"):
            return parse(self, message, tracker, only_output_properties)
        key = (str(self.model_metadata.model_id), fold(text))
        found = cache.get(key)
        if found is None:
            found = parse(self, message, tracker, only_output_properties)
            cache.put(key, found)
        elif "message_id" in found:  # not an output property in Rasa 3.6; kept right should that change
            found["message_id"] = message.message_id
        return found

    parse_message_with_graph.cache = cache  # type: ignore[attr-defined]
    return parse_message_with_graph


def install(size: int | None = None) -> ParseCache | None:
    """Wrap MessageProcessor._parse_message_with_graph once; returns the cache (None when turned off)."""
    size = env_int("PARSE_CACHE_SIZE", DEFAULT_SIZE) if size is None else size
    current = MessageProcessor._parse_message_with_graph
    if hasattr(current, "cache"):
        return current.cache  # type: ignore[no-any-return]
    if size <= 0:
        return None
    cache = ParseCache(size)
    MessageProcessor._parse_message_with_graph = cached(current, cache)  # type: ignore[method-assign]
    return cache


def current() -> ParseCache | None:
    """The cache installed in this process (None: off or not installed)."""
    return getattr(MessageProcessor._parse_message_with_graph, "cache", None)
