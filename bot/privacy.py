"""Mask personal numbers (身份证号, mobile numbers, bank card numbers) before text is logged or shown to staff."""

from __future__ import annotations

import re

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")

# order matters: an 18-character ID would also look like a card number
_ID_CARD = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?!\d)")
_BANK_CARD = re.compile(r"(?<!\d)(?:\d[ -]?){15,18}\d(?!\d)")


def _mask_id(m: re.Match[str]) -> str:
    return m.group(1)[:3] + "*" * 13 + m.group(2)[-2:]


def _mask_mobile(m: re.Match[str]) -> str:
    return f"{m.group(1)}****{m.group(3)}"


def _mask_card(m: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", m.group(0))
    return "*" * (len(digits) - 4) + digits[-4:]


def mask_pii(text: str) -> str:
    """Return `text` with ID numbers, mobile numbers and bank card numbers masked.

    >>> mask_pii("身份证220102199001011234，电话13812345678")
    '身份证220*************34，电话138****5678'
    """
    if not text:
        return text
    text = text.translate(_FULLWIDTH_DIGITS)
    text = _ID_CARD.sub(_mask_id, text)
    text = _MOBILE.sub(_mask_mobile, text)
    return _BANK_CARD.sub(_mask_card, text)
