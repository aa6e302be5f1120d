"""What is known of the citizen's case: the facts of the latest message (citizen.read_facts) over those the
conversation remembers in slots. Facts persist for the rest of the conversation, whatever was asked, so that no
question is asked twice."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Tracker

import guide
from actions.api import kb
from actions.common import answered, entity_values, latest_intent, latest_text
from citizen import Facts, read_facts
from citizen.durations import Duration, describe_months, parse_duration
from citizen.leave import LEAVE_VALUES
from citizen.places import CLAIM, NAMED, NamedPlace

FACT_SLOTS = ("contribution_months", "contribution_said", "contribution_worked", "leave_reason", "paid_by",
              "employment", "insured_place", "residence_place")


def settled(duration: Duration | None) -> Duration | None:
    """The period when it tells whether condition (一)'s minimum is reached, else None: '不到两年' or '半年到一年半'
    may be either side of one year, so the form asks how long (buttons 不满1年 / 满1年及以上) instead of a verdict
    built on one reading of it."""
    if duration is None or duration.meets(guide.min_contribution_months()) is not None:
        return duration
    return None


def settled_months(text: str) -> float | None:
    """Months for the contribution_months slot from an answer to "how long", or None (see settled)."""
    found = settled(parse_duration(text))
    return None if found is None else found.months


@dataclass
class Case:
    """The latest message (`text`, `intent`, its `facts`, the place names the NLU tagged) and the slots."""

    text: str
    intent: str | None
    facts: Facts
    slots: dict[str, Any] = field(default_factory=dict)
    typed_places: list[str] = field(default_factory=list)
    sender: str = ""  # the conversation (its 咨询编号: actions/handoff.py)
    earlier_fallbacks: int = 0  # answers of this conversation that asked to rephrase before this message

    @classmethod
    def from_tracker(cls, tracker: Tracker, answering_duration: bool = False) -> Case:
        text = latest_text(tracker)
        facts = read_facts(text, kb.mentions, answering_duration=answering_duration, outside=kb.outside_only)
        # a button payload ('/inform_contribution{"duration":…}'); in typed text DIET's span would skip the context
        # read_facts weighs ('失业一年多了' is no contribution period)
        for raw in entity_values(tracker, "duration") if text.startswith("/") else []:
            facts.duration = facts.duration or parse_duration(raw)
        facts.duration = settled(facts.duration)
        for raw in entity_values(tracker, "leave_reason"):  # never over a reason the guide does not classify
            if not facts.unclear_reason:
                facts.leave_reason = facts.leave_reason or (raw if raw in LEAVE_VALUES else None)
        return cls(text, latest_intent(tracker), facts, dict(tracker.slots), entity_values(tracker, "location"),
                   sender=tracker.sender_id or "", earlier_fallbacks=answered(tracker.events).count("utter_fallback"))

    # --- the contribution period: this message's, else the remembered one ------------------------------------
    @property
    def months(self) -> float | None:
        if self.facts.duration:
            return self.facts.duration.months
        value = self.slots.get("contribution_months")
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None

    @property
    def said(self) -> str:
        """The period in the user's words ('八九年'), else described ('1年6个月')."""
        if self.facts.duration:
            return self.facts.duration.words
        said = self.slots.get("contribution_said")
        if isinstance(said, str) and said:
            return said
        months = self.months
        return describe_months(months) if months is not None else ""

    @property
    def worked(self) -> bool:
        if self.facts.duration:
            return self.facts.worked
        return self.slots.get("contribution_worked") is True

    @property
    def leave_reason(self) -> str | None:
        reason = self.facts.leave_reason or self.slots.get("leave_reason")
        return reason if reason in LEAVE_VALUES else None

    @property
    def paid_by(self) -> str | None:
        return self.facts.paid_by or self.slots.get("paid_by")

    @property
    def employment(self) -> str | None:
        return self.facts.employment or self.slots.get("employment")

    # --- places ------------------------------------------------------------------------------------------------
    @property
    def insured_place(self) -> str | None:
        """The last insured place: named in this message, else remembered."""
        insured = self.facts.places.insured
        return insured.text if insured else _text_slot_of(self.slots, "insured_place")

    @property
    def residence_place(self) -> str | None:
        residence = self.facts.places.residence
        return residence.text if residence else _text_slot_of(self.slots, "residence_place")

    @property
    def asked_places(self) -> list[NamedPlace]:
        """Places named in this message without a role ('辽源和东丰的电话'), each place once."""
        seen: set[str] = set()
        out = []
        for p in [*self.facts.places.of(NAMED), *self.facts.places.of(CLAIM)]:
            if p.place not in seen:
                seen.add(p.place)
                out.append(p)
        return out

    def remembered(self) -> dict[str, Any]:
        """Slot values for the facts this message gave (nothing for what it did not mention)."""
        out: dict[str, Any] = {}
        f = self.facts
        if f.duration:
            out.update(contribution_months=f.duration.months, contribution_said=f.duration.words,
                       contribution_worked=f.worked)
        if f.leave_reason:
            out["leave_reason"] = f.leave_reason
        if f.paid_by:
            out["paid_by"] = f.paid_by
        if f.employment:
            out["employment"] = f.employment
        if f.places.insured:
            out["insured_place"] = f.places.insured.text
        if f.places.residence:
            out["residence_place"] = f.places.residence.text
        return out


def _text_slot_of(slots: dict[str, Any], name: str) -> str | None:
    value = slots.get(name)
    return value.strip() if isinstance(value, str) and value.strip() else None
