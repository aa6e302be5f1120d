"""Whom the citizen should call when the guide does not answer: decided here only, and kept in the `contact` slot.

The bureau last answered, else the bureau of the last insured place the user named, else the bureau of a place
named in passing in this message ("我在梅河口上班被开了…"), else 吉林省社会保险局 (the guide's province row)."""

from __future__ import annotations

from actions.api import kb
from actions.bureaus import single_bureau
from actions.case import Case

SLOT = "contact"


def contact(case: Case) -> tuple[str, str]:
    """(bureau, phone) to call."""
    name, phone = case.slots.get("bureau_name"), case.slots.get("bureau_phone")
    if isinstance(phone, str) and phone:
        return (name if isinstance(name, str) and name else "社会保险局"), phone
    for place in [case.insured_place, *(p.text for p in case.asked_places if p.in_jilin)]:
        match = single_bureau(kb.lookup(place)) if place else None
        if match is not None:
            return match.bureau, match.phone
    return kb.province_contact()


def contact_text(case: Case) -> str:
    """'珲春市社会保险局：0433-7512409', as the responses' {contact} reads."""
    return _text(*contact(case))


def province_text() -> str:
    """The province's line, what an empty `contact` slot stands for."""
    return _text(*kb.province_contact())


def _text(name: str, phone: str) -> str:
    return f"{name}：{phone}"
