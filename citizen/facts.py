"""All the facts one message gives, read at once whatever it asks."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import privacy
from citizen import durations, leave, places, status, tone
from citizen import questions as q
from citizen.durations import Duration
from citizen.places import Places
from citizen.questions import Question, questions
from offices_kb.normalize import fold

_PAID_CONTEXT = re.compile(r"交|缴|参保|社保|保险|上的保")
_WORK_CONTEXT = re.compile(r"干|工作|上班|打工|做了|待了|呆了|在厂|在单位|在公司|工龄")


@dataclass
class Facts:
    """What one message says. `duration` is the contribution period; `worked` says it was given as time worked
    ('干了八九年'), which counts only if the employer paid contributions all along."""

    duration: Duration | None = None
    worked: bool = False
    paid_by: str | None = None
    employment: str | None = None
    leave_reason: str | None = None
    unclear_reason: str | None = None
    places: Places = field(default_factory=Places)
    asked: list[Question] = field(default_factory=list)
    upset: bool = False
    elderly: bool = False
    language: str | None = None
    personal_numbers: bool = False

    @property
    def kinds(self) -> list[str]:
        return [q.kind for q in self.asked]

    @property
    def states_own_case(self) -> bool:
        """Whether the message tells something of the citizen's own case (a period, a reason, a state)."""
        return bool(self.duration or self.paid_by or self.leave_reason or self.unclear_reason
                    or self.employment == status.STILL_EMPLOYED)


# a period since one lost the job ('失业一年多了') or of arrears ('欠了我半年的社保没交') is no contribution period
_SINCE_OR_OWED_BEFORE = re.compile(r"(?:失业|没工作|下岗|离职|辞职|不干|没上班|待业|在家|欠|拖欠|断|停)"
                                   r"(?:了|都|已经|有)?(?:我)?(?:的)?\s*$")
_OWED_AFTER = re.compile(r"^(?:的)?(?:社保|保险|失业保险)?(?:都|也)?(?:没交|没缴|没给交|没给上|断缴|欠缴|没上)")


def _not_paid_for(text: str, said: str) -> bool:
    start = text.find(said)
    if start < 0:
        return False
    return bool(_SINCE_OR_OWED_BEFORE.search(text[max(0, start - 6):start])
                or _OWED_AFTER.match(text[start + len(said):start + len(said) + 8]))


def _duration(text: str, answering: bool) -> tuple[Duration | None, bool]:
    """The period and whether it was time worked. Outside an answer to "how long did you pay", a period counts only
    next to paying or working words ('我等了两个月' is neither)."""
    found = durations.parse_duration(text)
    if found is None or _not_paid_for(text, found.said):
        return None, False
    if _PAID_CONTEXT.search(text) or answering:
        return found, False
    if _WORK_CONTEXT.search(text):
        return found, True
    return None, False


def read_facts(text: str, mentions: Callable[[str], Sequence[places._Mention]],
               answering_duration: bool = False, outside: Callable[[str], bool] | None = None) -> Facts:
    """The facts of `text`. `mentions` finds place names (offices_kb.mentions), `outside` says whether a name is
    only outside Jilin (see places.read_places); `answering_duration`: the message answers the question how long
    one paid, so a bare '两年' is that period. A masked number's placeholder ('[身份证号]') is read as the number
    given, not as words of a question about documents."""
    numbers = tone.personal_numbers(text)
    text = privacy.without_placeholders(text) if numbers else text
    folded = fold(text or "")
    duration, worked = _duration(folded, answering_duration)
    paid = status.paid_by(folded)
    if paid == status.NEVER_PAID:
        duration, worked = None, False
    asked = questions(folded)
    claim = places.read_places(text, list(mentions(text)), outside) if text else Places()
    wanted = claim.of(places.CLAIM)
    if wanted and not any(a.kind in (q.WHERE, q.PHONE) for a in asked):  # '长春能办吗': a question where to apply
        asked = sorted([*asked, Question(q.WHERE, wanted[0].start)], key=lambda a: a.start)
        asked = [a for a in asked if a.kind != q.CAN_I]
    return Facts(
        duration=duration,
        worked=worked,
        paid_by=paid,
        employment=status.employment(folded),
        leave_reason=leave.parse_leave_reason(folded),
        unclear_reason=leave.unclear_leave_reason(folded),
        places=claim,
        asked=asked,
        upset=tone.upset(folded),
        elderly=tone.elderly(folded),
        language=tone.foreign_language(text or ""),
        personal_numbers=numbers,
    )
