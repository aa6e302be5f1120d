"""Find place names in free text and resolve them to the bureau that serves them.

Stages, each tried only when the one before found nothing: Chinese names and aliases (longest first),
typed pinyin, homophone typos (same sound, in a place-like context), then RapidFuzz over our own names.
Shared names (朝阳区 is in 长春 and in 北京) are settled by the other places in the same text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from offices_kb.models import Match, Mention
from offices_kb.normalize import ASCII_WORD, is_cjk, normalize
from offices_kb.pinyin import char_keys
from offices_kb.store import KnowledgeBase, Target

# product and channel names that contain a place name but do not name where the user is
STOP_PHRASES = ("吉林省社会保险网上经办系统", "吉林掌上社保", "网上经办系统", "公共服务平台")
PINYIN_SUFFIXES = ("diqu", "sheng", "shi", "xian", "qu", "zhen", "zhou")
PLACE_SUFFIXES = "市县区镇乡州旗"
BUREAU_SUFFIXES = ("社会保险局", "社保局")
AFTER_PLACE = ("社保", "社会保险", "人社", "那边", "这边", "的社")
BEFORE_PLACE = "在去到回"
SOUND_SCORE = 0.8
FUZZY_CUTOFF = 75


@dataclass
class Span:
    start: int
    end: int
    targets: list[Target]
    method: str = "name"
    factor: float = 1.0
    typed: str = field(default="")


class Matcher:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._fuzzy_names: dict[str, list[str]] = {}
        for alias, targets in kb.aliases.items():
            if alias[-1] in PLACE_SUFFIXES and len(alias) >= 4 and any(t.kind == "place" for t in targets):
                self._fuzzy_names.setdefault(alias[-1], []).append(alias)

    # ---- finding -------------------------------------------------------------------------------
    def spans(self, text: str) -> list[Span]:
        norm, where = _close_gaps(normalize(text))
        for phrase in STOP_PHRASES:
            norm = norm.replace(phrase, " " * len(phrase))
        found = self._names(norm) + self._pinyin(norm)
        if not found:
            found = self._sounds(norm) or self._fuzzy(norm)
        spans = _longest_first(found)
        for s in spans:  # back to offsets in the typed text
            s.start, s.end = where[s.start], where[s.end - 1] + 1
            s.typed = text[s.start:s.end]
        return sorted(spans, key=lambda s: s.start)

    def _names(self, norm: str) -> list[Span]:
        out = []
        aliases, lengths = self.kb.aliases, self.kb.lengths_by_first
        for i, ch in enumerate(norm):
            for n in lengths.get(ch, ()):
                piece = norm[i:i + n]
                if len(piece) == n and piece in aliases:
                    out.append(Span(i, i + n, aliases[piece]))
        return out

    def _pinyin(self, norm: str) -> list[Span]:
        words = list(ASCII_WORD.finditer(norm))
        out = []
        for i in range(len(words)):
            for j in range(i, min(i + 3, len(words))):
                joined = "".join(w.group() for w in words[i:j + 1])
                for key in _pinyin_keys(joined):
                    if key in self.kb.pinyin:
                        out.append(Span(words[i].start(), words[j].end(), self.kb.pinyin[key], "pinyin"))
                        break
        return out

    def _sounds(self, norm: str) -> list[Span]:
        keys = [char_keys(c) if is_cjk(c) else frozenset() for c in norm]
        out = []
        for i, options in enumerate(keys):
            for key in options:
                for alias, alias_keys, target in self.kb.sounds.get(key, ()):
                    n = len(alias_keys)
                    # same sounds, at least one same character (浑春 for 珲春; not 算了 for 双辽), where a place fits
                    if i + n > len(norm) or not all(alias_keys[k] in keys[i + k] for k in range(1, n)):
                        continue
                    same_char = any(a == b for a, b in zip(alias, norm[i:i + n], strict=True))
                    if same_char and _place_context(norm, i, i + n):
                        out.append(Span(i, i + n, [target], "sound", SOUND_SCORE))
        return _merge_same_span(out)

    def _fuzzy(self, norm: str) -> list[Span]:
        out = []
        for j, ch in enumerate(norm):
            names = self._fuzzy_names.get(ch)
            if not names:
                continue
            best = None
            for k in range(3, 10):
                if j + 1 - k < 0:
                    break
                window = norm[j + 1 - k:j + 1]
                if " " in window:
                    break
                hit = process.extractOne(window, names, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
                if hit and (best is None or hit[1] > best[1]):
                    best = (hit[0], hit[1], j + 1 - k)
            if best:
                out.append(Span(best[2], j + 1, self.kb.aliases[best[0]], "fuzzy", 0.85 * best[1] / 100))
        return out

    # ---- resolving -----------------------------------------------------------------------------
    def resolve(self, spans: list[Span]) -> list[Span]:
        """Settle shared names by the other places named, then drop places that only frame another
        (吉林 in 吉林延吉, 长春 in 长春 九台)."""
        ids = [{self.ident(t) for t in s.targets} for s in spans]
        for n, s in enumerate(spans):
            if len(s.targets) > 1:
                others = set().union(*(ids[m] for m in range(len(spans)) if m != n))
                supported = [t for t in s.targets if self.up(t) & others]
                if supported:
                    s.targets = supported
        kept = []
        for n, s in enumerate(spans):
            below = set().union(*(self.up(t) for m, o in enumerate(spans) if m != n for t in o.targets))
            if not any(self.ident(t) in below for t in s.targets):
                kept.append(s)
        return kept

    def ident(self, t: Target) -> str:
        if t.kind == "outside":
            return "o:" + self.kb.outside[t.code].code
        if t.kind == "bureau":
            return self.kb.bureaus[t.code].serves_code
        return t.code

    def up(self, t: Target) -> set[str]:
        if t.kind == "outside":
            c = self.kb.outside[t.code].code
            return {"o:" + c[:4] + "00", "o:" + c[:2] + "0000"} - {"o:" + c}
        code = self.kb.bureaus[t.code].serves_code if t.kind == "bureau" else t.code
        return set(self.kb.ancestors(code))

    def mentions(self, text: str) -> list[Mention]:
        out = []
        for s in self.spans(text):
            t = s.targets[0]
            if t.kind == "outside":
                o = self.kb.outside[t.code]
                out.append(Mention(s.start, s.end, s.typed, o.name, o.level, False))
            else:
                name, level = self.name_level(t)
                end = s.end
                if level == "bureau":  # 前郭县社保局: the place is 前郭县
                    folded = normalize(s.typed)
                    cut = next((x for x in BUREAU_SUFFIXES if folded.endswith(x) and len(folded) > len(x)), "")
                    end -= len(cut)
                out.append(Mention(s.start, end, s.typed[: end - s.start], name, level, True))
        return out

    def name_level(self, t: Target) -> tuple[str, str]:
        if t.kind == "bureau":
            return self.kb.bureaus[t.code].name, "bureau"
        p = self.kb.places[t.code]
        return p.name, p.level

    def to_match(self, t: Target, span: Span, bureau_id: str) -> Match:
        b = self.kb.bureaus[bureau_id]
        name, level = self.name_level(t)
        return Match(b.name, b.id, b.phone, b.region, name, span.typed, level, round(t.score * span.factor, 3),
                     span.start, span.end)


def _close_gaps(norm: str) -> tuple[str, list[int]]:
    """Drop spaces between two Chinese characters (珲 春 -> 珲春); `where[i]` is the typed offset of char i."""
    kept, where = [], []
    for i, ch in enumerate(norm):
        if ch == " " and kept and is_cjk(kept[-1]):
            j = i
            while j < len(norm) and norm[j] == " ":
                j += 1
            if j < len(norm) and is_cjk(norm[j]):
                continue
        kept.append(ch)
        where.append(i)
    return "".join(kept), where


def _pinyin_keys(joined: str) -> list[str]:
    keys = [joined]
    for suffix in PINYIN_SUFFIXES:
        if joined.endswith(suffix) and len(joined) - len(suffix) >= 4:
            keys.append(joined[: -len(suffix)])
    return keys


def _place_context(norm: str, start: int, end: int) -> bool:
    """A homophone counts only where a place is expected: before a suffix or 社保, after 在/去/到/回,
    or as (nearly) the whole message."""
    rest = norm[end:].lstrip()
    if rest[:1] and rest[0] in PLACE_SUFFIXES or rest.startswith(AFTER_PLACE):
        return True
    if start > 0 and norm[start - 1] in BEFORE_PLACE:
        return True
    return len(norm.strip()) <= end - start + 1


def _merge_same_span(spans: list[Span]) -> list[Span]:
    merged: dict[tuple[int, int], Span] = {}
    for s in spans:
        if (s.start, s.end) in merged:
            merged[(s.start, s.end)].targets.extend(t for t in s.targets if t not in merged[(s.start, s.end)].targets)
        else:
            merged[(s.start, s.end)] = s
    return list(merged.values())


def _longest_first(spans: list[Span]) -> list[Span]:
    chosen: list[Span] = []
    taken: set[int] = set()
    for s in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if not taken.intersection(range(s.start, s.end)):
            chosen.append(s)
            taken.update(range(s.start, s.end))
    return chosen
