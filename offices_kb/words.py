"""Common Chinese words, for telling a typo of a place name from an ordinary word (build time).

jieba's dictionary (pinned with jieba) counts how often each word occurs. Its words that are not Jilin names
become the `words` table: a typo reading that is itself a word (东风 for 东丰) or would cut one in two (按图|片)
is doubted. Two-character pieces of longer words that sound like a Jilin name (按图 of 按图索骥 sounds like 安图)
are kept as parts: such a piece alone is no typo reading either.
"""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

from offices_kb.normalize import is_cjk, normalize
from offices_kb.pinyin import char_keys, name_keys

# located, not imported: importing jieba takes seconds, and only the build reads its dictionary
JIEBA_DICT = Path(find_spec("jieba").origin).resolve().parent / "dict.txt"
COMMON_WORD_FREQ = 20


def common_words(names: set[str]) -> dict[str, int]:
    """Words of two to four Chinese characters that jieba's dictionary counts at least COMMON_WORD_FREQ times,
    other than Jilin's own names, with that count."""
    words: dict[str, int] = {}
    with JIEBA_DICT.open(encoding="utf-8") as fh:
        for line in fh:
            word, freq, *_ = line.split()
            if int(freq) >= COMMON_WORD_FREQ and 2 <= len(word) <= 4 and all(is_cjk(c) for c in word):
                key = normalize(word)
                words[key] = max(words.get(key, 0), int(freq))
    return {w: f for w, f in sorted(words.items()) if w not in names}


def sound_alike_parts(words: dict[str, int], two_char_names: set[str]) -> list[str]:
    """Two-character pieces of the longer `words` that sound like one of `two_char_names`, share a character with
    it and are neither that name nor a word themselves (按图 of 按图索骥 for 安图)."""
    by_sound: dict[tuple[str, str], set[str]] = {}
    for name in two_char_names:
        by_sound.setdefault(name_keys(name), set()).add(name)
    parts = set()
    for word in words:
        for i in range(len(word) - 1) if len(word) > 2 else ():
            piece = word[i:i + 2]
            if piece in words or piece in two_char_names:
                continue
            for a in char_keys(piece[0]):
                for b in char_keys(piece[1]):
                    if any(n[0] == piece[0] or n[1] == piece[1] for n in by_sound.get((a, b), ())):
                        parts.add(piece)
    return sorted(parts)


def sound_alikes(words: dict[str, int], per_sound: int = 3) -> dict[str, list[str]]:
    """Loose reading -> the `per_sound` most common characters with it (counted over `words`, e.g. the knowledge
    base's common_words): the characters a voice or pinyin typo most likely puts in a name (for tests and the
    measurements in scripts/)."""
    counts: dict[str, int] = {}
    for word, freq in words.items():
        for ch in word:
            counts[ch] = counts.get(ch, 0) + freq
    by_sound: dict[str, list[str]] = {}
    for ch in sorted(counts, key=lambda c: (-counts[c], c)):
        for key in char_keys(ch):
            if len(by_sound.setdefault(key, [])) < per_sound:
                by_sound[key].append(ch)
    return by_sound
