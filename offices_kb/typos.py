"""Typo readings of Jilin's place names, for the parts of a message that no exact name explains.

Voice input and pinyin keyboards write a name with a character of the same sound (敦华 for 敦化, 挥南 for 辉南,
桦店 for 桦甸, 于树 for 榆树); hands slip a character (东平县 for 东丰县?). Each reading has a fixed confidence
that offices_kb.matcher weighs against the other readings of the same characters:

- sound (SOUND): every character sounds like the name's (loose pinyin: no tones, zh/z, ch/c, sh/s, -ng/-n) and
  at most one differs (two in names of five or more), where a place fits (after 在/去/回…, before 社保/上班/的/
  电话…, after a Jilin name that frames it, or as the whole message); typed pinyin with the same loose sounds
  (cangcun, huncun);
- edit (EDIT): one character replaced, missing or added in a name of three or more characters that ends in the
  same 市/县/区/镇/乡/州/旗 (towns: four or more); never sure on its own;
- common sound (COMMON_SOUND): a sound reading that is itself a common word (东风, 同化, 富余, 高兴: jieba's
  dictionary) or a piece of one (按图 of 按图索骥) counts only right before a place suffix, and is not sure. A
  name outside Jilin (吉安) is no common word here: it competes as a place.

No reading cuts a common word in two (按图|片, 读|书兰) or is made of one character, and an exact reading wins
over a typo reading that is not longer than it.
"""

from __future__ import annotations

from collections import defaultdict

from offices_kb.normalize import ASCII_WORD, is_cjk
from offices_kb.pinyin import char_keys, loose_spelling
from offices_kb.span import Span, merge_same_span
from offices_kb.store import KnowledgeBase, Target

SOUND = 0.8
COMMON_SOUND = 0.6
EDIT = 0.65
SURE = 0.75  # a typo reading below this is asked about, never answered
MARGIN = 0.1  # ... and so is one not this far ahead of a reading with another bureau
PLACE_SUFFIXES = "市县区镇乡州旗"
BEFORE_PLACE = "在去到回住是从离"
AFTER_PLACE = ("社保", "社会保险", "社报", "人社", "失业", "那", "这", "的", "人", "上班", "工作", "打工", "干",
               "交", "缴", "参保", "住", "电话", "咨询", "办", "领", "申", "哪", "啥", "怎", "咋", "能", "可以", "本地",
               "当地", "地区")
MAX_WORD = 4
AND = ("和", "跟", "与", "、", "或", "还有")  # 在德会和农按都交过: the second place of a list is a place too


