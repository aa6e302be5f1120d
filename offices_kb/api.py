"""The public functions: lookup, nearest, bureaus_in, search, province_bureau, mentions."""

from __future__ import annotations

import math
import threading

from rapidfuzz import fuzz, process

from offices_kb.geo import haversine_km
from offices_kb.matcher import Matcher
from offices_kb.models import Bureau, LookupResult, Match, Mention, Nearby, OutsidePlace
from offices_kb.normalize import check_text, normalize
from offices_kb.span import Span
from offices_kb.store import KnowledgeBase, default_kb

PROVINCE_BUREAU_ID = "B01"
MAX_CHOICES = 4  # candidates offered by did_you_mean
_lock = threading.Lock()
_matchers: dict[int, Matcher] = {}


def _matcher(kb: KnowledgeBase | None = None) -> Matcher:
    kb = kb or default_kb()
    m = _matchers.get(id(kb))
    if m is None:
        with _lock:
            m = _matchers.setdefault(id(kb), Matcher(kb))
    return m


def province_bureau(kb: KnowledgeBase | None = None) -> Bureau:
    return (kb or default_kb()).bureaus[PROVINCE_BUREAU_ID]


def lookup(text: str, kb: KnowledgeBase | None = None) -> LookupResult:
    """Which bureau serves the place named in `text` (a name, or a whole sentence).

    The status (models.STATUSES) says what to do with it: found (one bureau), ambiguous (choose among
    matches), did_you_mean (a typo read as more than one place, or as a place that is not clearly meant: ask
    "您说的是 A 还是 B？" with `message`, a button per match and the names in `outside`), not_found, outside_jilin.
    A typo is read only where no exact name is, and answered as found only when it is sure (敦华 -> 敦化市)."""
    check_text(text)
    m = _matcher(kb)
    kb = m.kb
    norm = normalize(text).strip()
    if not norm:
        return LookupResult("not_found", text, message="没有找到地名：请说出您所在的市、县或区。")
    if norm.replace(" ", "") in kb.exact:
        b = province_bureau(kb)
        match = Match(b.name, b.id, b.phone, b.region, "吉林省", text.strip(), "province", 1.0, 0, len(text))
        return LookupResult("found", text, [match], message=f"吉林省：{b.name}。")
    spans = m.resolve(m.spans(text))
    unsure = next((s for s in spans if not s.sure), None)
    if unsure:
        return _did_you_mean(text, unsure, m)
    matches: list[Match] = []
    outside: list[str] = []
    shared: list[str] = []
    region = None
    for s in spans:
        jilin = [t for t in s.targets if t.kind != "outside"]
        away = [kb.outside[t.code] for t in s.targets if t.kind == "outside"]
        if away and jilin:
            shared.append(s.typed.strip())
        if not jilin:
            outside.extend(_outside_name(o) for o in away)
            continue
        for t in jilin:
            b = kb.bureau_of(t)
            if b:
                matches.append(m.to_match(t, s, b.id))
            else:  # a prefecture with no bureau of its own: all of its bureaus
                region = kb.places[t.code].name
                matches.extend(m.to_match(t, s, b.id) for b in _bureaus_under(kb, t.code))
    matches = _dedupe(matches)
    outside = list(dict.fromkeys(outside))
    if not matches:
        if outside:
            return LookupResult("outside_jilin", text, outside=outside,
                                message=f"{'、'.join(outside)}不在吉林省：本助手只解答吉林省的失业保险金申领。")
        return LookupResult("not_found", text, message="没有找到吉林省内的这个地名：请说出您所在的市、县或区。")
    if len(matches) == 1 and not shared and not region:
        best = matches[0]
        return LookupResult("found", text, matches, outside=outside, message=f"{best.place}：{best.bureau}。")
    if shared:
        msg = f"“{'、'.join(shared)}”在吉林省内外都有，请说明是哪个市的。"
    elif region:
        msg = f"{region}有 {len(matches)} 个社会保险局，请选择您最后参保的地方。"
    else:
        msg = "找到多个可能的地方，请选择。"
    return LookupResult("ambiguous", text, matches, region=region, outside=outside, message=msg)


def _outside_name(o: OutsidePlace, full: bool = False) -> str:
    """沈阳市, 湖南省南县; `full` names the province of a city too (江西省吉安市)."""
    return f"{o.province}{o.name}" if o.level == "county" or full and o.level != "province" else o.name


