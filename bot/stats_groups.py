"""Poorly answered questions grouped so that near-duplicates count together.

Two steps. Texts equal after folding (offices_kb.normalize.fold: full-width, Traditional, case) with spaces and
punctuation dropped are one question. A new question then joins the most similar group leader when the Dice
coefficient of their character bigrams (of `core`: without 请问/你好 openings, closing particles, digits, with 咋 read
as 怎么) reaches SIMILARITY, else it leads a group of its own. Leaders are compared
against, not every member, so groups do not drift by chaining. Candidate leaders come from a prefix filter
(bigrams in one fixed order: two sets with Jaccard >= j share one of their first |s| - ceil(j|s|) + 1).

The grouping is incremental: the rollup (bot/stats_rollup.py) gives each question its group when it counts it, so
the dashboard only sums by group. Groups are numbered by their leader's event id: no text is copied.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from offices_kb.normalize import fold

SIMILARITY = 0.6  # Dice: 社保断交了怎么补 ~ 社保卡丢了怎么补办 0.53 (apart); 失业金怎么领取材料 ~ 怎么领取材料 0.77
EXAMPLES = 5
# Compared without what says nothing about the question: the way a question is opened or closed, Northeastern
# words for the standard ones (咋 = 怎么), and digits (what is left of a masked number).
OPENINGS = ("我想问一下", "我想问下", "我想问问", "想问一下", "麻烦问下", "请问一下", "问一下", "请问", "你好", "您好",
            "问下")
ENDINGS = "啊呀呢吗吧哈嘛"
SAME_WORDS = (("咋整", "怎么办"), ("咋", "怎么"), ("啥", "什么"), ("俺", "我"))
DIGITS = str.maketrans("", "", "0123456789")


def compact(text: str) -> str:
    """Folded, letters, digits and ideographs only: the key under which equal questions count together."""
    return "".join(ch for ch in fold(text) if ch.isalnum())


def core(key: str) -> str:
    """What two wordings are compared on: a compact key without its opening, closing particles and digits."""
    key = key.translate(DIGITS)
    for opening in OPENINGS:
        if key.startswith(opening) and len(key) > len(opening) + 1:
            key = key[len(opening):]
            break
    key = key.rstrip(ENDINGS) or key
    for word, standard in SAME_WORDS:
        key = key.replace(word, standard)
    return key


def bigrams(key: str) -> frozenset[str]:
    """The character bigrams of a question's core (the core itself when shorter than two)."""
    key = core(key) or key
    if len(key) < 2:
        return frozenset({key})
    return frozenset(key[i:i + 2] for i in range(len(key) - 1))


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 1.0


@dataclass
class Group:
    count: int = 0
    last_day: str = ""
    wordings: dict[str, tuple[int, int]] = field(default_factory=dict)  # masked text -> (times asked, first event)

    def add(self, text: str, count: int, day: str, first: int) -> None:
        self.count += count
        asked, earliest = self.wordings.get(text, (0, first))
        self.wordings[text] = (asked + count, min(earliest, first))
        self.last_day = max(self.last_day, day)

    def top(self, n: int) -> list[str]:
        """The `n` most asked wordings; of equals the earliest (the leader's first)."""
        return [text for text, _ in sorted(self.wordings.items(), key=lambda kv: (-kv[1][0], kv[1][1]))[:n]]

    def to_dict(self) -> dict[str, object]:
        """Shown by its most asked wording, with up to EXAMPLES wordings (that one first)."""
        examples = self.top(EXAMPLES)
        return {"text": examples[0], "count": self.count, "variants": len(self.wordings),
                "last_day": self.last_day, "examples": examples}


class Grouper:
    """Gives each question its group, in the order the questions come (the rollup's event order)."""

    def __init__(self, threshold: float = SIMILARITY) -> None:
        self.threshold = threshold
        self.jaccard = threshold / (2 - threshold)  # the same bound as Dice >= threshold
        self.clear()

    def clear(self) -> None:
        self.of_key: dict[str, int] = {}  # compact question -> group
        self.leaders: dict[int, frozenset[str]] = {}
        self.index: dict[str, list[int]] = defaultdict(list)  # prefix bigram -> leaders

    def _prefix(self, tokens: frozenset[str]) -> list[str]:
        return sorted(tokens)[:len(tokens) - math.ceil(self.jaccard * len(tokens)) + 1]

    def known(self, key: str, group: int, leads: bool) -> None:
        """A question already grouped (read back from the database, in event order)."""
        if leads and group not in self.leaders:
            tokens = bigrams(key)
            self.leaders[group] = tokens
            for t in self._prefix(tokens):
                self.index[t].append(group)
        self.of_key.setdefault(key, group)

    def assign(self, key: str, event_id: int) -> int:
        """The group of a question counted now: its own when asked before, the most similar leader's, or a new
        group led by this event."""
        if key in self.of_key:
            return self.of_key[key]
        tokens = bigrams(key)
        size = len(tokens)
        best, best_score = -1, self.threshold
        for g in sorted({g for t in self._prefix(tokens) for g in self.index.get(t, ())}):  # equals: the oldest
            other = self.leaders[g]
            if 2 * min(size, len(other)) < best_score * (size + len(other)):
                continue  # too different in length to reach the score
            score = dice(tokens, other)
            if score > best_score or (score == best_score and best < 0):
                best, best_score = g, score
        if best < 0:
            best = event_id
            self.known(key, best, leads=True)
        self.of_key[key] = best
        return best


def top_groups(rows: Iterable[tuple[int, str, int, str, int]], limit: int = 50) -> list[Group]:
    """(group, masked text, times asked, last day YYYY-MM-DD, first event id) rows -> the `limit` largest groups,
    largest first (of equals the older)."""
    groups: dict[int, Group] = {}
    for group, text, count, day, first in rows:
        if group not in groups:
            groups[group] = Group()
        groups[group].add(text, int(count), str(day).strip(), int(first))
    return [groups[g] for g in sorted(groups, key=lambda g: (-groups[g].count, g))][:limit]
