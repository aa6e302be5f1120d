"""Which place the user means: the latest text, its location entities, or the place given earlier; and, when
a message names several places, the one named as where the user was insured (最后参保地)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rasa_sdk import Tracker

from actions.api import kb
from actions.common import entity_values, latest_text

if TYPE_CHECKING:
    from offices_kb import LookupResult, Match

# '在长春交的社保', '长春那边参保', '在珲春上班' (the employer pays where one works) / '社保在四平交的', '参保地是九台'
_INSURED_AFTER = re.compile(r"^(?:市|县|区)?(?:的时候|那边|这边|那里|这里)?(?:一直|都)?"
                            r"(?:交|缴|参保|参加|上的?(?:社保|保险)|买的?(?:社保|保险)|上班|工作|打工|干活)")
_INSURED_BEFORE = re.compile(r"(?:社保|保险|参保地?|参保的地方)(?:是|都是|一直)?在?$")


@dataclass
class Resolution:
    """The lookup to answer from and how it was reached."""

    result: LookupResult | None  # None: no place anywhere
    query: str = ""  # the text that was looked up
    typed: str = ""  # a location entity the user typed (to quote when not found)
    insured: str = ""  # the place named as where one was insured, when the message named several
    remembered: bool = False  # the place comes from earlier in the conversation


def _insured_span(text: str) -> str:
    """The place named with '交/参保…' in `text`, if exactly one is."""
    hits = {m.text for m in kb.mentions(text)
            if _INSURED_AFTER.match(text[m.end:]) or _INSURED_BEFORE.search(text[:m.start])}
    return hits.pop() if len(hits) == 1 else ""


def _several_places(result: LookupResult) -> bool:
    return len({m.bureau_id for m in result.matches}) > 1 or bool(result.outside)


def _from_text(text: str) -> Resolution | None:
    result = kb.lookup(text)
    if result.status == "not_found":
        return None
    if result.region is None and _several_places(result):
        insured = _insured_span(text)
        if insured:
            sub = kb.lookup(insured)
            if sub.status != "not_found":
                return Resolution(sub, insured, insured=insured)
    return Resolution(result, text)


def resolve(tracker: Tracker) -> Resolution:
    """Look up the latest text, else its location entities, else the location slot."""
    text = latest_text(tracker)
    typed = entity_values(tracker, "location")
    for query in ([text] if text else []) + typed:
        found = _from_text(query)
        if found:
            found.typed = typed[0] if typed else ""
            return found
    slot = tracker.get_slot("location")
    if isinstance(slot, str) and slot.strip() and not typed:
        found = _from_text(slot)
        if found:
            found.remembered = True
            return found
    return Resolution(None, text, typed=typed[0] if typed else "")


def _prefix(region: str) -> str:
    return region[:-2] if region.endswith("地区") else region


def choice_text(match: Match) -> str:
    """A short place text that looks up to exactly this match's bureau (for buttons and the location slot)."""
    short = match.bureau.replace("社会保险局", "")
    if match.level in ("province", "prefecture"):
        candidates = [match.place, short, match.bureau]
    else:
        prefix = _prefix(match.region)
        candidates = [match.place, f"{prefix}市{match.place}", f"{prefix}{match.place}", short, match.bureau]
    if match.level == "prefecture" and match.place not in match.bureau:  # a region listed bureau by bureau
        candidates = [short, match.bureau]
    for candidate in dict.fromkeys(candidates):
        try:
            result = kb.lookup(candidate)
        except ValueError:
            continue
        if result.status == "found" and result.matches[0].bureau_id == match.bureau_id:
            return candidate
    return match.bureau
