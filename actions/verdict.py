"""What the guide's two conditions (二、申领条件) imply for the facts the citizen gave: a condition the facts
already fail is said at once; both met is said with the 'final say is the bureau's' caveat; states the guide does
not settle (单位没给交, 个人交的, 还没离职) are named with whom to ask. Never more than the guide says."""

from __future__ import annotations

import guide
from actions.case import Case
from actions.compose import Answer
from actions.contact import contact_text
from citizen import status
from citizen.leave import INVOLUNTARY, VOLUNTARY

# a state that settles the answer without asking more, and the response that says so (checked in this order)
_BLOCKERS = (
    ("employment", status.STILL_EMPLOYED, "utter_still_employed"),
    ("paid_by", status.NEVER_PAID, "utter_elig_never_paid"),
)
_UNSETTLED = {status.EMPLOYER_NEVER_PAID: "utter_elig_employer_never_paid",
              status.EMPLOYER_STOPPED: "utter_elig_employer_stopped",
              status.SELF_PAID: "utter_elig_self_paid"}


def minimum() -> int:
    """Condition (一) in months, from the guide."""
    return guide.min_contribution_months()


def blocker(case: Case) -> str | None:
    """The response for a state that settles the answer (a condition failed, or a state the guide leaves to the
    bureau), or None when the two conditions decide."""
    for attr, value, response in _BLOCKERS:
        if getattr(case, attr) == value:
            return response
    if case.months is not None and case.months < minimum():
        return "utter_elig_unmet_contribution"
    if case.paid_by in _UNSETTLED:  # before the leave reason: a 个体户 who "不干了" did not resign from an employer
        return _UNSETTLED[case.paid_by]
    return "utter_elig_unmet_voluntary" if case.leave_reason == VOLUNTARY else None


def missing(case: Case) -> list[str]:
    """The form slots still needed to decide, in the order asked; none once something settles the answer."""
    if blocker(case):
        return []
    needed = []
    if case.months is None:
        needed.append("contribution_months")
    if case.leave_reason is None:
        needed.append("leave_reason")
    return needed


def assess(case: Case, out: Answer, unclear: str | None = None) -> None:
    """The whole answer to "can I claim?" for what is known."""
    contact = contact_text(case)
    settled = blocker(case)
    if settled:
        out.add(settled, said=case.said, contact=contact)
        return
    out.add("utter_elig_header")
    if case.months is None:
        out.add("utter_elig_c1_unknown")
    else:
        out.add("utter_elig_c1_worked" if case.worked else "utter_elig_c1_met", said=case.said)
    reason = unclear or case.facts.unclear_reason
    if case.leave_reason == INVOLUNTARY:
        out.add("utter_elig_c2_met")
    elif reason:
        out.add("utter_elig_c2_unclassified", reason=reason)
    else:
        out.add("utter_elig_c2_unknown")
    if case.months is not None and case.leave_reason == INVOLUNTARY:
        out.add("utter_elig_both_met", contact=contact)
    elif reason and case.months is not None:
        out.add("utter_elig_unclassified", contact=contact)
    else:
        out.add("utter_elig_missing", contact=contact)


def implication(case: Case, out: Answer) -> None:
    """After the answer to another question: what this message's facts about the citizen's own case imply."""
    if not case.facts.states_own_case:
        return
    settled = blocker(case)
    if settled:
        out.add(settled, said=case.said, contact=contact_text(case))
    elif case.months is not None and case.leave_reason == INVOLUNTARY:
        out.add("utter_elig_met_short_worked" if case.worked else "utter_elig_met_short", said=case.said)
    elif case.facts.unclear_reason:
        out.add("utter_unclassified_reason", reason=case.facts.unclear_reason, contact=contact_text(case))
    elif case.months is None:
        out.add("utter_elig_need_contribution")
    elif case.leave_reason is None and not case.worked:  # no blocker: the months known reach condition (一)
        out.add("utter_elig_need_reason_c1_met", said=case.said)
    elif case.leave_reason is None:
        out.add("utter_elig_need_reason")