class Typos:
    """Typo readings over one knowledge base (built once per process, with the matcher)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.common = kb.common_words
        self._subs: dict[str, list[str]] = defaultdict(list)  # 二道江区 -> 二\0江区, 二道\0区, \0道江区
        self._dels: dict[str, list[str]] = defaultdict(list)  # 二道江区 -> 道江区, 二江区, 二道区
        self._edit_names: set[str] = set()
        self._edit_lengths: dict[str, set[int]] = defaultdict(set)
        self._heads: set[tuple[str, int, int]] = set()  # (character, position 0 or 1, length) of the names
        for alias, targets in kb.aliases.items():
            jilin = [t for t in targets if t.kind != "outside"]
            if not jilin or alias[-1] not in PLACE_SUFFIXES or not all(is_cjk(c) for c in alias):
                continue
            towns = all(t.kind == "place" and kb.places[t.code].level == "town" for t in jilin)
            if len(alias) < (4 if towns else 3):
                continue
            self._edit_names.add(alias)
            self._edit_lengths[alias[-1]].add(len(alias))
            self._heads.update({(alias[0], 0, len(alias)), (alias[1], 1, len(alias))})
            for i in range(len(alias) - 1):
                self._subs[alias[:i] + "\0" + alias[i + 1:]].append(alias)
                if len(alias) >= 4:
                    self._dels[alias[:i] + alias[i + 1:]].append(alias)
        self._pinyin_loose: dict[str, list[Target]] = defaultdict(list)
        for key, targets in kb.pinyin.items():
            jilin = [t for t in targets if t.kind != "outside"]
            if jilin and len(key) >= 4:
                self._pinyin_loose[loose_spelling(key)].extend(jilin)

    # ---- finding -------------------------------------------------------------------------------
    def find(self, norm: str, exact: list[Span]) -> list[Span]:
        """`exact` (chosen exact spans) with the typo spans that hold against them; exact spans outside Jilin
        that a longer typo reading explains are dropped (挥南县 is 辉南县, not 湖南省南县), and one with the same
        characters joins the typo span as another target (吉安: 江西省吉安市 or 集安)."""
        frames = {e.end + k for e in exact if not _outside(e) for k in (0, 1)}  # 吉林吉安, 通化市集按
        frames |= _listed_after(norm, [e for e in exact if not _outside(e)])
        sounds = self._sounds(norm, frames)
        listed = _listed_after(norm, sounds) - frames  # a typo read in context frames the next place of a list
        if listed:  # again with those frames: a frame only adds readings
            sounds = self._sounds(norm, frames | listed)
        found = merge_same_span(sounds + self._edits(norm) + self._typed_pinyin(norm))
        holding = []
        for s in found:
            hits = [e for e in exact if e.overlaps(s)]
            # an exact reading wins over a typo reading that is not longer; an exact Jilin one also over a town's
            # (长春领 is 长春 + 领, not 长春岭镇); a county's is kept beside it (二道将: 二道区 or 二道江区?)
            county = s.method == "sound" and any(t.kind == "bureau" or self.kb.places[t.code].level != "town"
                                                 for t in s.targets)
            if all(s.start <= e.start and e.end <= s.end and (_outside(e) or e.length < s.length and county)
                   for e in hits):
                holding.append(s)
        typos = longest_first_scored(holding)
        rest = list(exact)
        for s in typos:
            for e in [e for e in exact if e.overlaps(s)]:
                if (e.start, e.end) == (s.start, s.end):
                    s.targets += e.targets
                else:  # inside the typo reading: 南县 in 挥南县, 二道 in 二道将
                    s.rivals += e.targets
                rest.remove(e)
        return rest + typos

    def _sounds(self, norm: str, frames: set[int]) -> list[Span]:
        keys = [char_keys(c) if is_cjk(c) else frozenset() for c in norm]
        out = []
        for i in range(len(norm) - 1):
            pairs = [a + " " + b for a in keys[i] for b in keys[i + 1]]
            for alias, alias_keys, target in (x for pair in pairs for x in self.kb.sounds.get(pair, ())):
                n = len(alias_keys)
                if i + n > len(norm) or not all(alias_keys[k] in keys[i + k] for k in range(2, n)):
                    continue
                typed = norm[i:i + n]
                same = sum(a == b for a, b in zip(alias, typed, strict=True))
                if same == n or same == 0 or n - same > (1 if n <= 4 else 2):
                    continue
                if alias[-1] != typed[-1] and alias[-1] in PLACE_SUFFIXES and typed[-1] in PLACE_SUFFIXES:
                    continue  # 东风县 is not the town 东风乡: another suffix is no typo of the name
                factor = self._sound_factor(norm, i, i + n, i in frames)
                if factor:
                    out.append(_typo(i, i + n, target, "sound", factor))
        return out

    def _sound_factor(self, norm: str, start: int, end: int, framed: bool) -> float:
        """SOUND where a place fits (or right after a Jilin name that frames it); COMMON_SOUND for a word right
        before a place suffix, or a piece of one there or alone; else none."""
        typed = norm[start:end]
        if self._cuts_a_word(norm, start, end):
            return 0.0
        if self._outside_name(typed):
            pass
        elif typed in self.common:
            return COMMON_SOUND if _strong_context(norm, start, end) else 0.0
        elif typed in self.kb.word_parts:  # 按图 alone may be 安图 said into a phone: asked, not answered
            return COMMON_SOUND if _strong_context(norm, start, end) or _whole(norm, start, end) else 0.0
        return SOUND if framed or _place_context(norm, start, end) else 0.0

    def _edits(self, norm: str) -> list[Span]:
        out = []
        for j, ch in enumerate(norm):
            for n in self._edit_lengths.get(ch, ()):
                # replaced (same length), missing (one shorter), added (one longer): the suffix stays in place
                for size in (n, n - 1, n + 1):
                    start = j + 1 - size
                    if start < 0 or size < 3 or not self._may_edit(norm[start], norm[start + 1], n, size - n):
                        continue
                    typed = norm[start:j + 1]
                    known = typed in self.kb.aliases and not self._outside_name(typed)
                    if known or not all(is_cjk(c) for c in typed):
                        continue
                    names = set(self._edit_candidates(typed, size - n))
                    # not a word with the suffix (文化县) nor a character before one (在城市, 在山区)
                    stem, tail = typed[:-1], typed[1:]
                    if names and not self._cuts_a_word(norm, start, j + 1) and tail not in self.common \
                            and (stem not in self.common or self._outside_name(stem) or self._outside_name(typed)):
                        for name in sorted(names):
                            out.extend(_typo(start, j + 1, t, "edit", EDIT) for t in self.kb.aliases[name]
                                       if t.kind != "outside")
        return out

    def _may_edit(self, first: str, second: str, n: int, extra: int) -> bool:
        """Could a name of n characters be one edit away from a text starting with these two characters? (Every
        such name keeps the first or the second character in place, or one of them moves by one.)"""
        heads = self._heads
        if extra == 0:
            return (first, 0, n) in heads or (second, 1, n) in heads
        if extra < 0:
            return (first, 0, n) in heads or (first, 1, n) in heads
        return (first, 0, n) in heads or (second, 0, n) in heads

    def _edit_candidates(self, typed: str, extra: int) -> list[str]:
        if extra == 0:
            return [a for i in range(len(typed) - 1) for a in self._subs.get(typed[:i] + "\0" + typed[i + 1:], ())]
        if extra < 0:
            return self._dels.get(typed, [])
        cut = (typed[:i] + typed[i + 1:] for i in range(len(typed) - 1))
        return [c for c in cut if c in self._edit_names]

    def _typed_pinyin(self, norm: str) -> list[Span]:
        """Typed pinyin whose loose spelling is a Jilin name's (cangcun, huncun). No edits: one letter off, English
        words come too close (changing, belong)."""
        words = list(ASCII_WORD.finditer(norm))
        out = []
        for i in range(len(words)):
            for j in range(i, min(i + 3, len(words))):
                joined = "".join(w.group() for w in words[i:j + 1])
                if joined in self.kb.pinyin or len(joined) < 5:
                    continue
                start, end = words[i].start(), words[j].end()
                for t in self._pinyin_loose.get(loose_spelling(joined), ()):
                    out.append(Span(start, end, [Target(t.kind, t.code, "sound", SOUND)], "sound"))
        return out

    def _outside_name(self, text: str) -> bool:
        """A name outside Jilin (淮南, 吉安): a word, but one that competes as a place, not as a word."""
        targets = self.kb.aliases.get(text, ())
        return bool(targets) and all(t.kind == "outside" for t in targets)

    def _cuts_a_word(self, norm: str, start: int, end: int) -> bool:
        """A common word that begins before `start` or ends after `end` and reaches into the reading (读|书兰,
        按图|片), unless the characters outside the reading make a word at least as common on their own (吉安|上班
        beats 安上), or it is 在/去/到 + the reading's first character (在|于树)."""
        common = self.common
        for cut in (start, end):
            for a in range(max(0, cut - MAX_WORD + 1), cut):
                for b in range(cut + 1, min(len(norm), a + MAX_WORD) + 1):
                    freq = common.get(norm[a:b], 0)
                    if not freq:
                        continue
                    if cut == start and a == start - 1 and norm[a] in "在去到回住是从" and b <= end:
                        continue
                    if cut == end and b == end + 1 and norm[end] in PLACE_SUFFIXES:
                        continue
                    if cut == end:
                        own = (common.get(norm[end:k], 0) for k in range(end + 2, end + MAX_WORD + 1))
                    else:
                        own = (common.get(norm[k:start], 0) for k in range(max(0, start - MAX_WORD), start - 1))
                    if max(own, default=0) < freq:
                        return True
        return False


