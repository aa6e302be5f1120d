"""Pinyin keys for place names: exact spellings for typed pinyin, loose keys for homophone typos."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin, load_phrases_dict, pinyin

_FIXED: set[str] = set()


def fix_readings(fixes: dict[str, list[str]]) -> None:
    """Teach pypinyin the readings of names it gets wrong (珲春 hun, 长白/长岭 chang)."""
    new = {k: [[s] for s in v] for k, v in fixes.items() if k not in _FIXED}
    if new:
        load_phrases_dict(new)
        _FIXED.update(new)


def spell(name: str) -> str:
    """'珲春' -> 'hunchun' (ü written v, as people type it)."""
    return "".join(lazy_pinyin(name, style=Style.NORMAL, v_to_u=False)).lower()


def loose(syllable: str) -> str:
    """Fold the sounds that people (and 东北 speech) confuse: zh/z, ch/c, sh/s, -ng/-n, ü/u."""
    s = syllable.lower().replace("ü", "v")
    for a, b in (("zh", "z"), ("ch", "c"), ("sh", "s")):
        if s.startswith(a):
            s = b + s[2:]
            break
    if s.endswith("ng"):
        s = s[:-1]
    return s.replace("v", "u")


def name_keys(name: str) -> tuple[str, ...]:
    return tuple(loose(s) for s in lazy_pinyin(name, style=Style.NORMAL))


@lru_cache(maxsize=65536)
def char_keys(ch: str) -> frozenset[str]:
    """The two main readings of one character, loosened (长 -> {zan, can}); rarer ones (或 yù) would make
    typo readings out of nothing."""
    readings = pinyin(ch, style=Style.NORMAL, heteronym=True)
    return frozenset(loose(r) for r in readings[0][:2]) if readings and readings[0][0] != ch else frozenset()


def loose_spelling(typed: str) -> str:
    """A typed pinyin string with the same sounds folded as `loose` folds one syllable ('zhangchun' and
    'cangcun' -> 'cancun'), for typed pinyin whose syllables are not known one by one."""
    s = typed.lower().replace("ü", "v").replace("zh", "z").replace("ch", "c").replace("sh", "s")
    return s.replace("ng", "n").replace("v", "u")
