"""The benchmark's two kinds of traffic: the same questions again and again ("repeated"), and every message new to
the server ("unique"), the case real traffic is mostly in, where no parse cache helps.

A unique message is a turn of bench/conversations.yml said another way: one of OPENERS before it and one of
CLOSERS after it (templates x turns), drawn in a fixed shuffled order per turn, so that no text is sent twice in a
run, to any target, after folding (offices_kb.normalize.fold: the parse cache's key). The words added are the
ones citizens put around a question; they name no place and no fact, so the turn's expected answer still holds.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable

from offices_kb.normalize import fold

VARIETIES = ("repeated", "unique")
OPENERS = ("", "请问", "请问一下", "麻烦问一下", "想问一下", "问一下", "咨询一下", "我想咨询", "我想问问", "打扰一下",
           "劳驾问下", "想请教一下", "我问一下", "我想知道", "帮我看看", "请帮我查一下", "帮忙问下", "我想了解一下")
CLOSERS = ("", "呢", "呀", "啊", "吧", "嘛", "哈", "麻烦了", "谢谢", "多谢", "谢谢您", "急", "在线等", "辛苦了",
           "请回答", "拜托了", "麻烦您")


class Wording:
    """Hands out the wording of each turn: the text itself ("repeated"), or a new variant every time ("unique")."""

    def __init__(self, seed: int = 11) -> None:
        combos = [(o, c) for o, c in itertools.product(OPENERS, CLOSERS) if o or c]
        self._combos = combos
        self._seed = seed
        self._next: dict[str, int] = {}
        self._orders: dict[str, list[tuple[str, str]]] = {}
        self.seen: set[str] = set()
        self.reused = 0  # variants handed out a second time (a run longer than the variants of a turn)

    def capacity(self) -> int:
        """Unique variants per turn."""
        return len(self._combos)

    def unique(self, text: str) -> str:
        order = self._orders.get(text)
        if order is None:
            order = list(self._combos)
            random.Random(f"{self._seed}:{text}").shuffle(order)
            self._orders[text] = order
        k = self._next.get(text, 0)
        self._next[text] = k + 1
        opener, closer = order[k % len(order)]
        said = f"{opener}{'，' if opener else ''}{text}{'，' + closer if closer else ''}"
        key = fold(said)
        if key in self.seen:
            self.reused += 1
        self.seen.add(key)
        return said

    def for_variety(self, variety: str) -> Callable[[str], str]:
        if variety not in VARIETIES:
            raise ValueError(f"variety must be one of {VARIETIES}, got {variety!r}")
        return self.unique if variety == "unique" else (lambda text: text)
