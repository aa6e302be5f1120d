"""Text folding shared by the build and the look-ups.

`normalize` keeps the length of its input (one character out for one in), so that offsets found in the
normalized text point at the same characters in what the user typed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from opencc import OpenCC

MAX_TEXT = 500
_CC: OpenCC | None = None
# characters that Traditional->Simplified must leave alone because Jilin's names use them (乾安, not 干安)
PROTECTED = frozenset("乾")
ASCII_WORD = re.compile(r"[a-z]+")


def _converter() -> OpenCC:
    global _CC
    if _CC is None:
        _CC = OpenCC("t2s")
    return _CC


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


@lru_cache(maxsize=65536)
def fold_char(ch: str) -> str:
    """One character -> one character: full-width to half-width, Traditional to Simplified, lower case;
    anything that is neither a CJK ideograph nor an ASCII letter or digit becomes a space."""
    folded = unicodedata.normalize("NFKC", ch)
    if len(folded) != 1:
        folded = ch
    if is_cjk(folded) and folded not in PROTECTED:
        simplified = _converter().convert(folded)
        if len(simplified) == 1:
            folded = simplified
    folded = folded.lower()
    if is_cjk(folded) or (folded.isascii() and folded.isalnum()):
        return folded
    return " "


def normalize(text: str) -> str:
    """For matching: folded, and every character that is not a letter, digit or ideograph becomes a space."""
    return "".join(fold_char(ch) for ch in text)


def fold(text: str) -> str:
    """The one text folding of the project (NLU, form parsing, look-ups, the parse cache): full-width to
    half-width, Traditional to Simplified but for PROTECTED, lower case; punctuation and spaces are kept as typed
    (the tokenizer and the parsers' patterns want them). One character in, one out, so offsets stay valid."""
    out = []
    for ch in text:
        folded = fold_char(ch)
        out.append(folded if folded != " " or ch.isspace() else ch)
    return "".join(out)


def check_text(text: object, limit: int = MAX_TEXT) -> str:
    """The one gate for user text: a str of at most `limit` characters, else ValueError."""
    if not isinstance(text, str):
        raise ValueError(f"text must be a string, not {type(text).__name__}")
    if len(text) > limit:
        raise ValueError(f"文字太长：最多 {limit} 个字符 (text too long: {len(text)} > {limit} characters)")
    return text