def _outside(span: Span) -> bool:
    return all(t.kind == "outside" for t in span.targets)


def _typo(start: int, end: int, target: Target, method: str, factor: float) -> Span:
    return Span(start, end, [Target(target.kind, target.code, method, round(target.score * factor, 4))], method)


def _listed_after(norm: str, spans: list[Span]) -> set[int]:
    """Where a place would start after each span and a word that lists another (和, 、, 跟…)."""
    return {s.end + len(word) for s in spans for word in AND if norm.startswith(word, s.end)}


def _place_context(norm: str, start: int, end: int) -> bool:
    """Where a place is expected: after 在/去/到/回/住/是/从/离/老家, or before a suffix, 社保, 那边, 的, 人, 上班,
    电话 and the like, or as (nearly) the whole message (交的年头越长领得越久 has no 长岭 in it)."""
    if _strong_context(norm, start, end) or _whole(norm, start, end) or norm[end:].lstrip().startswith(AFTER_PLACE):
        return True
    before = norm[:start].rstrip()
    return bool(before) and (before[-1] in BEFORE_PLACE or before.endswith(("老家", "家乡")))


def _strong_context(norm: str, start: int, end: int) -> bool:
    """Right before a place suffix (东风县; 打了一通社保局电话 has no 伊通, nor 高兴 alone a 高新区)."""
    rest = norm[end:].lstrip()
    return bool(rest) and rest[0] in PLACE_SUFFIXES


def _whole(norm: str, start: int, end: int) -> bool:
    return len(norm.strip()) <= end - start + 1


def longest_first_scored(spans: list[Span]) -> list[Span]:
    """Among overlapping typo readings the most likely one (best score, then longest) wins."""
    ranked = sorted(spans, key=lambda s: (-s.targets[0].score, -s.length, s.start))
    chosen: list[Span] = []
    for s in ranked:
        if not any(s.overlaps(c) for c in chosen):
            chosen.append(s)
    return chosen


