"""The places a message names and the role each plays in the citizen's story. The guide sends a claimant to the
bureau of the 最后参保地 (last insured place), which often differs from where they live now: "以前在德惠交的 后来
在农安交了一年多 现在住长春" is insured in 农安 (last), earlier in 德惠, and lives in 长春."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from offices_kb.normalize import fold

INSURED = "insured"  # where one paid or worked (the employer pays where one works)
EARLIER = "earlier"  # insured there before another place
RESIDENCE = "residence"  # lives there now
HOMETOWN = "hometown"  # 老家, 户口
NAMED = "named"  # named without a role ("珲春社保局电话", "我在长春")
CLAIM = "claim"  # where the user would like to apply ("长春能办吗", "交的社保在吉林能领吗")


class _Mention(Protocol):
    start: int
    end: int
    text: str
    place: str
    in_jilin: bool


# after the place: paid or worked there ('在农安交了', '舒兰一个厂子干了', '农安那厂子黄了', '在长春上班')
_INSURED_AFTER = re.compile(
    r"^(?:市|县|区|那边|这边|那里|这里|那块|这块|当地)?(?:的时候)?(?:一直|都|也|又|还)?"
    r"(?:交|缴|参保|参加|续|上的?(?:社保|保险|失业保险)|买的?(?:社保|保险)|上班|上的班|工作|打工|干活|干了|干过|干的|上过班"
    r"|(?:一个|一家|那个?|的|那家)?(?:厂子?|工厂|单位|公司|企业|工地|饭店|酒店|商场|超市|学校|医院)"
    r"(?!的电话|电话))")
# before the place: '社保在', '参保地是', '在…交' is handled by _INSURED_AFTER
_INSURED_BEFORE = re.compile(r"(?:社保|保险|参保地?|参保的地方|交社保的地方|单位|公司|厂子?)"
                             r"(?:是|都是|一直|也)?(?:在|搁)?$")
_RESIDENCE_BEFORE = re.compile(r"(?:住|住在|现住|居住在?|家在|家住|人在|定居在?|搬到|搬来|搬去|搬|回到|回了|回"
                               r"|现在在|目前在|如今在)$")
_RESIDENCE_AFTER = re.compile(r"^(?:市|县|区)?(?:这边|那边)?(?:住|居住|生活|定居|安家)")
_HOMETOWN_BEFORE = re.compile(r"(?:老家|户口|户籍|家乡|祖籍|原籍)(?:是|在|落在|在的)?$")
_HOMETOWN_AFTER = re.compile(r"^(?:市|县|区)?(?:的)?(?:户口|户籍|人)(?![^，,。 ]*(?:交|参保|上班|工作))")
# where one wants to claim, not where one paid ('交的社保在吉林能领吗', '在长春能办吗')
_CLAIM_AFTER = re.compile(r"^(?:市|县|区)?(?:这边|那边)?(?:能|可以|能不能|可不可以|也能|还能)(?:领|办|申请|申领)")
_EARLIER = re.compile(r"(?:以前|之前|原来|原先|先前|早先|过去|最早|一开始|开始|先|前几年|那几年|头几年|早些年)"
                      r"[^，,。；;]{0,4}$")
_MOVED_ON = re.compile(r"(?:后来|然后|又|再|现在)(?:又)?(?:去了?|到了?|调到|换到|跳到|转到)(?:了)?$")
_LATER = re.compile(r"(?:后来|现在|最后|目前|然后|接着|之后|再后来|如今|最近|这几年|去年|今年)[^，,。；;]{0,4}$")


@dataclass(frozen=True)
class NamedPlace:
    """One place as named (text to look up), its offsets and role."""

    text: str
    place: str
    role: str
    start: int
    in_jilin: bool = True


@dataclass
class Places:
    """The message's places by role; `insured` is the last insured place if the message names one."""

    named: list[NamedPlace] = field(default_factory=list)

    def of(self, role: str) -> list[NamedPlace]:
        return [p for p in self.named if p.role == role]

    @property
    def insured(self) -> NamedPlace | None:
        found = self.of(INSURED)
        return found[-1] if found else None

    @property
    def residence(self) -> NamedPlace | None:
        found = self.of(RESIDENCE)
        return found[-1] if found else None

    @property
    def insured_outside_jilin(self) -> bool:
        """'我在辽宁交的失业保险 回吉林能领吗', '我在青岛上班 失业金在哪领': the last insured place, or else every place
        named but where the citizen lives, is outside Jilin, which the guide does not cover."""
        insured = self.insured
        if insured is not None:
            return not insured.in_jilin
        return any(not p.in_jilin for p in self.named) and not any(
            p.in_jilin for p in self.named if p.role != RESIDENCE)


