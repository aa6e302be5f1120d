"""Personal numbers never stored: 身份证号 (18 digits, the last may be X; the old 15-digit ones), mobile numbers
(1[3-9] and 9 more digits, with +86/0086/86 in front) and bank card numbers (16 to 19 digits) are replaced by
placeholders the NLU can read: `[身份证号]`, `[手机号]`, `[银行卡号]`.

People type these numbers as they read them off a card: in groups ("138 1234 5678", "6222 0210 0112 3456 789"),
with dashes, with full-width digits and spaces from a Chinese input method (１３８　１２３４…), one number right after
another ("13812345678 220102199001011234"). So the digits of a message are read as chains of digit groups joined by
at most one separator, and each chain is split into the numbers it can be made of; a chain that is no such number
stays as it is ("2019 2020", "0431-85821827": a landline, which is not a personal number).

Standard library only, no I/O: the web app, Rasa's channels and serving patches, the action server's reading of a
message (citizen/) and the tools all import this one module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ID_CARD = "[身份证号]"
MOBILE = "[手机号]"
BANK_CARD = "[银行卡号]"
PLACEHOLDERS = (ID_CARD, MOBILE, BANK_CARD)

_DIGIT = "0-9\uff10-\uff19"  # ASCII and full-width digits
_X = "Xx\uff38\uff58"  # the check character of a 身份证号, also full-width
_SEP = " \u3000\u00a0\t\\-\u2010\u2011\u2012\u2013\u2014\uff0d"  # spaces (full-width, no-break) and dashes
# a chain: digit groups joined by one separator each; a plus sign in front (+86), an X at the end (an ID's check
# character)
_CHAIN = re.compile(rf"([+\uff0b]?)([{_DIGIT}]+(?:[{_SEP}][{_DIGIT}]+)*)([{_X}]?)(?![{_DIGIT}])")
_GROUP = re.compile(rf"[{_DIGIT}]+")
_ANY_DIGIT = re.compile(rf"[{_DIGIT}]")
_TO_ASCII = str.maketrans("\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19", "0123456789")
_MOBILE = re.compile(r"(?:0086|86)?1[3-9]\d{9}")
LONGEST = 19  # a bank card; the other numbers are shorter, a mobile with 0086 in front 15
_LENGTHS = (11, 15, 16, 17, 18, 19)


_BIRTH = re.compile(r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")


def _looks_like_id(digits: str) -> bool:
    """18 digits shaped like a 身份证号: a region code (11 to 82), then a birth date. The check digit is not asked
    for (a typo, a made-up example: still an ID to the citizen who typed it), and a UnionPay card of 18 digits
    (62…) rarely has a birth date where an ID has it."""
    return "11" <= digits[:2] <= "82" and bool(_BIRTH.fullmatch(digits[6:14]))


def kind_of(digits: str, check: str = "", plus: bool = False) -> str | None:
    """The placeholder for one number (`digits` in ASCII, `check` an X after them, `plus` a + before), or None."""
    if check:  # only a 身份证号 ends with X
        return ID_CARD if len(digits) == 17 and not plus else None
    if _MOBILE.fullmatch(digits):
        return MOBILE if not plus or not digits.startswith("1") else None
    if plus:
        return None
    if len(digits) == 15 or (len(digits) == 18 and _looks_like_id(digits)):
        return ID_CARD
    if 16 <= len(digits) <= LONGEST:
        return BANK_CARD
    return None


@dataclass(frozen=True)
class _Piece:
    start: int  # offsets into the text
    end: int
    placeholder: str | None  # None: left as it is


@dataclass(frozen=True)
class _Group:
    start: int
    end: int
    digits: str  # in ASCII


def _run_pieces(group: _Group) -> list[_Piece]:
    """An unbroken run longer than any number: the numbers it is made of, written without a space
    ("13812345678220102199001011234"), else the whole run as one account number."""
    n = len(group.digits)
    cover: list[list[int] | None] = [None] * (n + 1)  # cover[i]: lengths that make up digits[i:]
    cover[n] = []
    for i in range(n - 1, -1, -1):
        for length in _LENGTHS:
            rest = cover[i + length] if i + length <= n else None
            if rest is not None and kind_of(group.digits[i:i + length]) is not None:
                cover[i] = [length, *rest]
                break
    if cover[0] is None:
        return [_Piece(group.start, group.end, BANK_CARD)]
    pieces, pos = [], 0
    for length in cover[0]:
        pieces.append(_Piece(group.start + pos, group.start + pos + length, kind_of(group.digits[pos:pos + length])))
        pos += length
    return pieces


def _split(groups: list[_Group], check: str, plus: bool) -> list[_Piece]:
    """The best reading of a chain's groups as numbers: most digits masked, then fewest pieces. A group that is
    part of no number stays as it is. `check` (an X) belongs to the last group, `plus` to the first."""
    n = len(groups)
    # best[i]: (masked digits, -pieces, pieces) for groups[i:]
    best: list[tuple[int, int, list[_Piece]]] = [(0, 0, [])] * (n + 1)
    for i in range(n - 1, -1, -1):
        group, rest = groups[i], best[i + 1]
        if len(group.digits) > LONGEST:
            pieces = _run_pieces(group)
            best[i] = (rest[0] + len(group.digits), rest[1] - len(pieces), [*pieces, *rest[2]])
            continue
        options = [(rest[0], rest[1] - 1, [_Piece(group.start, group.end, None), *rest[2]])]
        digits = ""
        for j in range(i, n):
            digits += groups[j].digits
            if len(digits) > LONGEST:
                break
            last = j == n - 1
            kind = kind_of(digits, check if last else "", plus and i == 0)
            end = groups[j].end + (len(check) if last and kind is not None else 0)
            if kind is None and last and check:  # an X no ID has: the digits alone may still be a number
                kind, end = kind_of(digits, "", plus and i == 0), groups[j].end
            if kind is not None:
                after = best[j + 1]
                options.append((after[0] + len(digits), after[1] - 1, [_Piece(group.start, end, kind), *after[2]]))
        best[i] = max(options, key=lambda o: (o[0], o[1]))
    return best[0][2]


def _pieces(text: str) -> list[_Piece]:
    found: list[_Piece] = []
    for chain in _CHAIN.finditer(text):
        plus, check = bool(chain.group(1)), chain.group(3)
        groups = [_Group(chain.start(2) + g.start(), chain.start(2) + g.end(), g.group().translate(_TO_ASCII))
                  for g in _GROUP.finditer(chain.group(2))]
        pieces = _split(groups, check, plus)
        if plus and pieces and pieces[0].placeholder is not None and pieces[0].start == groups[0].start:
            pieces[0] = _Piece(chain.start(1), pieces[0].end, pieces[0].placeholder)  # the + goes with it
        found += [p for p in pieces if p.placeholder is not None]
    return found


def mask(text: str) -> str:
    """`text` with every 身份证号, mobile and bank card number replaced by its placeholder.

    >>> mask("身份证220102199001011234，电话 138-1234-5678")
    '身份证[身份证号]，电话 [手机号]'
    """
    if not text or not _ANY_DIGIT.search(text):  # most strings: one search in C
        return text
    out, pos = [], 0
    for piece in _pieces(text):
        out += [text[pos:piece.start], piece.placeholder or ""]
        pos = piece.end
    return "".join([*out, text[pos:]]) if out else text


def found(text: str) -> list[str]:
    """The placeholders in an already masked text, in order (what a reply may say it did not keep)."""
    return re.findall("|".join(re.escape(p) for p in PLACEHOLDERS), text or "")


# the words that introduce a number ('电话[手机号]', '我的身份证号是：[身份证号]')
_LABELLED = re.compile(r"(?:(?:我的?|本人)?(?:身份证(?:号码|号)?|证件号(?:码)?"
                       r"|(?:手机|电话|联系电话|联系方式)(?:号码|号)?|(?:银行)?卡(?:号码|号)?)\s*(?:是|为)?\s*[:：]?\s*)?"
                       + "(?:" + "|".join(re.escape(p) for p in PLACEHOLDERS) + ")")


def without_placeholders(text: str) -> str:
    """The masked text without its numbers and the words that introduce them, for reading what the message asks:
    '电话[手机号]' gives a phone number, it does not ask for one, and a placeholder's own words (身份证, 银行卡)
    are not a question about documents."""
    return _LABELLED.sub(" ", text or "")


def mask_value(value: object) -> object:
    """Strings masked inside nested dicts and lists (a message's metadata, a parse's entities); the same object
    back when there was nothing to mask."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, list):
        if not value or type(value[0]) in _PLAIN and all(type(v) in _PLAIN for v in value):  # token offsets
            return value
        items = [mask_value(v) for v in value]
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    if isinstance(value, dict):
        masked = {k: mask_value(v) for k, v in value.items()}
        return masked if any(masked[k] is not v for k, v in value.items()) else value
    return value


_PLAIN = (int, float, bool, type(None))  # nothing to mask in them
