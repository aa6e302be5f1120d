"""Find place names in free text and resolve them to the bureau that serves them.

Exact readings first: Chinese names and aliases (longest first) and typed pinyin. Then typo readings
(offices_kb.typos: same sound, one character off) where no exact Jilin name is. Shared names (朝阳区 is in
长春 and in 北京) and typo readings that are also a name outside Jilin (吉安 / 集安) are settled by the other
places in the same text; a typo reading that stays uncertain is marked not `sure`.
"""

from __future__ import annotations

from dataclasses import replace

from offices_kb.models import Match, Mention
from offices_kb.normalize import ASCII_WORD, is_cjk, normalize
from offices_kb.span import Span, longest_first
from offices_kb.store import KnowledgeBase, Target
from offices_kb.typos import MARGIN, SURE, Typos

# product and channel names that contain a place name but do not name where the user is
STOP_PHRASES = ("吉林省社会保险网上经办系统", "吉林掌上社保", "网上经办系统", "公共服务平台")
PINYIN_SUFFIXES = ("diqu", "sheng", "shi", "xian", "qu", "zhen", "zhou")
BUREAU_SUFFIXES = ("社会保险局", "社保局")


class Matcher:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.typos = Typos(kb)

    # ---- finding -------------------------------------------------------------------------------
    def spans(self, text: str) -> list[Span]:
        norm, where = _close_gaps(normalize(text))
        for phrase in STOP_PHRASES:
            norm = norm.replace(phrase, " " * len(phrase))
        spans = self.typos.find(norm, longest_first(self._names(norm) + self._pinyin(norm)))
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
        for s in kept:
            if s.method in ("sound", "edit"):
                self._settle_typo(s, [o for o in kept if o is not s])
        return [s for s in kept if s.targets]

    def _settle_typo(self, s: Span, others: list[Span]) -> None:
        """Is a typo reading sure? Against a name outside Jilin with the same characters, a sound reading wins
        when the rest of the message is about Jilin, loses when it names a place outside, and is asked about
        otherwise; an edit loses to a province or city (长沙市 is no typo of 长春市) and to a county when the message
        names a place outside, and is asked about otherwise. Among Jilin readings, the best must be SURE and MARGIN
        ahead of any reading with another bureau."""
        jilin = [t for t in s.targets if t.kind != "outside"]
        away = [t for t in s.targets if t.kind == "outside"]
        if any(all(t.kind == "outside" for t in o.targets) and 0 <= s.start - o.end <= 1 for o in others):
            s.targets = []  # 辽宁敦华: a place outside frames it, so it is no Jilin typo
            return
        if not jilin:  # the other places settled it outside Jilin (江西吉安)
            s.targets, s.method = away, "name"
            return
        about_jilin = any(t.kind != "outside" for o in others for t in o.targets)
        about_away = any(all(t.kind == "outside" for t in o.targets) for o in others)
        if away:
            county = all(self.kb.outside[t.code].level == "county" for t in away)
            named = {self._bureau_key(t) for o in others for t in o.targets if t.kind != "outside"}
            jilin = [t for t in jilin if jilin[0].alias_kind == "sound" or self._bureau_key(t) not in named]
            if not jilin or about_away and not about_jilin or jilin[0].alias_kind == "edit" and not county:
                s.targets, s.method = away, "name"  # 长沙市 stays 长沙市; 江西吉安 stays in 江西
                return
            if about_jilin and not about_away and jilin[0].alias_kind == "sound":
                s.targets = jilin  # 我在吉安上班 现在住长春: the message is about Jilin, so 集安
            else:
                s.targets, s.sure = jilin + away, False
                return
        ranked = sorted(s.targets, key=lambda t: -t.score)
        best = ranked[0]
        home = self._bureau_key(best)
        rival = max((t.score for t in ranked if self._bureau_key(t) != home), default=0.0)
        inner = [t for t in s.rivals if t.kind != "outside"]
        if best.score < SURE or best.score - rival < MARGIN or any(self._bureau_key(t) != home for t in inner):
            s.sure = False
            s.targets = ranked + [t for t in inner if t not in ranked]
            s.rivals = [t for t in s.rivals if t.kind == "outside"]
        else:
            s.targets = [t for t in ranked if self._bureau_key(t) == home][:1]
            s.rivals = []

    def _bureau_key(self, t: Target) -> str:
        b = self.kb.bureau_of(t)
        return b.id if b else t.code

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
        """Every place name in `text` as typed (frames like 吉林 in 吉林延吉 included); a typo reading as settled
        by the rest of the text (left out when a place outside frames it, certain=False when lookup would ask)."""
        found = self.spans(text)
        settled = [replace(s, targets=list(s.targets), rivals=list(s.rivals)) for s in found]
        self.resolve(settled)  # settles the copies in place
        out = []
        for s, c in zip(found, settled, strict=True):
            if s.method in ("sound", "edit"):
                if not c.targets:
                    continue
                s = c
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
                out.append(Mention(s.start, end, s.typed[: end - s.start], name, level, True, s.sure))
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
                     span.start, span.end, "exact" if span.method in ("name", "pinyin") else span.method)


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