def _role(text: str, start: int, end: int) -> str:
    before, after = text[max(0, start - 8):start], text[end:end + 12]
    if _HOMETOWN_BEFORE.search(before) or _HOMETOWN_AFTER.match(after):
        return HOMETOWN
    if _CLAIM_AFTER.match(after):
        return CLAIM
    if _INSURED_AFTER.match(after) or _INSURED_BEFORE.search(before.rstrip("在搁")) or _INSURED_BEFORE.search(before):
        return INSURED
    if _RESIDENCE_BEFORE.search(before) or _RESIDENCE_AFTER.match(after):
        return RESIDENCE
    return NAMED


def _order_insured(text: str, places: list[NamedPlace]) -> list[NamedPlace]:
    """Of several insured places, the one said to come later (后来, 现在, 最后) is the last insured place; those said
    to come first (以前, 原来) become EARLIER. Without such words the last one named counts."""
    def said_later(p: NamedPlace) -> bool:
        return bool(_LATER.search(text[max(0, p.start - 8):p.start]))
    def said_earlier(p: NamedPlace) -> bool:
        return bool(_EARLIER.search(text[max(0, p.start - 8):p.start]))
    if any(p.role == INSURED and said_earlier(p) for p in places):  # '原来在四平上班 后来去了公主岭'
        places = [NamedPlace(p.text, p.place, INSURED, p.start, p.in_jilin)
                  if p.role == NAMED and _MOVED_ON.search(text[max(0, p.start - 8):p.start]) else p for p in places]
    insured = [p for p in places if p.role == INSURED]
    if len({p.place for p in insured}) < 2:
        return places
    later = [p for p in insured if said_later(p)]
    last = later[-1] if later else next((p for p in reversed(insured) if not said_earlier(p)), insured[-1])
    return [NamedPlace(p.text, p.place, EARLIER, p.start, p.in_jilin)
            if p.role == INSURED and p.place != last.place else p for p in places]


def read_places(text: str, mentions: list[_Mention], outside: Callable[[str], bool] | None = None) -> Places:
    """The places of `mentions` (offices_kb.mentions(text)) with their roles in `text`. `outside(name)` says whether
    a name is only outside Jilin; a name shared with a Jilin place (北湖, 大安) counts as Jilin's (the user asks a Jilin
    assistant), so it is asked of the knowledge base's lookup when given, instead of the mention's first reading."""
    folded = fold(text)
    named: list[NamedPlace] = []
    for m in mentions:
        in_jilin = m.in_jilin if outside is None else not outside(m.text)
        named.append(NamedPlace(m.text, m.place, _role(folded, m.start, m.end), m.start, in_jilin))
    # a place named again with a role ('在农安交了…农安那厂子黄了') keeps the strongest role it was given
    strongest: dict[str, str] = {}
    for p in named:
        if p.role not in (NAMED, CLAIM) and strongest.get(p.place) in (None, NAMED, CLAIM):
            strongest[p.place] = p.role
    named = [NamedPlace(p.text, p.place, strongest.get(p.place, p.role) if p.role == NAMED else p.role, p.start,
                        p.in_jilin) for p in named]
    return Places(_order_insured(folded, named))