def _did_you_mean(text: str, span: Span, m: Matcher) -> LookupResult:
    """The Jilin candidates of an unsure typo reading (best first, at most MAX_CHOICES bureaus) and the names
    outside Jilin it could also be, with the question to ask."""
    kb = m.kb
    matches: list[Match] = []
    for t in span.targets:
        if t.kind == "outside":
            continue
        b = kb.bureau_of(t)
        matches.extend(m.to_match(t, span, x.id) for x in ([b] if b else _bureaus_under(kb, t.code)))
    matches = sorted(_dedupe(matches), key=lambda x: -x.score)[:MAX_CHOICES]
    away = [kb.outside[t.code] for t in span.targets + span.rivals if t.kind == "outside"]
    outside = list(dict.fromkeys(_outside_name(o, full=True) for o in away))
    names = [f"“{n}”" for n in dict.fromkeys([x.place for x in matches] + outside)]
    question = f"您说的是{names[0]}吗？" if len(names) == 1 else f"您说的是{'、'.join(names[:-1])}还是{names[-1]}？"
    return LookupResult("did_you_mean", text, matches, outside=outside, message=question)


def _bureaus_under(kb: KnowledgeBase, code: str) -> list[Bureau]:
    return [b for b in kb.bureaus.values() if b.id != PROVINCE_BUREAU_ID and b.serves_code in kb.places
            and (b.serves_code == code or code in kb.ancestors(b.serves_code))]


def _dedupe(matches: list[Match]) -> list[Match]:
    best: dict[str, Match] = {}
    for x in matches:
        if x.bureau_id not in best or x.score > best[x.bureau_id].score:
            best[x.bureau_id] = x
    return list(best.values())


def mentions(text: str, kb: KnowledgeBase | None = None) -> list[Mention]:
    """Place names in `text` with their offsets (for the NLU location extractor)."""
    check_text(text)
    return _matcher(kb).mentions(text)


def nearest(lat: float, lon: float, k: int = 3, kb: KnowledgeBase | None = None) -> list[Nearby]:
    """Bureaus by great-circle distance from (lat, lon). A bureau's position is the seat of the area it
    serves (the guide gives no addresses), so distances are approximate."""
    for name, value, bound in (("lat", lat, 90), ("lon", lon, 180)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                or abs(value) > bound:
            raise ValueError(f"{name} must be a number within ±{bound}, got {value!r}")
    if not isinstance(k, int) or not 1 <= k <= 52:
        raise ValueError("k must be an integer from 1 to 52")
    kb = kb or default_kb()
    ranked = sorted(
        (haversine_km(lat, lon, b.lat, b.lon), b) for b in kb.bureaus.values() if b.id != PROVINCE_BUREAU_ID
    )
    return [Nearby(b.name, b.id, b.phone, b.region, round(d, 1)) for d, b in ranked[:k]]


def bureaus_in(region: str, kb: KnowledgeBase | None = None) -> list[Bureau]:
    """The bureaus of a region ('延边', '延边地区', '长春市'): the guide's group plus bureaus of places in it."""
    check_text(region)
    kb = kb or default_kb()
    key = normalize(region).replace(" ", "")
    for suffix in ("朝鲜族自治州", "自治州", "地区", "州", "市"):
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            key = key[: -len(suffix)]
            break
    if not key:
        return []
    prefs = [p for p in kb.places.values() if p.level == "prefecture" and key in (p.short or p.name[:-1], p.name)]
    found = [b for b in kb.bureaus.values() if b.region in (key, key + "地区")]
    for p in prefs:
        found.extend(b for b in _bureaus_under(kb, p.code) if b not in found)
    return sorted(found, key=lambda b: b.id)


def search(query: str, limit: int = 10, kb: KnowledgeBase | None = None) -> list[Match]:
    """Directory box: bureaus whose places' names or pinyin start with, contain, or resemble the query."""
    check_text(query, 100)
    m = _matcher(kb)
    kb = m.kb
    q = normalize(query).replace(" ", "")
    if not q:
        return []
    scored: list[tuple[float, str, str]] = []
    pool = list(kb.aliases.items()) + list(kb.pinyin.items())
    for alias, _ in pool:
        if alias.startswith(q):
            scored.append((1.0 - 0.01 * (len(alias) - len(q)), alias, "prefix"))
        elif q in alias:
            scored.append((0.8, alias, "contains"))
    if len(scored) < limit and len(q) >= 2:
        names = [a for a, _ in pool]
        for alias, score, _ in process.extract(q, names, scorer=fuzz.ratio, limit=limit, score_cutoff=60):
            scored.append((0.6 * score / 100, alias, "fuzzy"))
    index = {**kb.aliases, **kb.pinyin}
    results: dict[str, Match] = {}
    for score, alias, _ in sorted(scored, key=lambda x: (-x[0], x[1])):
        for t in index[alias]:
            if t.kind == "outside":
                continue
            bureaus = [kb.bureau_of(t)] if kb.bureau_of(t) else _bureaus_under(kb, t.code)
            name, level = m.name_level(t)
            for b in bureaus:
                if b.id not in results:
                    results[b.id] = Match(b.name, b.id, b.phone, b.region, name, alias, level, round(score, 3))
        if len(results) >= limit:
            break
    return list(results.values())[:limit]
