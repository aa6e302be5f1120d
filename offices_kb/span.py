"""A stretch of the user's text read as a place name, and how overlapping readings are chosen."""

from __future__ import annotations

from dataclasses import dataclass, field

from offices_kb.store import Target


@dataclass
class Span:
    """Characters start..end of the folded text, read as one of `targets`.

    `sure` is False for a typo reading that is not clearly better than another reading of the same characters
    (lookup then asks "您说的是 A 还是 B？"); `rivals` are the shorter exact readings inside a typo reading (湖南省南县
    in 挥南县, 二道区 in 二道将): a Jilin one with another bureau makes the typo reading unsure, and all of them
    are offered when it is."""

    start: int
    end: int
    targets: list[Target]
    method: str = "name"  # name | pinyin | sound | edit
    factor: float = 1.0
    typed: str = field(default="")
    sure: bool = True
    rivals: list[Target] = field(default_factory=list)

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    @property
    def length(self) -> int:
        return self.end - self.start


def merge_same_span(spans: list[Span]) -> list[Span]:
    """One span per (start, end), with the targets of all readings of it, best score first."""
    merged: dict[tuple[int, int], Span] = {}
    for s in spans:
        key = (s.start, s.end)
        if key not in merged:
            merged[key] = Span(s.start, s.end, list(s.targets), s.method, s.factor)
            continue
        m = merged[key]
        for t in s.targets:
            same = next((x for x in m.targets if (x.kind, x.code) == (t.kind, t.code)), None)
            if same is None:
                m.targets.append(t)
            elif t.score > same.score:
                m.targets[m.targets.index(same)] = t
    for m in merged.values():
        m.targets.sort(key=lambda t: -t.score)
        m.method = m.targets[0].alias_kind if m.targets[0].alias_kind in ("sound", "edit") else m.method
    return list(merged.values())


def longest_first(spans: list[Span]) -> list[Span]:
    """Non-overlapping spans, the longest (then the leftmost) winning each overlap."""
    chosen: list[Span] = []
    taken: set[int] = set()
    for s in sorted(spans, key=lambda s: (-s.length, s.start)):
        if not taken.intersection(range(s.start, s.end)):
            chosen.append(s)
            taken.update(range(s.start, s.end))
    return chosen
